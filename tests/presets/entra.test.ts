import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPreset, PRESET_FIXTURES, variantWriter } from './load-preset.js';

const variant = variantWriter('isms-entra-');

const HEADER =
  'userPrincipalName,displayName,surname,mail,givenName,id,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,officeLocation,city,postalCode,telephoneNumber,mobilePhone,alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification,companyName,creationType,directorySynced,invitationState,identityIssuer,createdDateTime';

describe('preset entra-users', () => {
  it('reads the current "Download users" CSV (BOM, CRLF, True/False, US dates without zone)', async () => {
    const raw = await readFile(path.join(PRESET_FIXTURES, 'entra-users.csv'));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(raw.includes('\r\n')).toBe(true);

    const { rows, problems } = await loadPreset('entra-users', 'entra-users.csv');
    // Values are never quoted, so the planted =HYPERLINK("...") of row 3 holds quotes in an unquoted
    // field: a warning (issue 14.3); the value itself is read as written (below).
    expect(problems).toEqual([
      expect.stringMatching(
        /entra-users\.csv:3: column "jobTitle": quote inside an unquoted field, read as a plain character/,
      ),
    ]);
    expect(rows.map((r) => r.upn)).toEqual([
      'mira.lindqvist@example.com',
      'tomas.okafor@example.com',
      'priya.raman_example.org#EXT#@examplecorp.onmicrosoft.com',
      'jonas.becker@example.com',
      'svc-backup@examplecorp.onmicrosoft.com',
      'k.tanaka_example.net#EXT#@examplecorp.onmicrosoft.com',
      'lea.schmitt@example.com',
      'aisha.noor@example.com',
    ]);
    const [mira, tomas, priya, jonas, svc, kenji] = rows;
    expect(mira).toEqual({
      id: '3f2b6c1e-8a4d-4c7e-9b1a-2d5e6f708192',
      upn: 'mira.lindqvist@example.com',
      display_name: 'Mira Lindqvist',
      given_name: 'Mira',
      surname: 'Lindqvist',
      mail: 'mira.lindqvist@example.com',
      user_type: 'Member',
      enabled: true,
      job_title: 'Head of IT Security',
      department: 'IT',
      company: 'Example GmbH',
      office: 'HQ Berlin',
      country: 'Germany',
      usage_location: 'DE',
      phone: '+49 30 9018200',
      mobile: '+49 170 5550123',
      creation_type: null,
      directory_synced: true,
      invitation_state: null,
      identity_issuer: 'example.com',
      created: Date.parse('2026-04-14T09:14:07Z'),
    });
    // 12 PM is noon, 12 AM is midnight, 11:59:59 PM the last second of the day.
    expect(tomas).toMatchObject({ created: Date.parse('2026-06-03T12:05:33Z'), directory_synced: null });
    expect(svc).toMatchObject({ created: Date.parse('2026-05-05T00:30:00Z'), department: null, mail: null });
    expect(kenji).toMatchObject({ created: Date.parse('2026-09-30T23:59:59Z'), enabled: false });
    expect(jonas).toMatchObject({
      id: '0e1f2a3b-4c5d-4e6f-a708-192a3b4c5d6e',
      enabled: false,
      created: Date.parse('2021-08-19T15:02:10Z'),
      office: 'Munich',
    });
    expect(priya).toMatchObject({
      user_type: 'Guest',
      enabled: true,
      creation_type: 'Invitation',
      invitation_state: 'PendingAcceptance',
      identity_issuer: 'ExternalAzureAD',
      created: Date.parse('2026-07-21T16:48:51Z'),
    });
  });

  it('marks guests by userType, and their UPN carries #EXT#', async () => {
    const { rows } = await loadPreset('entra-users', 'entra-users.csv');
    const guests = rows.filter((r) => r.user_type === 'Guest');
    expect(guests.map((r) => r.display_name)).toEqual(['Priya Raman', 'Kenji Tanaka']);
    expect(guests.every((r) => String(r.upn).includes('#EXT#'))).toBe(true);
    expect(rows.filter((r) => String(r.upn).includes('#EXT#'))).toEqual(guests);
  });

  it('reads unescaped formulas and +/-/@ values as plain text', async () => {
    const { rows } = await loadPreset('entra-users', 'entra-users.csv');
    const byUpn = new Map(rows.map((r) => [r.upn, r]));
    expect(byUpn.get('tomas.okafor@example.com')).toMatchObject({
      job_title: '=HYPERLINK("https://evil.example.org/x")',
      phone: '+49 30 9018245',
    });
    expect(byUpn.get('lea.schmitt@example.com')).toMatchObject({ mobile: '-', phone: '+49 30 9018290' });
    expect(byUpn.get('svc-backup@examplecorp.onmicrosoft.com')).toMatchObject({
      display_name: '@Backup Service',
    });
  });

  it('reads older downloads with objectId, mobile and physicalDeliveryOfficeName', async () => {
    const raw = await readFile(path.join(PRESET_FIXTURES, 'entra-users-legacy.csv'), 'utf8');
    const header = raw.split(/\r?\n/, 1)[0]!.split(',');
    expect(header).toEqual(expect.arrayContaining(['objectId', 'mobile', 'physicalDeliveryOfficeName']));
    expect(header).not.toContain('id');
    expect(header).not.toContain('mobilePhone');
    expect(header).not.toContain('officeLocation');

    const { rows, problems } = await loadPreset('entra-users', 'entra-users-legacy.csv');
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.id)).toEqual([
      '3f2b6c1e-8a4d-4c7e-9b1a-2d5e6f708192',
      '0e1f2a3b-4c5d-4e6f-a708-192a3b4c5d6e',
      'b7e8f9a0-1b2c-4d3e-9f40-5a6b7c8d9e0f',
      '2b3c4d5e-6f70-4819-a2b3-c4d5e6f7a8b9',
      '6f708192-a3b4-4c5d-9e6f-7a8b9c0d1e2f',
      '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
    ]);
    expect(rows[0]).toMatchObject({ mobile: '+49 170 5550123', office: 'HQ Berlin', enabled: true });
    expect(rows[1]).toMatchObject({
      mobile: '+49 151 5550987',
      office: 'Munich',
      enabled: false,
      phone: null,
    });
    expect(rows[4]).toMatchObject({
      job_title: '-',
      enabled: false,
      created: Date.parse('2026-06-30T14:15:00Z'),
    });
    expect(rows[5]).toMatchObject({
      display_name: 'Éva Horváth',
      created: Date.parse('2026-09-01T07:05:09Z'),
    });
  });

  it('has no last sign-in data', async () => {
    const { rows } = await loadPreset('entra-users', 'entra-users.csv');
    expect(Object.keys(rows[0]!)).not.toContain('last_login');
  });

  it('reads createdDateTime in the catalogue time zone', async () => {
    const { rows } = await loadPreset('entra-users', 'entra-users.csv', {}, { timezone: 'Europe/Berlin' });
    expect(rows[0]!.created).toBe(Date.parse('2026-04-14T07:14:07Z'));
  });

  it('accepts the UK and German locale spellings and an Excel re-save of createdDateTime', async () => {
    const line = (id: string, created: string) =>
      `${id}@example.com,User ${id},,,,${id},Member,,,TRUE,,,,,,,,,,,,,,,,,,,${created}`;
    const file = await variant(
      'entra-locales.csv',
      [
        HEADER,
        line('gb', '19/08/2021 15:02:10'),
        line('de', '19.08.2021 15:02:10'),
        line('xl', '8/19/2021 15:02'),
        line('iso', '2021-08-19T15:02:10Z'),
      ].join('\n'),
    );
    const { rows, problems } = await loadPreset('entra-users', file);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.created)).toEqual([
      Date.parse('2021-08-19T15:02:10Z'),
      Date.parse('2021-08-19T15:02:10Z'),
      Date.parse('2021-08-19T15:02:00Z'),
      Date.parse('2021-08-19T15:02:10Z'),
    ]);
    expect(rows.every((r) => r.enabled === true)).toBe(true);
  });

  it('rejects a row shifted by an unquoted comma, naming its line', async () => {
    const file = await variant(
      'entra-comma.csv',
      [
        HEADER,
        'ok@example.com,Ok User,,,,id-ok,Member,,,True,,,,,,,,,,,,,,,,,,,7/1/2026 8:00:00 AM',
        'dc@example.com,Doe, Jane,,,,id-dc,Member,,,True,,,,,,,,,,,,,,,,,,,7/1/2026 8:00:00 AM',
      ].join('\r\n'),
    );
    const { rows, problems } = await loadPreset('entra-users', file);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 'id-ok', enabled: true });
    expect(problems).toEqual([
      expect.stringMatching(
        /entra-comma\.csv:3: row has 30 cells but the header has 29, and extra cell 30 is not empty/,
      ),
    ]);
  });
});
