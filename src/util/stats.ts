/**
 * Statistics for "is this change real?": confidence intervals for a proportion (Wilson score) and for a
 * count (exact Poisson, Garwood), and tests comparing two proportions or two counts. Pure maths, no I/O.
 *
 * Decisions (issue 20):
 * - Levels: the interval functions take the CONFIDENCE level (0.95 for a 95 % interval); the tests
 *   return a p-value and leave the significance level (0.05) to the caller (src/report/significance.ts).
 * - One special function underneath: the regularised incomplete gamma function (series and continued
 *   fraction, Numerical Recipes 6.2) with a Lanczos log-gamma. The normal tail is Q(1/2, x²/2), the
 *   Poisson distribution function is Q(k + 1, mu), so the normal and Poisson results share it. Accuracy
 *   is about 1e-14 relative, far beyond what a KPI needs.
 * - normalQuantile: Acklam's rational approximation (relative error 1.15e-9) refined by Halley steps on
 *   the accurate normal distribution function above, which brings it to double precision.
 * - Wilson score interval (Wilson 1927; Newcombe 1998, method 3) for a proportion: unlike the textbook
 *   "p ± z·sqrt(p(1-p)/n)" it never leaves [0, 1] and does not collapse to a point at 0/n or n/n, which
 *   is exactly where KPIs live (100 % of 8 leavers revoked).
 * - Garwood interval for a count: the exact (conservative) interval from the Poisson distribution,
 *   lower = chi²(alpha/2; 2k)/2, upper = chi²(1 - alpha/2; 2k + 2)/2, solved directly on the Poisson
 *   distribution function by bisection (monotone, so it always converges).
 * - Two proportions: the pooled two-proportion z-test is the usual test, but its normal approximation is
 *   unreliable when an expected cell count (n·p̂ or n·(1 - p̂) with the pooled p̂) is below 5. Then the
 *   p-value comes from Fisher's exact test (two-sided, the sum of the tables no more likely than the one
 *   seen, as R's fisher.test). Fisher rather than the interval-overlap rule: overlap is not a test at a
 *   known level (two 95 % intervals can overlap while the difference is significant at 0.05), whereas
 *   Fisher's test is exact (if conservative) at every n and costs a loop over at most min(n1, n2) + 1
 *   tables. `method` says which one gave the p-value.
 * - Two counts: the exact conditional test. Given x1 + x2 = N events, under "same rate" x1 follows
 *   Binomial(N, t1 / (t1 + t2)) with t the exposures (equal periods: 1/2); the two-sided p-value is the
 *   sum of the outcomes no more likely than x1 (as R's poisson.test). Exact at every count; a loop over
 *   N + 1 outcomes.
 */

/** A closed interval [low, high]. */
export interface Interval {
  low: number;
  high: number;
}

/** A test's outcome: the statistic (when there is one), the two-sided p-value and the method that gave it. */
export interface TestResult {
  z?: number;
  pValue: number;
  method: 'z-test' | 'fisher-exact' | 'conditional-binomial';
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln of the binomial coefficient C(n, k). */
function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

const EPS = 1e-16;
const MAX_ITER = 10_000;

/** The regularised lower incomplete gamma P(a, x) by its series (converges fast for x < a + 1). */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let i = 0; i < MAX_ITER; i++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** The regularised upper incomplete gamma Q(a, x) by its continued fraction (for x >= a + 1; Lentz). */
function gammaFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularised lower incomplete gamma P(a, x), a > 0, x >= 0. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 - P(a, x), accurate in the upper tail. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaFraction(a, x);
}

/** The standard normal distribution function Φ(x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const tail = 0.5 * gammaQ(0.5, (x * x) / 2);
  return x < 0 ? tail : 1 - tail;
}

/** The two-sided tail of a standard normal statistic: P(|Z| >= |z|). */
function twoSidedNormal(z: number): number {
  return gammaQ(0.5, (z * z) / 2);
}

const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Acklam's approximation of the normal quantile (relative error below 1.15e-9). */
function acklam(p: number): number {
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const x =
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
    (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1)
  );
}

/** The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (±Infinity at 0 and 1). */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1)
    throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  let x = acklam(p);
  // Halley steps on the accurate distribution function (two are plenty from 1e-9).
  for (let i = 0; i < 3; i++) {
    const e = normalCdf(x) - p;
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    const next = x - u / (1 + (x * u) / 2);
    if (!Number.isFinite(next)) break;
    x = next;
  }
  return x;
}

function checkLevel(level: number, name: string): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`${name}: level must be between 0 and 1, got ${level}`);
}

function checkCount(x: number, name: string, what: string): void {
  if (!Number.isInteger(x) || x < 0)
    throw new RangeError(`${name}: ${what} must be a whole number >= 0, got ${x}`);
}

/**
 * The Wilson score interval for `successes` of `n` at confidence `level` (0.95), as fractions in [0, 1];
 * null when n is 0 (no proportion). 0/n gives low 0 and n/n high 1 exactly.
 */
export function wilsonInterval(successes: number, n: number, level: number): Interval | null {
  checkLevel(level, 'wilsonInterval');
  checkCount(successes, 'wilsonInterval', 'successes');
  checkCount(n, 'wilsonInterval', 'n');
  if (successes > n) throw new RangeError(`wilsonInterval: successes (${successes}) exceed n (${n})`);
  if (n === 0) return null;
  const z = normalQuantile(1 - (1 - level) / 2);
  const z2 = z * z;
  const p = successes / n;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}

/** The mu where a monotone function of mu crosses `target`, by bisection on [lo, hi]. */
function solve(
  f: (mu: number) => number,
  target: number,
  lo: number,
  hi: number,
  increasing: boolean,
): number {
  let a = lo;
  let b = hi;
  for (let i = 0; i < 200 && b - a > 1e-15 * Math.max(1, b); i++) {
    const mid = (a + b) / 2;
    const above = f(mid) > target;
    if (above === increasing) b = mid;
    else a = mid;
  }
  return (a + b) / 2;
}

/**
 * The exact Poisson (Garwood) interval for an observed `count` at confidence `level` (0.95): the rates
 * mu for which the count is not in either alpha/2 tail. count 0 gives low 0.
 */
export function poissonInterval(count: number, level: number): Interval {
  checkLevel(level, 'poissonInterval');
  checkCount(count, 'poissonInterval', 'count');
  const tail = (1 - level) / 2;
  const hi = count + 20 * Math.sqrt(count + 1) + 40;
  // lower: P(X >= k; mu) = P(k, mu) = tail (increasing in mu)
  const low = count === 0 ? 0 : solve((mu) => gammaP(count, mu), tail, 0, hi, true);
  // upper: P(X <= k; mu) = Q(k + 1, mu) = tail (decreasing in mu)
  const high = solve((mu) => gammaQ(count + 1, mu), tail, 0, hi, false);
  return { low, high };
}

/** Relative slack when summing "no more likely than the observed" outcomes (as R does). */
const RELATIVE_SLACK = 1 + 1e-7;

/** Two-sided exact p-value: the sum of the probabilities (given on a support) no larger than the observed one. */
function exactTwoSided(logPmf: (k: number) => number, from: number, to: number, observed: number): number {
  const limit = logPmf(observed) + Math.log(RELATIVE_SLACK);
  let sum = 0;
  for (let k = from; k <= to; k++) {
    const lp = logPmf(k);
    if (lp <= limit) sum += Math.exp(lp);
  }
  // Every outcome counted sums to 1 up to rounding (0.9999999999999996): written as 1.
  return sum > 1 - 1e-12 ? 1 : sum;
}

/**
 * Fisher's exact test (two-sided) of x1/n1 against x2/n2: the probability, given both margins, of a
 * table no more likely than the one observed.
 */
export function fisherExactTest(x1: number, n1: number, x2: number, n2: number): number {
  const m = x1 + x2;
  const total = n1 + n2;
  const lnAll = logChoose(total, m);
  const logPmf = (k: number) => logChoose(n1, k) + logChoose(n2, m - k) - lnAll;
  return exactTwoSided(logPmf, Math.max(0, m - n2), Math.min(n1, m), x1);
}

/** Smallest expected cell count below which the z-test's normal approximation is not trusted. */
export const MIN_EXPECTED = 5;

/**
 * Compares two proportions x1/n1 and x2/n2: the pooled z statistic (x2/n2 - x1/n1 over its standard error
 * under "same proportion"), with its two-sided p-value; Fisher's exact test's p-value instead when an
 * expected cell count is below MIN_EXPECTED (see the header). Both 0/n or both n/n: z 0, p-value 1.
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): TestResult {
  for (const [v, what] of [
    [x1, 'x1'],
    [n1, 'n1'],
    [x2, 'x2'],
    [n2, 'n2'],
  ] as const)
    checkCount(v, 'twoProportionTest', what);
  if (n1 === 0 || n2 === 0) throw new RangeError('twoProportionTest: n1 and n2 must be at least 1');
  if (x1 > n1 || x2 > n2) throw new RangeError('twoProportionTest: successes exceed n');
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = se === 0 ? 0 : (x2 / n2 - x1 / n1) / se;
  const fewest = Math.min(n1, n2) * Math.min(pooled, 1 - pooled);
  if (se !== 0 && fewest < MIN_EXPECTED)
    return { z, pValue: fisherExactTest(x1, n1, x2, n2), method: 'fisher-exact' };
  return { z, pValue: se === 0 ? 1 : twoSidedNormal(z), method: 'z-test' };
}

/**
 * Compares two counts x1 and x2 observed over exposures t1 and t2 (equal periods: leave both 1): the
 * exact conditional test (see the header). Both 0: p-value 1.
 */
export function twoCountTest(x1: number, x2: number, t1 = 1, t2 = 1): TestResult {
  checkCount(x1, 'twoCountTest', 'x1');
  checkCount(x2, 'twoCountTest', 'x2');
  if (!(t1 > 0 && t2 > 0)) throw new RangeError('twoCountTest: exposures must be positive');
  const n = x1 + x2;
  if (n === 0) return { pValue: 1, method: 'conditional-binomial' };
  const p = t1 / (t1 + t2);
  const lnN = logGamma(n + 1);
  const lp = Math.log(p);
  const lq = Math.log(1 - p);
  const logPmf = (k: number) => lnN - logGamma(k + 1) - logGamma(n - k + 1) + k * lp + (n - k) * lq;
  return { pValue: exactTwoSided(logPmf, 0, n, x1), method: 'conditional-binomial' };
}
