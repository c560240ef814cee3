/** quantile() selects the two ranks it needs instead of sorting: it must agree with a full sort. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantile } from '../../src/engine/aggregate.js';

function sorted(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  const position = (s.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return lower === upper ? s[lower]! : s[lower]! + (s[upper]! - s[lower]!) * (position - lower);
}

describe('quantile', () => {
  it('property: equals the value of a full sort, for any values and q', () => {
    const value = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const expected = sorted(values, q);
          const got = quantile(Float64Array.from(values), q);
          if (Number.isNaN(expected)) expect(got).toBeNaN();
          else expect(got === expected || Math.abs(got - expected) === 0).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('handles sorted, reversed and constant runs of 100,000 values', () => {
    const up = Float64Array.from({ length: 100_000 }, (_, i) => i);
    const down = Float64Array.from({ length: 100_000 }, (_, i) => 100_000 - i);
    const same = new Float64Array(100_000).fill(7);
    expect(quantile(up.slice(), 0.5)).toBe(49_999.5);
    expect(quantile(down.slice(), 0.9)).toBe(sorted([...down], 0.9));
    expect(quantile(same, 0.25)).toBe(7);
  });
});
