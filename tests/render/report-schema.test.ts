/** The JSON report validates against docs/report.schema.json, and the schema is strict enough to matter. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../src/render/json.js';
import { catalogueYaml, csv, writeProject } from '../formula/harness.js';
import { runCli } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { REPO, runBundled } from './bundled.js';
import { validate } from './json-schema-subset.js';

const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'docs', 'report.schema.json'), 'utf8'));
const saved = (report: unknown) => JSON.parse(renderJson(report as never)) as Record<string, unknown>;

describe('docs/report.schema.json', () => {
  let bundled: Record<string, unknown>;
  beforeAll(async () => {
    bundled = saved((await runBundled()).report);
  });

  it('accepts the bundled 2026-Q3 report', () => {
    expect(validate(schema, bundled)).toEqual([]);
  });

  it('accepts a report with --timestamp and the bundled 2026-Q2 report', async () => {
    expect(
      validate(schema, saved((await runBundled({ timestamp: '2026-10-01T08:00:00.000Z' })).report)),
    ).toEqual([]);
    const q2 = await run({ catalogue: 'metrics.yaml', cwd: REPO, period: '2026-Q2', now: 0 });
    expect(validate(schema, saved(q2.report))).toEqual([]);
  });

  it('accepts a report with stale, no-data and divide-by-zero KPIs', async () => {
    const source = `  events:
    path: events.csv
    kind: events
    time_field: at
    fields:
      at: { type: datetime, format: yyyy-MM-dd }
      ok: { type: boolean }
`;
    const dir = writeProject({
      'metrics.yaml': catalogueYaml(source, [
        {
          id: 'S1',
          formula: 'pct(count(events, ok), count(events))',
          cadence: 'monthly',
          thresholds: { green: '>= 90' },
        },
        { id: 'Z1', formula: 'pct(count(events, ok), count(events, not ok))' },
      ]),
      'events.csv': csv([
        ['at', 'ok'],
        ['2026-07-02', 'true'],
        ['2026-07-03', 'true'],
      ]),
    });
    try {
      const result = await run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q3', now: 0 });
      expect(result.report.kpis.map((k) => k.status)).toEqual(['stale', 'no-data']);
      expect(validate(schema, saved(result.report))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a report with a missing field, an unknown field or a wrong value', () => {
    const { kpis: _kpis, ...withoutKpis } = bundled;
    expect(validate(schema, withoutKpis)).toEqual(['$: missing required "kpis"']);
    expect(validate(schema, { ...bundled, extra: 1 })).toEqual(['$: unexpected property "extra"']);
    const kpis = structuredClone(bundled.kpis) as Record<string, unknown>[];
    kpis[0]!.status = 'purple';
    kpis[1]!.value = '87.5';
    expect(validate(schema, { ...bundled, kpis })).toEqual([
      '$.kpis[0].status: "purple" is not one of ["green","amber","red","no-data","stale","info"]',
      '$.kpis[1].value: expected number or null, got string',
    ]);
    expect(validate(schema, { ...bundled, schemaVersion: 2 })).toEqual(['$.schemaVersion: expected 1']);
  });
});

describe('history and baselines in the saved report', () => {
  it('report --history and --baseline output validates, with each KPI’s earlier values and the change since the baseline', async () => {
    const r = await runCli([
      'report',
      '--history',
      'fixtures/reports/2026-Q2.json',
      '--baseline',
      'fixtures/reports/2026-Q2.json',
      '--format',
      'json',
      '--fail-on',
      'never',
    ]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(validate(schema, report)).toEqual([]);
    const ac03 = report.kpis.find((k: { id: string }) => k.id === 'AC-03');
    // AWS MFA: 36 of 41 in 2026-Q2, 37 of 40 in 2026-Q3 (fixtures/acme/README.md); a snapshot KPI, so its
    // trend comes from the history
    expect(ac03.history).toHaveLength(1);
    expect(ac03.history[0].period).toBe('2026-Q2');
    expect(ac03.history[0].value).toBeCloseTo((100 * 36) / 41, 9);
    expect(ac03.trend).toBe('up');
    expect(ac03.sinceBaseline.change).toBeCloseTo((100 * 37) / 40 - (100 * 36) / 41, 9);
  });
});
