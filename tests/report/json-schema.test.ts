/**
 * docs/report.schema.json is generated from the report's zod schema (src/report/model.ts): this fails
 * when the committed file is out of date, and checks with a real JSON Schema validator (ajv, draft
 * 2020-12) that every saved report we ship or write validates, that the schema is strict where it
 * should be and open to unknown fields, and that it accepts exactly what readReport accepts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../src/render/json.js';
import { REPORT_SCHEMA_ID, reportJsonSchemaText } from '../../src/report/json-schema.js';
import { readReport } from '../../src/report/read.js';
import { catalogueYaml, csv, writeProject } from '../formula/harness.js';
import { run } from '../helpers/run.js';
import { GOLDEN, REPO, runBundled } from '../render/bundled.js';

const SCHEMA_FILE = path.join(REPO, 'docs', 'report.schema.json');
const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');
const schema = JSON.parse(committed) as Record<string, unknown>;
const validator = new Ajv2020({ allErrors: true }).compile(schema);

/** ajv's complaints about the data, one per line; empty when it validates. */
function problems(data: unknown): string[] {
  return validator(data) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

type Json = Record<string, unknown> & { kpis: Record<string, unknown>[]; sources: Record<string, unknown>[] };
const saved = (report: unknown) => JSON.parse(renderJson(report as never)) as Json;
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Json;

describe('docs/report.schema.json', () => {
  it('is up to date with src/report/model.ts', () => {
    expect(
      committed === reportJsonSchemaText(),
      'docs/report.schema.json is out of date with src/report/model.ts: regenerate it with `npm run docs:schema`',
    ).toBe(true);
  });

  it('is a draft 2020-12 schema with the $id that docs/report-format.md names', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(REPORT_SCHEMA_ID);
    expect(schema.title).toBe('isms-kpi report');
    expect(fs.readFileSync(path.join(REPO, 'docs', 'report-format.md'), 'utf8')).toContain(REPORT_SCHEMA_ID);
  });

  it('closes no object to unknown fields, and describes every object of the report', () => {
    const closed: string[] = [];
    const objects: string[] = [];
    const maps: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      // A map (field name -> value) describes its entries with additionalProperties; it is not closed.
      const isMap = typeof n.additionalProperties === 'object' && n.properties === undefined;
      if (isMap) maps.push(at);
      else if ('additionalProperties' in n || 'unevaluatedProperties' in n) closed.push(at);
      if (n.type === 'object' && !isMap) objects.push(at);
      for (const [key, child] of Object.entries(n)) walk(child, `${at}/${key}`);
    };
    walk(schema, '#');
    expect(closed).toEqual([]);
    // the report, tool, document, catalogue, period, summary, source, aggregate, segment, window, kpi,
    // thresholds, baseline, previous, trendVerdict and its against, sinceBaseline and history entries,
    // the files of a source read from several, a KPI's decision, roles and exceptions, a segment's
    // thresholds, an objective, its KPIs and their forecast, a KPI's manual values, a KPI's interval,
    // a significance test (trend verdict), a KPI's persistence, a corrective action's verdict with its
    // before, now and significance
    expect(objects).toHaveLength(34);
    // The one map: a segment's keys by field name (several segment fields).
    expect(maps).toEqual(['#/$defs/segment/properties/keys']);
  });
});

describe('every saved report validates', () => {
  let bundled: Json;
  beforeAll(async () => {
    bundled = saved((await runBundled()).report);
  });

  it('the golden JSON reports and the fixture reports', () => {
    const files = [
      ...fs.readdirSync(GOLDEN).map((n) => path.join(GOLDEN, n)),
      ...fs
        .readdirSync(path.join(REPO, 'fixtures', 'reports'))
        .map((n) => path.join(REPO, 'fixtures', 'reports', n)),
    ]
      // biome.json: linter config; .oscal.json: the OSCAL document (tests/render/oscal.test.ts validates it)
      .filter((f) => f.endsWith('.json') && path.basename(f) !== 'biome.json' && !f.endsWith('.oscal.json'));
    expect(files.map((f) => path.basename(f)).sort()).toEqual([
      '2026-Q2.json',
      '2026-Q3-changed-definition.json',
      '2026-Q3.json',
      '2026-Q3.json',
    ]);
    for (const file of files) expect([file, problems(readJson(file))]).toEqual([file, []]);
  });

  it('the bundled 2026-Q3 report, with --timestamp, and the bundled 2026-Q2 report', async () => {
    expect(problems(bundled)).toEqual([]);
    const stamped = saved((await runBundled({ timestamp: '2026-10-01T08:00:00.000Z' })).report);
    expect(stamped.generatedAt).toBe('2026-10-01T08:00:00.000Z');
    expect(problems(stamped)).toEqual([]);
    const q2 = await run({ catalogue: 'metrics.yaml', cwd: REPO, period: '2026-Q2' });
    expect(problems(saved(q2.report))).toEqual([]);
  });

  it('a report with stale, no-data and divide-by-zero KPIs', async () => {
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
      const result = await run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q3' });
      expect(result.report.kpis.map((k) => k.status)).toEqual(['stale', 'no-data']);
      expect(result.report.kpis[0]!.judgement).toBe('green');
      expect(problems(saved(result.report))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('report --history and --baseline output, with each KPI’s earlier values and the change since the baseline', () => {
    const r = spawnSync(
      process.execPath,
      [
        path.join(REPO, 'bin', 'isms-kpi.js'),
        'report',
        '--history',
        'fixtures/reports/2026-Q2.json',
        '--baseline',
        'fixtures/reports/2026-Q2.json',
        '--format',
        'json',
        '--fail-on',
        'never',
      ],
      { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(problems(report)).toEqual([]);
    const ac03 = report.kpis.find((k: { id: string }) => k.id === 'AC-03');
    // AWS MFA: 36 of 41 in 2026-Q2, 37 of 40 in 2026-Q3 (fixtures/acme/README.md); a snapshot KPI, so its
    // trend comes from the history
    expect(ac03.history).toHaveLength(1);
    expect(ac03.history[0].period).toBe('2026-Q2');
    expect(ac03.history[0].value).toBeCloseTo((100 * 36) / 41, 9);
    expect(ac03.trend).toBe('up');
    expect(ac03.sinceBaseline.change).toBeCloseTo((100 * 37) / 40 - (100 * 36) / 41, 9);
  });

  describe('and the schema is strict enough to matter, and agrees with readReport', () => {
    /** Mutations of the bundled report: whether each is still a valid report. */
    const cases: [string, boolean, (d: Json) => void][] = [
      ['unchanged', true, () => {}],
      ['an unknown field at the top level', true, (d) => (d.reviewedBy = 'CISO')],
      ['an unknown field in a KPI', true, (d) => (d.kpis[0]!.confidence = 'high')],
      ['an unknown field in a source', true, (d) => (d.sources[0]!.encoding = 'utf-8')],
      ['an unknown field in a segment', true, (d) => ((d.kpis[0]!.segments as Json[])[0]!.note = 'x')],
      ['no kpis', false, (d) => delete (d as Partial<Json>).kpis],
      ['a KPI without value', false, (d) => delete d.kpis[3]!.value],
      ['a purple status', false, (d) => (d.kpis[0]!.status = 'purple')],
      ['a value as text', false, (d) => (d.kpis[1]!.value = '87.5')],
      ['a null value', true, (d) => (d.kpis[1]!.value = null)],
      ['a trend of null', true, (d) => (d.kpis[1]!.trend = null)],
      ['no thresholds (null)', true, (d) => (d.kpis[1]!.thresholds = null)],
      ['a fractional row count', false, (d) => (d.sources[0]!.rowsRead = 1.5)],
      ['a negative row count', false, (d) => (d.sources[0]!.accepted = -1)],
      [
        'an upper-case sha256',
        false,
        (d) => (d.sources[0]!.sha256 = String(d.sources[0]!.sha256).toUpperCase()),
      ],
      ['an unknown cadence', false, (d) => (d.kpis[0]!.cadence = 'daily')],
      ['another tool', false, (d) => (d.tool = { name: 'other', version: '1' })],
      ['schemaVersion 2', false, (d) => (d.schemaVersion = 2)],
      ['a summary without no-data', false, (d) => delete (d.summary as Record<string, unknown>)['no-data']],
    ];

    for (const [name, valid, mutate] of cases) {
      it(`${valid ? 'accepts' : 'refuses'} ${name}`, () => {
        const d = structuredClone(bundled);
        mutate(d);
        expect(problems(d).length === 0, problems(d).join('; ')).toBe(valid);
        const read = readReport(JSON.stringify(d), 'r.json');
        expect(read.ok, read.ok ? '' : read.problem.message).toBe(valid);
      });
    }
  });
});
