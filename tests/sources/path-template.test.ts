/**
 * Period tokens in source paths (src/sources/path-template.ts): which file a period reads, which period
 * that file stands for, and when a path cannot name a file for the period asked.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderEntries } from '../../src/sources/decode.js';
import {
  filesMatching,
  fillPathTemplate,
  type PathSource,
  parsePathTemplate,
  periodTokensIn,
  templateUnit,
} from '../../src/sources/path-template.js';
import { type Period, parsePeriod } from '../../src/time/period.js';

const period = (label: string, tz = 'Europe/Berlin', fiscalYearStartMonth = 1): Period => {
  const parsed = parsePeriod(label, { tz, fiscalYearStartMonth });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.period;
};

const source = (pathTemplate: string, extra: Partial<PathSource> = {}): PathSource => ({
  pathTemplate,
  kind: 'snapshot',
  oneFilePer: undefined,
  fiscalYearStart: 1,
  ...extra,
});

function fileFor(template: string, label: string, extra: Partial<PathSource> = {}): string {
  const choice = fillPathTemplate(source(template, extra), period(label));
  if (!choice.ok) throw new Error(choice.reason);
  return choice.file;
}

/** A folder's entries for filesMatching ([] when it cannot be read). */
const listFolder = async (dir: string) => (await folderEntries(dir)) ?? [];

describe('filling a path for a period', () => {
  it('fills {period} and the parts of the period as the issue names them', () => {
    expect(fileFor('data/q{quarter}/aws.csv', '2026-Q3')).toBe('data/q3/aws.csv');
    expect(fileFor('nessus-q{quarter}.csv', '2026-Q2')).toBe('nessus-q2.csv');
    expect(fileFor('nessus-{year}Q{quarter}.csv', '2026-Q3')).toBe('nessus-2026Q3.csv');
    expect(fileFor('users-{period_end:yyyyMMdd}.csv', '2026-Q3')).toBe('users-20260930.csv');
    expect(fileFor('users-{period_end}.csv', '2026-02')).toBe('users-2026-02-28.csv');
    expect(fileFor('hr/{year}-{month}.csv', '2026-09')).toBe('hr/2026-09.csv');
    expect(fileFor('review-{year}-H{half}.csv', '2026-H2')).toBe('review-2026-H2.csv');
    expect(fileFor('{year}/nessus-{period}.csv', '2026-Q3')).toBe('2026/nessus-2026-Q3.csv');
    expect(fileFor('entra-{period}.csv', '2026-09')).toBe('entra-2026-09.csv');
  });

  it('takes the last day of the period in its zone, not in UTC', () => {
    // 2026-09-30 24:00 in Tokyo is 15:00 UTC the same day; in Berlin the quarter ends at 22:00 UTC.
    const tokyo = fillPathTemplate(source('u-{period_end:yyyyMMdd}.csv'), period('2026-Q3', 'Asia/Tokyo'));
    expect(tokyo.ok && tokyo.file).toBe('u-20260930.csv');
  });

  it('names the period the path names: the reported one, or with one_file_per the unit holding its end', () => {
    const q3 = period('2026-Q3');
    const plain = fillPathTemplate(source('nessus-q{quarter}.csv'), q3);
    expect(plain.ok && plain.named).toEqual(q3);
    const monthly = fillPathTemplate(
      source('entra-{period}.csv', { oneFilePer: 'quarter' }),
      period('2026-09'),
    );
    expect(monthly.ok && monthly.file).toBe('entra-2026-Q3.csv');
    expect(monthly.ok && monthly.named).toEqual(q3);
    const july = fillPathTemplate(source('q{quarter}/aws.csv', { oneFilePer: 'quarter' }), period('2026-07'));
    expect(july.ok && july.file).toBe('q3/aws.csv');
  });

  it('counts quarters in the fiscal year with one_file_per and a fiscal year start', () => {
    const choice = fillPathTemplate(
      source('vm-{year}-Q{quarter}.csv', { oneFilePer: 'quarter', fiscalYearStart: 4 }),
      period('2026-05'),
    );
    expect(choice.ok && choice.file).toBe('vm-2026-Q1.csv');
    expect(fileFor('vm-{year}-Q{quarter}.csv', 'FY2026-Q2')).toBe('vm-2026-Q2.csv');
  });

  it('refuses a token the period cannot fill unless one_file_per says so', () => {
    const month = fillPathTemplate(source('nessus-q{quarter}.csv'), period('2026-09'));
    expect(month).toEqual({
      ok: false,
      reason:
        'the path names a quarter ({quarter}), and 2026-09 is a month: add one_file_per: quarter to the source to read the file of the quarter 2026-09 falls in',
    });
    // {year} alone under a quarter names the whole year: not the quarter asked for.
    const year = fillPathTemplate(source('iam-{year}.csv'), period('2026-Q3'));
    expect(!year.ok && year.reason).toContain('add one_file_per: year');
    // A month file for a quarter: shorter than the period.
    const short = fillPathTemplate(source('u-{year}-{month}.csv'), period('2026-Q3'));
    expect(!short.ok && short.reason).toContain(
      'the path names a month ({month}), and 2026-Q3 is a quarter: report months, one at a time',
    );
    const custom = fillPathTemplate(
      source('u-q{quarter}.csv'),
      (() => {
        const p = period('2026-Q3');
        return { ...p, label: '2026-07-01..2026-09-30', kind: 'custom' as const };
      })(),
    );
    expect(custom.ok).toBe(false);
  });

  it('refuses an events source whose period spans more than one of its files', () => {
    const choice = fillPathTemplate(
      source('incidents-{year}-{month}.csv', { kind: 'events', oneFilePer: 'month' }),
      period('2026-Q3'),
    );
    expect(!choice.ok && choice.reason).toBe(
      'the events of 2026-Q3 are in more than one file (one_file_per: month), and a source reads one file per period: report one month at a time (2026-09, ...)',
    );
    // A snapshot takes the last month's file: the state at the end of the quarter.
    const snapshot = fillPathTemplate(
      source('users-{year}-{month}.csv', { oneFilePer: 'month' }),
      period('2026-Q3'),
    );
    expect(snapshot.ok && snapshot.file).toBe('users-2026-09.csv');
    expect(snapshot.ok && snapshot.named.end).toBe(period('2026-Q3').end);
  });
});

describe('reading a template', () => {
  it('knows its tokens and the unit they name', () => {
    expect(periodTokensIn('x/q{quarter}/{year}-{period_end:yyyy}.csv')).toEqual([
      'period_end',
      'year',
      'quarter',
    ]);
    expect(periodTokensIn('fixed.csv')).toEqual([]);
    expect(templateUnit('data/{year}/q{quarter}.csv')).toBe('quarter');
    expect(templateUnit('data/{period}.csv')).toBeUndefined();
  });

  it('refuses unknown tokens, formats on the wrong token and formats date-fns cannot write', () => {
    expect(parsePathTemplate('nessus-{quater}.csv')).toEqual({
      error:
        'unknown token {quater} in the path (did you mean {quarter}?); the tokens are {period}, {year}, {half}, {quarter}, {month} and {period_end:FORMAT} (date-fns tokens, e.g. {period_end:yyyyMMdd})',
    });
    expect(parsePathTemplate('x-{year:yy}.csv')).toEqual({
      error: '{year:yy}: only {period_end:FORMAT} takes a format',
    });
    const bad = parsePathTemplate('x-{period_end:yyyyjj}.csv');
    expect('error' in bad && bad.error).toMatch(/^\{period_end:yyyyjj\}: not a date format: /);
    expect(parsePathTemplate('x-{period_end:yyyy/MM}.csv')).toEqual({
      error: '{period_end:yyyy/MM}: the format may not hold / or \\ (use {year}/... for folders)',
    });
  });
});

describe('the files a template matches', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'isms-template-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('walks folders with tokens and lists matching files in order', async () => {
    for (const q of ['q3', 'q2', 'old']) {
      mkdirSync(path.join(dir, 'data', q), { recursive: true });
      writeFileSync(path.join(dir, 'data', q, 'aws.csv'), 'x\n');
    }
    writeFileSync(path.join(dir, 'data', 'nessus-q2.csv'), 'x\n');
    writeFileSync(path.join(dir, 'data', 'nessus-q9.csv'), 'x\n');
    writeFileSync(path.join(dir, 'data', 'nessus-q3.csv.bak'), 'x\n');
    const rel = (files: string[]) => files.map((f) => path.relative(dir, f).split(path.sep).join('/'));
    expect(rel(await filesMatching('data/q{quarter}/aws.csv', dir, listFolder))).toEqual([
      'data/q2/aws.csv',
      'data/q3/aws.csv',
    ]);
    expect(rel(await filesMatching('data/nessus-q{quarter}.csv', dir, listFolder))).toEqual([
      'data/nessus-q2.csv',
    ]);
    expect(await filesMatching('nowhere/{period}.csv', dir, listFolder)).toEqual([]);
  });
});
