/**
 * The statistics of src/util/stats.ts against values computed independently here: the Wilson interval
 * from its closed form, the Poisson interval and the exact tests from sums of probabilities in exact
 * integer arithmetic (BigInt), and published values from the literature.
 */
import { describe, expect, it } from 'vitest';
import {
  fisherExactTest,
  normalCdf,
  normalQuantile,
  poissonInterval,
  twoCountTest,
  twoProportionTest,
  wilsonInterval,
} from '../../src/util/stats.js';

/** Φ⁻¹(0.975) to 16 significant digits (Abramowitz & Stegun table 26.5; any statistics package). */
const Z975 = 1.959963984540054;

/**
 * The Wilson score interval in closed form (Wilson 1927, JASA 22:209; Newcombe 1998, Statistics in
 * Medicine 17:857, method 3):
 *   (2r + z² ± z·sqrt(z² + 4r(1 - r/n))) / (2(n + z²))
 * with r successes of n and z the 1 - alpha/2 normal quantile. Written this way, not as the centre ±
 * half-width form the module uses, so that a slip in either shows.
 */
function wilsonClosedForm(r: number, n: number, z: number): [number, number] {
  const root = z * Math.sqrt(z * z + 4 * r * (1 - r / n));
  const denominator = 2 * (n + z * z);
  return [(2 * r + z * z - root) / denominator, (2 * r + z * z + root) / denominator];
}

describe('normalQuantile and normalCdf', () => {
  it.each([
    [0.975, Z975],
    [0.5, 0],
    [0.95, 1.6448536269514722],
    [0.995, 2.5758293035489004],
    [0.025, -Z975],
    [1e-10, -6.361340902404056],
  ])('Φ⁻¹(%s) = %s', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 12);
  });

  it('is the inverse of normalCdf across the range', () => {
    for (const p of [1e-12, 1e-6, 0.001, 0.02, 0.02425, 0.1, 0.3, 0.7, 0.9, 0.97575, 0.999, 1 - 1e-9])
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 9);
  });

  it('has the ends and rejects what is not a probability', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });
});

describe('wilsonInterval', () => {
  it('matches the closed form to 1e-9 over a reference table, 0/n and n/n included', () => {
    const table: [number, number][] = [];
    for (const n of [1, 2, 5, 8, 10, 20, 29, 100, 148, 263, 1000, 12345])
      for (const r of new Set([0, 1, Math.floor(n / 3), Math.floor(n / 2), n - 1, n]))
        if (r >= 0 && r <= n) table.push([r, n]);
    expect(table.length).toBeGreaterThan(50);
    for (const [r, n] of table) {
      const [low, high] = wilsonClosedForm(r, n, Z975);
      const got = wilsonInterval(r, n, 0.95)!;
      expect(Math.abs(got.low - low), `${r}/${n} low`).toBeLessThan(1e-9);
      expect(Math.abs(got.high - high), `${r}/${n} high`).toBeLessThan(1e-9);
    }
  });

  it('gives 0/n a lower bound of exactly 0 and n/n an upper bound of exactly 1', () => {
    expect(wilsonInterval(0, 8, 0.95)!.low).toBe(0);
    expect(wilsonInterval(8, 8, 0.95)!.high).toBe(1);
    expect(wilsonInterval(8, 8, 0.95)!.low).toBeCloseTo(wilsonClosedForm(8, 8, Z975)[0], 12);
  });

  it('7/8 -> [0.5291, 0.9776] and Newcombe 1998 table I (method 3)', () => {
    const cases: [number, number, number, number][] = [
      [7, 8, 0.5291, 0.9776],
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [r, n, low, high] of cases) {
      const got = wilsonInterval(r, n, 0.95)!;
      expect(got.low).toBeCloseTo(low, 4);
      expect(got.high).toBeCloseTo(high, 4);
    }
  });

  it('narrows with a lower level, and is null for n = 0', () => {
    const i95 = wilsonInterval(7, 8, 0.95)!;
    const i80 = wilsonInterval(7, 8, 0.8)!;
    expect(i80.low).toBeGreaterThan(i95.low);
    expect(i80.high).toBeLessThan(i95.high);
    expect(wilsonInterval(0, 0, 0.95)).toBeNull();
    expect(() => wilsonInterval(9, 8, 0.95)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 8, 95)).toThrow(RangeError);
  });
});

/** P(X <= k) for X ~ Poisson(mu), summed term by term. */
function poissonCdf(k: number, mu: number): number {
  let term = Math.exp(-mu);
  let sum = term;
  for (let j = 1; j <= k; j++) {
    term *= mu / j;
    sum += term;
  }
  return sum;
}

describe('poissonInterval (Garwood)', () => {
  it('puts alpha/2 in each tail, checked by summing the Poisson probabilities', () => {
    for (const k of [0, 1, 2, 5, 10, 37, 200]) {
      const { low, high } = poissonInterval(k, 0.95);
      expect(poissonCdf(k, high)).toBeCloseTo(0.025, 10);
      if (k === 0) expect(low).toBe(0);
      else expect(1 - poissonCdf(k - 1, low)).toBeCloseTo(0.025, 10);
    }
  });

  it('matches the published table (chi-square quantiles / 2)', () => {
    const cases: [number, number, number][] = [
      [0, 0, 3.6889],
      [1, 0.0253, 5.5716],
      [10, 4.7954, 18.3904],
    ];
    for (const [k, low, high] of cases) {
      const got = poissonInterval(k, 0.95);
      expect(got.low).toBeCloseTo(low, 4);
      expect(got.high).toBeCloseTo(high, 4);
    }
  });
});

/** C(n, k) exactly. */
function choose(n: number, k: number): bigint {
  let c = 1n;
  for (let i = 1; i <= k; i++) c = (c * BigInt(n - k + i)) / BigInt(i);
  return c;
}

describe('twoProportionTest', () => {
  it('7/8 vs 8/8 is not significant (few expected failures: Fisher, p = 1)', () => {
    const result = twoProportionTest(7, 8, 8, 8);
    expect(result.method).toBe('fisher-exact');
    expect(result.pValue).toBeCloseTo(1, 9);
    expect(result.pValue).toBeGreaterThan(0.05);
  });

  it('20/200 vs 60/200 is significant: z = 5 exactly, p = 2·(1 - Φ(5))', () => {
    // pooled p = 0.2, SE = sqrt(0.2 · 0.8 · (1/200 + 1/200)) = 0.04, difference 0.2
    const result = twoProportionTest(20, 200, 60, 200);
    expect(result.method).toBe('z-test');
    expect(result.z).toBeCloseTo(5, 12);
    expect(result.pValue).toBeCloseTo(5.733031437583878e-7, 15);
    expect(result.pValue).toBeLessThan(0.05);
    expect(twoProportionTest(60, 200, 20, 200).z).toBeCloseTo(-5, 12);
  });

  it('gives p = 1 and z = 0 when both proportions are 0/n or n/n', () => {
    expect(twoProportionTest(0, 10, 0, 30)).toEqual({ z: 0, pValue: 1, method: 'z-test' });
    expect(twoProportionTest(10, 10, 30, 30)).toEqual({ z: 0, pValue: 1, method: 'z-test' });
  });

  it("Fisher's exact test against an exact enumeration (and the tea-tasting table, p = 0.4857)", () => {
    expect(fisherExactTest(3, 4, 1, 4)).toBeCloseTo(0.4857142857, 9);
    // 2/10 vs 7/9 (fewest expected cell 9 · 9/19 < 5): enumerate the hypergeometric tables with BigInt
    const [x1, n1, x2, n2] = [2, 10, 7, 9];
    const m = x1 + x2;
    const all = choose(n1 + n2, m);
    const p = (k: number) => Number(choose(n1, k) * choose(n2, m - k)) / Number(all);
    const observed = p(x1);
    let expected = 0;
    for (let k = Math.max(0, m - n2); k <= Math.min(n1, m); k++)
      if (p(k) <= observed * (1 + 1e-7)) expected += p(k);
    expect(fisherExactTest(x1, n1, x2, n2)).toBeCloseTo(expected, 12);
    expect(twoProportionTest(x1, n1, x2, n2).method).toBe('fisher-exact');
  });
});

describe('twoCountTest (exact conditional)', () => {
  it('10 vs 20 events: the binomial(30, 1/2) two-sided p-value, enumerated exactly', () => {
    const total = 2n ** 30n;
    let tails = 0n;
    for (let k = 0; k <= 10; k++) tails += choose(30, k);
    for (let k = 20; k <= 30; k++) tails += choose(30, k);
    const expected = Number(tails) / Number(total);
    expect(twoCountTest(10, 20).pValue).toBeCloseTo(expected, 12);
    expect(twoCountTest(10, 20).pValue).toBeCloseTo(0.09874, 5);
  });

  it('0 vs 0 is p = 1; 3 vs 30 is significant; unequal exposures move the null', () => {
    expect(twoCountTest(0, 0).pValue).toBe(1);
    expect(twoCountTest(3, 30).pValue).toBeLessThan(0.001);
    // 10 events in one month against 30 in three: the same rate
    expect(twoCountTest(10, 30, 1, 3).pValue).toBeCloseTo(1, 9);
  });
});
