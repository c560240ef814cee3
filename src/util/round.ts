/**
 * Rounding half away from zero on the number as written in decimal, not on its binary value:
 * `roundHalfAway(1.005, 2)` is 1.01 although the double nearest 1.005 is 1.00499999999999989...
 * (`Math.round(1.005 * 100) / 100` gives 1.00, `(2.675).toFixed(2)` gives "2.67").
 *
 * The number's shortest round-trip decimal form (`toExponential()` without an argument: the fewest
 * digits that read back as the same double) is rounded as a string of digits, and the result is read
 * back with Number(), which gives the double nearest the rounded decimal. Values whose digits already
 * stop within `decimals` (integers, large numbers such as 1.7e308) come back unchanged: nothing is
 * multiplied, so nothing overflows to Infinity.
 */
export function roundHalfAway(value: number, decimals = 0): number {
  if (!Number.isFinite(value) || !Number.isInteger(decimals)) return value;
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  // value = 0.d1d2d3... x 10^(exp + 1): the digits down to the 10^-decimals place are the first `keep`
  const keep = Number(exponent) + 1 + decimals;
  if (keep >= digits.length) return value;
  if (keep < 0) return value < 0 ? -0 : 0;
  const kept = BigInt(digits.slice(0, keep) || '0') + (digits[keep]! >= '5' ? 1n : 0n);
  const rounded = Number(`${kept}e${-decimals}`);
  return value < 0 ? -rounded : rounded;
}
