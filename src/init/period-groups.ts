/**
 * `init --from`: exports saved once per period (`q2/aws.csv` and `q3/aws.csv`, `nessus-q2.csv` and
 * `nessus-q3.csv`, `jira-2026-Q2.csv`, `entra-2026-09.csv`) become one source whose path names the period
 * with tokens (src/sources/path-template.ts) instead of one source per file.
 *
 * Decisions: a period part is a quarter (`Q3`, `q3`, with or without a year before it: `2026-Q3`,
 * `2026Q3`) or a month with its year (`2026-09`, `2026_09`), standing alone between separators
 * (`-`, `_`, `.`, ` `, `/` or either end), so `eq2` or `v2026-091` are no period parts; a full date
 * (`2026-09-30`) is not one either (file-name-date.ts reads it as the as-of of that one file). The
 * template keeps the file's spelling around the tokens (`Q` or `q`, the separator). Files whose
 * templates, presets and formats agree are one family; a family of one file keeps its literal path.
 */
import type { FileUnit } from '../time/period.js';

export interface PeriodTemplate {
  /** The path with its period parts as tokens. */
  template: string;
  /** The unit of one file: the source's `one_file_per:`. */
  unit: FileUnit;
  /** The period each file names, for the summary (`2026-Q3`, `Q3`, `2026-09`). */
  label: string;
}

const EDGE_BEFORE = '(^|[-_. /])';
const EDGE_AFTER = '(?=$|[-_. /])';
const YEAR_QUARTER = new RegExp(`${EDGE_BEFORE}((?:19|20)\\d\\d)([-_ ]?)([Qq])([1-4])${EDGE_AFTER}`, 'g');
const QUARTER = new RegExp(`${EDGE_BEFORE}([Qq])([1-4])${EDGE_AFTER}`, 'g');
const YEAR_MONTH = new RegExp(
  `${EDGE_BEFORE}((?:19|20)\\d\\d)([-_])(0[1-9]|1[0-2])${EDGE_AFTER}(?![-_]\\d)`,
  'g',
);

/** The path's period parts as tokens, or undefined when it has none (or parts of different units). */
export function periodTemplate(path: string): PeriodTemplate | undefined {
  const labels: string[] = [];
  let template = path.replace(
    YEAR_QUARTER,
    (_m, edge: string, year: string, sep: string, q: string, n: string) => {
      labels.push(`${year}-Q${n}`);
      return `${edge}{year}${sep}${q}{quarter}`;
    },
  );
  let unit: FileUnit | undefined = labels.length > 0 ? 'quarter' : undefined;
  template = template.replace(QUARTER, (_m, edge: string, q: string, n: string) => {
    labels.push(`Q${n}`);
    unit = 'quarter';
    return `${edge}${q}{quarter}`;
  });
  const monthLabels: string[] = [];
  template = template.replace(YEAR_MONTH, (_m, edge: string, year: string, sep: string, month: string) => {
    monthLabels.push(`${year}-${month}`);
    return `${edge}{year}${sep}{month}`;
  });
  // A path naming both a quarter and a month, or two different periods, is not one period's file.
  if (monthLabels.length > 0 && unit !== undefined) return undefined;
  const all = unit ? labels : monthLabels;
  if (all.length === 0 || new Set(all).size > 1) return undefined;
  return { template, unit: unit ?? 'month', label: all[0]! };
}
