/**
 * validate --format json and --format github: the same findings as the table, as data and as GitHub
 * Actions workflow commands (annotations), with GitHub's escaping. Exit codes match the table: 0 valid, 1 data problems, 2 catalogue or usage error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { problem } from '../../src/problems.js';
import { githubAnnotation } from '../../src/render/validate.js';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-validate-formats-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The planted bad rows of the example (fixtures/acme/README.md): file:line of each error and warning. */
const ERRORS = [
  // A third watcher after the last column: the row may have shifted, so it is rejected (issue 14.3).
  ...[10, 51, 117].map((line) => `fixtures/acme/jira-incidents.csv:${line}`),
  'fixtures/acme/jira-incidents.csv:45',
  'fixtures/acme/jira-incidents.csv:131',
  'fixtures/acme/jira-incidents.csv:191',
  'fixtures/acme/servicenow-changes.csv:196',
];
const WARNINGS: string[] = [];

describe('validate --format json', () => {
  it('lists the sources with their counts and every problem as data, and exits 1 like the table', async () => {
    const r = await runCli(['validate', '--format', 'json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const data = JSON.parse(r.stdout);
    expect(data.isValid).toBe(false);
    expect(data.verdict).toBe('data-problems');
    expect(data.catalogueOnly).toBe(false);
    expect(data.maxRejected).toBeNull();
    // 57: the catalogue's KPIs, with the retired IR-11 that reports leave out; 20 sources.
    expect(data.catalogue).toEqual({ file: 'metrics.yaml', kpis: 57, sources: 20, problems: [] });
    expect(data.period).toEqual({ label: '2026-Q3', timezone: 'Europe/Berlin' });
    const incidents = data.sources.find((s: { name: string }) => s.name === 'incidents');
    expect(incidents).toMatchObject({
      state: 'read',
      file: 'fixtures/acme/jira-incidents.csv',
      rowsRead: 146,
      accepted: 140,
      rejected: 6,
      allowedRejected: 0,
      isValid: false,
    });
    const phishing = data.sources.find((s: { name: string }) => s.name === 'phishing');
    expect(phishing).toMatchObject({ state: 'read', rowsRead: 236, accepted: 236, rejected: 0 });
    type P = { severity: string; location: { file: string; line: number } };
    const all: P[] = data.sources.flatMap((s: { problems: P[] }) => s.problems);
    const at = (severity: string) =>
      all
        .filter((p) => p.severity === severity)
        .map((p) => `${p.location.file}:${p.location.line}`)
        .sort();
    expect(at('error')).toEqual([...ERRORS].sort());
    expect(at('warning')).toEqual([...WARNINGS].sort());
    expect(data.counts).toEqual({ errors: 7, warnings: 0, rejectedRows: 7 });
  });
});

describe('validate --format github', () => {
  it('prints one annotation per problem at its file and line, and exits 1', async () => {
    const r = await runCli(['validate', '--format', 'github']);
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('catalogue metrics.yaml: 57 KPIs, 20 sources, formulas OK');
    expect(lines).toContain(
      'validation failed (exit 1): data problems in 2 sources: incidents (6 rejected rows), changes (1 rejected row)',
    );
    const annotations = lines.filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(ERRORS.length + WARNINGS.length);
    expect(annotations).toContain(
      '::error file=fixtures/acme/jira-incidents.csv,line=131::column "Issue key": required value is missing',
    );
    expect(annotations).toContain(
      '::error file=fixtures/acme/jira-incidents.csv,line=10::row has 34 cells but the header has 33, and extra cell 34 is not empty ("Petra Dvořáková"): values may be under the wrong columns (a delimiter inside an unquoted value?)',
    );
  });

  it('reports a catalogue that does not load as annotations at its line and column (stdout, exit 2)', async () => {
    const dir = mkdtempSync(path.join(tmp, 'bad-'));
    writeFileSync(path.join(dir, 'metrics.yaml'), 'organisation: x\nsources:\n\tbad: tab\n');
    const r = await runCli(['validate', '--format', 'github'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^catalogue metrics\.yaml: cannot be loaded\n::error file=metrics\.yaml,line=3,col=1::/,
    );
    // The table keeps printing catalogue errors on stderr.
    const table = await runCli(['validate'], { cwd: dir });
    expect(table.status).toBe(2);
    expect(table.stdout).toBe('');
    expect(table.stderr).toMatch(/^error: metrics\.yaml:3:1: /);
  });

  it('escapes as GitHub requires: % and the line breaks of the detail; also : and , in properties', () => {
    const p = problem('bad-value', '100% sure', { file: 'a:b,c.csv', line: 2, column: 'x' }, 'error', [
      'next line',
    ]);
    expect(githubAnnotation(p)).toBe(
      '::error file=a%3Ab%2Cc.csv,line=2::column "x": 100%25 sure%0Anext line',
    );
    // A message is one line: a line break in it is shown as its escape, never a second line.
    const broken = problem('bad-value', 'one\r\ntwo', { file: 'a.csv' });
    expect(githubAnnotation(broken)).toBe('::error file=a.csv::one\\r\\ntwo');
    const warning = problem('ragged-row', 'w', {}, 'warning');
    expect(githubAnnotation(warning)).toBe('::warning::w');
  });
});
