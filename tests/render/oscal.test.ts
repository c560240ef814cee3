/**
 * `report --format oscal`: the document validates against NIST's OSCAL complete JSON Schema 1.1.3
 * (vendored in tests/fixtures/oscal/, see its PROVENANCE.md), carries one observation per KPI and the
 * Annex A controls, maps control statuses to finding states as documented, points at evidence whose
 * sha256 is the file's, and is reproducible byte for byte.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatForFile } from '../../src/render/index.js';
import { OSCAL_NS, renderOscal } from '../../src/render/oscal.js';
import type { Report } from '../../src/report/model.js';
import { REPO, runCli } from '../helpers/cli.js';
import { runBundled } from './bundled.js';
import { withHostile } from './hostile-project.js';

// ajv-formats is CommonJS; its default export is the plugin function.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let validate: ValidateFunction;
let report: Report;
let tmp = '';

beforeAll(async () => {
  const schema = JSON.parse(
    readFileSync(path.join(REPO, 'tests', 'fixtures', 'oscal', 'oscal_complete_schema-1.1.3.json'), 'utf8'),
  );
  // The schema is draft-07 (ajv's default) and writes Unicode property escapes (\p{L}) in its patterns,
  // which ajv compiles with the `u` flag (unicodeRegExp, on by default); ajv-formats checks date-time,
  // email, uri and uri-reference. Strict mode stays on: the schema compiles without a complaint.
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  validate = ajv.compile(schema);
  report = (await runBundled()).report;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-oscal-'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** ajv's complaints, one per line; empty when the document is valid OSCAL. */
function problems(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** The parts of an OSCAL assessment-results document the tests read. */
interface Prop {
  name: string;
  ns: string;
  value: string;
}
interface Observation {
  uuid: string;
  props?: Prop[];
  methods: string[];
  'relevant-evidence'?: { href: string }[];
}
interface Finding {
  target: {
    type: string;
    'target-id': string;
    props?: Prop[];
    status: { state: string; reason: string };
  };
  'related-observations': { 'observation-uuid': string }[];
}
interface Resource {
  uuid: string;
  rlinks: [{ href: string; hashes: [{ algorithm: string; value: string }] }];
}
interface AssessmentResults {
  uuid: string;
  metadata: {
    title: string;
    version: string;
    'oscal-version': string;
    'last-modified': string;
    props?: Prop[];
  };
  'import-ap': { href: string };
  results: [
    {
      start: string;
      end: string;
      observations: Observation[];
      findings?: Finding[];
      'reviewed-controls': {
        'control-selections': [{ 'include-controls': { 'control-id': string }[] }];
      };
    },
  ];
  'back-matter': { resources: Resource[] };
}
type Doc = { 'assessment-results': AssessmentResults };
const parse = (text: string): Doc => JSON.parse(text);
const ar = (text: string) => parse(text)['assessment-results'];
const prop = (item: { props?: { name: string; ns: string; value: string }[] }, name: string) =>
  item.props?.find((p) => p.name === name && p.ns === OSCAL_NS)?.value;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('OSCAL assessment results of the bundled 2026-Q3 report', () => {
  it('validate against the official schema, with and without findings', () => {
    const plain = parse(renderOscal(report));
    expect(problems(plain)).toEqual([]);
    const withFindings = parse(renderOscal(report, { findings: true }));
    expect(problems(withFindings)).toEqual([]);
    expect(withFindings['assessment-results'].results[0].findings?.length).toBeGreaterThan(10);
    expect(plain['assessment-results'].results[0].findings).toBeUndefined();
  });

  it('a document that breaks the schema is refused (the validator checks the data)', () => {
    const broken = parse(renderOscal(report));
    broken['assessment-results'].uuid = 'not-a-uuid';
    broken['assessment-results'].results[0].observations[0]!.methods = [];
    expect(problems(broken).length).toBeGreaterThanOrEqual(2);
  });

  it('metadata: title, version and oscal-version from the catalogue, last-modified at the period end', () => {
    const { metadata } = ar(renderOscal(report));
    expect(metadata.title).toBe(
      'ISMS performance report: ACME Precision Components GmbH (fictional), 2026-Q3',
    );
    expect(metadata.version).toBe('1.0');
    expect(metadata['oscal-version']).toBe('1.1.3');
    expect(metadata['last-modified']).toBe(report.period.end);
    expect(prop(metadata, 'catalogue-sha256')).toBe(report.catalogue.sha256);
  });

  it('one result for the period, and an observation per KPI with its facts as isms-kpi props', () => {
    const [result, ...more] = ar(renderOscal(report)).results;
    expect(more).toEqual([]);
    expect([result.start, result.end]).toEqual([report.period.start, report.period.end]);
    expect(result.observations).toHaveLength(report.kpis.length);
    for (const [i, kpi] of report.kpis.entries()) {
      const o = result.observations[i]!;
      expect(prop(o, 'kpi-id')).toBe(kpi.id);
      expect(prop(o, 'status')).toBe(kpi.status);
      expect(prop(o, 'value')).toBe(kpi.value === null ? undefined : String(kpi.value));
      expect(prop(o, 'numerator')).toBe(kpi.numerator === undefined ? undefined : String(kpi.numerator));
      expect(prop(o, 'denominator')).toBe(
        kpi.denominator === undefined ? undefined : String(kpi.denominator),
      );
      expect(prop(o, 'definition-hash')).toBe(kpi.definitionHash);
      expect(o.methods).toEqual(['EXAMINE']);
    }
    // The bundled report has ratios and a KPI without data: the props above were really compared.
    expect(report.kpis.some((k) => k.numerator !== undefined)).toBe(true);
    expect(report.kpis.some((k) => k.value === null)).toBe(true);
  });

  it('reviewed controls: the Annex A controls the KPIs name, lower-cased; other frameworks are left out', () => {
    const { results } = ar(renderOscal(report));
    const ids = results[0]['reviewed-controls']['control-selections'][0]['include-controls'].map(
      (c: { 'control-id': string }) => c['control-id'],
    );
    const named = new Set(report.kpis.flatMap((k) => k.controls).filter((c) => /^A\.\d+\.\d+$/.test(c)));
    expect(new Set(ids)).toEqual(new Set([...named].map((c) => c.toLowerCase())));
    expect(ids).toContain('a.5.18');
    expect(ids.some((id: string) => id.includes('nist'))).toBe(false);
    expect(report.kpis.some((k) => k.controls.some((c) => c.startsWith('nist-csf:')))).toBe(true);
  });

  it('findings: satisfied only for green; the worst status of the control decides', () => {
    const findings = ar(renderOscal(report, { findings: true })).results[0].findings!;
    const byControl = new Map(findings.map((f) => [prop(f.target, 'control'), f.target]));
    const expectTarget = (control: string, status: string, state: string, reason: string) => {
      const target = byControl.get(control)!;
      expect(target, control).toBeDefined();
      expect([prop(target, 'status'), target.status.state, target.status.reason], control).toEqual([
        status,
        state,
        reason,
      ]);
      expect(target.type).toBe('objective-id');
      expect(target['target-id']).toBe(`${control.toLowerCase()}_obj`);
    };
    expectTarget('A.5.18', 'red', 'not-satisfied', 'fail'); // AC-01, AC-02 red among ambers
    expectTarget('A.5.17', 'amber', 'not-satisfied', 'other'); // AC-03, AC-04 amber
    expectTarget('A.5.24', 'green', 'satisfied', 'pass'); // IR-05 green, IR-01 and IR-06 informational
    expectTarget('A.5.21', 'info', 'not-satisfied', 'other'); // informational KPIs only (IR-07)
    expectTarget('A.6.3', 'red', 'not-satisfied', 'fail'); // TR-01 red beside AW-03 without data
    expectTarget('A.8.16', 'green', 'satisfied', 'pass'); // IR-03 green; the draft IR-10 does not judge
    // A.6.3 without its red and amber KPIs: AW-03 without data is worse than the green AW-01 and TR-02,
    // and the draft IR-10 does not judge.
    const a63 = report.kpis.filter((k) => ['AW-01', 'TR-02', 'AW-03', 'IR-10'].includes(k.id));
    expect(a63.map((k) => [k.id, k.status, k.lifecycle ?? 'active'])).toEqual([
      ['IR-10', 'info', 'draft'],
      ['AW-01', 'green', 'active'],
      ['TR-02', 'green', 'active'],
      ['AW-03', 'no-data', 'active'],
    ]);
    const local = ar(renderOscal({ ...report, kpis: a63 }, { findings: true })).results[0].findings!;
    const a63Target = local.find((f) => prop(f.target, 'control') === 'A.6.3')!.target;
    expect([prop(a63Target, 'status'), a63Target.status.state, a63Target.status.reason]).toEqual([
      'no-data',
      'not-satisfied',
      'other',
    ]);
    // Every finding points at the observations of the control's KPIs.
    const observations = new Set(
      ar(renderOscal(report, { findings: true })).results[0].observations.map(
        (o: { uuid: string }) => o.uuid,
      ),
    );
    for (const f of findings)
      for (const r of f['related-observations']) expect(observations.has(r['observation-uuid'])).toBe(true);
  });

  it('UUIDs are version 5, unique, and the same in two runs; --timestamp moves only the times', async () => {
    const first = renderOscal(report, { findings: true });
    const again = renderOscal((await runBundled()).report, { findings: true });
    expect(again).toBe(first);
    const uuids = [...first.matchAll(/"(?:uuid|observation-uuid)": "([^"]+)"/g)].map((m) => m[1]);
    const distinct = new Set(first.match(/"uuid": "[^"]+"/g));
    expect(distinct.size).toBe(first.match(/"uuid": "[^"]+"/g)!.length);
    for (const u of uuids)
      expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const stamped = renderOscal((await runBundled({ timestamp: '2026-10-01T08:00:00.000Z' })).report);
    expect(ar(stamped).metadata['last-modified']).toBe('2026-10-01T08:00:00.000Z');
    expect(stamped.replaceAll('2026-10-01T08:00:00.000Z', report.period.end)).toBe(renderOscal(report));
  });

  it('an .oscal.json file is OSCAL; a .json file stays the JSON report', () => {
    expect(formatForFile('audit/2026-Q3.oscal.json')).toBe('oscal');
    expect(formatForFile('AUDIT.OSCAL.JSON')).toBe('oscal');
    expect(formatForFile('audit/2026-Q3.json')).toBe('json');
    expect(formatForFile('audit.ciso-assistant.csv')).toBe('ciso-assistant');
    expect(formatForFile('audit.csv')).toBe('csv');
  });

  it('catalogue texts with control characters and line breaks still give a valid document', async () => {
    const text = await withHostile(async (result) => renderOscal(result.report, { findings: true }));
    expect(problems(parse(text))).toEqual([]);
  });
});

describe('report --format oscal (CLI)', () => {
  it('without --evidence: each observation points at the source exports, with their sha256', async () => {
    const result = await runCli(['report', '--format', 'oscal', '--fail-on', 'never'], { cwd: REPO });
    expect(result.status).toBe(0);
    const doc = ar(result.stdout);
    const resources = new Map(doc['back-matter'].resources.map((r) => [r.uuid, r]));
    const catalogue = resources.get(doc['import-ap'].href.slice(1))!;
    expect(catalogue.rlinks[0].href).toBe('metrics.yaml');
    expect(catalogue.rlinks[0].hashes[0].value).toBe(sha256(path.join(REPO, 'metrics.yaml')));
    let checked = 0;
    for (const o of doc.results[0].observations)
      for (const e of o['relevant-evidence'] ?? []) {
        const link = resources.get(e.href.slice(1))!.rlinks[0];
        expect(link.hashes[0]).toEqual({
          algorithm: 'SHA-256',
          value: sha256(path.join(REPO, decodeURIComponent(link.href))),
        });
        checked++;
      }
    expect(checked).toBeGreaterThanOrEqual(report.kpis.length);
  });

  it('with --evidence: observations point at the pack files, whose sha256 are those written', async () => {
    const dir = path.join(tmp, 'with-evidence');
    const out = path.join(dir, 'q3.oscal.json');
    const args = ['report', '--evidence', path.join(dir, 'pack'), '--output', out, '--oscal-findings'];
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const first = await runCli([...args, '--fail-on', 'never'], { cwd: REPO });
    expect(first.stderr).toContain('wrote');
    expect(first.status).toBe(0);
    const text = readFileSync(out, 'utf8');
    const doc = ar(text);
    expect(problems({ 'assessment-results': doc })).toEqual([]);
    const resources = new Map(doc['back-matter'].resources.map((r) => [r.uuid, r]));
    const hrefs = new Set<string>();
    for (const o of doc.results[0].observations) {
      expect(o['relevant-evidence']?.length, prop(o, 'kpi-id')).toBeGreaterThan(0);
      for (const e of o['relevant-evidence'] ?? []) {
        const link = resources.get(e.href.slice(1))!.rlinks[0];
        expect(link.href.startsWith('pack/')).toBe(true);
        expect(link.hashes[0].value).toBe(sha256(path.join(dir, decodeURIComponent(link.href))));
        hrefs.add(link.href);
      }
    }
    expect(hrefs).toContain('pack/manifest.json');
    expect(hrefs).toContain('pack/kpis/AC-02.csv');
    // The same run again (the pack is replaced): the same bytes.
    const second = await runCli([...args, '--fail-on', 'never'], { cwd: REPO });
    expect(second.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(text);
  });

  it('with --evidence on standard output: hrefs are relative to the working folder', async () => {
    const inRepo = await runCli(
      ['report', '--evidence', path.join(tmp, 'stdout-pack'), '--format', 'oscal', '--fail-on', 'never'],
      { cwd: REPO },
    );
    expect(inRepo.status, inRepo.stderr).toBe(0);
    const doc = ar(inRepo.stdout);
    const relative = path.relative(REPO, path.join(tmp, 'stdout-pack')).split(path.sep).join('/');
    const links = doc['back-matter'].resources.map((r) => decodeURIComponent(r.rlinks[0].href));
    expect(links).toContain(`${relative}/manifest.json`);
    expect(links).toContain('metrics.yaml');
    const manifest = links.find((l) => l.endsWith('/manifest.json'))!;
    const hash = doc['back-matter'].resources.find((r) => decodeURIComponent(r.rlinks[0].href) === manifest)!
      .rlinks[0].hashes[0].value;
    expect(hash).toBe(sha256(path.join(REPO, manifest)));
  });

  it('--oscal-findings without an OSCAL output is a usage error, and nothing is written', async () => {
    const out = path.join(tmp, 'plain.json');
    const result = await runCli(['report', '--output', out, '--oscal-findings'], { cwd: REPO });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: .*--oscal-findings .*--format oscal/m);
    const { existsSync } = await import('node:fs');
    expect(existsSync(out)).toBe(false);
  });
});
