import { describe, expect, it } from 'vitest';
import { loadPreset } from './load-preset.js';

describe('preset aws-iam-credential-report', () => {
  it('reads the root row, the not_supported / no_information / N/A tokens and both boolean spellings', async () => {
    const { rows, problems } = await loadPreset('aws-iam-credential-report', 'aws-iam-credential-report.csv');
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.id)).toEqual([
      '<root_account>',
      'ops-mira.lindqvist',
      'ci-deployer',
      'dev-tomas.okafor',
      'audit-readonly',
    ]);
    const [root, mira, ci, tomas, audit] = rows;
    expect(root).toMatchObject({
      arn: 'arn:aws:iam::210987654321:root',
      created: Date.parse('2019-03-04T08:12:45Z'),
      password_enabled: null,
      password_last_changed: null,
      password_next_rotation: null,
      password_last_used: Date.parse('2026-09-02T06:41:10Z'),
      mfa: true,
      key1_active: false,
      key1_rotated: null,
    });
    expect(mira).toMatchObject({
      mfa: true,
      key1_active: true,
      key1_last_used_service: 's3',
      key2_active: false,
    });
    expect(ci).toMatchObject({
      password_enabled: false,
      password_last_used: null,
      key1_rotated: Date.parse('2024-11-03T12:00:00Z'),
      key2_active: true,
      key2_rotated: Date.parse('2026-08-21T12:00:00Z'),
    });
    expect(tomas).toMatchObject({
      password_enabled: true,
      password_last_used: null,
      mfa: false,
      key1_active: false,
    });
    expect(audit).toMatchObject({ created: Date.parse('2020-02-29T23:59:59Z'), cert1_active: true });
  });

  it('lets the catalogue override a field and drop another', async () => {
    const { rows } = await loadPreset('aws-iam-credential-report', 'aws-iam-credential-report.csv', {
      fields: { mfa: { type: 'string' }, arn: null, region: 'access_key_1_last_used_region' },
    });
    expect(rows[1]).toMatchObject({ mfa: 'true', region: 'eu-central-1' });
    expect(rows[1]).not.toHaveProperty('arn');
  });
});
