/**
 * GV-21 and GV-22 of the bundled catalogue (the audit findings register, fixtures/acme/audit-findings.csv)
 * recomputed without the engine: the file is read with a tiny splitter (it has no quoted cells, which the
 * test checks), dates are compared as yyyy-MM-dd text (a whole day, so no time zone arithmetic), and the
 * numbers are checked against the reference values of fixtures/acme/README.md ("Audit findings") and
 * against the values the engine reports.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TEXT = readFileSync(path.join(REPO, 'fixtures', 'acme', 'audit-findings.csv'), 'utf8');

function rows(): Record<string, string>[] {
  const [head, ...lines] = TEXT.trimEnd().split('\n');
  const header = head!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    expect(cells, line).toHaveLength(header.length);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]!]));
  });
}

/** The quarters as first and last day (the register's dates are days, so text comparison is exact). */
const QUARTERS = {
  '2026-Q2': ['2026-04-01', '2026-06-30'],
  '2026-Q3': ['2026-07-01', '2026-09-30'],
} as const;

function recompute(label: keyof typeof QUARTERS) {
  const [first, last] = QUARTERS[label];
  const due = rows().filter((r) => r.due! >= first && r.due! <= last);
  const nonconformities = due.filter((r) => r.severity === 'major' || r.severity === 'minor');
  const onTime = nonconformities.filter((r) => r.closed !== '' && r.closed! <= r.due!);
  const pastDue = nonconformities.filter((r) => r.closed === '' || r.closed! > last);
  return {
    'GV-21': {
      value: (100 * onTime.length) / nonconformities.length,
      of: [onTime.length, nonconformities.length],
    },
    'GV-22': { value: pastDue.length, ids: pastDue.map((r) => r.id) },
  };
}

/** fixtures/acme/README.md, "Audit findings": the reference values. */
const README = {
  '2026-Q2': { 'GV-21': [2, 4], 'GV-22': ['IA-2026-05'] },
  '2026-Q3': { 'GV-21': [2, 5], 'GV-22': ['IA-2026-06', 'IA-2026-09'] },
} as const;

describe('audit findings register', () => {
  it('has no quoted cells and no planted bad rows (the splitter above is enough)', () => {
    expect(TEXT).not.toContain('"');
    expect(rows()).toHaveLength(14);
  });

  for (const label of ['2026-Q2', '2026-Q3'] as const) {
    it(`${label}: the recomputation agrees with the README`, () => {
      const mine = recompute(label);
      expect(mine['GV-21'].of).toEqual(README[label]['GV-21']);
      expect(mine['GV-22'].ids).toEqual(README[label]['GV-22']);
    });

    it(`${label}: the engine agrees with the recomputation`, async () => {
      const { report } = await run({
        catalogue: 'metrics.yaml',
        cwd: REPO,
        period: label,
        kpis: new Set(['GV-21', 'GV-22']),
      });
      const mine = recompute(label);
      const gv21 = report.kpis.find((k) => k.id === 'GV-21')!;
      const gv22 = report.kpis.find((k) => k.id === 'GV-22')!;
      expect(gv21.value).toBeCloseTo(mine['GV-21'].value, 9);
      expect([gv21.numerator, gv21.denominator]).toEqual(mine['GV-21'].of);
      expect(gv22.value).toBe(mine['GV-22'].value);
      expect([gv21.status, gv22.status]).toEqual(['red', 'amber']);
    });
  }
});
