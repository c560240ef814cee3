/**
 * A Statement of Applicability as a CSV file: one row per ISO/IEC 27001:2022 Annex A control.
 *
 * Layout (docs/catalogue.md "Statement of Applicability"): a header row naming the columns `control`,
 * `applicable` and `justification` (any order, other columns ignored, names ignoring case), then one
 * row per control: `A.5.1,yes,...`. `applicable` is yes or no (also y/n, true/false). The layout is a
 * plain table with a key column, so a later version can read the same file as a register source of the
 * catalogue. Problems are located at the file and line: a missing column, a control that is not in
 * Annex A, a control listed twice, an `applicable` that is not yes or no.
 */
import { annexAControl } from '../catalogue/annex-a.js';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import { readCsvText } from '../sources/csv-reader.js';
import { quote } from '../text.js';

export interface SoaRow {
  control: string;
  applicable: boolean;
  justification: string;
  line: number;
}

const YES = new Set(['yes', 'y', 'true']);
const NO = new Set(['no', 'n', 'false']);
export const SOA_COLUMNS = ['control', 'applicable', 'justification'] as const;

/** The rows of a SoA's text; throws an IsmsKpiError with every located problem. */
export function parseSoa(text: string, file: string): SoaRow[] {
  const problems: Problem[] = [];
  const rows: SoaRow[] = [];
  let index: Record<(typeof SOA_COLUMNS)[number], number> | undefined;
  const seen = new Map<string, number>();
  readCsvText(
    text,
    file,
    { delimiter: 'auto' },
    {
      header(cells, line) {
        const names = cells.map((c) => c.trim().toLowerCase());
        const missing = SOA_COLUMNS.filter((c) => !names.includes(c));
        if (missing.length > 0) {
          problems.push(
            problem(
              'column-missing',
              `Statement of Applicability: no column ${missing.map((m) => quote(m)).join(', ')} in the header (it needs control, applicable, justification)`,
              { file, line },
            ),
          );
          return;
        }
        index = {
          control: names.indexOf('control'),
          applicable: names.indexOf('applicable'),
          justification: names.indexOf('justification'),
        };
      },
      record(cells, line) {
        if (!index) return;
        const control = (cells[index.control] ?? '').trim();
        const applicable = (cells[index.applicable] ?? '').trim().toLowerCase();
        const at = { file, line };
        if (!annexAControl(control)) {
          problems.push(
            problem(
              'bad-value',
              `${quote(control)} is not an ISO/IEC 27001:2022 Annex A control (A.5.1-A.8.34)`,
              at,
            ),
          );
          return;
        }
        const earlier = seen.get(control);
        if (earlier !== undefined) {
          problems.push(problem('bad-value', `${control} is listed twice (first on line ${earlier})`, at));
          return;
        }
        seen.set(control, line);
        if (!YES.has(applicable) && !NO.has(applicable)) {
          problems.push(
            problem(
              'bad-value',
              `${control}: applicable is ${quote(cells[index.applicable] ?? '')}; write yes or no`,
              at,
            ),
          );
          return;
        }
        rows.push({
          control,
          applicable: YES.has(applicable),
          justification: (cells[index.justification] ?? '').trim(),
          line,
        });
      },
    },
  );
  if (!index && problems.length === 0)
    problems.push(problem('no-header', 'Statement of Applicability: the file is empty', { file }));
  if (problems.length > 0) throw new IsmsKpiError(problems);
  return rows;
}
