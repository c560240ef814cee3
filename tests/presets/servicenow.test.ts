import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset, PRESET_FIXTURES } from './load-preset.js';

const at = (iso: string) => Date.parse(iso);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'isms-servicenow-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Writes a variant of an export to a temporary file and returns its absolute path. */
async function variant(name: string, text: string): Promise<string> {
  const file = path.join(tmp, name);
  await writeFile(file, text);
  return file;
}

describe('preset servicenow-incident (CSV display values)', () => {
  const FILE = 'servicenow-incident.csv';

  it('reads every row of a quoted list export with a BOM and CRLF', async () => {
    const raw = await readFile(path.join(PRESET_FIXTURES, FILE), 'utf8');
    expect(raw.startsWith('\uFEFF"number","opened_at",')).toBe(true);
    expect(raw.includes('\r\n')).toBe(true);
    const { rows, problems } = await loadPreset('servicenow-incident', FILE);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.id)).toEqual([
      'INC0010231',
      'INC0010240',
      'INC0010255',
      'INC0010262',
      'INC0010270',
      'INC0010288',
      'INC0010301',
      'INC0010315',
      'INC0010322',
      'INC0010330',
    ]);
    expect(rows[0]).toEqual({
      id: 'INC0010231',
      summary: 'Email server is down for the Lyon office',
      category: 'Network',
      status: 'Closed',
      priority: '1 - Critical',
      severity: '1 - High',
      group: 'Messaging Operations',
      assignee: 'Björn Åkesson',
      caller: 'Zoë Lefèvre',
      opened: at('2026-04-03T08:12:44Z'),
      updated: at('2026-04-06T09:00:02Z'),
      resolved: at('2026-04-03T11:40:10Z'),
      closed: at('2026-04-06T09:00:02Z'),
      close_code: 'Solved (Permanently)',
    });
  });

  it('reads "" and literal null as no value and keeps doubled quotes and non-ASCII names', async () => {
    const { rows } = await loadPreset('servicenow-incident', FILE);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('INC0010240')).toMatchObject({
      summary: 'Phishing mail with "invoice.pdf.exe" attachment',
      assignee: 'Łukasz Wiśniewski',
      caller: 'José Peña',
      closed: null,
    });
    expect(byId.get('INC0010255')).toMatchObject({ assignee: null, resolved: null, close_code: null });
    // `"null"` written out by the export: no assignee, no severity.
    expect(byId.get('INC0010262')).toMatchObject({ assignee: null, severity: null, status: 'Closed' });
    expect(byId.get('INC0010301')).toMatchObject({ assignee: 'Nguyễn Văn An', group: 'Identity & Access' });
    expect(byId.get('INC0010315')).toMatchObject({ priority: '5 - Planning', status: 'New', group: null });
  });

  it('reads an unquoted row in the middle of a quoted file', async () => {
    const { rows } = await loadPreset('servicenow-incident', FILE);
    expect(rows.find((r) => r.id === 'INC0010270')).toMatchObject({
      opened: at('2026-06-08T07:30:00Z'),
      status: 'On Hold',
      priority: '4 - Low',
      assignee: 'Marta Kowalczyk',
      resolved: null,
      close_code: null,
    });
  });

  it('reads the personal date formats M/d/yyyy H:mm and MM-dd-yyyy HH:mm:ss', async () => {
    const { rows } = await loadPreset('servicenow-incident', FILE);
    expect(rows.find((r) => r.id === 'INC0010288')).toMatchObject({
      opened: at('2026-07-01T06:04:00Z'),
      resolved: at('2026-07-01T19:45:00Z'),
      closed: at('2026-07-09T17:20:00Z'),
    });
    expect(rows.find((r) => r.id === 'INC0010301')).toMatchObject({
      opened: at('2026-07-13T15:46:06Z'),
      resolved: at('2026-07-14T09:01:58Z'),
    });
  });

  it('reads a CSV with the labels of an Excel export as its header', async () => {
    const file = await variant(
      'incident-labels.csv',
      [
        'Number,Opened,Short description,Caller,Priority,State,Category,Assignment group,Assigned to,Updated,Resolved,Closed,Severity,Resolution code',
        'INC0020001,3/17/2026 6:04,Door badge reader offline,Zoë Lefèvre,3 - Moderate,Resolved,Hardware,Facilities,Björn Åkesson,3/17/2026 9:30,3/17/2026 9:29,,3 - Low,Solved (Permanently)',
      ].join('\r\n'),
    );
    const { rows, problems } = await loadPreset('servicenow-incident', FILE, { path: file });
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        id: 'INC0020001',
        summary: 'Door badge reader offline',
        category: 'Hardware',
        status: 'Resolved',
        priority: '3 - Moderate',
        severity: '3 - Low',
        group: 'Facilities',
        assignee: 'Björn Åkesson',
        caller: 'Zoë Lefèvre',
        opened: at('2026-03-17T06:04:00Z'),
        updated: at('2026-03-17T09:30:00Z'),
        resolved: at('2026-03-17T09:29:00Z'),
        closed: null,
        close_code: 'Solved (Permanently)',
      },
    ]);
  });

  it("reads dates in the source's time zone (the exporting user's)", async () => {
    const { rows } = await loadPreset('servicenow-incident', FILE, { timezone: 'Europe/Paris' });
    expect(rows[0]!.opened).toBe(at('2026-04-03T06:12:44Z'));
  });
});

describe('preset servicenow-incident (JSON raw values)', () => {
  const FILE = 'servicenow-incident.json';

  it('reads the records array with codes as display values, sys_id references and UTC dates', async () => {
    const { rows, problems } = await loadPreset('servicenow-incident', FILE);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.id)).toEqual([
      'INC0010240',
      'INC0010255',
      'INC0010262',
      'INC0010270',
      'INC0010288',
      'INC0010315',
      'INC0010322',
      'INC0010330',
    ]);
    expect(rows[2]).toEqual({
      id: 'INC0010262',
      sys_id: 'fc80a56e52d8b4af38169500bbe9f6ac',
      summary: 'Laptop stolen from car (LT-0412)',
      category: 'hardware',
      status: 'Closed',
      priority: '2 - High',
      severity: '2 - Medium',
      impact: '2 - Medium',
      urgency: '1 - High',
      group: 'd4c6f8a0c2b44e7f9e1a3b5d7f9b1d53',
      assignee: '18cad2f4a6f84cbd3c5e7f9b1d3f5b97',
      caller: '5c0eb6d8ea3c40f17a9c1d3f5b7d9fdb',
      opened: at('2026-05-19T20:03:17Z'),
      updated: at('2026-05-27T06:15:00Z'),
      resolved: at('2026-05-20T07:10:00Z'),
      closed: at('2026-05-27T06:15:00Z'),
      close_code: 'Solved (Permanently)',
      reopen_count: 1,
      active: false,
    });
    expect(rows.map((r) => r.status)).toEqual([
      'Resolved',
      'In Progress',
      'Closed',
      'On Hold',
      'Closed',
      'New',
      'Canceled',
      'Resolved',
    ]);
    expect(rows.map((r) => r.priority?.toString().slice(0, 1))).toEqual([
      '2',
      '3',
      '2',
      '4',
      '1',
      '5',
      '2',
      '2',
    ]);
    expect(rows[1]).toMatchObject({
      assignee: null,
      resolved: null,
      closed: null,
      close_code: null,
      active: true,
    });
  });

  it('reads JSON dates as UTC whatever the zone, matching the CSV export made in Paris', async () => {
    const catalogue = { timezone: 'Europe/Paris' };
    const json = await loadPreset('servicenow-incident', FILE, {}, catalogue);
    const csv = await loadPreset('servicenow-incident', 'servicenow-incident.csv', {}, catalogue);
    expect(json.rows[0]!.opened).toBe(at('2026-04-17T12:05:09Z'));
    for (const row of json.rows) {
      const same = csv.rows.find((r) => r.id === row.id)!;
      expect([row.id, row.opened, row.resolved]).toEqual([same.id, same.opened, same.resolved]);
    }
  });

  it('prefers dv_ display values and accepts names in reference fields', async () => {
    const records = [
      {
        sys_id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        number: 'INC0020002',
        opened_at: '2026-07-02 10:00:00',
        state: '2',
        priority: '3',
        assignment_group: 'a1f3c9e2b7d64f0e9c2a5b8d7e6f1a20',
        dv_assignment_group: 'Security Operations',
        assigned_to: '',
        dv_assigned_to: '',
        caller_id: 'Søren Kjær',
      },
    ];
    const file = await variant('incident-dv.json', JSON.stringify({ records }));
    const { rows, problems } = await loadPreset('servicenow-incident', FILE, { path: file });
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({
      id: 'INC0020002',
      group: 'Security Operations',
      assignee: null,
      caller: 'Søren Kjær',
      opened: at('2026-07-02T10:00:00Z'),
    });
  });
});

describe('preset servicenow-change (CSV display values)', () => {
  const FILE = 'servicenow-change.csv';

  it('reads every change with display values and the planned and actual windows', async () => {
    const { rows, problems } = await loadPreset('servicenow-change', FILE);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.id)).toEqual([
      'CHG0030101',
      'CHG0030117',
      'CHG0030125',
      'CHG0030140',
      'CHG0030152',
      'CHG0030166',
      'CHG0030171',
      'CHG0030188',
      'CHG0030190',
      'CHG0030204',
    ]);
    expect(rows[1]).toEqual({
      id: 'CHG0030117',
      summary: 'Emergency: block CVE-2026-1234 exploit on edge firewalls',
      type: 'Emergency',
      state: 'Closed',
      risk: 'High',
      priority: '1 - Critical',
      group: 'Network Operations',
      assignee: 'Łukasz Wiśniewski',
      opened: at('2026-04-20T16:45:30Z'),
      planned_start: at('2026-04-20T17:00:00Z'),
      planned_end: at('2026-04-20T18:00:00Z'),
      actual_start: at('2026-04-20T17:02:00Z'),
      actual_end: at('2026-04-20T17:40:00Z'),
      closed: at('2026-04-21T09:00:00Z'),
      close_code: 'Successful with issues',
      approval: 'Approved',
    });
    expect(rows[3]).toMatchObject({ risk: 'Very High', close_code: 'Unsuccessful' });
  });

  it('reads the unquoted row, literal null, empty cells and the personal date formats', async () => {
    const { rows } = await loadPreset('servicenow-change', FILE);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('CHG0030152')).toMatchObject({
      state: 'Review',
      assignee: 'Nguyễn Văn An',
      actual_end: at('2026-07-04T08:10:00Z'),
      closed: null,
      close_code: null,
    });
    expect(byId.get('CHG0030166')).toMatchObject({
      opened: at('2026-07-15T09:30:00Z'),
      planned_start: at('2026-07-25T22:00:00Z'),
      planned_end: at('2026-07-26T02:00:00Z'),
      actual_start: null,
    });
    expect(byId.get('CHG0030171')).toMatchObject({
      opened: at('2026-08-03T14:00:00Z'),
      planned_start: at('2026-08-20T10:00:00Z'),
      assignee: null,
      approval: 'Requested',
    });
    expect(byId.get('CHG0030204')).toMatchObject({ risk: null, group: null, planned_start: null });
  });

  it('reads the Excel labels (Planned start date, Close code) as the header', async () => {
    const file = await variant(
      'change-labels.csv',
      [
        '"Number","Opened","Short description","Type","State","Risk","Priority","Assignment group","Assigned to","Planned start date","Planned end date","Actual start date","Actual end date","Closed","Close code","Approval"',
        '"CHG0040001","02-13-2026 15:46:06","Renew code signing certificate","Standard","Closed","Low","4 - Low","Identity & Access","Chloé Dubois","02-14-2026 08:00:00","02-14-2026 09:00:00","02-14-2026 08:01:00","02-14-2026 08:15:00","02-14-2026 09:10:00","Successful","Not Yet Requested"',
      ].join('\r\n'),
    );
    const { rows, problems } = await loadPreset('servicenow-change', FILE, { path: file });
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({
      id: 'CHG0040001',
      type: 'Standard',
      opened: at('2026-02-13T15:46:06Z'),
      planned_start: at('2026-02-14T08:00:00Z'),
      actual_end: at('2026-02-14T08:15:00Z'),
      closed: at('2026-02-14T09:10:00Z'),
      close_code: 'Successful',
    });
  });
});

describe('preset servicenow-change (JSON raw values)', () => {
  const FILE = 'servicenow-change.json';

  it('reads state codes, types, risk and close codes as display values, with UTC dates', async () => {
    const { rows, problems } = await loadPreset(
      'servicenow-change',
      FILE,
      {},
      { timezone: 'America/New_York' },
    );
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.id, r.state, r.type, r.risk])).toEqual([
      ['CHG0030117', 'Closed', 'Emergency', 'High'],
      ['CHG0030125', 'Closed', 'Standard', 'Low'],
      ['CHG0030140', 'Closed', 'Normal', 'Very High'],
      ['CHG0030152', 'Review', 'Normal', 'High'],
      ['CHG0030166', 'Scheduled', 'Normal', 'Moderate'],
      ['CHG0030171', 'Authorize', 'Normal', 'Moderate'],
      ['CHG0030188', 'Canceled', 'Normal', 'High'],
      ['CHG0030204', 'New', 'Normal', null],
    ]);
    expect(rows[0]).toEqual({
      id: 'CHG0030117',
      sys_id: 'b36f9e7c8c52cc55b83833382163a1d9',
      summary: 'Emergency: block CVE-2026-1234 exploit on edge firewalls',
      type: 'Emergency',
      state: 'Closed',
      risk: 'High',
      impact: '1 - High',
      priority: '1 - Critical',
      category: 'Network',
      group: 'b2e4d8f1a3c5479b8e0d2f4a6c8e0b31',
      assignee: 'f6a8b0d2e4d64a9b1a3c5d7f9b1d3f75',
      opened: at('2026-04-20T14:45:30Z'),
      planned_start: at('2026-04-20T15:00:00Z'),
      planned_end: at('2026-04-20T16:00:00Z'),
      actual_start: at('2026-04-20T15:02:00Z'),
      actual_end: at('2026-04-20T15:40:00Z'),
      closed: at('2026-04-21T07:00:00Z'),
      close_code: 'Successful with issues',
      approval: 'Approved',
      cab_required: false,
      active: false,
    });
    expect(rows[7]).toMatchObject({
      planned_start: null,
      closed: null,
      close_code: null,
      group: null,
      cab_required: true,
      active: true,
    });
  });

  it('matches the CSV export (made in Paris) on every shared change', async () => {
    const catalogue = { timezone: 'Europe/Paris' };
    const json = await loadPreset('servicenow-change', FILE, {}, catalogue);
    const csv = await loadPreset('servicenow-change', 'servicenow-change.csv', {}, catalogue);
    for (const row of json.rows) {
      const same = csv.rows.find((r) => r.id === row.id)!;
      expect([row.id, row.opened, row.planned_start, row.planned_end, row.actual_end, row.closed]).toEqual([
        same.id,
        same.opened,
        same.planned_start,
        same.planned_end,
        same.actual_end,
        same.closed,
      ]);
    }
  });
});
