/**
 * The governance KPIs of the bundled catalogue (GV-11 ... GV-17, issue 22) recomputed without the engine:
 * the register files in fixtures/acme/ are read here with a small CSV splitter and whole-day arithmetic on
 * the yyyy-MM-dd dates, and the values are checked twice: against the reference table of
 * fixtures/acme/README.md ("Reference values (governance)", parsed from the README itself), and against
 * the values the engine reports for the same quarter.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { run } from '../helpers/run.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ACME = path.join(REPO, 'fixtures', 'acme');

/** Comma-separated, a quoted cell may hold commas and doubled quotes; one record per line (LF). */
function readRegister(file: string): Record<string, string>[] {
  const split = (line: string): string[] => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quoted && c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else cell += c;
    }
    cells.push(cell);
    return cells;
  };
  const [header, ...lines] = readFileSync(path.join(ACME, file), 'utf8').trimEnd().split('\n').map(split);
  return lines.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] ?? ''])));
}

/** Whole days since 1970-01-01 of a yyyy-MM-dd date. */
function dayNumber(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a date: ${text}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

type Quarter = '2026-Q2' | '2026-Q3';
/** The first day after the quarter, and its last day. */
const END: Record<Quarter, { after: number; last: number; previous?: Quarter }> = {
  '2026-Q2': { after: dayNumber('2026-07-01'), last: dayNumber('2026-06-30') },
  '2026-Q3': { after: dayNumber('2026-10-01'), last: dayNumber('2026-09-30'), previous: '2026-Q2' },
};

interface Value {
  value: number;
  numerator?: number;
  denominator?: number;
}
const ratio = (numerator: number, denominator: number): Value => ({
  value: (100 * numerator) / denominator,
  numerator,
  denominator,
});

/** The governance KPIs of a quarter (no entry: no data), and the ids behind some of them. */
function recompute(quarter: Quarter): { values: Record<string, Value>; ids: Record<string, string[]> } {
  const { after, last, previous } = END[quarter];
  const values: Record<string, Value> = {};
  const ids: Record<string, string[]> = {};
  const risks = readRegister(`risk-register-${quarter}.csv`);
  const open = risks.filter((r) => r.status !== 'closed');
  const above = open.filter((r) => Number(r.inherent_score) >= 12);
  const underWay = above.filter(
    (r) => r.treatment_status === 'in progress' || r.treatment_status === 'implemented',
  );
  values['GV-11'] = ratio(underWay.length, above.length);
  const overdue = open.filter(
    (r) =>
      r.treatment_status !== 'implemented' && r.treatment_due !== '' && dayNumber(r.treatment_due!) < after,
  );
  values['GV-12'] = { value: overdue.length };
  ids['GV-12'] = overdue.map((r) => r.id!);

  const applicable = readRegister('soa.csv').filter((r) => r.applicable === 'yes');
  values['GV-13'] = ratio(applicable.filter((r) => r.status === 'implemented').length, applicable.length);

  const approved = readRegister('exceptions-register.csv').filter((e) => dayNumber(e.approved!) < after);
  values['GV-14'] = ratio(approved.filter((e) => e.expires !== '').length, approved.length);
  // Valid through its expires day: expired at the quarter end when that day is before the last day.
  const expired = approved.filter((e) => e.expires !== '' && dayNumber(e.expires!) < last);
  values['GV-15'] = { value: expired.length };
  ids['GV-15'] = expired.map((e) => e.id!);

  if (previous) {
    const high = (r: Record<string, string>) => r.level === 'high' || r.level === 'critical';
    const now = new Map(risks.map((r) => [r.id!, r]));
    const before = readRegister(`risk-register-${previous}.csv`);
    const wasHigh = before.filter(high);
    const reduced = wasHigh.filter((r) => {
      const later = now.get(r.id!);
      return (
        later !== undefined &&
        (later.level === 'low' || later.level === 'medium' || later.status === 'closed')
      );
    });
    values['GV-16'] = ratio(reduced.length, wasHigh.length);
    ids['GV-16'] = reduced.map((r) => r.id!);
    const highBefore = new Set(wasHigh.map((r) => r.id!));
    const persisting = open.filter((r) => high(r) && highBefore.has(r.id!));
    values['GV-17'] = { value: persisting.length };
    ids['GV-17'] = persisting.map((r) => r.id!);
  }
  return { values, ids };
}

/** The README's reference table: `| GV-11 | name | **53.333333** (8/15) | **81.25** (13/16) |`. */
function readmeValues(): Record<Quarter, Record<string, Value | null>> {
  const text = readFileSync(path.join(ACME, 'README.md'), 'utf8');
  const section = text.slice(text.indexOf('### Reference values (governance)'));
  const cell = (c: string): Value | null => {
    if (c.trim() === 'no data') return null;
    const m = /^\*\*([\d.]+)\*\*(?: \((\d+)\/(\d+)\))?$/.exec(c.trim());
    if (!m) throw new Error(`README cell not understood: ${c}`);
    return {
      value: Number(m[1]),
      ...(m[2] ? { numerator: Number(m[2]), denominator: Number(m[3]) } : {}),
    };
  };
  const out: Record<Quarter, Record<string, Value | null>> = { '2026-Q2': {}, '2026-Q3': {} };
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1);
    if (cells.length !== 4 || !/^ GV-\d+ $/.test(cells[0]!)) continue;
    const id = cells[0]!.trim();
    out['2026-Q2'][id] = cell(cells[2]!);
    out['2026-Q3'][id] = cell(cells[3]!);
  }
  return out;
}

const IDS = ['GV-11', 'GV-12', 'GV-13', 'GV-14', 'GV-15', 'GV-16', 'GV-17'];

describe('the governance recomputation', () => {
  it('finds the rows the README names', () => {
    const q2 = recompute('2026-Q2').ids;
    const q3 = recompute('2026-Q3').ids;
    expect(q2['GV-12']).toEqual(['RISK-005', 'RISK-013', 'RISK-020']);
    expect(q3['GV-12']).toEqual(['RISK-005', 'RISK-009', 'RISK-019', 'RISK-020', 'RISK-024', 'RISK-027']);
    expect(q2['GV-15']).toEqual([]);
    expect(q3['GV-15']).toEqual(['EXC-002', 'EXC-005']);
    expect(q3['GV-16']).toEqual(['RISK-001', 'RISK-003', 'RISK-008', 'RISK-013', 'RISK-023']);
    expect(q3['GV-17']).toEqual([
      'RISK-002',
      'RISK-004',
      'RISK-005',
      'RISK-009',
      'RISK-014',
      'RISK-017',
      'RISK-020',
    ]);
  });

  for (const quarter of ['2026-Q2', '2026-Q3'] as const) {
    it(`agrees with the README reference values for ${quarter}`, () => {
      const readme = readmeValues()[quarter];
      expect(Object.keys(readme)).toEqual(IDS);
      const mine = recompute(quarter).values;
      for (const id of IDS) {
        const ref = readme[id];
        if (ref === null) {
          expect(mine[id], id).toBeUndefined();
          continue;
        }
        // The README rounds to 6 decimals.
        expect(mine[id]!.value, id).toBeCloseTo(ref!.value, 5);
        if (ref!.numerator !== undefined)
          expect([mine[id]!.numerator, mine[id]!.denominator], id).toEqual([
            ref!.numerator,
            ref!.denominator,
          ]);
      }
    });
  }
});

for (const quarter of ['2026-Q2', '2026-Q3'] as const) {
  describe(`bundled catalogue, ${quarter}: engine values equal the governance recomputation`, () => {
    let report: Report;
    let mine: Record<string, Value>;
    beforeAll(async () => {
      report = (await run({ catalogue: 'metrics.yaml', cwd: REPO, period: quarter })).report;
      mine = recompute(quarter).values;
    });

    it.each(IDS)('%s', (id) => {
      const kpi = report.kpis.find((k) => k.id === id);
      expect(kpi, `${id} in the report`).toBeDefined();
      const expected = mine[id];
      if (expected === undefined) {
        // The first review has no previous one: no data, never 0.
        expect(kpi!.value).toBeNull();
        expect(kpi!.status).toBe('no-data');
        expect(kpi!.reason).toContain('risk-register-2026-Q1.csv not found');
        return;
      }
      expect(kpi!.value).toBeCloseTo(expected.value, 9);
      if (expected.numerator !== undefined)
        expect([kpi!.numerator, kpi!.denominator]).toEqual([expected.numerator, expected.denominator]);
    });
  });
}
