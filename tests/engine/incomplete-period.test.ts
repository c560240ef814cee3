/**
 * A period that has not ended (issue 14, point 5): the report says so in every format, judges no trend,
 * and a saved report of such a period is neither a baseline nor a history point.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { writeProject } from '../formula/harness.js';
import { REPO, runCli } from '../helpers/cli.js';

/** 2026-Q3 computed in mid-September: IR-01 has monthly windows, IR-05 compares with the previous quarter. */
const MID_Q3 = ['--period', '2026-Q3', '--today', '2026-09-15', '--kpi', 'IR-01', '--kpi', 'IR-05'];
const NOTE =
  'Incomplete period: 2026-Q3 runs to 2026-09-30 and was computed on 2026-09-15; values cover only part of it and no trend is judged';

async function json(args: string[], now?: number): Promise<Report> {
  const r = await runCli(['report', '--format', 'json', '--fail-on', 'never', ...args], {
    ...(now !== undefined ? { now } : {}),
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

describe('a report for a period that has not ended', () => {
  it('is marked incomplete with the day it was computed, and judges no trend', async () => {
    const report = await json(MID_Q3);
    expect(report.period.complete).toBe(false);
    expect(report.period.computedOn).toBe('2026-09-15');
    for (const kpi of report.kpis) {
      expect(kpi.trend, kpi.id).toBeNull();
      expect(kpi.previous, kpi.id).toBeUndefined();
      expect(kpi.trendNote, kpi.id).toBe('incomplete: 2026-Q3 has not ended (computed on 2026-09-15)');
    }
    // The windows are still computed: only the verdict on them is withheld.
    expect(report.kpis.find((k) => k.id === 'IR-01')!.windows.map((w) => w.label)).toEqual([
      '2026-07',
      '2026-08',
      '2026-09',
    ]);
  });

  it("uses the app's clock when --today is not given", async () => {
    const report = await json(['--period', '2026-Q3', '--kpi', 'IR-05'], Date.UTC(2026, 8, 15));
    expect(report.period).toMatchObject({ complete: false, computedOn: '2026-09-15' });
  });

  it('is complete from the day after its last day (--today 2026-10-01), with trends', async () => {
    const report = await json(['--period', '2026-Q3', '--today', '2026-10-01', '--kpi', 'IR-05']);
    expect(report.period.complete).toBe(true);
    expect(report.period.computedOn).toBeUndefined();
    expect(report.kpis[0]).toMatchObject({ trend: 'down', previous: { period: '2026-Q2', value: 5 } });
    expect(report.kpis[0]!.trendNote).toBeUndefined();
  });

  it('says so in every format', async () => {
    const out = async (format: string) =>
      (await runCli(['report', ...MID_Q3, '--format', format, '--fail-on', 'never'])).stdout;
    // the table wraps its lines to 120 columns: continuation lines are indented by four spaces
    expect((await out('table')).replace(/\n {4}/g, ' ')).toContain(NOTE);
    expect(await out('markdown')).toContain(NOTE);
    expect(await out('html')).toContain(NOTE);
    const junit = await out('junit');
    expect(junit).toContain('<property name="period-complete" value="false"/>');
    expect(junit).toContain('<property name="computed-on" value="2026-09-15"/>');
    expect(junit).toMatch(/<testsuites name="[^"]* 2026-Q3 \(incomplete, computed on 2026-09-15\)"/);
    const csv = (await out('csv')).replace(/^\uFEFF/, '').split('\r\n');
    const header = csv[0]!.split(',');
    const first = csv[1]!.split(',');
    expect(first[header.indexOf('period_complete')]).toBe('false');
    expect(first[header.indexOf('computed_on')]).toBe('2026-09-15');
    expect(first[header.indexOf('trend_note')]).toBe(
      'incomplete: 2026-Q3 has not ended (computed on 2026-09-15)',
    );
  });

  it('refuses a --today that is not a date', async () => {
    const r = await runCli(['report', '--today', '15.09.2026']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --today: "15.09.2026" is not a date like 2026-10-01\n');
  });
});

describe('a saved report of an incomplete period', () => {
  let dir: string;
  const catalogue = path.join(REPO, 'metrics.yaml');
  beforeAll(async () => {
    dir = writeProject({});
    fs.mkdirSync(path.join(dir, 'partial'));
    fs.mkdirSync(path.join(dir, 'complete'));
    const save = async (file: string, period: string, today: string) => {
      const r = await runCli(
        ['report', '-c', catalogue, '--period', period, '--today', today, '--output', file, '--quiet'],
        { cwd: dir },
      );
      expect(r.stderr).toBe('');
    };
    await save('partial/2026-Q2.json', '2026-Q2', '2026-06-20');
    await save('partial/2026-Q3.json', '2026-Q3', '2026-10-02');
    await save('complete/2026-Q2.json', '2026-Q2', '2026-07-02');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const q3 = (args: string[]) =>
    runCli(['report', '-c', catalogue, '--period', '2026-Q3', '--format', 'json', ...args], { cwd: dir });
  const partialQ2 = path.join('partial', '2026-Q2.json');
  const why = '2026-Q2 had not ended when this report was computed (2026-06-20)';

  it('is not a history point (and says so); a complete one is', async () => {
    const skipped = await q3(['--kpi', 'AC-02', '--history', 'partial']);
    expect(skipped.stderr).toBe(
      `warning: ${partialQ2}: skipped in --history: ${why}: an incomplete period is not a history point\n`,
    );
    const ac02 = (JSON.parse(skipped.stdout) as Report).kpis[0]!;
    expect(ac02.history).toBeUndefined();
    expect(ac02.trend).toBeNull();

    const used = await q3(['--kpi', 'AC-02', '--history', 'complete']);
    expect(used.stderr).toBe('');
    const history = (JSON.parse(used.stdout) as Report).kpis[0]!.history;
    expect(history).toEqual([{ period: '2026-Q2', value: 1 }]);
  });

  it('is not a baseline (and says so): the catalogue baseline is used instead', async () => {
    const r = await q3(['--kpi', 'IR-04', '--baseline', partialQ2]);
    expect(r.stderr).toBe(
      `warning: ${partialQ2}: not used as --baseline: ${why}: an incomplete period is not a baseline\n`,
    );
    const ir04 = (JSON.parse(r.stdout) as Report).kpis[0]!;
    expect(ir04.sinceBaseline).toMatchObject({ from: 'catalogue', value: 160, period: '2025-Q4' });
  });

  it('is left out of `trend`, with a warning', async () => {
    const r = await runCli(['trend', 'partial'], { cwd: dir });
    expect(r.stderr).toBe(
      `warning: ${partialQ2}: skipped: ${why}: an incomplete period is not a history point\n`,
    );
    expect(r.stdout.split('\n')[0]).toMatch(/^KPI +2026-Q3$/);
  });
});
