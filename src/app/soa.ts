/**
 * A Statement of Applicability as a CSV file: one row per ISO/IEC 27001:2022 Annex A control.
 *
 * Layout (docs/catalogue.md "Statement of Applicability"): a header row naming the columns `control`,
 * `applicable` and `justification` (any order, other columns ignored, names ignoring case), optionally
 * `status`, `owner` and `last_verified` (issue 22), then one row per control: `A.5.1,yes,...`. `applicable`
 * is yes or no (also y/n, true/false); `status` one of the implementation statuses, or empty;
 * `last_verified` a date yyyy-MM-dd. One model of the SoA: the columns, words and statuses come from the
 * `soa` preset (src/presets/soa.ts), which reads the same file as a source of the catalogue. Problems are
 * located at the file and line: a missing column, a control that is not in Annex A, a control listed
 * twice, an `applicable` that is not yes or no, a status or date that is not one of the allowed values.
 */
import { annexAControl } from '../catalogue/annex-a.js';
import { isCalendarDate } from '../catalogue/schema.js';
import {
  SOA_COLUMNS,
  SOA_DATE,
  SOA_NO,
  type SOA_STATUS_COLUMNS,
  SOA_STATUSES,
  SOA_YES,
} from '../presets/soa.js';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import { type RegisterLayout, readRegisterCsv } from '../sources/register-csv.js';
import { quote } from '../text.js';

export interface SoaRow {
  control: string;
  applicable: boolean;
  justification: string;
  /** The implementation status (SOA_STATUSES), when the file has the column and the cell is not empty. */
  status?: (typeof SOA_STATUSES)[number];
  owner?: string;
  /** yyyy-MM-dd as written. */
  lastVerified?: string;
  line: number;
}

const YES = new Set<string>(SOA_YES);
const NO = new Set<string>(SOA_NO);
const STATUS = new Map(SOA_STATUSES.map((s) => [s.toLowerCase(), s]));

export { SOA_COLUMNS };

/** The SoA's columns: the three of audit-catalogue, then the optional implementation columns. */
const LAYOUT: RegisterLayout<(typeof SOA_COLUMNS)[number] | (typeof SOA_STATUS_COLUMNS)[number]> = {
  columns: {
    control: ['control'],
    applicable: ['applicable'],
    justification: ['justification'],
    status: ['status'],
    owner: ['owner'],
    last_verified: ['last_verified'],
  },
  required: SOA_COLUMNS,
  missing: (fields) =>
    `Statement of Applicability: no column ${fields.map((m) => quote(m)).join(', ')} in the header (it needs control, applicable, justification)`,
};

/** The rows of a SoA's text; throws an IsmsKpiError with every located problem. */
export function parseSoa(text: string, file: string): SoaRow[] {
  const rows: SoaRow[] = [];
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  problems.push(
    ...readRegisterCsv(text, file, LAYOUT, ({ cell, raw, line }) => {
      const control = cell('control');
      const applicable = cell('applicable').toLowerCase();
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
          problem('bad-value', `${control}: applicable is ${quote(raw('applicable'))}; write yes or no`, at),
        );
        return;
      }
      const statusText = cell('status');
      const status = STATUS.get(statusText.toLowerCase());
      if (statusText !== '' && status === undefined) {
        problems.push(
          problem(
            'bad-value',
            `${control}: status is ${quote(statusText)}; write ${SOA_STATUSES.join(', ')}, or leave it empty`,
            at,
          ),
        );
        return;
      }
      const lastVerified = cell('last_verified');
      if (lastVerified !== '' && !isCalendarDate(lastVerified)) {
        problems.push(
          problem(
            'bad-value',
            `${control}: last_verified is ${quote(lastVerified)}; write a date like 2026-09-30 (${SOA_DATE})`,
            at,
          ),
        );
        return;
      }
      const owner = cell('owner');
      rows.push({
        control,
        applicable: YES.has(applicable),
        justification: cell('justification'),
        ...(status ? { status } : {}),
        ...(owner ? { owner } : {}),
        ...(lastVerified ? { lastVerified } : {}),
        line,
      });
    }),
  );
  if (problems.length > 0) throw new IsmsKpiError(problems);
  return rows;
}
