/**
 * `isms-kpi audit-catalogue`: checks the measurement programme itself, not the data. Findings with
 * codes (docs/catalogue.md "Auditing the catalogue"):
 *
 * - with --soa FILE (src/app/soa.ts): `soa-uncovered`, an applicable Annex A control no KPI names;
 *   `soa-not-applicable`, a KPI naming a control the SoA marks not applicable; `soa-incomplete`, Annex A
 *   controls the SoA does not list.
 * - `control-not-annex-a`: a control reference without a namespace that is not an ISO/IEC 27001:2022
 *   Annex A control (a 2013-style `A.12.6.1`, a misspelling); the catalogue loads with a warning
 *   (src/catalogue/programme-checks.ts), this lists each with its line and column.
 * - `review-overdue`: `last_reviewed` plus `review_every` is before today; `review-missing`:
 *   `review_every` without `last_reviewed`.
 * - with --history (saved JSON reports): `vanity`, a KPI green with the same value in each of its last
 *   VANITY_PERIODS periods (it tells nobody anything); `never-data`, a KPI without a value in any saved
 *   report; `always-stale`, a KPI stale in every saved report (at least two).
 * - always: `measure-types` (the mix of measure types), `measure-coverage` (the share of KPIs with an
 *   owner, a decision and an interpretation) and `frameworks` (control references by framework), as
 *   information.
 *
 * Warnings make the command exit 1 (src/app/exit-policy.ts); information never does. Retired KPIs are
 * left out of every check but the SoA's (a retired KPI is no evidence for a control).
 */
import path from 'node:path';
import { ANNEX_A_2022, annexAControl, controlRef } from '../catalogue/annex-a.js';
import type { Catalogue } from '../catalogue/compile.js';
import { MEASURE_TYPES } from '../catalogue/schema.js';
import { formatProblem, IsmsKpiError } from '../problems.js';
import { AUDIT_RENDERERS, type AuditFinding, type AuditFormat, type AuditResult } from '../render/audit.js';
import type { Report } from '../report/model.js';
import { localDate } from '../time/zone.js';
import { fileProblem } from '../util/file-problem.js';
import { loadCatalogue } from './catalogue.js';
import type { Io } from './io.js';
import type { CommandResult } from './result.js';
import { readHistory } from './saved-reports.js';
import { parseSoa, type SoaRow } from './soa.js';

/** Periods in a row a green KPI must keep the same value for to be a vanity KPI. */
export const VANITY_PERIODS = 4;
const MAX_SOA_BYTES = 5 * 1024 * 1024;

export interface AuditOptions {
  catalogue: string;
  soa?: string | undefined;
  history: string[];
  format: AuditFormat;
  /** The day to take as today (yyyy-MM-dd), for the review checks; default the clock. */
  today?: string | undefined;
}

export interface AuditInput {
  catalogue: Catalogue;
  soa?: { file: string; rows: SoaRow[] };
  history: readonly Report[];
  /** yyyy-MM-dd. */
  today: string;
}

const MONTHS = { weekly: 0, monthly: 1, quarterly: 3, semiannual: 6, annual: 12 } as const;

/** The day a review is due: `last` plus one `every` (yyyy-MM-dd; a month end stays in its month). */
export function reviewDue(last: string, every: keyof typeof MONTHS): string {
  const [y, m, d] = last.split('-').map(Number) as [number, number, number];
  if (every === 'weekly') return new Date(Date.UTC(y, m - 1, d + 7)).toISOString().slice(0, 10);
  const month = m - 1 + MONTHS[every];
  const lastDay = new Date(Date.UTC(y, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, month, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

const percent = (n: number, total: number) => (total === 0 ? 0 : Math.round((1000 * n) / total) / 10);

export function auditFindings(input: AuditInput): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const all = input.catalogue.kpis.map((k) => k.config);
  const kpis = all.filter((k) => k.lifecycle !== 'retired');
  for (const w of input.catalogue.warnings)
    findings.push({
      code: 'control-not-annex-a',
      severity: 'warning',
      // With its position in the text too: the table and Markdown show only the message.
      message: formatProblem(w),
      ...(w.location.file !== undefined ? { file: w.location.file } : {}),
      ...(w.location.line !== undefined ? { line: w.location.line } : {}),
      ...(w.location.col !== undefined ? { col: w.location.col } : {}),
    });
  if (input.soa) {
    const { rows, file } = input.soa;
    const named = new Map<string, string[]>();
    for (const k of kpis)
      for (const ref of k.controls) {
        const { namespace, id } = controlRef(ref);
        if (namespace === undefined) named.set(id, [...(named.get(id) ?? []), k.id]);
      }
    const listed = new Set(rows.map((r) => r.control));
    const missing = ANNEX_A_2022.filter((c) => !listed.has(c.id)).map((c) => c.id);
    if (missing.length > 0)
      findings.push({
        code: 'soa-incomplete',
        severity: 'warning',
        message: `${missing.length} Annex A control${missing.length === 1 ? ' is' : 's are'} not in the Statement of Applicability: ${missing.join(', ')}`,
        file,
      });
    // Uncovered controls: one finding per theme, listing them (68 findings of one line each would bury
    // the rest).
    const uncovered = rows.filter((r) => r.applicable && !named.has(r.control));
    for (const theme of ['organisational', 'people', 'physical', 'technological'] as const) {
      const ids = uncovered.filter((r) => annexAControl(r.control)!.theme === theme).map((r) => r.control);
      const applicable = rows.filter((r) => r.applicable && annexAControl(r.control)!.theme === theme).length;
      if (ids.length > 0)
        findings.push({
          code: 'soa-uncovered',
          severity: 'warning',
          message: `${theme}: ${ids.length} of ${applicable} applicable control${applicable === 1 ? '' : 's'} without a KPI: ${ids.join(', ')}`,
          controls: ids,
          file,
        });
    }
    for (const row of rows) {
      const users = named.get(row.control) ?? [];
      if (!row.applicable && users.length > 0)
        findings.push({
          code: 'soa-not-applicable',
          severity: 'warning',
          message: `${row.control} ${annexAControl(row.control)!.title}: not applicable in the SoA${row.justification ? ` (${row.justification})` : ''}, but ${users.join(', ')} name${users.length === 1 ? 's' : ''} it`,
          controls: [row.control],
          kpis: users,
          file,
          line: row.line,
        });
    }
  }
  for (const k of kpis) {
    if (k.review_every && !k.last_reviewed)
      findings.push({
        code: 'review-missing',
        severity: 'warning',
        message: `${k.id}: review_every ${k.review_every}, but no last_reviewed date`,
        kpis: [k.id],
      });
    if (k.review_every && k.last_reviewed) {
      const due = reviewDue(k.last_reviewed, k.review_every);
      if (due < input.today)
        findings.push({
          code: 'review-overdue',
          severity: 'warning',
          message: `${k.id}: review overdue since ${due} (last reviewed ${k.last_reviewed}, review_every ${k.review_every})`,
          kpis: [k.id],
        });
    }
  }
  findings.push(...historyFindings(kpis, input.history));
  const types = [...MEASURE_TYPES, undefined].map((t) => {
    const n = kpis.filter((k) => k.measure_type === t).length;
    return `${t ?? 'no type'} ${n}`;
  });
  findings.push({
    code: 'measure-types',
    severity: 'info',
    message: `measure types of the ${kpis.length} reported KPIs: ${types.join(', ')}`,
  });
  const share = (label: string, n: number) =>
    `${label} ${n} of ${kpis.length} (${percent(n, kpis.length)} %)`;
  findings.push({
    code: 'measure-coverage',
    severity: 'info',
    message: [
      share('with an owner', kpis.filter((k) => k.owner).length),
      share('with a decision', kpis.filter((k) => k.decision && Object.keys(k.decision).length > 0).length),
      share('with an interpretation', kpis.filter((k) => k.interpretation).length),
    ].join('; '),
  });
  const frameworks = new Map<string, Set<string>>();
  for (const k of kpis)
    for (const ref of k.controls) {
      const name = controlRef(ref).namespace ?? 'ISO/IEC 27001:2022 Annex A';
      frameworks.set(name, (frameworks.get(name) ?? new Set()).add(ref));
    }
  findings.push({
    code: 'frameworks',
    severity: 'info',
    message:
      frameworks.size === 0
        ? 'no KPI names a control'
        : `controls named by framework: ${[...frameworks].map(([name, refs]) => `${name} ${refs.size}`).join(', ')}`,
  });
  return findings;
}

/** Vanity, never-data and always-stale KPIs over the saved reports (one per period, time order). */
function historyFindings(kpis: readonly { id: string }[], history: readonly Report[]): AuditFinding[] {
  if (history.length === 0) return [];
  const reports = [...history]
    .sort((a, b) => (a.period.start < b.period.start ? -1 : a.period.start > b.period.start ? 1 : 0))
    .filter((r, i, list) => i === 0 || list[i - 1]!.period.start !== r.period.start);
  const findings: AuditFinding[] = [];
  for (const { id } of kpis) {
    const results = reports.flatMap((r) => {
      const k = r.kpis.find((x) => x.id === id);
      return k ? [{ period: r.period.label, value: k.value, status: k.status }] : [];
    });
    if (results.length === 0) continue;
    if (results.every((r) => r.value === null))
      findings.push({
        code: 'never-data',
        severity: 'warning',
        message: `${id}: no value in any of the ${results.length} saved report${results.length === 1 ? '' : 's'} (${results.map((r) => r.period).join(', ')})`,
        kpis: [id],
      });
    else if (results.length >= 2 && results.every((r) => r.status === 'stale'))
      findings.push({
        code: 'always-stale',
        severity: 'warning',
        message: `${id}: stale in each of the ${results.length} saved reports; its exports never cover the period`,
        kpis: [id],
      });
    const last = results.slice(-VANITY_PERIODS);
    if (
      last.length === VANITY_PERIODS &&
      last.every((r) => r.status === 'green' && r.value !== null && r.value === last[0]!.value)
    )
      findings.push({
        code: 'vanity',
        severity: 'warning',
        message: `${id}: green at the same value in each of the last ${VANITY_PERIODS} periods (${last.map((r) => r.period).join(', ')}); does it still inform a decision?`,
        kpis: [id],
      });
  }
  return findings;
}

export async function auditCatalogue(options: AuditOptions, io: Io): Promise<CommandResult> {
  const catalogue = await loadCatalogue(io, options.catalogue);
  const saved = await readHistory(io, options.history);
  let soa: AuditInput['soa'];
  if (options.soa !== undefined) {
    const file = options.soa;
    const text = await io.readText(path.resolve(io.cwd, file), MAX_SOA_BYTES).catch((error: unknown) => {
      throw new IsmsKpiError(fileProblem(error, file, { missing: '--soa: not found' }));
    });
    soa = { file, rows: parseSoa(text, file) };
  }
  const today = options.today ?? localDate(catalogue.timezone, io.now());
  const findings = auditFindings({ catalogue, ...(soa ? { soa } : {}), history: saved.reports, today });
  const result: AuditResult = {
    catalogue: path.basename(catalogue.file),
    today,
    ...(soa ? { soa: soa.file } : {}),
    historyReports: saved.reports.length,
    findings,
  };
  return {
    stdout: AUDIT_RENDERERS[options.format](result),
    problems: saved.problems,
    outcome: { command: 'audit', warnings: findings.filter((f) => f.severity === 'warning').length },
  };
}
