/**
 * `period_offset:` on a snapshot source (issue 22): the file of an earlier period is read, so a formula can
 * compare two snapshots of one register (the risk register at this review and at the previous one). The
 * path is filled for the earlier period, the snapshot is as of that period's end and judged stale against
 * it, a missing earlier file of an optional source is no data, and the catalogue refuses the key where it
 * cannot mean anything.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, IsmsKpiError } from '../../src/problems.js';
import { fillPathTemplate, type PathSource } from '../../src/sources/path-template.js';
import { type Period, parsePeriod } from '../../src/time/period.js';
import { loadCatalogue, run } from '../helpers/run.js';

const period = (label: string): Period => {
  const parsed = parsePeriod(label, { tz: 'UTC', fiscalYearStartMonth: 1 });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.period;
};
const source = (pathTemplate: string, extra: Partial<PathSource> = {}): PathSource => ({
  pathTemplate,
  kind: 'snapshot',
  oneFilePer: undefined,
  fiscalYearStart: 1,
  ...extra,
});

describe('the file of an earlier period', () => {
  it('is the previous period of the same kind, across a year boundary, and n periods back', () => {
    const q3 = fillPathTemplate(source('risks-{period}.csv', { periodOffset: -1 }), period('2026-Q3'));
    expect(q3.ok && q3.file).toBe('risks-2026-Q2.csv');
    expect(q3.ok && q3.named.label).toBe('2026-Q2');
    expect(q3.ok && q3.named.end).toBe(Date.UTC(2026, 6, 1));
    const q1 = fillPathTemplate(
      source('{year}/risks-q{quarter}.csv', { periodOffset: -1 }),
      period('2026-Q1'),
    );
    expect(q1.ok && q1.file).toBe('2025/risks-q4.csv');
    const back2 = fillPathTemplate(source('risks-{period}.csv', { periodOffset: -2 }), period('2026-Q3'));
    expect(back2.ok && back2.file).toBe('risks-2026-Q1.csv');
  });

  it('with one_file_per, is the unit before the one holding the reported period', () => {
    const september = fillPathTemplate(
      source('risks-{period}.csv', { oneFilePer: 'quarter', periodOffset: -1 }),
      period('2026-09'),
    );
    expect(september.ok && september.file).toBe('risks-2026-Q2.csv');
  });
});

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-period-offset-'));
  writeFileSync(
    path.join(tmp, 'risks-2026-Q2.csv'),
    ['id,level', 'R-1,high', 'R-2,high', 'R-3,critical', 'R-4,low'].join('\n'),
  );
  writeFileSync(
    path.join(tmp, 'risks-2026-Q3.csv'),
    ['id,level', 'R-1,medium', 'R-2,high', 'R-3,critical', 'R-4,high', 'R-5,high'].join('\n'),
  );
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function catalogue(previous: string, extraKpis = ''): string {
  return `organisation: Test
timezone: UTC
sources:
  risks:
    path: risks-{period}.csv
    kind: snapshot
    fields: { id: { required: true }, level: { type: enum, values: [low, medium, high, critical] } }
  before:
    path: risks-{period}.csv
    kind: snapshot
${previous}
    fields: { id: { required: true }, level: { type: enum, values: [low, medium, high, critical] } }
kpis:
  - id: REDUCED
    name: High risks of the previous review now below high
    owner: CISO
    cadence: quarterly
    unit: count
    formula: count(before, level in ["high", "critical"] and exists(risks, risks.id == before.id and risks.level in ["low", "medium"]))
  - id: PERSISTING
    name: High at both reviews
    owner: CISO
    cadence: quarterly
    unit: count
    formula: count(risks, level in ["high", "critical"] and exists(before, before.id == risks.id and before.level in ["high", "critical"]))
${extraKpis}`;
}

async function write(name: string, text: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmp, `${name}-`));
  writeFileSync(
    path.join(dir, 'metrics.yaml'),
    text.replaceAll('risks-{period}.csv', `${tmp}/risks-{period}.csv`),
  );
  return dir;
}

describe('comparing two snapshots of a register', () => {
  it('reads this quarter and the previous one, as of each one’s end', async () => {
    const dir = await write('values', catalogue('    period_offset: -1'));
    const { report } = await run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q3' });
    // R-1 went from high to medium; stayed high or critical; are high only now.
    expect(report.kpis.map((k) => [k.id, k.value, k.status])).toEqual([
      ['REDUCED', 1, 'info'],
      ['PERSISTING', 2, 'info'],
    ]);
    const byName = new Map(report.sources.map((s) => [s.name, s]));
    expect(byName.get('before')).toMatchObject({ asOf: '2026-06-30', asOfSource: 'path', rowsRead: 4 });
    expect(byName.get('before')!.file).toMatch(/risks-2026-Q2\.csv$/);
    expect(byName.get('risks')).toMatchObject({ asOf: '2026-09-30', rowsRead: 5 });
  });

  it('gives no data when the earlier file of an optional source is missing (the first review)', async () => {
    const dir = await write('first', catalogue('    period_offset: -1\n    optional: true'));
    const { report } = await run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q2' });
    for (const kpi of report.kpis) {
      expect(kpi.value).toBeNull();
      expect(kpi.status).toBe('no-data');
      expect(kpi.reason).toContain('risks-2026-Q1.csv not found (optional source before)');
    }
  });

  it('judges staleness against the earlier period: an as_of that does not fit it is stale', async () => {
    const dir = await write(
      'stale',
      catalogue('    period_offset: -1\n    as_of: 2026-09-30').replace(
        '    unit: count\n    formula: count(before',
        '    unit: count\n    thresholds: { green: ">= 1" }\n    formula: count(before',
      ),
    );
    const { report } = await run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q3' });
    const reduced = report.kpis.find((k) => k.id === 'REDUCED')!;
    expect(reduced.status).toBe('stale');
    expect(reduced.reason).toBe(
      'the before snapshot is from 2026-09-30, 92 days after 2026-Q2 ends (more than one day); the value would be green',
    );
  });
});

describe('the catalogue refuses period_offset', () => {
  async function problems(text: string): Promise<string[]> {
    const dir = mkdtempSync(path.join(tmp, 'bad-'));
    writeFileSync(path.join(dir, 'metrics.yaml'), text);
    try {
      await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir });
    } catch (error) {
      if (error instanceof IsmsKpiError) return error.problems.map(formatProblem);
      throw error;
    }
    throw new Error('expected the catalogue to be refused');
  }

  it('on a path without a period token, on an events source, and outside -12..-1', async () => {
    const fixed = await problems(
      catalogue('    period_offset: -1').replace(/risks-\{period\}\.csv/g, 'risks.csv'),
    );
    expect(fixed).toEqual([
      expect.stringMatching(
        /^metrics\.yaml:\d+:\d+: source before: period_offset: -1 reads the file of an earlier period, and risks\.csv has no period token/,
      ),
    ]);
    const events = await problems(
      catalogue('    period_offset: -1')
        .replace(
          '  before:\n    path: risks-{period}.csv\n    kind: snapshot',
          '  before:\n    path: risks-{period}.csv\n    kind: events\n    time_field: seen',
        )
        .replace(
          '    fields: { id: { required: true }, level: { type: enum, values: [low, medium, high, critical] } }\nkpis:',
          '    fields: { id: { required: true }, seen: { type: datetime }, level: { type: enum, values: [low, medium, high, critical] } }\nkpis:',
        ),
    );
    expect(events).toEqual([expect.stringContaining('source before: period_offset is for snapshots')]);
    const zero = await problems(catalogue('    period_offset: 0'));
    expect(zero).toHaveLength(1);
    expect(zero[0]).toMatch(/source before: period_offset: must be a whole number from -1 .* to -12$/);
  });
});
