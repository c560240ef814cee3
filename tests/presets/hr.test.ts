import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPreset, PRESET_FIXTURES, variantWriter } from './load-preset.js';

const variant = variantWriter('isms-hr-');

describe('preset hr-joiners-leavers', () => {
  it('reads a European Excel re-save: BOM, ";" delimiter, CRLF, a blank line, dd.MM.yyyy and ISO dates', async () => {
    const raw = await readFile(path.join(PRESET_FIXTURES, 'hr-joiners-leavers.csv'));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8');
    expect(text).toContain('\r\n\r\n');
    expect(text.split('\r\n', 1)[0]).toBe(
      '\ufeffemployee_id;upn;name;event;effective_date;access_revoked_at;department;manager',
    );

    const { loaded, rows, problems } = await loadPreset('hr-joiners-leavers', 'hr-joiners-leavers.csv');
    expect(problems).toEqual([]);
    expect(loaded.table.length).toBe(8);
    expect(rows.map((r) => [r.employee_id, r.event])).toEqual([
      ['E10231', 'joiner'],
      ['E10188', 'leaver'],
      ['E09877', 'mover'],
      ['E10232', 'joiner'],
      ['E08840', 'leaver'],
      ['E10240', 'joiner'],
      ['E07712', 'leaver'],
      ['E09001', 'mover'],
    ]);
    const [lena, marek, , yusuf, ines, tobias, hannah] = rows;
    expect(lena).toEqual({
      person: 'lena.vogt@example.com',
      employee_id: 'E10231',
      name: 'Lena Vogt',
      event: 'joiner',
      effective: Date.parse('2026-07-01T00:00:00Z'),
      access_revoked: null,
      department: 'Finance',
      manager: 'Müller, Jürgen',
    });
    expect(marek).toMatchObject({
      person: 'marek.nowak@example.com',
      effective: Date.parse('2026-06-30T00:00:00Z'),
      access_revoked: Date.parse('2026-06-30T17:45:00Z'),
      manager: 'Schneider, Anna',
    });
    // A date cell Excel kept as text (ISO) next to the re-formatted ones; lower-case event.
    expect(yusuf).toMatchObject({ event: 'joiner', effective: Date.parse('2026-08-03T00:00:00Z') });
    // LEAVER in capitals; access revoked two days after the last working day.
    expect(ines).toMatchObject({
      name: 'Inês Ferreira',
      event: 'leaver',
      effective: Date.parse('2026-08-31T00:00:00Z'),
      access_revoked: Date.parse('2026-09-02T09:12:00Z'),
    });
    // "-" is an empty cell.
    expect(tobias).toMatchObject({ access_revoked: null });
    expect(hannah).toMatchObject({ event: 'leaver', access_revoked: null });
  });

  it('reads the dates in the catalogue time zone', async () => {
    const { rows } = await loadPreset(
      'hr-joiners-leavers',
      'hr-joiners-leavers.csv',
      {},
      { timezone: 'Europe/Berlin' },
    );
    expect(rows[0]!.effective).toBe(Date.parse('2026-06-30T22:00:00Z'));
    expect(rows[1]!.access_revoked).toBe(Date.parse('2026-06-30T15:45:00Z'));
  });

  it('accepts the common alternative column names in a comma file', async () => {
    const file = await variant(
      'hr-alt.csv',
      [
        'employee_number,email,event_type,termination_date,account_disabled_at,dept,line_manager',
        'E2001,kim.lee@example.com,Leaver,2026-07-31,2026-07-31 18:05,IT,"Schneider, Anna"',
        'E2002,ola.nilsen@example.com,joiner,01.08.2026,,Sales,"Dubois, Pierre"',
      ].join('\n'),
    );
    const { rows, problems, loaded } = await loadPreset('hr-joiners-leavers', file);
    // The file has no name column, which no KPI reads: no warning, only listed.
    expect(problems).toEqual([]);
    expect(loaded.unusedAbsentFields).toEqual(['name']);
    expect(rows).toEqual([
      {
        person: 'kim.lee@example.com',
        employee_id: 'E2001',
        name: null,
        event: 'leaver',
        effective: Date.parse('2026-07-31T00:00:00Z'),
        access_revoked: Date.parse('2026-07-31T18:05:00Z'),
        department: 'IT',
        manager: 'Schneider, Anna',
      },
      {
        person: 'ola.nilsen@example.com',
        employee_id: 'E2002',
        name: null,
        event: 'joiner',
        effective: Date.parse('2026-08-01T00:00:00Z'),
        access_revoked: null,
        department: 'Sales',
        manager: 'Dubois, Pierre',
      },
    ]);
  });

  it('reads a leavers-only file (employee_id,upn,termination_date)', async () => {
    const file = await variant(
      'hr-leavers.csv',
      ['employee_id,upn,termination_date', 'E3001,max.roth@example.com,15.08.2026'].join('\r\n'),
    );
    const { rows, problems } = await loadPreset('hr-joiners-leavers', file);
    expect(rows).toEqual([
      {
        person: 'max.roth@example.com',
        employee_id: 'E3001',
        name: null,
        event: null,
        effective: Date.parse('2026-08-15T00:00:00Z'),
        access_revoked: null,
        department: null,
        manager: null,
      },
    ]);
    // Only warnings about the columns this file does not have.
    expect(problems.every((p) => p.includes('is not in the header'))).toBe(true);
  });

  it('rejects event words outside joiner/mover/leaver', async () => {
    const file = await variant(
      'hr-words.csv',
      [
        'employee_id,upn,event,effective_date',
        'E4001,a@example.com,Starter,2026-07-01',
        'E4002,b@example.com,Termination,2026-07-02',
        'E4003,c@example.com,Mover,2026-07-03',
      ].join('\n'),
    );
    const { rows, problems } = await loadPreset('hr-joiners-leavers', file);
    expect(rows.map((r) => r.employee_id)).toEqual(['E4003']);
    const invalid = problems.filter((p) => !p.includes('is not in the header'));
    expect(invalid).toHaveLength(2);
    expect(invalid[0]).toContain('Starter');
    expect(invalid[1]).toContain('Termination');
  });
});
