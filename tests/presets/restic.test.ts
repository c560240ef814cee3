import { describe, expect, it } from 'vitest';
import { loadPreset } from './load-preset.js';

describe('preset restic-snapshots', () => {
  it('reads snapshots with nanosecond local-offset times, lists and the 0.17+ summary', async () => {
    const { rows, problems, loaded } = await loadPreset('restic-snapshots', 'restic-snapshots.json');
    expect(problems).toEqual([]);
    expect(loaded.source.config.record_type).toBeUndefined();
    expect(rows.map((r) => `${r.short_id} ${r.job}`)).toEqual([
      'ca978112 nas01.example.com',
      '3e23e816 laptop-ines',
      '2e7d2c03 nas01.example.com',
      '18ac3e73 web01.example.org',
      '3f79bb7b nas01.example.com',
      '252f10c8 web01.example.org',
      'cd0aa985 db01.example.com',
    ]);
    const [old, laptop, nas, web, , , db] = rows;

    // restic < 0.16: no program_version, no summary.
    expect(old).toEqual({
      id: 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb',
      short_id: 'ca978112',
      job: 'nas01.example.com',
      started: Date.parse('2026-03-27T18:00:05.482Z'),
      ended: null,
      backup_start: null,
      paths: ['/srv/share'],
      tags: ['nightly'],
      username: 'root',
      parent: null,
      tree: 'be8e6b5ecc20ba16b03e7f45b45a21a41d68113771afe3ab447782fc08d29dae',
      program_version: null,
      files_new: null,
      files_changed: null,
      files_unmodified: null,
      data_added: null,
      data_added_packed: null,
      total_files_processed: null,
      size: null,
    });
    // restic 0.16: a version but no summary; no tags key at all.
    expect(laptop).toMatchObject({
      started: Date.parse('2026-06-30T21:15:02.004Z'),
      paths: ['/home/ines/Documents', '/home/ines/Projects'],
      tags: null,
      program_version: 'restic 0.16.4',
      size: null,
      ended: null,
    });
    // restic 0.17: summary with nanosecond start and end.
    expect(nas).toMatchObject({
      started: Date.parse('2026-06-30T18:00:04.139Z'),
      backup_start: Date.parse('2026-06-30T18:00:04.139Z'),
      ended: Date.parse('2026-06-30T18:07:51.880Z'),
      parent: 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb',
      files_new: 212,
      files_changed: 37,
      files_unmodified: 48211,
      data_added: 1073741824,
      data_added_packed: 402653184,
      total_files_processed: 48460,
      size: 412316860416,
    });
    expect(web).toMatchObject({
      started: Date.parse('2026-06-30T23:00:12.500Z'),
      ended: Date.parse('2026-06-30T23:01:40.277Z'),
      tags: ['daily', 'web'],
      paths: ['/etc', '/var/www'],
    });
    // A UTC time (Z) and no tags.
    expect(db).toMatchObject({
      started: Date.parse('2026-07-03T21:33:49.139Z'),
      ended: Date.parse('2026-07-03T21:41:03.500Z'),
      tags: null,
      username: 'postgres',
      size: 6442450944,
    });
  });

  it('places snapshots from different zones in UTC order', async () => {
    const { rows } = await loadPreset('restic-snapshots', 'restic-snapshots.json');
    // nas01 (+08:00) at 02:00 local on 1 July is before web01 (+02:00) at 01:00 local on 1 July.
    expect((rows[2]!.started as number) < (rows[3]!.started as number)).toBe(true);
    expect(rows[3]!.started as number).toBe(Date.UTC(2026, 5, 30, 23, 0, 12, 500));
  });
});
