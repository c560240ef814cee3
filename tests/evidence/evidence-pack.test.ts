/**
 * The evidence pack over the bundled data: the manifest is the report's, every file is listed with its
 * sha256, the rows behind each KPI point at the right file and line, and rejected rows carry the reason.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEvidencePack, type EvidenceFile, UniqueNames } from '../../src/evidence/build-pack.js';
import type { PackManifest } from '../../src/evidence/pack-manifest.js';
import { catalogueYaml, writeProject } from '../formula/harness.js';
import { type RunResult, run as runLibrary } from '../helpers/run.js';
import { expectGolden, REPO, runBundled } from '../render/bundled.js';
import { csvRecords } from '../render/csv-parse.js';

let result: RunResult;
let files: EvidenceFile[];
let manifest: PackManifest;
const file = (p: string) => files.find((f) => f.path === p)!.content;

beforeAll(async () => {
  result = await runBundled({ trace: true, storeAllFields: true });
  files = await buildEvidencePack({
    report: result.report,
    catalogue: result.catalogue,
    sources: result.sources,
    traces: result.evaluation.traces,
  });
  manifest = JSON.parse(file('manifest.json'));
});

describe('manifest.json', () => {
  it('carries the same source manifest, catalogue and period as the JSON report', () => {
    const { report } = result;
    expect(manifest.sources).toEqual(report.sources);
    expect(manifest.catalogue).toEqual(report.catalogue);
    expect(manifest.period).toEqual(report.period);
    expect(manifest.tool).toEqual(report.tool);
    expect(manifest.asOf).toBe(report.asOf);
  });

  it('lists every other file of the pack with its sha256, one per KPI and per loaded source', () => {
    expect(manifest.files.map((f) => f.path)).toEqual(files.slice(1).map((f) => f.path));
    for (const listed of manifest.files)
      expect(createHash('sha256').update(file(listed.path)).digest('hex'), listed.path).toBe(listed.sha256);
    expect(manifest.files.filter((f) => f.kind === 'kpi-rows')).toHaveLength(result.report.kpis.length);
    expect(manifest.files.filter((f) => f.kind === 'rejected-rows').map((f) => f.source)).toEqual(
      result.report.sources.filter((s) => !s.missing).map((s) => s.name),
    );
    expect(manifest.files.find((f) => f.kpi === 'GV-01')!.usesKpis).toEqual(['AC-02', 'AC-04', 'AC-09']);
  });
});

describe('rows behind each KPI', () => {
  it('heads a field named like a column of the pack field:NAME (TR-01 reads the training role)', () => {
    const text = file('kpis/TR-01.csv').replace(/^\uFEFF/, '');
    const header = text.slice(0, text.indexOf('\r\n') < 0 ? text.indexOf('\n') : text.indexOf('\r\n'));
    const columns = header.split(',');
    expect(columns.filter((c) => c === 'role')).toHaveLength(1);
    expect(columns).toContain('field:role');
    const rows = csvRecords(file('kpis/TR-01.csv'));
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(['numerator', 'denominator']));
    expect(new Set(rows.map((r) => r['field:role']))).toEqual(
      new Set(['Administrator', 'Security', 'OT engineer', 'Manager']),
    );
  });

  it('has, per aggregate, as many rows as the report says it matched', () => {
    for (const kpi of result.report.kpis) {
      const rows = csvRecords(file(`kpis/${kpi.id}.csv`));
      for (const agg of kpi.aggregates) {
        const listed = rows.filter(
          (r) => r.aggregate === `aggregate ${agg.index + 1} of ${kpi.aggregates.length}: ${agg.text}`,
        );
        expect(listed.length, `${kpi.id} ${agg.text}`).toBe(agg.rowsMatched);
        expect(new Set(listed.map((r) => r.role))).toEqual(new Set(listed.length > 0 ? [agg.role] : []));
      }
    }
  });

  it('points every row at the line of its source file that holds it', () => {
    const keyField: Record<string, string> = {
      incidents: 'id',
      changes: 'id',
      leavers: 'person',
      reviews: 'id',
      backups: 'job',
      restores: 'id',
      nessus: 'plugin_id',
      entra: 'upn',
      iam: 'id',
    };
    const lines = new Map<string, string[]>();
    let checked = 0;
    for (const kpi of result.report.kpis) {
      for (const row of csvRecords(file(`kpis/${kpi.id}.csv`))) {
        const key = keyField[row.source!];
        if (!key) continue;
        if (!lines.has(row.file!))
          lines.set(row.file!, fs.readFileSync(path.join(REPO, row.file!), 'utf8').split(/\r?\n/));
        expect(lines.get(row.file!)![Number(row.line) - 1], `${kpi.id} ${row.file}:${row.line}`).toContain(
          row[key],
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('AC-01 lists 13 leavers deprovisioned in time out of 16; AC-02 the two orphan accounts', () => {
    const ac01 = csvRecords(file('kpis/AC-01.csv'));
    expect(ac01.filter((r) => r.role === 'numerator')).toHaveLength(13);
    expect(ac01.filter((r) => r.role === 'denominator')).toHaveLength(16);
    const ac02 = csvRecords(file('kpis/AC-02.csv'));
    expect(ac02.map((r) => [r.file, r.line, r.person])).toEqual([
      ['fixtures/acme/hr-leavers.csv', '21', 'dennis.pieper@acme-precision.example'],
      ['fixtures/acme/hr-leavers.csv', '31', 'Tomas.Stastny@acme-precision.example'],
    ]);
    expect(ac02[0]!.effective).toBe('2026-07-30T22:00:00.000Z');
  });
});

describe('rejected rows', () => {
  it('lists the planted bad rows with line and reason', () => {
    const incidents = csvRecords(file('rejected/incidents.csv'));
    // fixtures/acme/README.md: the planted bad rows 45, 131 and 191, and the rows 10, 51 and 117 with
    // an extra cell (rejected since issue 14.3).
    expect(incidents.map((r) => r.line)).toEqual(['10', '45', '51', '117', '131', '191']);
    expect(incidents[1]!.reasons).toContain('got "Severe"');
    expect(incidents[5]!.reasons).toContain('"31/Feb/26 1:00 PM"');
    expect(incidents[1]!['Issue key']).toBe('SEC-352');
    expect(incidents[0]!.reasons).toContain('row has 34 cells but the header has 33');
    expect(incidents[0]!['Issue key']).toBe('SEC-379');
    const changes = csvRecords(file('rejected/changes.csv'));
    expect(changes.map((r) => [r.line, r.number])).toEqual([['196', 'CHG0030295']]);
    expect(csvRecords(file('rejected/backups.csv'))).toEqual([]);
  });
});

describe('golden files of the evidence pack', () => {
  it.each([
    'manifest.json',
    'kpis/AC-01.csv',
    'kpis/AC-02.csv',
    'rejected/incidents.csv',
    'rejected/changes.csv',
  ])('%s', (name) => {
    expectGolden(`evidence-2026-Q3/${name}`, file(name));
  });
});

describe('file names of the pack', () => {
  it('never a Windows device name (con.csv, nul.txt.csv, LPT1.csv): a "_" in front, whatever the case', async () => {
    const dir = writeProject({
      'metrics.yaml': catalogueYaml(
        '  con:\n    path: c.csv\n    kind: snapshot\n    fields:\n      id: id\n' +
          '  lpt1:\n    path: c.csv\n    kind: snapshot\n    fields:\n      id: id\n',
        [
          { id: 'con', formula: 'count(con)' },
          { id: 'nul.txt', formula: 'count(con)' },
          { id: 'LPT1', formula: 'count(lpt1)' },
          { id: 'Console', formula: 'count(con)' },
        ],
      ),
      'c.csv': 'id\nA\n',
    });
    try {
      const run = await runLibrary({
        catalogue: 'metrics.yaml',
        cwd: dir,
        period: '2026-Q3',
        now: 0,
        trace: true,
      });
      const paths = (
        await buildEvidencePack({
          report: run.report,
          catalogue: run.catalogue,
          sources: run.sources,
          traces: run.evaluation.traces,
        })
      ).map((f) => f.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'kpis/_con.csv',
          'kpis/_nul.txt.csv',
          'kpis/_LPT1.csv',
          'kpis/Console.csv',
          'rejected/_con.csv',
          'rejected/_lpt1.csv',
        ]),
      );
      const device = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;
      for (const p of paths) expect(path.posix.basename(p), p).not.toMatch(device);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two ids that differ only in case and a device name stay distinct', () => {
    const names = new UniqueNames();
    expect(['CON', 'con', '_con', 'aux.1', 'AC-1', 'ac-1'].map((id) => names.take(id))).toEqual([
      '_CON',
      '_con~2',
      '_con~3',
      '_aux.1',
      'AC-1',
      'ac-1~2',
    ]);
  });
});
