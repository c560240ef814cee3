/**
 * `exceptions: { file: exceptions-register.csv }` in a catalogue: the exceptions register as the block.
 *
 * One model (issue 22): the file has the layout of the `exceptions-register` preset (its columns and their
 * alternative spellings, src/presets/exceptions-register.ts), and every row that names a KPI is one entry of
 * the `exceptions:` block, checked with the block's own schema (ExceptionSchema): reason, approver and
 * expires (yyyy-MM-dd) are required, segment and risk optional. Rows without a KPI are the register's
 * other exceptions (a control, a system) and are not the block's. Problems are located at the file and
 * line; the catalogue's later checks of an entry (an unknown KPI, a segment it does not have) are located
 * at its row too (loadCatalogue maps the entry's position to the row).
 */
import { ExceptionSchema } from '../catalogue/schema.js';
import { csvColumnsOf } from '../presets/columns.js';
import { EXCEPTION_FIELDS } from '../presets/exceptions-register.js';
import { IsmsKpiError, type Location, type Problem, problem } from '../problems.js';
import { type RegisterLayout, readRegisterCsv } from '../sources/register-csv.js';

type ExceptionEntry = ReturnType<typeof ExceptionSchema.parse>;
/** The block's keys, read from the register's columns of the same name. */
const KEYS = ['kpi', 'segment', 'reason', 'approver', 'risk', 'expires'] as const;

export interface ExceptionsFromFile {
  entries: ExceptionEntry[];
  /** Where each entry is, by its index in `entries`. */
  locations: Location[];
}

type Column = (typeof KEYS)[number] | 'id';

/** The register's columns of the block's keys (and its id), with their spellings from the preset. */
const LAYOUT: RegisterLayout<Column> = {
  columns: Object.fromEntries(
    ([...KEYS, 'id'] as const).map((key) => [key, csvColumnsOf({ [key]: EXCEPTION_FIELDS[key]! })]),
  ) as Record<Column, string[]>,
  required: ['kpi'],
  missing: () =>
    'exceptions register: no column "kpi" in the header (the catalogue reads the rows that name a KPI)',
};

/** The block's entries in a register's text; throws an IsmsKpiError with every located problem. */
export function parseExceptionsFile(text: string, file: string): ExceptionsFromFile {
  const problems: Problem[] = [];
  const entries: ExceptionEntry[] = [];
  const locations: Location[] = [];
  problems.push(
    ...readRegisterCsv(text, file, LAYOUT, ({ cell, line }) => {
      if (cell('kpi') === '') return;
      const raw = Object.fromEntries(KEYS.flatMap((key) => (cell(key) === '' ? [] : [[key, cell(key)]])));
      const parsed = ExceptionSchema.safeParse(raw);
      const at = { file, line };
      if (!parsed.success) {
        const name = cell('id') === '' ? `kpi ${cell('kpi')}` : `${cell('id')} (kpi ${cell('kpi')})`;
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? '');
          const message =
            raw[key] === undefined
              ? `${key} is empty; an exception for a KPI needs kpi, reason, approver and expires`
              : `${key}: ${issue.message}`;
          problems.push(problem('bad-value', `exception ${name}: ${message}`, at));
        }
        return;
      }
      entries.push(parsed.data);
      locations.push(at);
    }),
  );
  if (problems.length > 0) throw new IsmsKpiError(problems);
  return { entries, locations };
}
