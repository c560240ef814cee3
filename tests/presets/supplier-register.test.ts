/**
 * Presets supplier-register and remote-access-sessions over their samples in fixtures/presets: the rows
 * as read, and KPI values counted by hand from the sample (period 2026-Q3 in UTC, ending 2026-10-01 00:00).
 */
import { describe, expect, it } from 'vitest';
import { loadPreset, presetKpiValues, variantWriter } from './load-preset.js';

const variant = variantWriter('isms-supplier-');
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('preset supplier-register', () => {
  it('reads flags in their spreadsheet spellings, ISO and German dates, and criticality in any case', async () => {
    const { rows, problems } = await loadPreset('supplier-register', 'supplier-register.csv');
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual({
      supplier: 'Nordlicht Cloud GmbH',
      criticality: 'critical',
      services: 'ERP hosting (private cloud)',
      owner: 'Jana Krüger',
      last_assessment: day('2026-03-12'),
      next_assessment: day('2027-03-12'),
      security_clauses: true,
      dpa: true,
      remote_access: true,
      remote_access_approval: true,
    });
    // "Critical" is stored in the preset's spelling; 14.09.2025 is a German date; n/a is no value.
    expect(rows[1]).toMatchObject({
      criticality: 'critical',
      last_assessment: day('2025-09-14'),
      dpa: null,
      remote_access_approval: false,
    });
    // "-" and an empty cell are no value; y / n / x / 0 / TRUE / NO are flags.
    expect(rows[2]).toMatchObject({ remote_access: false, remote_access_approval: null });
    expect(rows[3]).toMatchObject({
      last_assessment: null,
      security_clauses: true,
      dpa: false,
      remote_access: true,
      remote_access_approval: false,
    });
    expect(rows[6]).toMatchObject({
      security_clauses: true,
      remote_access: false,
      remote_access_approval: null,
    });
  });

  it('gives the supplier KPIs the values counted by hand', async () => {
    const values = await presetKpiValues(
      { source: 'suppliers', preset: 'supplier-register', file: 'supplier-register.csv' },
      {
        ALL: 'count(suppliers)',
        // Critical: Nordlicht (203 days), Vistula (382 days), Kessler (never), Sorbus (exactly 365 days).
        ASSESSED:
          'pct(count(suppliers, criticality == "critical" and age(last_assessment) <= 365), count(suppliers, criticality == "critical"))',
        // Critical or high: 5 rows, Helix has no security clauses.
        CLAUSES:
          'pct(count(suppliers, criticality in ["critical", "high"] and security_clauses), count(suppliers, criticality in ["critical", "high"]))',
        // Remote access without the approved process: Vistula and Kessler.
        UNAPPROVED: 'count(suppliers, remote_access and not remote_access_approval)',
        NO_DPA: 'count(suppliers, dpa == false)',
      },
    );
    expect(values).toEqual({ ALL: 8, ASSESSED: 50, CLAUSES: 80, UNAPPROVED: 2, NO_DPA: 3 });
  });

  it('accepts the alternative column names, and rejects a criticality outside the scale', async () => {
    const file = await variant(
      'suppliers-alt.csv',
      [
        'vendor,tier,last_assessed,contract_security_clauses,has_remote_access,remote_access_approved',
        'Alpha AG,High,01.07.2026,ja,nein,',
        'Beta GmbH,A,2026-01-01,yes,no,',
      ].join('\n'),
    );
    const { rows, problems } = await loadPreset('supplier-register', file);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      supplier: 'Alpha AG',
      criticality: 'high',
      last_assessment: day('2026-07-01'),
      security_clauses: true,
      remote_access: false,
      remote_access_approval: null,
    });
    const invalid = problems.filter((p) => !p.includes('is not in the header'));
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toContain('"A"');
    expect(invalid[0]).toMatch(/:3:/);
  });
});

describe('preset remote-access-sessions', () => {
  it('reads minutes, seconds, German and ISO times, and an open session', async () => {
    const { rows, problems } = await loadPreset('remote-access-sessions', 'remote-access-sessions.csv');
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(10);
    const byId = new Map(rows.map((r) => [r.session, r]));
    expect(byId.get('RA-1001')).toEqual({
      session: 'RA-1001',
      supplier: 'Nordlicht Cloud GmbH',
      user: 'nc-support01',
      target: 'erp-app-01',
      started: Date.parse('2026-07-02T09:00:00Z'),
      ended: Date.parse('2026-07-02T11:30:00Z'),
      approved_by: 'Jana Krüger',
      ticket: 'CHG0031001',
      recorded: true,
    });
    expect(byId.get('RA-1002')).toMatchObject({ approved_by: null, ticket: null });
    expect(byId.get('RA-1003')).toMatchObject({ started: Date.parse('2026-08-14T08:00:00Z') });
    expect(byId.get('RA-1004')).toMatchObject({ ended: null });
    expect(byId.get('RA-1005')).toMatchObject({ ended: Date.parse('2026-09-03T12:45:30Z'), recorded: false });
    expect(byId.get('RA-1006')).toMatchObject({
      started: Date.parse('2026-09-30T21:30:00Z'),
      recorded: true,
    });
  });

  it('reads the times in the catalogue time zone', async () => {
    const { rows } = await loadPreset(
      'remote-access-sessions',
      'remote-access-sessions.csv',
      {},
      { timezone: 'Europe/Berlin' },
    );
    expect(rows.find((r) => r.session === 'RA-1001')!.started).toBe(Date.parse('2026-07-02T07:00:00Z'));
    // An explicit Z stays as written.
    expect(rows.find((r) => r.session === 'RA-1006')!.started).toBe(Date.parse('2026-09-30T21:30:00Z'));
  });

  it('gives the session KPI the value counted by hand', async () => {
    const values = await presetKpiValues(
      { source: 'sessions', preset: 'remote-access-sessions', file: 'remote-access-sessions.csv' },
      {
        // Q3 holds RA-1001 to RA-1006, RA-1008 and RA-1009 (RA-0999 is in Q2, RA-1007 in Q4). Approved, ended
        // within 8 hours and recorded: RA-1001 (2.5 h), RA-1003 (exactly 8 h) and RA-1006 (1.5 h). Not: RA-1002
        // (no approval), RA-1004 (never ended), RA-1005 (not recorded), RA-1008 (10.5 h), RA-1009 (logged as
        // ending 4 h before it started: -4 h is not "within 8 hours").
        SESSIONS: 'count(sessions)',
        COMPLIANT:
          'count(sessions, approved_by != null and ticket != null and recorded and hours(started, ended) >= 0 and hours(started, ended) <= 8)',
        PCT: 'pct(count(sessions, approved_by != null and ticket != null and recorded and hours(started, ended) >= 0 and hours(started, ended) <= 8), count(sessions))',
      },
    );
    expect(values).toEqual({ SESSIONS: 8, COMPLIANT: 3, PCT: (100 * 3) / 8 });
  });
});
