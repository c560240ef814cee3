/**
 * The audit findings `review` lists when no --audits is given: the rows of the catalogue's source that
 * uses the `audit-findings` preset (the bundled catalogue's `audits`), read by the same source machinery
 * as the report's KPIs (engine loadSources: the preset's columns, enum words, dates and rejected rows),
 * not by a second parser of the file.
 *
 * Decisions (issue 20, i20-wire):
 * - The first such source in catalogue order is taken; a catalogue with none gives no register (the
 *   document then says that none was given), as before.
 * - Every accepted row is listed, whatever its due date: the register is the state of the findings, not
 *   the period's count (the KPIs over the same source count the period's).
 * - Rows the source rejects (no due date, an unknown severity) are not listed; the document says how many
 *   and the located problems are warnings, so nothing is dropped silently.
 * - Dates are shown as yyyy-MM-dd in the source's time zone, as the register writes them.
 */
import type { Catalogue } from '../catalogue/compile.js';
import type { AuditFindingRow, AuditRegister } from '../diff/review.js';
import { loadSources } from '../engine/run.js';
import type { Problem } from '../problems.js';
import type { LoadedSource } from '../sources/intake.js';
import { cellValue } from '../sources/table.js';
import type { Period } from '../time/period.js';
import { localDate } from '../time/zone.js';

export const AUDIT_FINDINGS_PRESET = 'audit-findings';

/** The name of the catalogue's first source with the audit-findings preset, if any. */
export function auditSourceOf(catalogue: Catalogue): string | undefined {
  for (const [name, source] of catalogue.sources)
    if (source.config.preset === AUDIT_FINDINGS_PRESET) return name;
  return undefined;
}

/** The register read from the catalogue's audit-findings source, with the source's problems as warnings. */
export async function auditsFromCatalogue(
  catalogue: Catalogue,
  period: Period,
  cwd: string,
): Promise<{ register: AuditRegister; problems: Problem[] } | undefined> {
  const name = auditSourceOf(catalogue);
  if (name === undefined) return undefined;
  const loaded = (await loadSources(catalogue, [name], period, cwd, { workers: 'never' })).get(name);
  if (!loaded || 'missing' in loaded) return undefined;
  const tz = catalogue.sources.get(name)!.timezone;
  return {
    register: {
      file: loaded.stats.file,
      via: `source ${name} of ${catalogue.file}`,
      rows: findingRows(loaded, tz),
      ...(loaded.stats.rejected > 0 ? { rejected: loaded.stats.rejected } : {}),
    },
    problems: loaded.problems.map((p) => ({ ...p, severity: 'warning' as const })),
  };
}

const TEXT_FIELDS = ['id', 'audit', 'reference', 'finding', 'severity', 'status', 'root_cause', 'action'];
const DATE_FIELDS = ['opened', 'due', 'closed'];

/** The accepted rows of a loaded audit-findings source, in file order. */
export function findingRows(loaded: LoadedSource, tz: string): AuditFindingRow[] {
  const { table } = loaded;
  const rows: AuditFindingRow[] = [];
  for (let row = 0; row < table.length; row++) {
    const out: Record<string, string | number> = { line: table.line[row]! };
    for (const field of TEXT_FIELDS) {
      const column = table.columns.get(field);
      const value = column ? cellValue(column, row) : null;
      const text = value === null ? '' : String(value);
      // The preset's enums take any letter case; the document shows the register's words.
      out[field] = field === 'severity' || field === 'status' ? text.toLowerCase() : text;
    }
    for (const field of DATE_FIELDS) {
      const column = table.columns.get(field);
      const value = column ? cellValue(column, row) : null;
      out[field] = typeof value === 'number' ? localDate(tz, value) : '';
    }
    rows.push(out as unknown as AuditFindingRow);
  }
  return rows;
}
