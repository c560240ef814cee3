/**
 * `exceptions: { file: ... }` (issue 22): the catalogue's exceptions read from the exceptions register, one
 * model with the block: the bundled register holds the block's two entries (EXC-002, EXC-003), so the
 * bundled report is the same with the block or with the file; a register row is checked with the block's
 * schema and its problems, the catalogue's checks included, are located at the row.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExceptionsFile } from '../../src/app/exceptions-file.js';
import { formatProblem, IsmsKpiError } from '../../src/problems.js';
import { REPO } from '../helpers/cli.js';
import { loadCatalogue, run } from '../helpers/run.js';

const ACME = path.join(REPO, 'fixtures', 'acme').split(path.sep).join('/');
let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-exceptions-file-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The bundled catalogue with its exceptions: block replaced by `exceptions: { file: REGISTER }`. */
function withRegister(register: string): string {
  const text = readFileSync(path.join(REPO, 'metrics.yaml'), 'utf8');
  const start = text.indexOf('exceptions:\n');
  expect(start).toBeGreaterThan(0);
  // The block ends before the next top-level key (manual:, sources: ...).
  const next = /\n[a-z_]+:/.exec(text.slice(start + 'exceptions:\n'.length));
  expect(next).not.toBeNull();
  const end = start + 'exceptions:\n'.length + next!.index;
  const dir = mkdtempSync(path.join(tmp, 'catalogue-'));
  writeFileSync(
    path.join(dir, 'metrics.yaml'),
    `${text.slice(0, start)}exceptions: { file: ${register} }\n${text.slice(end)}`.replaceAll(
      'fixtures/acme/',
      `${ACME}/`,
    ),
  );
  return dir;
}

function errors(text: string): string[] {
  try {
    parseExceptionsFile(text, 'exc.csv');
  } catch (error) {
    if (error instanceof IsmsKpiError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected the register to be refused');
}

describe('exceptions: { file }', () => {
  it('gives the bundled report the exceptions of the block, from the register rows that name a KPI', async () => {
    const dir = withRegister('fixtures/acme/exceptions-register.csv');
    const fromFile = (await run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q3' })).report;
    const fromBlock = (await run({ catalogue: 'metrics.yaml', cwd: REPO, period: '2026-Q3' })).report;
    const exceptions = (r: typeof fromFile) =>
      r.kpis.flatMap((k) => (k.exceptions ? [[k.id, k.exceptions]] : []));
    expect(exceptions(fromFile)).toEqual(exceptions(fromBlock));
    expect(exceptions(fromFile).map(([id]) => id)).toEqual(['AC-02', 'AC-09']);
    expect(fromFile.kpis.map((k) => [k.id, k.status])).toEqual(fromBlock.kpis.map((k) => [k.id, k.status]));
  });

  it('reads the rows that name a KPI with the block schema; the others are the register’s own', () => {
    const { entries, locations } = parseExceptionsFile(
      [
        'id,kpi,segment,control,system,reason,approver,risk,approved,expires',
        'E-1,VM-01,Plant Bremen,A.8.8,OT,Legacy PLCs,CISO,RISK-042,2026-01-15,2026-12-31',
        'E-2,,,A.8.7,MES,No EDR on vendor servers,CISO,,2025-09-18,2026-09-30',
        'E-3,AC-02,,A.5.18,Entra,Backlog,CISO,,2026-02-03,2026-06-30',
      ].join('\n'),
      'exc.csv',
    );
    expect(entries).toEqual([
      {
        kpi: 'VM-01',
        segment: 'Plant Bremen',
        reason: 'Legacy PLCs',
        approver: 'CISO',
        risk: 'RISK-042',
        expires: '2026-12-31',
      },
      { kpi: 'AC-02', reason: 'Backlog', approver: 'CISO', expires: '2026-06-30' },
    ]);
    expect(locations).toEqual([
      { file: 'exc.csv', line: 2 },
      { file: 'exc.csv', line: 4 },
    ]);
  });

  it('refuses, at the row, an entry the block would refuse', () => {
    expect(
      errors(
        'id,kpi,reason,approver,expires\nE-1,VM-01,,CISO,2026-12-31\nE-2,AC-02,Backlog,CISO,31.12.2026\n',
      ),
    ).toEqual([
      'exc.csv:2: exception E-1 (kpi VM-01): reason is empty; an exception for a KPI needs kpi, reason, approver and expires',
      'exc.csv:3: exception E-2 (kpi AC-02): expires: "31.12.2026" is not a date written yyyy-MM-dd (like 2026-12-31)',
    ]);
    expect(errors('id,reason,approver,expires\nE-1,x,CISO,2026-12-31\n')).toEqual([
      'exc.csv:1: exceptions register: no column "kpi" in the header (the catalogue reads the rows that name a KPI)',
    ]);
  });

  it('locates the catalogue’s checks of an entry (an unknown KPI) at its row, and a missing file', async () => {
    const register = path.join(tmp, 'register.csv');
    writeFileSync(register, 'id,kpi,reason,approver,expires\nE-1,AC-99,Backlog,CISO,2026-12-31\n');
    const dir = withRegister(register.split(path.sep).join('/'));
    const problems = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir }).then(
      () => [],
      (error: unknown) => (error as IsmsKpiError).problems.map(formatProblem),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /register\.csv:2: exception 1 \(kpi AC-99\): unknown KPI "AC-99" \(did you mean "AC-09"\?\)$/,
      ),
    ]);
    const missing = withRegister('no-such-register.csv');
    const message = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: missing }).then(
      () => '',
      (error: unknown) => (error as IsmsKpiError).problems.map(formatProblem).join('\n'),
    );
    expect(message).toMatch(
      /no-such-register\.csv: exceptions register not found \(exceptions: \{ file: no-such-register\.csv \} in .*metrics\.yaml, relative to the catalogue's folder\)/,
    );
  });
});

describe('exceptions: neither a list nor { file }', () => {
  it('says what it may be', async () => {
    const { parseCatalogue } = await import('../../src/catalogue/parse.js');
    const text = readFileSync(path.join(REPO, 'metrics.yaml'), 'utf8');
    const start = text.indexOf('exceptions:\n');
    const end = text.indexOf('\n\n', start); // the block ends at the first blank line
    const parsed = parseCatalogue({
      file: 'metrics.yaml',
      text: `${text.slice(0, start)}exceptions: exceptions.csv\n${text.slice(end)}`,
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^metrics\.yaml:\d+:13: expected a list of exceptions, or \{ file: FILE \} to read them from an exceptions register$/,
      ),
    ]);
  });
});
