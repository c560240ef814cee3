/** The --significance option of `report`, `diff` and `explain`: a level (alpha) such as 0.05, or `off`. */
import { InvalidArgumentError } from 'commander';

export const SIGNIFICANCE_HELP =
  'significance level (alpha) for "not significant" changes, trend verdicts and intervals, e.g. 0.05 (95 % intervals) or 0.01; off: no tests (default: the catalogue\'s `significance:`, else 0.05)';

export function significanceLevel(value: string): number | 'off' {
  const text = value.trim().toLowerCase();
  if (text === 'off') return 'off';
  const n = Number(text);
  if (text === '' || !Number.isFinite(n) || n <= 0 || n > 0.5)
    throw new InvalidArgumentError(
      n >= 0.5 && n < 1
        ? `expected a significance level such as 0.05, not a confidence level (${value}); or off`
        : 'expected a significance level above 0 and at most 0.5, e.g. 0.05, or off',
    );
  return n;
}
