import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPreset, PRESET_FIXTURES, variantWriter } from './load-preset.js';

const variant = variantWriter('isms-okta-');

describe('preset okta-users', () => {
  it('reads the top-level array, profile paths and every documented status', async () => {
    const raw = JSON.parse(await readFile(path.join(PRESET_FIXTURES, 'okta-users.json'), 'utf8'));
    expect(Array.isArray(raw)).toBe(true);

    const { rows, problems } = await loadPreset('okta-users', 'okta-users.json');
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.status)).toEqual([
      'ACTIVE',
      'STAGED',
      'PROVISIONED',
      'ACTIVE',
      'RECOVERY',
      'PASSWORD_EXPIRED',
      'LOCKED_OUT',
      'SUSPENDED',
      'DEPROVISIONED',
      'ACTIVE',
    ]);
    const [mira, lena, yusuf, aisha, , eva, , , marek, svc] = rows;
    expect(mira).toEqual({
      id: '00ub0oNGTSWTBKOLGLN1',
      login: 'mira.lindqvist@example.com',
      email: 'mira.lindqvist@example.com',
      first_name: 'Mira',
      last_name: 'Lindqvist',
      display_name: 'Mira Lindqvist',
      status: 'ACTIVE',
      user_type: 'Employee',
      department: 'IT',
      title: 'Head of IT Security',
      manager: null,
      employee_number: 'E10012',
      auth_source: 'OKTA',
      created: Date.parse('2026-04-01T08:12:44Z'),
      activated: Date.parse('2026-04-01T08:15:02Z'),
      status_changed: Date.parse('2026-04-01T08:15:02Z'),
      last_login: Date.parse('2026-09-29T07:58:31Z'),
      last_updated: Date.parse('2026-09-01T10:00:00Z'),
      password_last_changed: Date.parse('2026-07-14T09:03:27Z'),
    });
    // STAGED: activated and lastLogin are JSON null.
    expect(raw[1].activated).toBeNull();
    expect(raw[1].lastLogin).toBeNull();
    expect(lena).toMatchObject({
      id: '00ub0oNGTSWTBKOLGLN2',
      status: 'STAGED',
      created: Date.parse('2026-09-22T13:40:05Z'),
      activated: null,
      status_changed: null,
      last_login: null,
      password_last_changed: null,
      manager: 'juergen.mueller@example.com',
      display_name: null,
    });
    expect(yusuf).toMatchObject({
      status: 'PROVISIONED',
      activated: Date.parse('2026-08-28T09:00:12Z'),
      last_login: null,
    });
    expect(aisha).toMatchObject({
      auth_source: 'ACTIVE_DIRECTORY',
      created: Date.parse('2021-08-19T15:02:10Z'),
    });
    expect(eva).toMatchObject({ first_name: 'Éva', last_name: 'Horváth', department: 'Finance' });
    expect(marek).toMatchObject({
      status_changed: Date.parse('2026-06-30T17:45:00Z'),
      password_last_changed: null,
    });
    expect(svc).toMatchObject({ user_type: 'Service', last_login: null, department: null });
    expect(Object.keys(mira!)).not.toContain('enabled');
  });

  it('rejects a status outside the documented list and reads the spelling case-insensitively', async () => {
    const user = (id: string, status: string) => ({
      id,
      status,
      created: '2026-07-01T06:00:00.000Z',
      activated: null,
      statusChanged: null,
      lastLogin: null,
      lastUpdated: '2026-07-01T06:00:00.000Z',
      passwordChanged: null,
      profile: { login: `${id}@example.com`, firstName: 'A', lastName: 'B', email: `${id}@example.com` },
    });
    const file = await variant(
      'okta-status.json',
      JSON.stringify([user('00u1', 'active'), user('00u2', 'DELETED'), user('00u3', 'locked_out')]),
    );
    const { rows, problems } = await loadPreset('okta-users', file);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['00u1', 'ACTIVE'],
      ['00u3', 'LOCKED_OUT'],
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('DELETED');
  });
});

describe('preset okta-password-health', () => {
  it('reads the header with spaces after the commas, Never and empty cells, and a quoted name', async () => {
    const raw = await readFile(path.join(PRESET_FIXTURES, 'okta-password-health.csv'), 'utf8');
    expect(raw.split('\r\n', 1)[0]).toBe(
      'User, Login, Status, Activation date, Authentication Source, Last Login, Last Password Change',
    );

    const { rows, problems } = await loadPreset('okta-password-health', 'okta-password-health.csv');
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.id)).toEqual([
      'mira.lindqvist@example.com',
      'tomas.okafor@example.com',
      'aisha.noor@example.com',
      'yusuf.demir@example.com',
      'eva.horvath@example.com',
      'noah.fischer@example.com',
      'sophie.martin@example.com',
      '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
    ]);
    const [mira, tomas, aisha, yusuf, eva, , , svc] = rows;
    expect(mira).toEqual({
      id: 'mira.lindqvist@example.com',
      display_name: 'Mira Lindqvist',
      status: 'ACTIVE',
      activated: Date.parse('2026-04-01T08:15:02Z'),
      auth_source: 'OKTA',
      last_login: Date.parse('2026-09-29T07:58:31Z'),
      password_last_changed: Date.parse('2026-07-14T09:03:27Z'),
    });
    expect(tomas).toMatchObject({ display_name: 'Okafor, Tomás', status: 'LOCKED_OUT' });
    expect(aisha).toMatchObject({ auth_source: 'ACTIVE_DIRECTORY', password_last_changed: null });
    expect(yusuf).toMatchObject({ status: 'PROVISIONED', last_login: null, password_last_changed: null });
    expect(eva).toMatchObject({ status: 'PASSWORD_EXPIRED', activated: Date.parse('2024-02-29T12:05:00Z') });
    expect(svc).toMatchObject({ display_name: 'Sync Service', last_login: null });
  });

  it('reads the timestamps as UTC whatever the catalogue time zone', async () => {
    const { rows } = await loadPreset(
      'okta-password-health',
      'okta-password-health.csv',
      {},
      { timezone: 'Europe/Berlin' },
    );
    expect(rows[0]!.last_login).toBe(Date.parse('2026-09-29T07:58:31Z'));
  });

  it('accepts the other date styles, a header without spaces and mixed-case statuses', async () => {
    const file = await variant(
      'okta-ph-dates.csv',
      [
        'User,Login,Status,Activation date,Authentication Source,Last Login,Last Password Change',
        'A,a@example.com,Active,2026-05-04 13:22:10.0,OKTA,"May 4, 2026 1:22:10 PM",5/4/2026 13:22',
        'B,b@example.com,password_expired,2026-05-04T13:22:10.000Z,OKTA,5/4/2026 1:22:10 PM,"May 4, 2026"',
        'C,c@example.com,Locked_Out,5/4/2026 13:22:10,LDAP,never,-',
      ].join('\n'),
    );
    const { rows, problems } = await loadPreset('okta-password-health', file);
    expect(problems).toEqual([]);
    const at = Date.parse('2026-05-04T13:22:10Z');
    expect(rows).toEqual([
      {
        id: 'a@example.com',
        display_name: 'A',
        status: 'ACTIVE',
        activated: at,
        auth_source: 'OKTA',
        last_login: at,
        password_last_changed: Date.parse('2026-05-04T13:22:00Z'),
      },
      {
        id: 'b@example.com',
        display_name: 'B',
        status: 'PASSWORD_EXPIRED',
        activated: at,
        auth_source: 'OKTA',
        last_login: at,
        password_last_changed: Date.parse('2026-05-04T00:00:00Z'),
      },
      {
        id: 'c@example.com',
        display_name: 'C',
        status: 'LOCKED_OUT',
        activated: at,
        auth_source: 'LDAP',
        last_login: null,
        password_last_changed: null,
      },
    ]);
  });
});
