/**
 * `map:` on a field: codes read as values before the field's type and enum values are checked, on the
 * CSV span path, the CSV row path and in JSON; the catalogue refuses maps that could not be read once;
 * and the ServiceNow presets read their JSON codes as the CSV display values, so one formula serves both.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatProblem } from '../../src/problems.js';
import { cellValue } from '../../src/sources/table.js';
import { runCli } from '../helpers/cli.js';
import { loadCatalogue, loadSources, resolvePeriod, run } from '../helpers/run.js';
import { loadPreset, presetKpiValues } from '../presets/load-preset.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-map-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A catalogue with one source `s` over `file` (written from `text`), its fields as given. */
function project(text: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const dir = path.join(tmp, `p${n++}`);
  const file = extra.format === 'json' ? 'data.json' : 'data.csv';
  const config = {
    organisation: 'Map test',
    timezone: 'UTC',
    period: '2026-Q3',
    sources: { s: { path: file, kind: 'snapshot', as_of: '2026-09-30', fields, ...extra } },
    kpis: [{ id: 'K', name: 'Rows', owner: 'QA', cadence: 'quarterly', unit: 'count', formula: 'count(s)' }],
  };
  mkdirSync(dir);
  writeFileSync(path.join(dir, file), text);
  writeFileSync(path.join(dir, 'metrics.yaml'), stringify(config));
  return dir;
}

async function rows(dir: string, field: string) {
  const catalogue = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir });
  const loaded = (await loadSources(catalogue, ['s'], resolvePeriod(catalogue, { now: 0 }), dir)).get('s')!;
  if ('missing' in loaded) throw new Error('missing');
  const column = loaded.table.columns.get(field)!;
  return {
    values: Array.from({ length: loaded.table.length }, (_, i) => cellValue(column, i)),
    problems: loaded.problems.map(formatProblem),
  };
}

const SEVERITY = {
  type: 'enum',
  values: ['Urgent', 'Critical', 'Serious', 'Medium', 'Minimal'],
  map: { 5: 'Urgent', 4: 'Critical', 3: 'Serious', 2: 'Medium', 1: 'Minimal' },
};

describe('a value map', () => {
  it('reads codes as values before the enum is checked, and leaves other cells as they are', async () => {
    const dir = project('id,sev\na,5\nb, 4 \nc,Serious\nd,critical\ne,9\nf,\n', { id: 'id', sev: SEVERITY });
    const { values, problems } = await rows(dir, 'sev');
    expect(values).toEqual(['Urgent', 'Critical', 'Serious', 'Critical', null]);
    expect(problems).toEqual([
      'data.csv:6: column "sev": expected one of "Urgent", "Critical", "Serious", "Medium", "Minimal", or a code of its map ("1", "2", "3", "4", "5"), got "9"',
    ]);
  });

  it('gives the same values on the row path (a list field sends every row there)', async () => {
    const dir = project('id,sev,tags\na,5,x\nb,4,y\nc,Serious,z\n', {
      id: 'id',
      sev: SEVERITY,
      tags: { type: 'list' },
    });
    expect((await rows(dir, 'sev')).values).toEqual(['Urgent', 'Critical', 'Serious']);
  });

  it('maps before the type is read: numbers, booleans and dates, and a code that is also a null token', async () => {
    const dir = project('id,n,ok,when\na,-,Ja,never\nb,12,Nein,2026-09-30\nc,,yes,\n', {
      id: 'id',
      n: { type: 'integer', map: { '-': 0 } },
      ok: { type: 'boolean', map: { Ja: true, Nein: false } },
      when: { type: 'datetime', map: { never: '1970-01-01' } },
    });
    expect((await rows(dir, 'n')).values).toEqual([0, 12, null]);
    expect((await rows(dir, 'ok')).values).toEqual([true, false, true]);
    expect((await rows(dir, 'when')).values).toEqual([0, Date.UTC(2026, 8, 30), null]);
  });

  it('maps JSON numbers and strings alike (ServiceNow writes state 7 or "7")', async () => {
    const dir = project(
      JSON.stringify([{ state: 7 }, { state: '7' }, { state: 2 }, { state: 'Custom' }, { state: null }]),
      { state: { map: { 7: 'Closed', 2: 'In Progress' } } },
      { format: 'json' },
    );
    expect((await rows(dir, 'state')).values).toEqual(['Closed', 'Closed', 'In Progress', 'Custom', null]);
  });

  it('is refused when its values are not the enum values, or a value is also a code with another meaning', async () => {
    const bad = async (fields: Record<string, unknown>) => {
      const dir = project('id,sev\na,5\n', { id: 'id', ...fields });
      const r = await runCli(['validate', '--catalogue-only'], { cwd: dir });
      expect(r.status).toBe(2);
      return r.stderr;
    };
    expect(await bad({ sev: { type: 'enum', values: ['High', 'Low'], map: { 5: 'Urgent' } } })).toMatch(
      /source s: field sev: map: "Urgent" is not one of the field's values \("High", "Low"\)\n$/,
    );
    expect(await bad({ sev: { map: { High: 'Critical', Critical: 'High' } } })).toMatch(
      /field sev: map: "Critical" is a value of the map and also one of its codes \(read as "High"\); a cell is mapped once, so a value may not be a code with another meaning\n$/,
    );
    expect(await bad({ sev: { type: 'list', map: { a: 'b' } } })).toMatch(
      /field sev: map: a list field cannot have a map \(a map reads a whole cell\)\n$/,
    );
    // A map that names a value in another letter case, or maps a value to itself, is read once all the same.
    const dir = project('id,sev\na,normal\nb,Normal\n', {
      id: 'id',
      sev: { type: 'enum', values: ['Normal'], map: { normal: 'Normal' } },
    });
    expect((await rows(dir, 'sev')).values).toEqual(['Normal', 'Normal']);
  });

  it('changes the definition hash of the KPIs that read the field (and only those)', async () => {
    const hash = async (fields: Record<string, unknown>) => {
      const dir = project('id,sev\na,5\n', fields);
      const { report } = await run({ catalogue: 'metrics.yaml', cwd: dir, now: 0 });
      return report.kpis[0]!.definitionHash;
    };
    const plain = await hash({ id: 'id', sev: 'sev' });
    expect(await hash({ id: 'id', sev: { column: 'sev' } })).toBe(plain);
    expect(await hash({ id: 'id', sev: { column: 'sev', map: { 5: 'Urgent' } } })).not.toBe(plain);
  });
});

describe('ServiceNow JSON codes read as the CSV display values', () => {
  it.each([
    ['servicenow-incident', ['status', 'priority']],
    ['servicenow-change', ['state', 'type', 'risk', 'priority', 'close_code', 'approval']],
  ])('%s: every record the two sample exports share has the same values', async (preset, fields) => {
    const json = await loadPreset(preset, `${preset}.json`);
    const csv = await loadPreset(preset, `${preset}.csv`);
    let shared = 0;
    for (const row of json.rows) {
      const same = csv.rows.find((r) => r.id === row.id);
      if (!same) continue;
      shared++;
      for (const field of fields) expect([row.id, field, row[field]]).toEqual([row.id, field, same[field]]);
    }
    expect(shared).toBeGreaterThan(5);
  });

  it('one formula gives the same number over either export', async () => {
    const formulas = {
      CLOSED: 'count(s, state == "Closed")',
      EMERGENCY: 'count(s, type == "Emergency")',
      HIGH_RISK: 'count(s, risk in ["High", "Very High"])',
      WITH_ISSUES: 'count(s, close_code == "Successful with issues")',
    };
    const ids = 'id in ["CHG0030117", "CHG0030125", "CHG0030140", "CHG0030152", "CHG0030188"]';
    const scoped = Object.fromEntries(
      Object.entries(formulas).map(([k, f]) => [k, f.replace(/\)$/, ` and ${ids})`)]),
    );
    const json = await presetKpiValues(
      { source: 's', preset: 'servicenow-change', file: 'servicenow-change.json', period: '2026' },
      scoped,
    );
    const csv = await presetKpiValues(
      { source: 's', preset: 'servicenow-change', file: 'servicenow-change.csv', period: '2026' },
      scoped,
    );
    expect(json).toEqual(csv);
    expect(json.CLOSED).toBeGreaterThan(0);
    expect(json.EMERGENCY).toBe(1);
  });
});
