/**
 * The bundled catalogue over fixtures/acme/, recomputed without the engine: the fixture files are read
 * here with a tiny RFC 4180 splitter, JSON.parse and hand-written date arithmetic, and the numbers are
 * checked twice: against the reference values in fixtures/acme/README.md, and against the values the
 * engine reports for the same period.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KpiResult, Report } from '../../src/report/model.js';
import { run } from '../helpers/run.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ACME = path.join(REPO, 'fixtures', 'acme');
const H = 3_600_000;
const DAY = 24 * H;

// ---------------------------------------------------------------------------------------------------
// A small CSV splitter (RFC 4180: quoted fields, "" escapes, newlines inside quotes, CRLF or LF).

interface CsvRecord {
  /** Physical line where the record starts (1 = header). */
  line: number;
  cells: string[];
}

function splitCsv(input: string, delimiter = ','): { header: string[]; records: CsvRecord[] } {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let atFieldStart = true;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      inQuotes = true;
      atFieldStart = false;
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
      atFieldStart = true;
    } else if (c === '\r' && text[i + 1] === '\n') {
      // the \n ends the record
    } else if (c === '\n') {
      cells.push(cell);
      rows.push({ line: recordLine, cells });
      cells = [];
      cell = '';
      atFieldStart = true;
      line++;
      recordLine = line;
    } else {
      cell += c;
      atFieldStart = false;
    }
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: recordLine, cells });
  }
  const [head, ...records] = rows;
  return { header: head!.cells, records };
}

/** Reads a fixture CSV into objects keyed by header name (the first occurrence of a repeated name). */
function readCsv(
  file: string,
  delimiter = ',',
): { header: string[]; rows: (Record<string, string> & { _line: string })[]; raw: CsvRecord[] } {
  const { header, records } = splitCsv(readFileSync(path.join(ACME, file), 'utf8'), delimiter);
  const rows = records.map((r) => {
    const row: Record<string, string> = { _line: String(r.line) };
    header.forEach((name, i) => {
      if (!(name in row)) row[name] = r.cells[i] ?? '';
    });
    return row as Record<string, string> & { _line: string };
  });
  return { header, rows, raw: records };
}

// ---------------------------------------------------------------------------------------------------
// Dates. Europe/Berlin follows the EU rule: CEST (UTC+2) from 01:00 UTC on the last Sunday of March to
// 01:00 UTC on the last Sunday of October, CET (UTC+1) otherwise. In 2026: 29 March and 25 October.

function lastSundayUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0));
  return Date.UTC(year, month - 1, lastDay.getUTCDate() - lastDay.getUTCDay());
}

function isCest(utc: number): boolean {
  const year = new Date(utc).getUTCFullYear();
  return utc >= lastSundayUtc(year, 3) + H && utc < lastSundayUtc(year, 10) + H;
}

function isValidDate(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h <= 23 && mi <= 59 && s <= 59;
}

/** Berlin wall-clock time to epoch ms (NaN for an impossible date). */
function berlin(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  if (!isValidDate(y, mo, d, h, mi, s)) return Number.NaN;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  return isCest(wall - H) ? wall - 2 * H : wall - H;
}

/** The Berlin calendar date of an instant, as yyyy-MM-dd. */
function berlinDay(utc: number): string {
  return new Date(utc + (isCest(utc) ? 2 : 1) * H).toISOString().slice(0, 10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const n = Number;

/** Jira `dd/MMM/yy h:mm a`; null for an empty cell, NaN for a bad one. */
function jiraDate(text: string): number | null {
  if (text === '') return null;
  const m = /^(\d{2})\/([A-Za-z]{3})\/(\d{2}) (\d{1,2}):(\d{2}) (AM|PM)$/.exec(text);
  if (!m) return Number.NaN;
  const hour12 = n(m[4]);
  const hour = (hour12 % 12) + (m[6] === 'PM' ? 12 : 0);
  return berlin(2000 + n(m[3]), MONTHS.indexOf(m[2]!) + 1, n(m[1]), hour, n(m[5]));
}

/** ServiceNow `yyyy-MM-dd HH:mm:ss` or `M/d/yyyy H:mm`; literal `null` and "" are empty. */
function serviceNowDate(text: string): number | null {
  if (text === '' || text === 'null') return null;
  let m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (m) return berlin(n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/.exec(text);
  if (m) return berlin(n(m[3]), n(m[1]), n(m[2]), n(m[4]), n(m[5]));
  return Number.NaN;
}

/** `dd.MM.yyyy` or `dd.MM.yyyy HH:mm` (HR export). */
function germanDate(text: string): number | null {
  if (text === '') return null;
  const m = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2}))?$/.exec(text);
  if (!m) return Number.NaN;
  return berlin(n(m[3]), n(m[2]), n(m[1]), n(m[4] ?? 0), n(m[5] ?? 0));
}

/** `yyyy-MM-dd` (midnight Berlin) or `yyyy/MM/dd`. */
function isoDay(text: string): number {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})$/.exec(text);
  return m ? berlin(n(m[1]), n(m[2]), n(m[3])) : Number.NaN;
}

/** ISO 8601 with an explicit offset or Z: `2026-05-15T23:30:00+02:00`, `2026-07-15T07:43:03Z`. */
function isoInstant(text: string | null | undefined): number | null {
  if (text === '' || text === null || text === undefined || text === 'N/A') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) return Number.NaN;
  const offset = m[7] === undefined ? 0 : (m[7] === '-' ? -1 : 1) * (n(m[8]) * H + n(m[9]) * 60_000);
  return Date.UTC(n(m[1]), n(m[2]) - 1, n(m[3]), n(m[4]), n(m[5]), n(m[6])) - offset;
}

/** Veeam `M/d/yyyy HH:mm:ss`. */
function veeamDate(text: string): number {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  return m ? berlin(n(m[3]), n(m[1]), n(m[2]), n(m[4]), n(m[5]), n(m[6])) : Number.NaN;
}

// ---------------------------------------------------------------------------------------------------
// Periods: [start, end) at Berlin midnight, CEST in both cases.

type PeriodLabel = '2026-Q2' | '2026-Q3';
const PERIODS: Record<PeriodLabel, { start: number; end: number }> = {
  '2026-Q2': { start: Date.UTC(2026, 2, 31, 22), end: Date.UTC(2026, 5, 30, 22) },
  '2026-Q3': { start: Date.UTC(2026, 5, 30, 22), end: Date.UTC(2026, 8, 30, 22) },
};

const pct = (num: number, den: number) => (100 * num) / den;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Expected {
  value: number;
  numerator?: number;
  denominator?: number;
  /** Rows behind a mean or median. */
  n?: number;
}

// ---------------------------------------------------------------------------------------------------
// Per-source readers: the valid rows, with the same rejections as the README's "planted bad rows".

interface Incident {
  line: number;
  key: string;
  severity: string;
  labels: string[];
  occurred: number | null;
  opened: number;
  contained: number | null;
  resolved: number | null;
}

function readIncidents(): { valid: Incident[]; badLines: number[] } {
  const { header, records: raw } = splitCsv(readFileSync(path.join(ACME, 'jira-incidents.csv'), 'utf8'));
  const at = (name: string) => header.indexOf(name);
  const labelColumns = header.flatMap((h, i) => (h === 'Labels' ? [i] : []));
  expect(labelColumns).toHaveLength(2);
  const valid: Incident[] = [];
  const badLines: number[] = [];
  for (const r of raw) {
    const cell = (name: string) => r.cells[at(name)] ?? '';
    const severity = cell('Custom field (Severity)');
    const dates = [
      cell('Created'),
      cell('Custom field (Occurred)'),
      cell('Custom field (Contained)'),
      cell('Resolved'),
    ].map(jiraDate);
    // A row with more values than the header (lines 10, 51 and 117: a third watcher after Status
    // Category) may have shifted columns: the reader rejects it (issue 14.3).
    const isShifted = r.cells.slice(header.length).some((c) => c.trim() !== '');
    const isValid =
      !isShifted &&
      cell('Issue key') !== '' &&
      (severity === '' || ['Critical', 'High', 'Medium', 'Low'].includes(severity)) &&
      dates[0] !== null &&
      dates.every((d) => d === null || !Number.isNaN(d));
    if (!isValid) {
      badLines.push(r.line);
      continue;
    }
    valid.push({
      line: r.line,
      key: cell('Issue key'),
      severity,
      labels: labelColumns.flatMap((i) =>
        (r.cells[i] ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      ),
      opened: dates[0]!,
      occurred: dates[1]!,
      contained: dates[2]!,
      resolved: dates[3]!,
    });
  }
  return { valid, badLines };
}

function readChanges() {
  const { rows } = readCsv('servicenow-changes.csv');
  const valid = [];
  const badLines: number[] = [];
  for (const r of rows) {
    const opened = serviceNowDate(r.opened_at!);
    const closed = serviceNowDate(r.closed_at!);
    if (opened === null || Number.isNaN(opened) || Number.isNaN(closed) || r.number === '') {
      badLines.push(n(r._line));
      continue;
    }
    valid.push({
      number: r.number!,
      opened,
      type: r.type!,
      state: r.state!,
      assessment: r.u_security_impact_assessment!,
      closeCode: r.close_code!,
    });
  }
  return { valid, badLines };
}

function readLeavers() {
  return readCsv('hr-leavers.csv', ';').rows.map((r) => ({
    upn: r.upn!,
    effective: germanDate(r.termination_date!)!,
    revoked: germanDate(r.access_revoked_at!),
  }));
}

function readDependabot() {
  const alerts = JSON.parse(readFileSync(path.join(ACME, 'dependabot-alerts.json'), 'utf8')) as {
    number: number;
    repository: { full_name: string };
    security_advisory: { severity: string };
    created_at: string;
    fixed_at: string | null;
    dismissed_at: string | null;
    auto_dismissed_at?: string | null;
  }[];
  return alerts.map((a) => ({
    name: `${a.repository.full_name.replace(/^acme-precision\//, '')}#${a.number}`,
    severity: a.security_advisory.severity,
    created: isoInstant(a.created_at)!,
    fixed: isoInstant(a.fixed_at),
    dismissed: isoInstant(a.dismissed_at),
    autoDismissed: isoInstant(a.auto_dismissed_at),
  }));
}

// ---------------------------------------------------------------------------------------------------
// The KPIs, recomputed.

/** The KPI values of a period, and the rows behind some of them (named as the README names them). */
function recompute(label: PeriodLabel): { values: Record<string, Expected>; rows: Record<string, string[]> } {
  const { start, end } = PERIODS[label];
  const inPeriod = (t: number) => t >= start && t < end;
  const out: Record<string, Expected> = {};
  const rows: Record<string, string[]> = {};

  // Incidents, by Created (the detection time).
  const incidents = readIncidents().valid.filter((i) => inPeriod(i.opened));
  const critical = incidents.filter((i) => i.severity === 'Critical');
  const contained4h = critical.filter((i) => i.contained !== null && i.contained - i.opened <= 4 * H);
  out['IR-02'] = {
    value: pct(contained4h.length, critical.length),
    numerator: contained4h.length,
    denominator: critical.length,
  };
  const detect = incidents.filter((i) => i.occurred !== null).map((i) => (i.opened - i.occurred!) / H);
  out['IR-03'] = { value: mean(detect), n: detect.length };
  const resolve = incidents
    .filter((i) => (i.severity === 'Critical' || i.severity === 'High') && i.resolved !== null)
    .map((i) => (i.resolved! - i.opened) / H);
  out['IR-04'] = { value: mean(resolve), n: resolve.length };
  const impact = incidents.filter((i) => i.labels.includes('production-impact'));
  out['IR-05'] = { value: impact.length };
  rows['IR-05'] = impact.map((i) => i.key).sort();

  // Changes, by opened_at.
  const changes = readChanges().valid.filter((c) => inPeriod(c.opened));
  const assessed = changes.filter((c) => c.type === 'Normal' || c.type === 'Emergency');
  const completed = assessed.filter((c) => c.assessment === 'Completed');
  out['CH-01'] = {
    value: pct(completed.length, assessed.length),
    numerator: completed.length,
    denominator: assessed.length,
  };
  const emergency = changes.filter((c) => c.type === 'Emergency');
  out['CH-02'] = {
    value: pct(emergency.length, changes.length),
    numerator: emergency.length,
    denominator: changes.length,
  };
  const closed = changes.filter((c) => c.state === 'Closed');
  const failed = closed.filter((c) => c.closeCode === 'Unsuccessful' || c.closeCode === 'Backed out');
  out['CH-03'] = {
    value: pct(failed.length, closed.length),
    numerator: failed.length,
    denominator: closed.length,
  };

  // Leavers, by termination date; revoked within 24 h of its 00:00 (inclusive), empty = not within.
  const leavers = readLeavers().filter((l) => inPeriod(l.effective));
  const onTime = leavers.filter((l) => l.revoked !== null && l.revoked - l.effective <= 24 * H);
  out['AC-01'] = {
    value: pct(onTime.length, leavers.length),
    numerator: onTime.length,
    denominator: leavers.length,
  };
  const entra = readCsv(`entra-users-${label}.csv`).rows;
  const enabled = new Set(
    entra.filter((u) => u.accountEnabled === 'True').map((u) => u.userPrincipalName!.toLowerCase()),
  );
  const orphans = leavers.filter((l) => enabled.has(l.upn.toLowerCase()));
  out['AC-02'] = { value: orphans.length };
  rows['AC-02'] = orphans.map((l) => l.upn.toLowerCase().replace(/@.*/, '')).sort();
  rows['AC-01'] = leavers
    .filter((l) => !onTime.includes(l))
    .map((l) => l.upn.replace(/@.*/, ''))
    .sort();

  // AWS credential report of the quarter (a snapshot; key age measured at the period end).
  const iam = readCsv(`aws-iam-credential-report-${label}.csv`).rows;
  const consoleUsers = iam.filter((u) => u.password_enabled === 'true');
  const withMfa = consoleUsers.filter((u) => u.mfa_active === 'true');
  out['AC-03'] = {
    value: pct(withMfa.length, consoleUsers.length),
    numerator: withMfa.length,
    denominator: consoleUsers.length,
  };
  let oldKeys = 0;
  for (const u of iam) {
    for (const slot of [1, 2]) {
      const rotated = isoInstant(u[`access_key_${slot}_last_rotated`]);
      if (u[`access_key_${slot}_active`] === 'true' && rotated !== null && (end - rotated) / DAY > 90)
        oldKeys++;
    }
  }
  out['AC-04'] = { value: oldKeys };

  // Access reviews, by due date; on time = completed on a Berlin calendar day <= the due date.
  const reviews = readCsv('access-reviews.csv').rows.filter((r) => inPeriod(isoDay(r.due_date!)));
  const reviewedOnTime = reviews.filter(
    (r) => r.completed_at !== '' && berlinDay(isoInstant(r.completed_at)!) <= r.due_date!,
  );
  out['AC-06'] = {
    value: pct(reviewedOnTime.length, reviews.length),
    numerator: reviewedOnTime.length,
    denominator: reviews.length,
  };

  // Veeam: byte-identical lines are one session exported twice.
  const veeamLines = readFileSync(path.join(ACME, 'veeam-sessions.csv'), 'utf8')
    .split('\r\n')
    .slice(1)
    .filter((l) => l !== '');
  const sessions = [...new Set(veeamLines)]
    .map((l) => splitCsv(`h\n${l}\n`).records[0]!.cells)
    .map((c) => ({ status: c[2]!, started: veeamDate(c[7]!) }))
    .filter((s) => inPeriod(s.started));
  const good = sessions.filter((s) => s.status === 'Success' || s.status === 'Warning');
  out['BK-01'] = {
    value: pct(good.length, sessions.length),
    numerator: good.length,
    denominator: sessions.length,
  };

  // Restore tests, by tested_on.
  const restores = readCsv('restore-tests.csv').rows.filter((r) => inPeriod(isoDay(r.tested_on!)));
  out['BK-03'] = { value: restores.filter((r) => r.result === 'Pass').length };
  const withinRto = restores.filter(
    (r) => r.recovery_minutes !== '' && n(r.recovery_minutes) <= n(r.rto_minutes),
  );
  out['BK-04'] = {
    value: pct(withinRto.length, restores.length),
    numerator: withinRto.length,
    denominator: restores.length,
  };

  // Nessus scan of the quarter: one row per CVE, so count distinct plugin + host pairs.
  const nessus = readCsv(`nessus-${label}.csv`).rows;
  out['VM-01'] = {
    value: new Set(nessus.filter((r) => r.Risk === 'Critical').map((r) => `${r['Plugin ID']}@${r.Host}`))
      .size,
  };

  // Dependabot: open at the period end and created at least 14 days before it.
  const alerts = readDependabot().filter((a) => a.severity === 'critical' || a.severity === 'high');
  const closedAt = (a: (typeof alerts)[number]) => {
    const times = [a.fixed, a.dismissed, a.autoDismissed].filter((t): t is number => t !== null);
    return times.length === 0 ? null : Math.min(...times);
  };
  const stale = alerts.filter(
    (a) => a.created <= end - 14 * DAY && (closedAt(a) === null || closedAt(a)! > end),
  );
  out['VM-03'] = { value: stale.length };
  rows['VM-03'] = stale.map((a) => a.name).sort();
  const fixDays = alerts
    .filter((a) => a.fixed !== null && inPeriod(a.fixed))
    .map((a) => (a.fixed! - a.created) / DAY);
  out['VM-04'] = { value: median(fixDays), n: fixDays.length };

  return { values: out, rows };
}

// ---------------------------------------------------------------------------------------------------

/** fixtures/acme/README.md, "Reference KPI values" (percentages as exact counts). */
const README: Record<
  PeriodLabel,
  Record<string, { value: number; digits?: number; numerator?: number; denominator?: number; n?: number }>
> = {
  '2026-Q2': {
    'IR-02': { value: 75, numerator: 6, denominator: 8 },
    // 31.320423 h: SEC-243 spans the spring DST change and counts as 82.25 h of real time (a naive
    // wall-clock difference would give 83.25 h and 31.334507 h).
    'IR-03': { value: 31.320423, digits: 5, n: 71 },
    'IR-04': { value: 139.999275, digits: 5, n: 23 },
    'IR-05': { value: 5 },
    'CH-01': { value: 90, numerator: 54, denominator: 60 },
    'CH-02': { value: pct(9, 130), numerator: 9, denominator: 130 },
    'CH-03': { value: pct(7, 122), numerator: 7, denominator: 122 },
    'AC-01': { value: pct(12, 13), numerator: 12, denominator: 13 },
    'AC-02': { value: 1 },
    'AC-03': { value: pct(36, 41), numerator: 36, denominator: 41 },
    'AC-04': { value: 5 },
    'AC-06': { value: 70, numerator: 7, denominator: 10 },
    'BK-01': { value: pct(902, 940), numerator: 902, denominator: 940 },
    'BK-03': { value: 4 },
    'BK-04': { value: 50, numerator: 3, denominator: 6 },
    'VM-01': { value: 8 },
    'VM-03': { value: 7 },
    'VM-04': { value: 20.3, digits: 2, n: 7 },
  },
  '2026-Q3': {
    'IR-02': { value: 87.5, numerator: 7, denominator: 8 },
    'IR-03': { value: 18.223232, digits: 5, n: 66 },
    'IR-04': { value: 96.179167, digits: 5, n: 20 },
    'IR-05': { value: 2 },
    'CH-01': { value: pct(58, 60), numerator: 58, denominator: 60 },
    'CH-02': { value: pct(6, 140), numerator: 6, denominator: 140 },
    'CH-03': { value: pct(4, 124), numerator: 4, denominator: 124 },
    'AC-01': { value: pct(13, 16), numerator: 13, denominator: 16 },
    'AC-02': { value: 2 },
    'AC-03': { value: pct(37, 40), numerator: 37, denominator: 40 },
    'AC-04': { value: 3 },
    'AC-06': { value: pct(11, 13), numerator: 11, denominator: 13 },
    'BK-01': { value: pct(916, 930), numerator: 916, denominator: 930 },
    'BK-03': { value: 6 },
    'BK-04': { value: pct(5, 6), numerator: 5, denominator: 6 },
    'VM-01': { value: 3 },
    'VM-03': { value: 4 },
    'VM-04': { value: 9.2, digits: 2, n: 9 },
  },
};

const IDS = Object.keys(README['2026-Q3']);

describe('the recomputation itself', () => {
  it('rejects exactly the planted bad rows and the rows with an extra cell the README lists', () => {
    expect(readIncidents().badLines).toEqual([10, 45, 51, 117, 131, 191]);
    expect(readChanges().badLines).toEqual([196]);
  });

  it('knows the boundary cases of the README', () => {
    const byKey = new Map(readIncidents().valid.map((i) => [i.key, i]));
    // SEC-243: across the DST change, 82.25 h of real time.
    const sec243 = byKey.get('SEC-243')!;
    expect((sec243.opened - sec243.occurred!) / H).toBe(82.25);
    // A naive wall-clock difference (83.25 h) would give a Q2 MTTD of 31.334507 h instead of 31.320423 h.
    const q2 = readIncidents().valid.filter(
      (i) => i.opened >= PERIODS['2026-Q2'].start && i.opened < PERIODS['2026-Q2'].end,
    );
    const realHours = q2.reduce((sum, i) => sum + (i.opened - i.occurred!) / H, 0);
    expect(q2).toHaveLength(71);
    expect(realHours / 71).toBeCloseTo(31.320423, 5);
    // SEC-294: contained in exactly 4 h.
    const sec294 = byKey.get('SEC-294')!;
    expect(sec294.contained! - sec294.opened).toBe(4 * H);
    // SEC-316, 01/Jul/26 12:04 AM, is the first minutes of Q3.
    expect(byKey.get('SEC-316')!.opened).toBe(Date.UTC(2026, 5, 30, 22, 4));
  });

  it('counts the Veeam duplicates the README lists (1919 lines, 1881 unique sessions)', () => {
    const lines = readFileSync(path.join(ACME, 'veeam-sessions.csv'), 'utf8')
      .split('\r\n')
      .slice(1)
      .filter((l) => l !== '');
    expect(lines).toHaveLength(1919);
    expect(new Set(lines).size).toBe(1881);
  });

  it('finds the rows the README names', () => {
    const q2 = recompute('2026-Q2').rows;
    const q3 = recompute('2026-Q3').rows;
    expect(q2['IR-05']).toEqual(['SEC-257', 'SEC-269', 'SEC-288', 'SEC-298', 'SEC-307']);
    expect(q3['IR-05']).toEqual(['SEC-338', 'SEC-349']);
    expect(q2['AC-01']).toEqual(['radek.benes']);
    expect(q3['AC-01']).toEqual(['Tomas.Stastny', 'dennis.pieper', 'petr.pokorny']);
    expect(q2['AC-02']).toEqual(['radek.benes']);
    expect(q3['AC-02']).toEqual(['dennis.pieper', 'tomas.stastny']);
    expect(q2['VM-03']).toEqual(
      [
        'shopfloor-dashboard#8',
        'erp-integration#9',
        'infra-tooling#4',
        'plm-portal#8',
        'plm-portal#4',
        'mes-connector#5',
        'erp-integration#10',
      ].sort(),
    );
    expect(q3['VM-03']).toEqual([
      'erp-integration#9',
      'plm-portal#17',
      'shopfloor-dashboard#17',
      'shopfloor-dashboard#8',
    ]);
  });

  for (const label of ['2026-Q2', '2026-Q3'] as const) {
    it(`agrees with the README reference values for ${label}`, () => {
      const mine = recompute(label).values;
      for (const id of IDS) {
        const ref = README[label][id]!;
        const got = mine[id]!;
        expect(got.value, id).toBeCloseTo(ref.value, ref.digits ?? 9);
        if (ref.numerator !== undefined)
          expect([got.numerator, got.denominator], id).toEqual([ref.numerator, ref.denominator]);
        if (ref.n !== undefined) expect(got.n, id).toBe(ref.n);
      }
    });
  }
});

for (const label of ['2026-Q2', '2026-Q3'] as const) {
  describe(`bundled catalogue, ${label}: engine values equal the recomputation`, () => {
    let report: Report;
    let mine: Record<string, Expected>;

    beforeAll(async () => {
      report = (await run({ catalogue: 'metrics.yaml', cwd: REPO, period: label })).report;
      mine = recompute(label).values;
    });

    it('reports the period it was asked for', () => {
      expect(report.period.label).toBe(label);
      expect(Date.parse(report.period.start)).toBe(PERIODS[label].start);
      expect(Date.parse(report.period.end)).toBe(PERIODS[label].end);
    });

    it.each(IDS)('%s', (id) => {
      const kpi: KpiResult | undefined = report.kpis.find((k) => k.id === id);
      expect(kpi, `${id} in the report`).toBeDefined();
      const expected = mine[id]!;
      expect(kpi!.value).not.toBeNull();
      expect(kpi!.value!).toBeCloseTo(expected.value, 9);
      if (expected.numerator !== undefined) {
        expect([kpi!.numerator, kpi!.denominator]).toEqual([expected.numerator, expected.denominator]);
      }
    });

    it('BK-01 counts each exactly duplicated Veeam line once', () => {
      const { start, end } = PERIODS[label];
      const lines = readFileSync(path.join(ACME, 'veeam-sessions.csv'), 'utf8')
        .split('\r\n')
        .slice(1)
        .filter((l) => l !== '');
      const all = lines
        .map((l) => splitCsv(`h\n${l}\n`).records[0]!.cells)
        .filter((c) => {
          const t = veeamDate(c[7]!);
          return t >= start && t < end;
        });
      const kpi = report.kpis.find((k) => k.id === 'BK-01')!;
      // With the duplicates the denominator would be larger (README: 962 in Q2, 946 in Q3).
      expect(all.length).toBe(label === '2026-Q2' ? 962 : 946);
      expect(kpi.denominator).toBe(mine['BK-01']!.denominator);
      expect(kpi.denominator).toBeLessThan(all.length);
    });
  });
}
