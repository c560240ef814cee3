/**
 * `actions: { file: FILE }` in a catalogue (issue 20, i20-wire): the actions file becomes the catalogue's
 * actions block, read with the same schema, every problem located at its line of the file; the list form
 * and actions.yaml beside the catalogue keep working.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionVerdict } from '../../src/report/model.js';
import { displayPath } from '../../src/util/display-path.js';
import { runCli } from '../helpers/cli.js';

const CATALOGUE = `organisation: Test GmbH
timezone: UTC
sources:
  tickets:
    path: tickets.csv
    kind: events
    time_field: opened
    fields:
      id: id
      opened: { column: opened, type: datetime, required: true }
kpis:
  - id: T-01
    name: Tickets
    formula: count(tickets)
    unit: count
    owner: IT
    cadence: quarterly
    thresholds: { green: "<= 1", amber: "<= 5" }
`;
const ACTION =
  '{ id: CA-1, kpi: T-01, opened: 2026-Q3, owner: IT, description: Fewer tickets, expected: "<= 1", due: 2026-Q4, status: open }';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'isms-actions-file-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A folder with the catalogue (plus `extra` at its end) and the given files; returns the catalogue path. */
async function example(name: string, extra: string, files: Record<string, string> = {}): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(path.join(dir, 'governance'), { recursive: true });
  await writeFile(path.join(dir, 'tickets.csv'), 'id,opened\nT-1,2026-08-01\nT-2,2026-09-01\n');
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text);
  await writeFile(path.join(dir, 'metrics.yaml'), CATALOGUE + extra);
  return path.join(dir, 'metrics.yaml');
}

const actions = (catalogue: string, ...more: string[]) =>
  runCli(['actions', '--period', '2026-Q3', '--catalogue', catalogue, '--format', 'json', ...more]);

describe('actions: { file } in the catalogue', () => {
  it('reads a YAML actions file relative to the catalogue', async () => {
    const catalogue = await example('yaml', 'actions: { file: governance/actions.yaml }\n', {
      'governance/actions.yaml': `actions:\n  - ${ACTION}\n`,
    });
    const { stdout, stderr, status } = await actions(catalogue);
    expect([status, stderr]).toEqual([0, '']);
    expect((JSON.parse(stdout) as ActionVerdict[]).map((a) => [a.id, a.kpi, a.verdict])).toEqual([
      ['CA-1', 'T-01', 'not-yet-effective'],
    ]);
  });

  it('reads a CSV actions file (the corrective-actions layout)', async () => {
    const catalogue = await example('csv', 'actions: { file: governance/actions.csv }\n', {
      'governance/actions.csv':
        'id,kpi,opened,owner,description,expected,due,status,links\nCA-2,T-01,2026-Q2,IT,Fewer tickets,<= 5,2026-Q3,done,SEC-1;SEC-2\n',
    });
    const { stdout, status } = await actions(catalogue);
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as ActionVerdict[]).map((a) => [a.id, a.links, a.verdict])).toEqual([
      ['CA-2', ['SEC-1', 'SEC-2'], 'effective'],
    ]);
  });

  it("the catalogue's checks of an action are located at its line of the file", async () => {
    const catalogue = await example('unknown-kpi', 'actions: { file: governance/actions.yaml }\n', {
      'governance/actions.yaml': `actions:\n  - ${ACTION}\n  - ${ACTION.replace('CA-1', 'CA-2').replace('T-01', 'T-1')}\n`,
    });
    const { stdout, stderr, status } = await actions(catalogue);
    const file = path.join(path.dirname(catalogue), 'governance', 'actions.yaml');
    expect([status, stdout]).toEqual([2, '']);
    // The file as messages name it: relative to the repository (runCli's working folder) unless far up.
    expect(stderr).toBe(
      `error: ${displayPath(file, path.resolve(import.meta.dirname, '../..'))}:3:22: action CA-2: unknown KPI "T-1" (did you mean "T-01"?)\n`,
    );
  });

  it('a schema problem in the file, and a missing file, are located one-line errors', async () => {
    const bad = await example('bad-status', 'actions: { file: governance/actions.yaml }\n', {
      'governance/actions.yaml': `actions:\n  - ${ACTION.replace('status: open', 'status: finished')}\n`,
    });
    const one = await actions(bad);
    expect(one.status).toBe(2);
    expect(one.stderr).toMatch(/^error: .*governance\/actions\.yaml:2:\d+: .*status.*\n$/);
    const missing = await example('missing', 'actions: { file: governance/nope.yaml }\n');
    const two = await actions(missing);
    expect(two.status).toBe(2);
    expect(two.stderr).toMatch(
      /^error: .*governance\/nope\.yaml: actions file not found \(actions: \{ file: governance\/nope\.yaml \} in .*metrics\.yaml, relative to the catalogue's folder\)\n$/,
    );
  });

  it('neither a list nor { file }: says which two forms there are', async () => {
    const catalogue = await example('wrong-form', 'actions: governance/actions.yaml\n');
    const { stderr, status } = await actions(catalogue);
    expect(status).toBe(2);
    expect(stderr).toContain(
      'expected a list of corrective actions, or { file: FILE } to read them from an actions file',
    );
  });

  it('the list form and actions.yaml beside the catalogue still work; naming that actions.yaml is no conflict', async () => {
    const list = await example('list', `actions:\n  - ${ACTION}\n`);
    expect((JSON.parse((await actions(list)).stdout) as ActionVerdict[]).map((a) => a.id)).toEqual(['CA-1']);
    const beside = await example('beside', '', { 'actions.yaml': `actions:\n  - ${ACTION}\n` });
    expect((JSON.parse((await actions(beside)).stdout) as ActionVerdict[]).map((a) => a.id)).toEqual([
      'CA-1',
    ]);
    const named = await example('named-beside', 'actions: { file: actions.yaml }\n', {
      'actions.yaml': `actions:\n  - ${ACTION}\n`,
    });
    const ok = await actions(named);
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    // A block that names another file while actions.yaml lies beside the catalogue: two lists, refused.
    const both = await example('both', 'actions: { file: governance/actions.yaml }\n', {
      'actions.yaml': `actions:\n  - ${ACTION}\n`,
      'governance/actions.yaml': `actions:\n  - ${ACTION}\n`,
    });
    const refused = await actions(both);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('corrective actions are both in');
  });
});
