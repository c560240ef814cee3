/**
 * The supplier, data protection and legacy KPIs of the bundled catalogue (issue 22), recomputed without
 * the engine from fixtures/acme/supplier-register-*.csv, remote-access-sessions.csv and
 * asset-inventory-*.csv: the files are split here by a few lines of code (no field holds a newline),
 * dates are turned into instants with the Berlin offsets written out by hand, and the numbers are
 * checked twice: against the reference values in fixtures/acme/README.md ("Supplier and asset
 * registers") and against the values the engine reports for the same period.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { run } from '../helpers/run.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ACME = path.join(REPO, 'fixtures', 'acme');
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** One line of a register: cells separated by commas, a cell in double quotes may hold commas ("" is "). */
function cellsOf(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let text = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          text += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else text += line[i++];
      }
      out.push(text);
      i++; // the comma after the closing quote
    } else {
      const next = line.indexOf(',', i);
      const end = next === -1 ? line.length : next;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

function table(file: string): Record<string, string>[] {
  const lines = readFileSync(path.join(ACME, file), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const header = cellsOf(lines[0]!);
  return lines.slice(1).map((line) => {
    const cells = cellsOf(line);
    expect(cells, `${file}: ${line}`).toHaveLength(header.length);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]!]));
  });
}

// ---------------------------------------------------------------------------------------------------
// Berlin time: CEST (UTC+2) between these instants, CET (UTC+1) otherwise (EU rule, written out).
const SUMMER: [number, number][] = [
  [Date.UTC(2024, 2, 31, 1), Date.UTC(2024, 9, 27, 1)],
  [Date.UTC(2025, 2, 30, 1), Date.UTC(2025, 9, 26, 1)],
  [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)],
];

/** Berlin wall clock to an instant (never called for a time in the spring gap). */
function berlinWall(y: number, mo: number, d: number, h = 0, mi = 0): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  const summer = asUtc - 2 * HOUR_MS;
  return SUMMER.some(([from, to]) => summer >= from && summer < to) ? summer : asUtc - HOUR_MS;
}

/** `yyyy-MM-dd` or `dd.MM.yyyy`, midnight Berlin; null for an empty cell. */
function registerDay(text: string): number | null {
  if (text === '') return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return berlinWall(+iso[1]!, +iso[2]!, +iso[3]!);
  const german = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  if (german) return berlinWall(+german[3]!, +german[2]!, +german[1]!);
  throw new Error(`not a register date: ${text}`);
}

/** `yyyy-MM-dd HH:mm`, Berlin; null for an empty cell. */
function sessionTime(text: string): number | null {
  if (text === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a session time: ${text}`);
  return berlinWall(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!);
}

/** yes / no / not applicable. */
function yesNo(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (['yes', 'y', 'true', '1', 'x', 'ja'].includes(t)) return true;
  if (['no', 'n', 'false', '0', 'nein'].includes(t)) return false;
  if (['', '-', 'n/a', 'na', 'null'].includes(t)) return null;
  throw new Error(`not a flag: ${text}`);
}

type Label = '2026-Q2' | '2026-Q3';
/** [start, end) at Berlin midnight: 1 April, 1 July, 1 October 2026 (all CEST). */
const PERIOD: Record<Label, { start: number; end: number }> = {
  '2026-Q2': { start: Date.UTC(2026, 2, 31, 22), end: Date.UTC(2026, 5, 30, 22) },
  '2026-Q3': { start: Date.UTC(2026, 5, 30, 22), end: Date.UTC(2026, 8, 30, 22) },
};

interface Value {
  value: number;
  numerator?: number;
  denominator?: number;
}
const share = (num: number, den: number): Value => ({
  value: (100 * num) / den,
  numerator: num,
  denominator: den,
});

// ---------------------------------------------------------------------------------------------------

function recompute(label: Label): { values: Record<string, Value>; rows: Record<string, string[]> } {
  const { start, end } = PERIOD[label];
  const values: Record<string, Value> = {};
  const rows: Record<string, string[]> = {};

  // Supplier register of the quarter's end.
  const suppliers = table(`supplier-register-${label}.csv`).map((r) => ({
    name: r.supplier!,
    criticality: r.criticality!.toLowerCase(),
    last: registerDay(r.last_assessment!),
    clauses: yesNo(r.security_clauses!),
    remote: yesNo(r.remote_access!),
    approval: yesNo(r.remote_access_approval!),
  }));
  const critical = suppliers.filter((s) => s.criticality === 'critical');
  const assessed = critical.filter((s) => s.last !== null && (end - s.last) / DAY_MS <= 365);
  values['SU-01'] = share(assessed.length, critical.length);
  rows['SU-01 not assessed'] = critical.filter((s) => !assessed.includes(s)).map((s) => s.name);
  const keySuppliers = suppliers.filter((s) => s.criticality === 'critical' || s.criticality === 'high');
  values['SU-02'] = share(keySuppliers.filter((s) => s.clauses === true).length, keySuppliers.length);
  const outside = suppliers.filter((s) => s.remote === true && s.approval !== true);
  values['SU-04'] = { value: outside.length };
  rows['SU-04'] = outside.map((s) => s.name);

  // Sessions started in the quarter: approver, ticket, ended within 8 hours, recorded.
  const sessions = table('remote-access-sessions.csv')
    .map((r) => ({
      id: r.session!,
      started: sessionTime(r.started!)!,
      ended: sessionTime(r.ended!),
      approved: r.approved_by !== '',
      ticket: r.ticket !== '',
      recorded: yesNo(r.recorded!),
    }))
    .filter((s) => s.started >= start && s.started < end);
  const compliant = sessions.filter(
    (s) =>
      s.approved &&
      s.ticket &&
      s.recorded === true &&
      s.ended !== null &&
      s.ended >= s.started &&
      (s.ended - s.started) / HOUR_MS <= 8,
  );
  values['SU-03'] = share(compliant.length, sessions.length);
  rows['SU-03 over 8 h'] = sessions
    .filter((s) => s.ended !== null && (s.ended - s.started) / HOUR_MS > 8)
    .map((s) => s.id);

  // Asset inventory of the quarter's end.
  const assets = table(`asset-inventory-${label}.csv`).map((r) => ({
    name: r.asset!,
    key: ['critical', 'high'].includes(r.criticality!.toLowerCase()),
    classification: r.classification!.toLowerCase(),
    osSupported: yesNo(r.os_supported!),
    encrypted: yesNo(r.encrypted!),
    legacy: yesNo(r.legacy!),
    controls: r.compensating_controls !== '',
  }));
  const keyAssets = assets.filter((a) => a.key);
  values['DP-01'] = share(keyAssets.filter((a) => a.classification !== '').length, keyAssets.length);
  rows['DP-01 unclassified'] = keyAssets.filter((a) => a.classification === '').map((a) => a.name);
  const sensitive = assets.filter(
    (a) => (a.classification === 'confidential' || a.classification === 'restricted') && a.encrypted !== null,
  );
  values['DP-02'] = share(sensitive.filter((a) => a.encrypted).length, sensitive.length);
  rows['DP-02 not encrypted'] = sensitive.filter((a) => !a.encrypted).map((a) => a.name);
  const keyLegacy = keyAssets.filter((a) => a.legacy === true);
  values['LG-01'] = share(keyLegacy.filter((a) => a.controls).length, keyLegacy.length);
  const unsupported = assets.filter((a) => a.osSupported === false);
  values['LG-02'] = { value: unsupported.length };
  const exposed = unsupported.filter((a) => !a.controls);
  values['LG-03'] = { value: exposed.length };
  rows['LG-03'] = exposed.map((a) => a.name);

  return { values, rows };
}

// ---------------------------------------------------------------------------------------------------

/** fixtures/acme/README.md, "Supplier and asset registers", reference values (as exact counts). */
const README: Record<Label, Record<string, Value>> = {
  '2026-Q2': {
    'SU-01': share(4, 7),
    'SU-02': share(9, 11),
    'SU-03': share(30, 42),
    'SU-04': { value: 3 },
    'DP-01': share(24, 27),
    'DP-02': share(12, 16),
    'LG-01': share(7, 10),
    'LG-02': { value: 13 },
    'LG-03': { value: 6 },
  },
  '2026-Q3': {
    'SU-01': share(5, 7),
    'SU-02': share(11, 12),
    'SU-03': share(30, 44),
    'SU-04': { value: 2 },
    'DP-01': share(27, 28),
    'DP-02': share(15, 18),
    'LG-01': share(9, 10),
    'LG-02': { value: 11 },
    'LG-03': { value: 2 },
  },
};
const IDS = Object.keys(README['2026-Q3']);

describe('supplier and asset registers, recomputed', () => {
  for (const label of ['2026-Q2', '2026-Q3'] as const) {
    it(`agrees with the README reference values for ${label}`, () => {
      const mine = recompute(label).values;
      expect(Object.keys(mine).sort()).toEqual([...IDS].sort());
      for (const id of IDS) expect(mine[id], id).toEqual(README[label][id]);
    });
  }

  it('finds the rows the README names', () => {
    const q2 = recompute('2026-Q2').rows;
    const q3 = recompute('2026-Q3').rows;
    // Morava was assessed exactly 365 days before the end of Q2 (counts), Hanse Mail exactly 365 days
    // before the end of Q3 (counts).
    expect(q2['SU-01 not assessed']).toEqual([
      'Elbtal Automation GmbH',
      'Sachsen Maschinenbau Service GmbH',
      'PLMworks Software AG',
    ]);
    expect(q3['SU-01 not assessed']).toEqual(['Morava OT Services s.r.o.', 'PLMworks Software AG']);
    expect(q2['SU-04']).toEqual([
      'Morava OT Services s.r.o.',
      'Sachsen Maschinenbau Service GmbH',
      'PLMworks Software AG',
    ]);
    // Vltava's approval is not filled in: it counts as outside the process.
    expect(q3['SU-04']).toEqual(['Sachsen Maschinenbau Service GmbH', 'Vltava Cloud Backup s.r.o.']);
    expect(q2['DP-01 unclassified']).toEqual(['mes-app-brn-01', 'plc-lei-03', 'plm-lic-01']);
    expect(q3['DP-01 unclassified']).toEqual(['plm-lic-01']);
    expect(q2['DP-02 not encrypted']).toEqual([
      'erp-app-02',
      'mes-db-lei-01',
      'scada-brn-01',
      'plm-vault-brn-01',
    ]);
    expect(q3['DP-02 not encrypted']).toEqual(['scada-brn-01', 'aws-analytics', 'plm-vault-brn-01']);
    expect(q2['SU-03 over 8 h']).toEqual([
      'RA-2026-0007',
      'RA-2026-0012',
      'RA-2026-0015',
      'RA-2026-0028',
      'RA-2026-0030',
    ]);
    expect(q3['SU-03 over 8 h']).toEqual([
      'RA-2026-0048',
      'RA-2026-0064',
      'RA-2026-0070',
      'RA-2026-0075',
      'RA-2026-0078',
      'RA-2026-0087',
    ]);
    expect(q2['LG-03']).toEqual([
      'mes-hmi-brn-01',
      'plc-lei-03',
      'plc-brn-02',
      'eng-ws-lei-02',
      'qa-ws-lei-07',
      'qa-cmm-brn-02',
    ]);
    expect(q3['LG-03']).toEqual(['plc-lei-03', 'qa-cmm-brn-02']);
  });

  it('knows the planted session cases', () => {
    const all = table('remote-access-sessions.csv');
    const at = (started: string) => all.find((r) => r.started === started)!;
    // Started at 23:10 on 30 June (Berlin): Q2, although it ended in July.
    expect(sessionTime(at('2026-06-30 23:10').started!)).toBeLessThan(PERIOD['2026-Q2'].end);
    // Before 1 April 00:00 Berlin: in neither quarter.
    expect(sessionTime(at('2026-03-31 22:30').started!)).toBeLessThan(PERIOD['2026-Q2'].start);
    // Exactly 8 hours is within the limit; a session never closed is not.
    const eight = at('2026-08-08 06:00');
    expect(sessionTime(eight.ended!)! - sessionTime(eight.started!)!).toBe(8 * HOUR_MS);
    expect(at('2026-09-17 15:20').ended).toBe('');
  });
});

for (const label of ['2026-Q2', '2026-Q3'] as const) {
  describe(`bundled catalogue, ${label}: supplier and asset KPIs equal the recomputation`, () => {
    let report: Report;
    let mine: Record<string, Value>;
    beforeAll(async () => {
      report = (await run({ catalogue: 'metrics.yaml', cwd: REPO, period: label })).report;
      mine = recompute(label).values;
    });

    it.each(IDS)('%s', (id) => {
      const kpi = report.kpis.find((k) => k.id === id);
      expect(kpi, `${id} in the report`).toBeDefined();
      expect(kpi!.value).not.toBeNull();
      expect(kpi!.value!).toBeCloseTo(mine[id]!.value, 9);
      if (mine[id]!.numerator !== undefined)
        expect([kpi!.numerator, kpi!.denominator]).toEqual([mine[id]!.numerator, mine[id]!.denominator]);
    });
  });
}
