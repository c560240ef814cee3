/**
 * The training and awareness KPIs of the bundled catalogue (AW-01, AW-02, TR-01, TR-02) recomputed
 * without the engine: the training registers and the KnowBe4 recipients file of fixtures/acme/ are read
 * here with a line splitter, JSON.parse and calendar arithmetic, and the numbers are checked against the
 * reference values of fixtures/acme/README.md ("Training and awareness") and against the engine's report.
 * AW-03 is a manual measure without a value for 2026-Q3: the example's one KPI without data.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { run } from '../helpers/run.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ACME = path.join(REPO, 'fixtures', 'acme');

type Quarter = '2026-Q2' | '2026-Q3';

/**
 * The quarters as calendar days (the training register writes days) and as instants: Berlin midnight is
 * 22:00 UTC the day before in summer time, which both quarter boundaries are in.
 */
const QUARTERS: Record<Quarter, { first: string; next: string; start: number; end: number }> = {
  '2026-Q2': {
    first: '2026-04-01',
    next: '2026-07-01',
    start: Date.UTC(2026, 2, 31, 22),
    end: Date.UTC(2026, 5, 30, 22),
  },
  '2026-Q3': {
    first: '2026-07-01',
    next: '2026-10-01',
    start: Date.UTC(2026, 5, 30, 22),
    end: Date.UTC(2026, 8, 30, 22),
  },
};

/** Whole calendar days from one yyyy-MM-dd to another. */
const daysBetween = (from: string, to: string) =>
  (Date.parse(`${to}T00:00Z`) - Date.parse(`${from}T00:00Z`)) / 864e5;

// ---------------------------------------------------------------------------------------------------
// The training register: one record per line; a quoted cell may hold commas and doubled quotes (Lena
// Ruschke's department, copied from the Entra export, is the planted formula `=HYPERLINK("http://x","y")`).

function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let rest = line;
  for (;;) {
    const quoted = /^"((?:[^"]|"")*)"(,|$)/.exec(rest);
    const match = quoted ?? /^([^,"]*)(,|$)/.exec(rest);
    expect(match, line).not.toBeNull();
    cells.push(quoted ? match![1]!.replaceAll('""', '"') : match![1]!);
    if (match![2] === '') return cells;
    rest = rest.slice(match![0].length);
  }
}

interface Training {
  email: string;
  role: string;
  course: string;
  due: string;
  completed: string;
}

function readTraining(quarter: Quarter): Training[] {
  const [header, ...lines] = readFileSync(path.join(ACME, `training-${quarter}.csv`), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const names = cellsOf(header!);
  expect(names).toEqual([
    'user',
    'email',
    'department',
    'role',
    'course',
    'assigned',
    'due',
    'completed',
    'status',
    'score',
  ]);
  return lines.map((line) => {
    const cell = cellsOf(line);
    expect(cell).toHaveLength(names.length);
    return {
      email: cell[1]!.toLowerCase(),
      role: cell[3]!,
      course: cell[4]!,
      due: cell[6]!,
      completed: cell[7]!,
    };
  });
}

const KEY_ROLES = ['Administrator', 'Security', 'OT engineer', 'Manager'];
const REFRESHER = 'Annual security awareness refresher';

/** TR-01: key-role assignments due in the quarter (by calendar day), and those completed. */
function tr01(rows: Training[], quarter: Quarter) {
  const { first, next } = QUARTERS[quarter];
  const due = rows.filter((r) => KEY_ROLES.includes(r.role) && r.due >= first && r.due < next);
  return { numerator: due.filter((r) => r.completed !== '').length, denominator: due.length };
}

/**
 * TR-02: people with a refresher completed at most 365 days before the quarter end. Both instants are
 * Berlin midnights; a completion in winter time is one hour nearer, which cannot move a whole number of
 * calendar days across 365 (365 days less an hour is within, 366 less an hour is not).
 */
function tr02(rows: Training[], quarter: Quarter) {
  const { next } = QUARTERS[quarter];
  const people = new Set(rows.map((r) => r.email));
  const refreshed = new Set(
    rows
      .filter((r) => r.course === REFRESHER && r.completed !== '' && daysBetween(r.completed, next) <= 365)
      .map((r) => r.email),
  );
  return { numerator: refreshed.size, denominator: people.size };
}

// ---------------------------------------------------------------------------------------------------
// The KnowBe4 recipients: one JSON array per phishing test, one after another.

interface Recipient {
  pst_id: number;
  scheduled_at: string;
  delivered_at: string | null;
  clicked_at: string | null;
  reported_at: string | null;
}

function readRecipients(): Recipient[] {
  const text = readFileSync(path.join(ACME, 'knowbe4-phishing-recipients.json'), 'utf8');
  // Each answer starts with "[" at the beginning of a line (generate-people.mjs writes them so).
  const answers = text.split(/\n(?=\[)/);
  expect(answers).toHaveLength(4);
  return answers.flatMap((answer) => JSON.parse(answer) as Recipient[]);
}

function phishing(all: Recipient[], quarter: Quarter) {
  const { start, end } = QUARTERS[quarter];
  const inQuarter = all.filter((r) => {
    const t = Date.parse(r.scheduled_at);
    return t >= start && t < end;
  });
  const delivered = inQuarter.filter((r) => r.delivered_at !== null);
  return {
    tests: new Set(inQuarter.map((r) => r.pst_id)).size,
    recipients: inQuarter.length,
    clicked: {
      numerator: inQuarter.filter((r) => r.clicked_at !== null).length,
      denominator: delivered.length,
    },
    reported: {
      numerator: delivered.filter((r) => r.reported_at !== null).length,
      denominator: delivered.length,
    },
  };
}

// ---------------------------------------------------------------------------------------------------

interface Ratio {
  numerator: number;
  denominator: number;
}

function recompute(quarter: Quarter): Record<string, Ratio> {
  const rows = readTraining(quarter);
  const pst = phishing(readRecipients(), quarter);
  return {
    'AW-01': pst.clicked,
    'AW-02': pst.reported,
    'TR-01': tr01(rows, quarter),
    'TR-02': tr02(rows, quarter),
  };
}

/** fixtures/acme/README.md, "Training and awareness": the reference table, as written there. */
const README: Record<Quarter, Record<string, Ratio & { pct: number }>> = {
  '2026-Q2': {
    'AW-01': { numerator: 9, denominator: 126, pct: 7.14 },
    'AW-02': { numerator: 55, denominator: 126, pct: 43.65 },
    'TR-01': { numerator: 51, denominator: 66, pct: 77.27 },
    'TR-02': { numerator: 55, denominator: 65, pct: 84.62 },
  },
  '2026-Q3': {
    'AW-01': { numerator: 3, denominator: 104, pct: 2.88 },
    'AW-02': { numerator: 60, denominator: 104, pct: 57.69 },
    'TR-01': { numerator: 18, denominator: 22, pct: 81.82 },
    'TR-02': { numerator: 50, denominator: 53, pct: 94.34 },
  },
};

describe('the recomputation itself', () => {
  it('finds the cases the README names', () => {
    const q2 = readTraining('2026-Q2');
    // The planted boundary days of the 12-month rule: 365 days is within, 366 is not.
    const completedRefresher = (rows: Training[], who: string) =>
      rows.filter((r) => r.email.startsWith(who) && r.course === REFRESHER).map((r) => r.completed);
    const q3 = readTraining('2026-Q3');
    expect(completedRefresher(q2, 'veronika.cerna@')).toEqual(['2025-07-01', '']);
    expect(completedRefresher(q2, 'kai.brandt@')).toEqual(['2025-06-30', '']);
    expect(completedRefresher(q3, 'heike.engel@')).toEqual(['2025-10-01', '']);
    expect(completedRefresher(q3, 'sabine.stolle@')).toEqual(['2025-09-30', '']);
    expect([daysBetween('2025-07-01', '2026-07-01'), daysBetween('2025-06-30', '2026-07-01')]).toEqual([
      365, 366,
    ]);
    expect([daysBetween('2025-10-01', '2026-10-01'), daysBetween('2025-09-30', '2026-10-01')]).toEqual([
      365, 366,
    ]);
    const refreshed = (rows: Training[], quarter: Quarter, who: string) =>
      tr02(
        rows.filter((r) => r.email.startsWith(who)),
        quarter,
      ).numerator;
    expect(refreshed(q2, '2026-Q2', 'veronika.cerna@')).toBe(1);
    expect(refreshed(q2, '2026-Q2', 'kai.brandt@')).toBe(0);
    expect(refreshed(q3, '2026-Q3', 'heike.engel@')).toBe(1);
    expect(refreshed(q3, '2026-Q3', 'sabine.stolle@')).toBe(0);
    // A quoted cell is one cell.
    const lena = readFileSync(path.join(ACME, 'training-2026-Q3.csv'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('Lena Ruschke,'))!;
    expect(cellsOf(lena)[2]).toBe('=HYPERLINK("http://x","y")');
    // The Q3 misses of TR-01.
    const { first, next } = QUARTERS['2026-Q3'];
    const misses = q3
      .filter((r) => KEY_ROLES.includes(r.role) && r.due >= first && r.due < next && r.completed === '')
      .map((r) => r.email.split('@')[0]);
    expect(misses).toEqual(['gesa.petersen', 'kai.brandt', 'petra.dvorakova', 'tomas.pokorny']);
    // Two tests a quarter, every member of staff a recipient of each.
    const all = readRecipients();
    expect(phishing(all, '2026-Q2')).toMatchObject({ tests: 2, recipients: 130 });
    expect(phishing(all, '2026-Q3')).toMatchObject({ tests: 2, recipients: 106 });
  });

  for (const quarter of ['2026-Q2', '2026-Q3'] as const) {
    it(`agrees with the README reference values for ${quarter}`, () => {
      const mine = recompute(quarter);
      for (const [id, ref] of Object.entries(README[quarter])) {
        expect({ numerator: mine[id]!.numerator, denominator: mine[id]!.denominator }, id).toEqual({
          numerator: ref.numerator,
          denominator: ref.denominator,
        });
        expect((100 * ref.numerator) / ref.denominator, id).toBeCloseTo(ref.pct, 2);
      }
    });
  }
});

for (const quarter of ['2026-Q2', '2026-Q3'] as const) {
  describe(`bundled catalogue, ${quarter}: engine values equal the recomputation`, () => {
    let report: Report;
    beforeAll(async () => {
      report = (await run({ catalogue: 'metrics.yaml', cwd: REPO, period: quarter })).report;
    });

    it.each(['AW-01', 'AW-02', 'TR-01', 'TR-02'])('%s', (id) => {
      const kpi = report.kpis.find((k) => k.id === id)!;
      const mine = recompute(quarter)[id]!;
      expect(kpi.area).toBe('Training and awareness');
      expect([kpi.numerator, kpi.denominator]).toEqual([mine.numerator, mine.denominator]);
      expect(kpi.value).toBeCloseTo((100 * mine.numerator) / mine.denominator, 9);
    });

    it('AW-03 is manual: a value for 2026-Q2, none for 2026-Q3, and the reason says so', () => {
      const kpi = report.kpis.find((k) => k.id === 'AW-03')!;
      if (quarter === '2026-Q2') expect(kpi.value).toBe(78);
      else {
        expect(kpi.value).toBeNull();
        expect(kpi.status).toBe('no-data');
        expect(kpi.reason).toBe('no manual value of awareness_pulse_correct for 2026-Q3');
        // The example's only KPI without data.
        expect(report.kpis.filter((k) => k.status === 'no-data').map((k) => k.id)).toEqual(['AW-03']);
      }
    });
  });
}
