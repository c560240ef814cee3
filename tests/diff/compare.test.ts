/**
 * diffReports over the two bundled fixture reports (fixtures/reports). Expected values are read off the
 * two JSON files by hand (e.g. AC-01 was 1200/13 = 92.307... % in 2026-Q2 and 1300/16 = 81.25 % in 2026-Q3),
 * not computed by the code under test.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffReports, isBeyondTolerance, isRegression, judge } from '../../src/diff/compare.js';
import { renderDiffTable } from '../../src/render/diff.js';
import type { Report } from '../../src/report/model.js';
import { readReport, schemaMismatch } from '../../src/report/read.js';

const DIR = fileURLToPath(new URL('../../fixtures/reports/', import.meta.url));
/** A fixture report, read as diff reads it. */
const load = (name: string): Report => {
  const read = readReport(readFileSync(path.join(DIR, name), 'utf8'), name);
  if (!read.ok) throw new Error(read.problem.message);
  return read.report;
};
const q2 = load('2026-Q2.json');
const q3 = load('2026-Q3.json');
const changed = load('2026-Q3-changed-definition.json');
const kpi = (diff: ReturnType<typeof diffReports>, id: string) => diff.kpis.find((k) => k.id === id)!;

describe('direction', () => {
  const diff = diffReports(q2, q3);

  it('judges a higher-is-better KPI that fell as worsened, with its changes', () => {
    const ac01 = kpi(diff, 'AC-01');
    expect(ac01.direction).toBe('higher');
    expect(ac01.oldValue).toBeCloseTo(1200 / 13, 10);
    expect(ac01.newValue).toBe(81.25);
    expect(ac01.change).toBeCloseTo(-143.75 / 13, 10);
    expect(ac01.relativeChange).toBeCloseTo(-143.75 / 1200, 10);
    expect([ac01.oldStatus, ac01.newStatus, ac01.verdict, ac01.isStatusWorse]).toEqual([
      'amber',
      'red',
      'worsened',
      true,
    ]);
  });

  it('judges a lower-is-better KPI by its direction', () => {
    expect(kpi(diff, 'IR-03').verdict).toBe('improved'); // 31.32 h -> 18.22 h
    expect(kpi(diff, 'AC-02').verdict).toBe('worsened'); // 1 -> 2 unapproved accounts
    expect(kpi(diff, 'BK-05').relativeChange).toBe(-1); // 2 -> 0
    expect(kpi(diff, 'BK-05').verdict).toBe('improved');
  });

  it('says only changed/unchanged for KPIs without a direction', () => {
    expect(kpi(diff, 'IR-07').direction).toBe('none'); // info KPI, 7 -> 12
    expect(kpi(diff, 'IR-07').verdict).toBe('changed');
    expect(kpi(diff, 'AC-08').verdict).toBe('unchanged'); // 8 -> 8
    // a value on one side only: changed, never improved or worsened, and no change to show
    expect(kpi(diff, 'GV-16').direction).toBe('higher'); // no data in 2026-Q2 -> 41.7 %
    expect(kpi(diff, 'GV-16').verdict).toBe('changed');
    expect(kpi(diff, 'GV-16').change).toBeNull();
    expect(kpi(diff, 'AW-03').verdict).toBe('changed'); // 78 % -> no data (manual, not yet entered)
    expect(kpi(diff, 'AW-03').change).toBeNull();
    // no KPI lacks data in both fixture reports; 2026-Q3 against itself has AW-03 without data twice
    expect(kpi(diffReports(q3, q3), 'AW-03').verdict).toBe('unchanged');
    expect(kpi(diffReports(q3, q3), 'AW-03').change).toBeNull();
  });

  it('counts verdicts and lists regressions first, then improvements, in catalogue order', () => {
    // CH-03's amber band was tightened from <= 10 (2026-Q2 catalogue) to <= 8: not comparable
    expect(diff.counts).toEqual({
      improved: 32,
      worsened: 9,
      unchanged: 5,
      changed: 9,
      'not-comparable': 1,
      added: 0,
      retired: 0,
      statusWorse: 2,
      // AC-01 12/13 -> 13/16, IR-05 5 -> 2, ...: most changes of a quarter are chance
      notSignificant: 38,
    });
    expect(diff.kpis.slice(0, 11).map((k) => k.id)).toEqual([
      'AC-01',
      'AC-02',
      'AC-09',
      'SU-03',
      'GV-12',
      'GV-14',
      'GV-15',
      'GV-21',
      'GV-22',
      'IR-02',
      'IR-03',
    ]);
    // the unchanged KPIs come last: CH-04, AC-07, AC-08, GV-01, GV-13
    expect(diff.kpis.at(-1)!.id).toBe('GV-13');
  });

  it('a worse status fails --fail-on-regression and a worse value --strict (only if significant)', () => {
    expect(isRegression(diff, {})).toBe(false);
    expect(isRegression(diff, { failOnRegression: true })).toBe(true);
    // none of the nine worsenings is significant
    expect(isRegression(diff, { strict: true })).toBe(false);
    expect(isRegression(diffReports(q2, q3, { tolerance: 0.5, significance: 'off' }), { strict: true })).toBe(
      true,
    );
    expect(isRegression(diffReports(q3, q3), { failOnRegression: true, strict: true })).toBe(false);
  });
});

describe('tolerance', () => {
  it('is relative to the old value: IR-09 fell 2.26 % (31.28 h -> 30.57 h)', () => {
    expect(kpi(diffReports(q2, q3, { tolerance: 2 }), 'IR-09').verdict).toBe('improved');
    expect(kpi(diffReports(q2, q3, { tolerance: 3 }), 'IR-09').verdict).toBe('unchanged');
    expect(kpi(diffReports(q2, q3), 'IR-09').verdict).toBe('improved');
  });

  it('is absolute for old values below 1', () => {
    expect(isBeyondTolerance(0, 0.004, 0.5)).toBe(false);
    expect(isBeyondTolerance(0, 0.006, 0.5)).toBe(true);
    expect(judge(0, 0.006, 'lower', 0.5)).toBe('worsened');
    expect(judge(200, 201, 'higher', 0.5)).toBe('unchanged'); // exactly 0.5 %
    expect(judge(200, 201.2, 'higher', 0.5)).toBe('improved');
  });
});

describe('definition drift', () => {
  const diff = diffReports(q2, changed);

  it('flags the KPI whose definitionHash changed as not comparable and names the changed field', () => {
    const ir02 = kpi(diff, 'IR-02');
    expect(ir02.verdict).toBe('not-comparable');
    expect(ir02.isStatusWorse).toBe(false);
    expect(ir02.segments).toEqual([]);
    expect(ir02.definitionChanges).toEqual([
      {
        field: 'formula',
        old: 'pct(count(incidents, severity == "Critical" and hours(opened, contained) <= 4), count(incidents, severity == "Critical"))',
        new: 'pct(count(incidents, severity == "Critical" and hours(opened, contained) <= 8), count(incidents, severity == "Critical"))',
      },
    ]);
  });

  it('leaves it out of the improved count (32 with the unchanged definition, besides CH-03)', () => {
    expect(diff.counts.improved).toBe(31);
    expect(diff.counts['not-comparable']).toBe(2);
  });

  it('shows the threshold change of CH-03 between the 2026-Q2 and 2026-Q3 catalogues', () => {
    const ch03 = diffReports(q2, q3).kpis.find((k) => k.id === 'CH-03')!;
    expect(ch03.verdict).toBe('not-comparable');
    expect(ch03.definitionChanges.map((c) => c.field)).toEqual(['thresholds']);
  });

  it('reports a threshold change when the hash changed with it', () => {
    const edited = structuredClone(q3);
    const k = edited.kpis.find((x) => x.id === 'CH-01')!;
    k.thresholds = { green: '>= 90', amber: '>= 85', direction: 'higher' };
    k.definitionHash = 'edited';
    expect(kpi(diffReports(q2, edited), 'CH-01').definitionChanges).toEqual([
      {
        field: 'thresholds',
        old: 'higher: green >= 95, amber >= 85',
        new: 'higher: green >= 90, amber >= 85',
      },
    ]);
  });
});

describe('evidence drift', () => {
  it('calls out an identical snapshot file; an identical events file only when it does not reach the new period', () => {
    // The acme events exports cover both quarters (the same files in both reports) and reach into 2026-Q3:
    // not suspicious. The Dependabot snapshot, the exceptions register and the SoA are the same files in
    // both (same sha256): suspicious. The other snapshots (assets, entra, iam, ...) differ.
    expect(diffReports(q2, q3).evidence.map((e) => `${e.code} ${e.source}`)).toEqual([
      'snapshot-unchanged dependabot',
      'snapshot-unchanged exceptions_register',
      'snapshot-unchanged soa',
    ]);
    // An events export whose last row is before the new period was not refreshed.
    const stale = structuredClone(q3);
    stale.sources.find((s) => s.name === 'incidents')!.maxTime = '2026-06-30T10:00:00.000Z';
    expect(diffReports(q2, stale).evidence.map((e) => `${e.code} ${e.source}`)).toEqual([
      'snapshot-unchanged dependabot',
      'snapshot-unchanged exceptions_register',
      'events-file-unchanged incidents',
      'snapshot-unchanged soa',
    ]);
  });

  it('does not call out identical files when both reports are of the same period', () => {
    expect(diffReports(q3, q3).evidence).toEqual([]);
  });

  it('calls out accepted rows that moved by more than 50 % either way (entra had 86 rows in 2026-Q2)', () => {
    const withEntra = (accepted: number) => {
      const copy = structuredClone(q3);
      copy.sources.find((s) => s.name === 'entra')!.accepted = accepted;
      return diffReports(q2, copy).evidence.filter((e) => e.source === 'entra');
    };
    expect(withEntra(79)).toEqual([]); // the real 2026-Q3 count
    expect(withEntra(44)).toEqual([]); // -48.8 %
    expect(withEntra(42).map((e) => [e.code, e.oldAccepted, e.newAccepted])).toEqual([
      ['rows-changed', 86, 42],
    ]); // -51.2 %
    expect(withEntra(130).map((e) => e.code)).toEqual(['rows-changed']); // +51.2 %
  });
});

describe('added and retired KPIs', () => {
  it('lists a KPI only the old report has as retired, and one only the new has as added', () => {
    const newer = structuredClone(q3);
    newer.kpis = newer.kpis.filter((k) => k.id !== 'GV-01');
    newer.kpis.push({ ...structuredClone(newer.kpis[0]!), id: 'IR-99', name: 'New KPI', value: 3 });
    const diff = diffReports(q2, newer);
    expect(diff.retired).toEqual([
      { id: 'GV-01', name: 'Access hygiene exceptions', value: 10, status: 'red' },
    ]);
    expect(diff.added).toEqual([{ id: 'IR-99', name: 'New KPI', value: 3, status: 'info' }]);
    expect(diff.kpis.map((k) => k.id)).not.toContain('GV-01');
    expect(diff.kpis.map((k) => k.id)).not.toContain('IR-99');
    expect([diff.counts.added, diff.counts.retired]).toEqual([1, 1]);
  });
});

describe('segments', () => {
  const diff = diffReports(q2, q3);

  it('compares each segment key by the KPI direction', () => {
    // IR-02 by site: Bremen 66.7 -> 100, Brno 0 -> 100, Leipzig 100 -> 66.7 (higher is better; Leipzig
    // has a target of its own, >= 60, so it stays green but the value worsened)
    expect(kpi(diff, 'IR-02').segments.map((s) => [s.key, s.oldStatus, s.newStatus, s.verdict])).toEqual([
      ['Bremen', 'red', 'green', 'improved'],
      ['Brno', 'red', 'green', 'improved'],
      ['Leipzig', 'green', 'green', 'worsened'],
    ]);
    // IR-05 by site: Bremen 2 -> 1, Brno 2 -> 0, Leipzig 1 -> 1 (lower is better)
    expect(kpi(diff, 'IR-05').segments.map((s) => [s.key, s.oldValue, s.newValue, s.verdict])).toEqual([
      ['Bremen', 2, 1, 'improved'],
      ['Brno', 2, 0, 'improved'],
      ['Leipzig', 1, 1, 'unchanged'],
    ]);
  });

  it('marks a segment present on one side only as changed', () => {
    const newer = structuredClone(q3);
    newer.kpis.find((k) => k.id === 'IR-05')!.segments.pop();
    const leipzig = kpi(diffReports(q2, newer), 'IR-05').segments.find((s) => s.key === 'Leipzig')!;
    expect([leipzig.oldValue, leipzig.newValue, leipzig.newStatus, leipzig.verdict]).toEqual([
      1,
      null,
      null,
      'changed',
    ]);
  });
});

describe('schema versions', () => {
  it('refuses to compare schema versions 1 and 2', () => {
    expect(schemaMismatch(1, 2)).toBe('cannot compare reports of schema versions 1 and 2');
    expect(schemaMismatch(1, 1)).toBeUndefined();
  });
});

describe('baselines in a diff', () => {
  it("carries the new report's change since the baseline (IR-04: 96.179167 h against 160 h in 2025-Q4)", () => {
    const ir04 = diffReports(q2, q3).kpis.find((k) => k.id === 'IR-04')!;
    expect(ir04.sinceBaseline?.value).toBe(160);
    expect(ir04.sinceBaseline?.change).toBeCloseTo(96.179167 - 160, 5);
    expect(renderDiffTable(diffReports(q2, q3))).toContain('IR-04  -63.8 h since 160.0 h (2025-Q4)');
  });
});

describe('significance', () => {
  it('off: no test, no mark, and the header says so', () => {
    const off = diffReports(q2, q3, { tolerance: 0.5, significance: 'off' });
    expect(off.significance).toBe('off');
    expect(off.counts.notSignificant).toBe(0);
    expect(off.kpis.every((k) => k.significance === undefined)).toBe(true);
    const text = renderDiffTable(off);
    expect(text.split('\n')[0]).toBe('2026-Q2 -> 2026-Q3 (tolerance 0.5 %, significance off)');
    expect(text).not.toContain('not significant');
  });

  it('marks segments too: IR-02 Brno 0 of 1 -> 2 of 2 is not significant', () => {
    const brno = kpi(diffReports(q2, q3), 'IR-02').segments.find((s) => s.key === 'Brno')!;
    expect(brno.verdict).toBe('improved');
    expect(brno.significance).toMatchObject({ significant: false, method: 'Fisher exact test' });
  });
});
