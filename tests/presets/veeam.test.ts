import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from './load-preset.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'isms-veeam-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const HEADER =
  '"JobName","VMName","Status","IsRetry","ProcessingMode","WorkDuration","TaskAlgorithm","CreationTime","BackupSize","DataSize","DedupRatio","CompressRatio"';

/** The one warning of an export whose slash dates never show a day over 12 (day-first detection). */
const AMBIGUOUS = 'column "CreationTime": every date fits both "M/d/yyyy H:mm:ss" and "d/M/yyyy H:mm:ss"';
const besidesAmbiguity = (problems: string[]) => problems.filter((p) => !p.includes(AMBIGUOUS));

/** Writes a small session export to the temp folder and returns its path. */
async function sessions(name: string, lines: string[]): Promise<string> {
  const file = path.join(tmp, name);
  await writeFile(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

describe('preset veeam-sessions', () => {
  it('reads the sessions, dropping the repeated rows of the export', async () => {
    const { rows, problems, loaded } = await loadPreset('veeam-sessions', 'veeam-sessions.csv');
    // Every day of the sample is 12 or less: read month-first (en-US, listed first), with one warning.
    expect(problems).toEqual([expect.stringContaining(AMBIGUOUS)]);
    expect(loaded.stats.rowsRead).toBe(14);
    expect(loaded.stats.duplicates).toBe(7);
    expect(rows.map((r) => `${r.job}/${r.vm}/${r.status}`)).toEqual([
      'Daily-Infra/dc01.example.com/Success',
      'Daily-Infra/fs01.example.com/Warning',
      'Daily-Infra/sql01.example.com/Failed',
      'Daily-Infra/sql01.example.com/Success',
      'Weekly-Full/app01.example.org/Success',
      'Weekly-Full/web01.example.org/Warning',
      'Daily-Infra/dc01.example.com/Success',
    ]);
    const [dc, fs, sqlFailed, sqlRetry, app] = rows;
    expect(dc).toEqual({
      job: 'Daily-Infra',
      vm: 'dc01.example.com',
      status: 'Success',
      started: Date.parse('2026-07-06T22:00:14Z'),
      duration: 312.5468213,
      is_retry: false,
      size: 1523187712,
      data_size: 21474836480,
      dedup_ratio: 100,
      compress_ratio: 47,
      processing_mode: 'HotAdd',
      task_algorithm: 'Increment',
    });
    expect(fs).toMatchObject({ status: 'Warning', duration: 1284.09, processing_mode: 'Network' });
    expect(sqlFailed).toMatchObject({
      status: 'Failed',
      is_retry: false,
      size: 0,
      dedup_ratio: null,
      compress_ratio: null,
    });
    expect(sqlRetry).toMatchObject({
      status: 'Success',
      is_retry: true,
      started: Date.parse('2026-07-06T22:41:03Z'),
      duration: 845.7,
    });
    expect(app).toMatchObject({ started: Date.parse('2026-07-11T01:30:00Z'), task_algorithm: 'Full' });
  });

  it('drops only exact repeats: duplicates: keep counts every line, a changed cell is a new session', async () => {
    const kept = await loadPreset('veeam-sessions', 'veeam-sessions.csv', { duplicates: 'keep' });
    expect(kept.rows).toHaveLength(14);
    expect(kept.loaded.stats.duplicates).toBe(0);

    const row =
      '"Daily-Infra","dc01.example.com","Success","False","HotAdd","312.5468213","Increment","7/6/2026 22:00:14","1523187712","21474836480","100","47"';
    const file = await sessions('dup.csv', [HEADER, row, row, row.replace('312.5468213', '312.5468214')]);
    const { rows, problems, loaded } = await loadPreset('veeam-sessions', 'veeam-sessions.csv', {
      path: file,
    });
    expect(besidesAmbiguity(problems)).toEqual([]);
    expect(rows.map((r) => r.duration)).toEqual([312.5468213, 312.5468214]);
    expect(loaded.stats.duplicates).toBe(1);
  });

  it('reads the 12-hour en-US and the dotted day-first CreationTime, and HH:MM:SS durations', async () => {
    const file = await sessions('locales.csv', [
      HEADER,
      '"Daily-Infra","dc01.example.com","Success","False","HotAdd","312.5","Increment","7/6/2026 10:00:14 PM","1","2","100","47"',
      '"Daily-Infra","dc01.example.com","Success","False","HotAdd","00:05:12.5000000","Increment","7/7/2026 12:05:00 AM","1","2","100","47"',
      '"Daily-Infra","dc01.example.com","Failed","True","HotAdd","41","Increment","06.07.2026 22:00:14","1","2","100","47"',
      '"Daily-Infra","dc01.example.com","Success","False","HotAdd","41","Increment","8/3/2026 9:05:01","1","2","100","47"',
    ]);
    const { rows, problems } = await loadPreset('veeam-sessions', 'veeam-sessions.csv', { path: file });
    expect(besidesAmbiguity(problems)).toEqual([]);
    expect(rows.map((r) => r.started)).toEqual([
      Date.parse('2026-07-06T22:00:14Z'),
      Date.parse('2026-07-07T00:05:00Z'),
      Date.parse('2026-07-06T22:00:14Z'),
      Date.parse('2026-08-03T09:05:01Z'),
    ]);
    expect(rows[1]!.duration).toBe(312.5);
  });

  it('reads a day-first en-GB export once started is given that format', async () => {
    const file = await sessions('en-gb.csv', [
      HEADER,
      '"Daily-Infra","dc01.example.com","Success","False","HotAdd","312.5","Increment","06/07/2026 22:00:14","1","2","100","47"',
    ]);
    const { rows, problems } = await loadPreset('veeam-sessions', 'veeam-sessions.csv', {
      path: file,
      fields: { started: { format: 'dd/MM/yyyy HH:mm:ss' } },
    });
    expect(besidesAmbiguity(problems)).toEqual([]);
    expect(rows[0]!.started).toBe(Date.parse('2026-07-06T22:00:14Z'));
  });

  it('reads CreationTime in the source time zone', async () => {
    const { rows } = await loadPreset('veeam-sessions', 'veeam-sessions.csv', { timezone: 'Europe/Berlin' });
    expect(rows[0]!.started).toBe(Date.parse('2026-07-06T20:00:14Z'));
  });

  it('reads a Windows PowerShell export with a #TYPE line when told to skip it', async () => {
    const file = await sessions('typed.csv', [
      '#TYPE System.Management.Automation.PSCustomObject',
      HEADER,
      '"Daily-Infra","dc01.example.com","Success","False","HotAdd","312.5","Increment","7/6/2026 22:00:14","1","2","100","47"',
    ]);
    const { rows, problems } = await loadPreset('veeam-sessions', 'veeam-sessions.csv', {
      path: file,
      csv: { skip_lines: 1 },
    });
    expect(besidesAmbiguity(problems)).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ job: 'Daily-Infra', started: Date.parse('2026-07-06T22:00:14Z') });
  });
});

describe('preset veeam-em-sessions', () => {
  const expectSessions = (rows: Record<string, unknown>[]) => {
    expect(rows.map((r) => `${r.vm} ${r.status}`)).toEqual([
      'dc01.example.com Success',
      'fs01.example.com Warning',
      'sql01.example.com Failed',
      'sql01.example.com Success',
      'app01.example.org Success',
      'web01.example.org null',
      'dc01.example.com Success',
      'fs01.example.com Success',
    ]);
    const [dc, fs, sqlFailed, , app, , , fsAug] = rows;
    expect(dc).toEqual({
      job: 'Daily-Infra',
      vm: 'dc01.example.com',
      status: 'Success',
      started: Date.parse('2026-07-06T22:00:14.200Z'),
      ended: Date.parse('2026-07-06T22:14:31.740Z'),
      size: 21474836480,
      state: 'Stopped',
      reason: null,
      restore_point_type: 'Full',
      job_algorithm: 'Incremental',
      included_tags: null,
    });
    // Fraction digits vary: 2, 7, 0, 1 and 4 of them.
    expect(fs).toMatchObject({
      started: Date.parse('2026-07-06T22:00:15.030Z'),
      ended: Date.parse('2026-07-06T22:31:40.743Z'),
      reason: 'Changed block tracking cannot be enabled: one or more snapshots present.',
      included_tags: 'Tier1',
    });
    expect(sqlFailed).toMatchObject({
      started: Date.parse('2026-07-06T22:00:15.900Z'),
      ended: Date.parse('2026-07-06T22:01:02Z'),
      size: 0,
      reason:
        'Error: Failed to open VDDK disk [[datastore2] sql01/sql01_1.vmdk] ( is read-only mode - "true" )\r\nFailed to upload disk, agent failed to process method {DataTransfer.SyncDisk}.',
    });
    // $null (a bare empty field in CSV, null in JSON) and "" both read as no value.
    expect(app).toMatchObject({ job: 'Weekly-Full', reason: null, included_tags: null });
    expect(fsAug).toMatchObject({ ended: Date.parse('2026-08-03T22:19:58.041Z') });
  };

  it('reads the CSV; the session still running (Result None) has no status and is not rejected', async () => {
    const { rows, problems, loaded } = await loadPreset('veeam-em-sessions', 'veeam-em-sessions.csv');
    expectSessions(rows);
    expect(problems).toEqual([]);
    expect(loaded.stats.rejected).toBe(0);
    expect(rows[5]).toMatchObject({ vm: 'web01.example.org', status: null, state: 'Working', ended: null });
  });

  it('reads the JSON variant the same way', async () => {
    const { rows, problems, loaded } = await loadPreset('veeam-em-sessions', 'veeam-em-sessions.json');
    expectSessions(rows);
    expect(problems).toEqual([]);
    expect(loaded.stats.rejected).toBe(0);
    expect(rows[5]).toMatchObject({ vm: 'web01.example.org', status: null, state: 'Working' });
  });

  it('keeps the running session when status is overridden to allow None', async () => {
    const { rows, problems } = await loadPreset('veeam-em-sessions', 'veeam-em-sessions.csv', {
      fields: { status: { values: ['Success', 'Warning', 'Failed', 'None'], null_tokens: [''] } },
    });
    expect(problems).toEqual([]);
    expect(rows[5]).toMatchObject({ vm: 'web01.example.org', status: 'None', state: 'Working', ended: null });
  });
});
