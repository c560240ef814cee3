/**
 * Paths recorded in a report do not depend on the working directory (issue 14, point 8): the same
 * catalogue run from two folders gives the same JSON bytes, the same rendered reports and the same
 * evidence pack. Every recorded path is relative to the catalogue's folder, with `/` separators.
 * Messages on the terminal stay relative to the working directory.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedPath } from '../../src/util/display-path.js';
import { REPO, runCli } from '../helpers/cli.js';

let tmp = '';
/** <tmp>/x/metrics.yaml with its exports in <tmp>/x/data/, one optional export missing. */
let project = '';
/** A working directory two folders away from the catalogue: <tmp>/a/b. */
let elsewhere = '';

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-stable-paths-'));
  project = path.join(tmp, 'x');
  elsewhere = path.join(tmp, 'a', 'b');
  mkdirSync(path.join(project, 'data'), { recursive: true });
  mkdirSync(elsewhere, { recursive: true });
  for (const file of ['jira-incidents.csv', 'entra-users-2026-Q3.csv'])
    cpSync(path.join(REPO, 'fixtures', 'acme', file), path.join(project, 'data', file));
  // The bundled catalogue's incident and Entra sources, and an optional source whose file is absent.
  const bundled = readFileSync(path.join(REPO, 'metrics.yaml'), 'utf8');
  const source = (name: string) => {
    const start = bundled.indexOf(`\n  ${name}:\n`);
    const end = bundled.indexOf('\n\n', start + 1);
    return bundled.slice(start + 1, end).replace(/path: fixtures\/acme\//, 'path: data/');
  };
  writeFileSync(
    path.join(project, 'metrics.yaml'),
    `organisation: Test GmbH
timezone: Europe/Berlin
period: 2026-Q3
sources:
${source('incidents')}
${source('entra')}
  phishing:
    path: data/phishing-{period}.csv
    kind: events
    time_field: sent
    optional: true
    fields:
      sent: { type: datetime }
kpis:
  - id: IR-01
    name: Security incidents
    owner: SOC lead
    cadence: quarterly
    unit: count
    formula: count(incidents)
  - id: AC-01
    name: Enabled accounts
    owner: IAM
    cadence: quarterly
    unit: count
    formula: count(entra, enabled)
  - id: PH-01
    name: Phishing mails sent
    owner: Awareness
    cadence: quarterly
    unit: count
    formula: count(phishing)
`,
  );
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Every file under a folder with its bytes, by relative path. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out[p] = readFileSync(path.join(root, p), 'utf8');
    }
  };
  walk('');
  return out;
}

const FORMATS = ['json', 'csv', 'md', 'html', 'txt', 'xml'];

/** One report run from `cwd`, with every output format and an evidence pack, into `<tmp>/out-<tag>/`. */
async function reportFrom(cwd: string, tag: string) {
  const out = path.join(tmp, `out-${tag}`);
  mkdirSync(out);
  const catalogue = path.relative(cwd, path.join(project, 'metrics.yaml'));
  const r = await runCli(
    [
      'report',
      '--catalogue',
      catalogue,
      '--fail-on',
      'never',
      '--evidence',
      path.join(out, 'pack'),
      ...FORMATS.flatMap((f) => ['--output', path.join(out, `report.${f}`)]),
    ],
    { cwd },
  );
  expect(r.status, r.stderr).toBe(0);
  return { out, stderr: r.stderr };
}

describe('paths recorded in reports', () => {
  it('are relative to the catalogue folder: the same bytes from two working directories', async () => {
    const here = await reportFrom(project, 'here');
    const there = await reportFrom(elsewhere, 'there');
    const json = JSON.parse(readFileSync(path.join(here.out, 'report.json'), 'utf8'));
    expect(json.catalogue.path).toBe('metrics.yaml');
    expect(json.sources.map((s: { name: string; file: string }) => `${s.name}=${s.file}`)).toEqual([
      'entra=data/entra-users-2026-Q3.csv',
      'incidents=data/jira-incidents.csv',
      'phishing=data/phishing-2026-Q3.csv',
    ]);
    expect(json.sources[2].missing).toBe('data/phishing-2026-Q3.csv not found (optional source phishing)');
    for (const f of FORMATS)
      expect(readFileSync(path.join(there.out, `report.${f}`), 'utf8'), f).toBe(
        readFileSync(path.join(here.out, `report.${f}`), 'utf8'),
      );
    const pack = snapshot(path.join(here.out, 'pack'));
    expect(snapshot(path.join(there.out, 'pack'))).toEqual(pack);
    // The evidence rows name the file the same way as the manifest.
    expect(pack['kpis/IR-01.csv']!.split('\n')[1]).toMatch(
      /^IR-01,aggregate 1 of 1: count\(incidents\),value,incidents,data\/jira-incidents\.csv,\d+,/,
    );
    expect(pack['rejected/incidents.csv']!.split('\n')[1]).toMatch(
      /^incidents,data\/jira-incidents\.csv,10,/,
    );
    // Messages on the terminal stay relative to the working directory (clickable there).
    expect(there.stderr).toContain(`wrote evidence pack ${path.join(there.out, 'pack')}`);
    const validate = await runCli(['validate', '--catalogue', '../../x/metrics.yaml'], { cwd: elsewhere });
    expect(validate.stdout).toContain('../../x/data/jira-incidents.csv:45: column "Custom field (Severity)"');
    expect(validate.stdout).toContain('missing (optional): ../../x/data/phishing-2026-Q3.csv not found');
  });

  it('recordedPath: relative with / separators; .. for files beside the catalogue folder', () => {
    expect(recordedPath(path.join(project, 'data', 'a.csv'), project)).toBe('data/a.csv');
    expect(recordedPath(path.join(tmp, 'shared', 'b.csv'), project)).toBe('../shared/b.csv');
    expect(recordedPath(path.join(project, 'metrics.yaml'), project)).toBe('metrics.yaml');
  });
});
