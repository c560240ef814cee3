import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPreset, PRESET_FIXTURES, variantWriter } from './load-preset.js';

const FILE = 'jira-issues.csv';
const variant = variantWriter('isms-jira-');
const at = (iso: string) => Date.parse(iso);

describe('preset jira-issues', () => {
  it('reads every issue of the sample without a problem', async () => {
    const { rows, loaded } = await loadPreset('jira-issues', FILE);
    expect(rows.map((r) => r.id)).toEqual([
      'SEC-141',
      'SEC-142',
      'SEC-143',
      'SEC-144',
      'SEC-145',
      'SEC-146',
      'SEC-147',
      'SEC-148',
      'SEC-149',
    ]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.stats).toMatchObject({ rowsRead: 9, accepted: 9, rejected: 0 });
  });

  it('maps the standard columns to the incident fields (BOM before the first header, Summary)', async () => {
    const text = await readFile(path.join(PRESET_FIXTURES, FILE), 'utf8');
    expect(text.startsWith('\uFEFFSummary,Issue key,')).toBe(true);
    const { rows } = await loadPreset('jira-issues', FILE);
    expect(rows[0]).toEqual({
      id: 'SEC-141',
      issue_id: 10412,
      summary: 'Phishing email impersonating the CFO reported by finance',
      type: 'Incident',
      status: 'Done',
      status_category: 'Done',
      priority: 'High',
      resolution: 'Done',
      project: 'SEC',
      assignee: 'Daniel Osei',
      assignee_id: '712020:4b7c9e10-2f3a-4d5b-8c6e-1a2b3c4d5e6f',
      reporter: 'Marta Kowalczyk',
      opened: at('2026-04-02T09:14:00Z'),
      updated: at('2026-04-03T10:02:00Z'),
      resolved: at('2026-04-02T16:47:00Z'),
      due: at('2026-04-03T00:00:00Z'),
      labels: ['email', 'phishing'],
      watchers: ['Daniel Osei', 'Ines Carvalho'],
      security_level: null,
      original_estimate: 7200,
      time_spent: 9000,
      comments: [
        '02/Apr/26 9:31 AM;712020:4b7c9e10-2f3a-4d5b-8c6e-1a2b3c4d5e6f;Blocked sender domain; purged 14 copies from mailboxes, no clicks found.',
        '02/Apr/26 4:45 PM;5f8a3c21d4e6b70069a1c3e2;Awareness reminder sent to finance, closing.',
      ],
      attachments: [
        '02/Apr/26 9:20 AM;60b2e4f7a9c1d300712ab845;headers.eml;https://jira.example.com/secure/attachment/20511/headers.eml',
      ],
    });
  });

  it('reads empty cells as no value: an unassigned, unresolved issue without labels or comments', async () => {
    const { rows } = await loadPreset('jira-issues', FILE);
    const sec143 = rows.find((r) => r.id === 'SEC-143')!;
    expect(sec143).toMatchObject({
      status: 'In Progress',
      resolution: null,
      assignee: null,
      assignee_id: null,
      resolved: null,
      watchers: null,
      comments: null,
      time_spent: null,
    });
    expect(rows.find((r) => r.id === 'SEC-145')).toMatchObject({
      labels: null,
      due: at('2026-07-31T00:00:00Z'),
    });
  });

  it('reads dd/MMM/yy h:mm a with AM/PM and date-only fields as midnight', async () => {
    const { rows } = await loadPreset('jira-issues', FILE);
    expect(rows.find((r) => r.id === 'SEC-149')).toMatchObject({
      opened: at('2026-09-28T23:47:00Z'),
      updated: at('2026-09-29T08:15:00Z'),
      due: at('2026-09-30T00:00:00Z'),
      status: 'Under investigation',
      status_category: 'In Progress',
    });
    expect(rows.find((r) => r.id === 'SEC-148')).toMatchObject({
      opened: at('2026-08-03T13:30:00Z'),
      due: at('2026-08-14T00:00:00Z'),
    });
  });

  it('reads an Excel re-save (M/d/yyyy H:mm) and REST stamps with an offset', async () => {
    const { rows } = await loadPreset('jira-issues', FILE);
    expect(rows.find((r) => r.id === 'SEC-144')).toMatchObject({
      opened: at('2026-06-21T16:14:00Z'),
      updated: at('2026-06-22T09:05:00Z'),
      resolved: at('2026-06-22T08:58:00Z'),
      resolution: "Won't Do",
    });
    expect(rows.find((r) => r.id === 'SEC-146')).toMatchObject({
      opened: at('2026-07-08T12:22:05Z'),
      updated: at('2026-07-09T07:10:44Z'),
      resolved: at('2026-07-08T15:03:51Z'),
    });
  });

  it('collects repeated Labels, Watchers and Comment columns into lists, each comment kept whole', async () => {
    const { rows } = await loadPreset('jira-issues', FILE);
    const sec144 = rows.find((r) => r.id === 'SEC-144')!;
    expect(sec144.labels).toEqual(['ssh', 'brute-force', 'noise']);
    const sec142 = rows.find((r) => r.id === 'SEC-142')!;
    // Only one watcher: the empty second Watchers column adds nothing, and Watchers Id is another column.
    expect(sec142.watchers).toEqual(['Yuki Tanaka']);
    expect(sec142.comments).toEqual([
      '15/Apr/26 2:15 PM;712020:9d8e7f60-5a4b-4c3d-9e2f-0a1b2c3d4e5f;Wipe confirmed by Intune at 14:09, device retired in CMDB.',
    ]);
    // A catalogue can still pick one copy of a repeated column.
    const first = await loadPreset('jira-issues', FILE, { fields: { labels: { occurrence: 1 } } });
    expect(first.rows.find((r) => r.id === 'SEC-144')!.labels).toEqual(['ssh']);
  });

  // Issue 14.3: an issue with more comments than the header has Comment columns gets its extra values
  // after the last column. The reader cannot tell such a row from one shifted by an unquoted comma, so
  // it is rejected with its line instead of being read with values lost or under the wrong columns.
  it('rejects a row with more values than the header, naming its line; the other rows are read', async () => {
    const text = await readFile(path.join(PRESET_FIXTURES, FILE), 'utf8');
    const overflow =
      ',Done,"17/Jul/26 5:50 PM;5f8a3c21d4e6b70069a1c3e2;DPO assessment attached, closing.",\r\n';
    const file = await variant('jira-overflow.csv', text.replace(/,Done\r\n(?=[^\n]*SEC-148)/, overflow));
    const { rows, loaded, problems } = await loadPreset('jira-issues', file);
    expect(rows.map((r) => r.id)).not.toContain('SEC-147');
    expect(rows).toHaveLength(8);
    expect(problems).toEqual([
      expect.stringMatching(
        /jira-overflow\.csv:11: record 7 \(lines 11-12\): row has 48 cells but the header has 46, and extra cell 47 is not empty \("17\/Jul\/26 5:50 PM;5f8a3c21d4e6b70069a1c3\.\.\."\): values may be under the wrong columns/,
      ),
    ]);
    expect(loaded.stats).toMatchObject({ rowsRead: 9, accepted: 8, rejected: 1 });
  });

  it('keeps embedded newlines and doubled quotes inside a Description cell (the next row still parses)', async () => {
    const { rows } = await loadPreset('jira-issues', FILE, { fields: { description: 'Description' } });
    expect(rows.find((r) => r.id === 'SEC-142')!.description).toBe(
      'Laptop left on the 08:12 train.\r\nBitLocker on; remote wipe requested via Intune.\r\nUser: "I only noticed at the office"',
    );
    expect(rows.find((r) => r.id === 'SEC-143')!.summary).toBe(
      'TLS certificate for vpn.example.com expires in 10 days',
    );
  });

  it('reads zone-less dates in the source time zone, offsets as written', async () => {
    const { rows } = await loadPreset('jira-issues', FILE, { timezone: 'Europe/Berlin' });
    expect(rows[0]!.opened).toBe(at('2026-04-02T07:14:00Z'));
    expect(rows.find((r) => r.id === 'SEC-146')!.opened).toBe(at('2026-07-08T12:22:05Z'));
  });

  it('lets the catalogue map a custom field by its "Custom field (Name)" header', async () => {
    const { rows, loaded } = await loadPreset('jira-issues', FILE, {
      fields: { severity: 'Custom field (Severity)', root_cause: 'Custom field (Root cause)' },
    });
    expect(loaded.problems).toEqual([]);
    expect(rows[0]).toMatchObject({ severity: '2 - High', root_cause: 'Social engineering' });
    expect(rows.find((r) => r.id === 'SEC-145')).toMatchObject({ severity: null, root_cause: null });
  });
});
