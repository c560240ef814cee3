/**
 * The small registers an ISMS team keeps as CSV next to the catalogue and that isms-kpi reads outside the
 * source machinery (the Statement of Applicability of `audit-catalogue --soa`, the exceptions register of
 * `exceptions: { file }`, the actions CSV, the audit findings of `review --audits`): a header naming the
 * columns in any order (compared ignoring case, other columns ignored), any of the usual delimiters, one
 * row per line. This is the header handling they share; each caller checks its own values.
 */
import { type Problem, problem } from '../problems.js';
import { readCsvText } from './csv-reader.js';

export interface RegisterLayout<F extends string> {
  /** Each field with the header names it may have; the first name the header has wins. */
  columns: Readonly<Record<F, readonly string[]>>;
  /** Fields the header must have; without one of them no row is read. */
  required: readonly F[];
  /** The message of the problem for required fields the header lacks (located at the header). */
  missing: (fields: readonly F[]) => string;
}

export interface RegisterRow<F extends string> {
  /** The field's cell, trimmed; '' when the header has no column for it. */
  cell(field: F): string;
  /** The field's cell as written. */
  raw(field: F): string;
  /** The physical line the row starts on. */
  line: number;
}

/**
 * Reads `text` with `layout`, handing each row to `record`. Returns the problem of a header without a
 * required column (then `record` is never called). A text without a header is the CSV reader's own
 * located error (`no header: the file has no non-blank line`), thrown.
 */
export function readRegisterCsv<F extends string>(
  text: string,
  file: string,
  layout: RegisterLayout<F>,
  record: (row: RegisterRow<F>) => void,
): Problem[] {
  const problems: Problem[] = [];
  let index: Map<F, number> | undefined;
  readCsvText(
    text,
    file,
    { delimiter: 'auto' },
    {
      header(cells, line) {
        const names = cells.map((c) => c.trim().toLowerCase());
        const found = new Map<F, number>();
        for (const [field, aliases] of Object.entries(layout.columns) as [F, readonly string[]][])
          found.set(field, aliases.map((a) => names.indexOf(a.toLowerCase())).find((i) => i >= 0) ?? -1);
        const missing = layout.required.filter((f) => found.get(f)! < 0);
        if (missing.length > 0)
          problems.push(problem('column-missing', layout.missing(missing), { file, line }));
        else index = found;
      },
      record(cells, line) {
        if (!index) return;
        const at = index;
        const raw = (field: F) => {
          const i = at.get(field) ?? -1;
          return i < 0 ? '' : (cells[i] ?? '');
        };
        record({ cell: (field) => raw(field).trim(), raw, line });
      },
    },
  );
  return problems;
}
