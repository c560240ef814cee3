/**
 * `isms-kpi detect` and `isms-kpi presets` through the CLI (in-process, NO_COLOR=1): wording, the
 * catalogue snippet, JSON output and exit codes 0 / 1 / 2.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PRESET_NAMES, PRESETS } from '../../src/presets/index.js';
import { presetSection } from '../../src/render/presets-doc.js';
import { REPO, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-detect-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = (args: string[]) => runCli(args);

function tmpFile(name: string, content: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, content);
  return file;
}

/** The snippet printed under "for metrics.yaml", parsed as YAML. */
function snippets(stdout: string): Record<string, Record<string, unknown>>[] {
  return stdout
    .split('for metrics.yaml (path relative to its folder):\n')
    .slice(1)
    .map((block) => {
      const lines = block.split('\n');
      const end = lines.findIndex((line) => !line.startsWith('    '));
      const yaml = lines
        .slice(0, end)
        .map((line) => line.slice(4))
        .join('\n');
      return (parse(yaml) as { sources: Record<string, Record<string, unknown>> }).sources;
    });
}

describe('isms-kpi detect', () => {
  it('names the preset, its confidence and a snippet that names the file, and exits 0', async () => {
    const r = await cli(['detect', 'fixtures/presets/nessus.csv']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^fixtures\/presets\/nessus\.csv\n {2}preset: {5}nessus \(Tenable Nessus/);
    expect(r.stdout).toMatch(/\n {2}confidence: (9\d|100)%\n/);
    expect(r.stdout).toContain('\n  missing:    none\n');
    expect(r.stdout).toContain('\n  extra:      none\n');
    expect(r.stdout).toContain(
      '    sources:\n      nessus:\n        preset: nessus\n        path: fixtures/presets/nessus.csv\n',
    );
    expect(snippets(r.stdout)).toEqual([
      { nessus: { preset: 'nessus', path: 'fixtures/presets/nessus.csv' } },
    ]);
    // A scan is a snapshot: the snippet asks for the day it was taken (else its KPIs are stale).
    expect(r.stdout).toContain('        # as_of: YYYY-MM-DD   # the day the export was taken');
  });

  it('asks for no as-of where the file name dates the snapshot, nor for events', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isms-detect-'));
    try {
      copyFileSync(path.join(REPO, 'fixtures/presets/nessus.csv'), path.join(dir, 'nessus-2026-09-29.csv'));
      const r = await cli([
        'detect',
        path.join(dir, 'nessus-2026-09-29.csv'),
        'fixtures/presets/jira-issues.csv',
      ]);
      expect(r.status).toBe(0);
      expect(r.stdout).not.toContain('as_of');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('recognises several files, gives each snippet its own source name and sums up', async () => {
    const r = await cli([
      'detect',
      'fixtures/presets/nessus.csv',
      'fixtures/presets/nessus-subset.csv',
      'fixtures/presets/qualys-scan.csv',
      'fixtures/presets/defender-vulnerabilities.json',
    ]);
    expect(r.status).toBe(0);
    expect(snippets(r.stdout).map((s) => Object.keys(s)[0])).toEqual([
      'nessus',
      'nessus_2',
      'qualys_scan',
      'defender_vulnerabilities',
    ]);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('4 files: 4 matched a preset');
  });

  it('lists the missing columns of a partial match and still exits 0', async () => {
    const header = readFileSync(path.join(REPO, 'fixtures/presets/nessus.csv'), 'utf8').split(/\r?\n/)[0]!;
    const file = tmpFile('no-risk.csv', `${header.replace('"Risk",', '').replace('Risk,', '')}\n`);
    const r = await cli(['detect', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('preset:     nessus');
    expect(r.stdout).toMatch(/confidence: [5-8]\d%/);
    expect(r.stdout).toContain('missing:    Risk\n');
    expect(r.stdout).toContain('the preset may still read the file');
  });

  it('says "no preset matches", shows the header it saw and exits 1', async () => {
    const file = tmpFile('fruit.csv', 'colour;flavour;price\nred;sweet;1,20\n');
    const r = await cli(['detect', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      `${file}\n  no preset matches\n  header: colour, flavour, price\n  closest:    none (no column of the file is one a preset reads)\n`,
    );
    expect(r.stderr).toBe('');
  });

  it('names the closest preset and the columns it lacks when nothing matches (issue 17)', async () => {
    const file = tmpFile('changes.csv', 'number,opened_at,description\nCHG1,2026-07-01 09:00:00,x\n');
    const r = await cli(['detect', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('  no preset matches\n');
    expect(r.stdout).toMatch(
      /\n {2}closest: {4}servicenow-change \d+%, lacks short_description or Short description; type; state; start_date or Planned start date\n/,
    );
    const json = JSON.parse((await cli(['detect', '--format', 'json', file])).stdout);
    expect(JSON.stringify(json)).toContain('"closest":{"preset":"servicenow-change"');
  });

  it('recognises a ServiceNow change list view exported with its labels as headers (issue 17)', async () => {
    const r = await cli(['detect', 'fixtures/presets/servicenow-change-labels.csv']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  preset:     servicenow-change (');
    expect(r.stdout).toContain('  missing:    none\n');
  });

  it('exits 1 when one of several files matches nothing', async () => {
    const file = tmpFile('fruit2.csv', 'colour,flavour\n');
    const r = await cli(['detect', 'fixtures/presets/okta-users.json', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('preset:     okta-users');
    expect(r.stdout).toContain('2 files: 1 matched a preset, 1 matched none');
  });

  it('exits 2 with an error line for a missing, an empty and a binary file', async () => {
    const empty = tmpFile('empty.csv', '');
    const r = await cli(['detect', 'fixtures/presets/nessus.csv', 'no-such-export.csv', empty]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: no-such-export.csv: no such file\n');
    expect(r.stderr).toMatch(/error: .*empty\.csv: file is empty/);
    expect(r.stdout).toContain('preset:     nessus');
    expect(r.stdout).toContain('3 files: 1 matched a preset, 2 could not be read');
    const xlsx = path.join(tmp, 'book.xlsx');
    writeFileSync(xlsx, Buffer.from([0x50, 0x4b, 3, 4, 0x14, 0, 6, 0]));
    const x = await cli(['detect', xlsx]);
    expect(x.status).toBe(2);
    expect(x.stdout).toBe('');
    expect(x.stderr).toMatch(/Excel workbook/);
  });

  it('exits 2 on usage errors', async () => {
    const none = await cli(['detect']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("missing required argument 'file'");
    const format = await cli(['detect', '--format', 'xml', 'fixtures/presets/nessus.csv']);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('Allowed choices are table, json');
  });

  it('prints the results as JSON with --format json', async () => {
    const file = tmpFile('fruit3.csv', 'colour,flavour\n');
    const r = await cli(['detect', '--format', 'json', 'fixtures/presets/servicenow-change.json', file]);
    expect(r.status).toBe(1);
    const results = JSON.parse(r.stdout) as {
      file: string;
      format: string;
      best?: { preset: string; confidence: number; missing: string[] };
      matches: unknown[];
      header: string[];
      snippet?: string;
    }[];
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({
      file: 'fixtures/presets/servicenow-change.json',
      format: 'json',
      best: { preset: 'servicenow-change', format: 'json', missing: [] },
    });
    expect(results[0]!.best!.confidence).toBeGreaterThanOrEqual(0.9);
    expect(parse(results[0]!.snippet!)).toEqual({
      sources: {
        servicenow_change: { preset: 'servicenow-change', path: 'fixtures/presets/servicenow-change.json' },
      },
    });
    expect(results[1]).toEqual({ file, format: 'csv', header: ['colour', 'flavour'], matches: [] });
  });

  it('adds format: to the snippet when the file extension would pick the other variant', async () => {
    const file = path.join(tmp, 'incidents-export.txt');
    copyFileSync(path.join(REPO, 'fixtures/presets/servicenow-incident.json'), file);
    const r = await cli(['detect', file]);
    expect(r.status).toBe(0);
    expect(snippets(r.stdout)[0]).toEqual({
      servicenow_incident: { preset: 'servicenow-incident', path: file, format: 'json' },
    });
  });

  it('puts csv.skip_lines into the snippet when the header is below a title line', async () => {
    const aws = readFileSync(path.join(REPO, 'fixtures/presets/aws-iam-credential-report.csv'), 'utf8');
    const file = tmpFile('titled-aws.csv', `IAM credential report, account 2109\n${aws}`);
    const r = await cli(['detect', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('header:     below 1 line(s) of preamble, skipped by csv.skip_lines');
    expect(snippets(r.stdout)[0]).toEqual({
      aws_iam_credential_report: { preset: 'aws-iam-credential-report', path: file, csv: { skip_lines: 1 } },
    });
  });

  it('documents examples and exit codes in --help', async () => {
    const r = await cli(['detect', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('$ isms-kpi detect');
    expect(r.stdout).toContain('1  at least one file matched no preset');
  });
});

describe('isms-kpi presets', () => {
  it('lists every preset with its formats, record type and kind', async () => {
    const r = await cli(['presets']);
    expect(r.status).toBe(0);
    for (const name of PRESET_NAMES) expect(r.stdout).toContain(name);
    expect(r.stdout).toMatch(
      /nessus\s+│ Tenable Nessus scan results \(CSV\)\s+│ csv\s+│ finding\s+│ snapshot/,
    );
    expect(r.stdout).toContain(`${PRESET_NAMES.length} presets`);
  });

  it('lists them as JSON', async () => {
    const r = await cli(['presets', '--format', 'json']);
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; formats: string[] }[];
    expect(list.map((p) => p.name)).toEqual([...PRESET_NAMES].sort());
    expect(list.find((p) => p.name === 'servicenow-incident')?.formats).toEqual(['csv', 'json']);
  });

  it("shows one preset's fields, vendor columns and notes", async () => {
    const r = await cli(['presets', 'nessus']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^nessus: Tenable Nessus scan results \(CSV\)\n/);
    expect(r.stdout).toMatch(/│ asset \*\s+│ Host\s+│ string/);
    expect(r.stdout).toContain('Risk or Risk Factor');
    expect(r.stdout).toContain('Notes:\n- Nessus writes one row per CVE');
  });

  it('prints the docs/presets.md section with --format markdown, and JSON with --format json', async () => {
    const md = await cli(['presets', 'jira-issues', '--format', 'markdown']);
    expect(md.status).toBe(0);
    expect(md.stdout).toBe(presetSection(PRESETS['jira-issues']!));
    const json = await cli(['presets', 'defender-vulnerabilities', '--format', 'json']);
    const data = JSON.parse(json.stdout) as { variants: { json: { json: { records: string } } } };
    expect(data.variants.json.json.records).toBe('/value');
  });

  it('exits 2 for an unknown preset and suggests a close name', async () => {
    const r = await cli(['presets', 'nesus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: unknown preset "nesus"; did you mean nessus?\n');
    expect(r.stdout).toBe('');
  });
});
