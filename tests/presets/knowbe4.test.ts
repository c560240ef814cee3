import { describe, expect, it } from 'vitest';
import { loadPreset, presetKpiValues, variantWriter } from './load-preset.js';

const variant = variantWriter('isms-knowbe4-');

describe('preset knowbe4-training-enrollments', () => {
  it('reads the enrolments: user e-mail, module, dates in UTC, empty completion as no value', async () => {
    const { rows, problems, loaded } = await loadPreset(
      'knowbe4-training-enrollments',
      'knowbe4-training-enrollments.json',
    );
    expect(problems).toEqual([]);
    expect(loaded.source.config.kind).toBe('snapshot');
    expect(rows.map((r) => `${r.id} ${r.email} ${r.status}`)).toEqual([
      '5501201 lena.vogt@example.com Passed',
      '5501202 marek.nowak@example.com In Progress',
      '5501203 ines.ferreira@example.com Not Started',
      '5501310 lena.vogt@example.com Completed',
      '5501311 yusuf.demir@example.com In Progress',
      '5501420 hannah.berg@example.com Passed',
    ]);
    expect(rows[0]).toEqual({
      id: '5501201',
      email: 'lena.vogt@example.com',
      user_id: '880101',
      first_name: 'Lena',
      last_name: 'Vogt',
      course: '2026 Security Awareness Refresher',
      content_type: 'Store Purchase',
      campaign: 'Annual refresher 2026',
      assigned: Date.parse('2026-05-04T07:00:00Z'),
      started: Date.parse('2026-05-06T08:12:40Z'),
      completed: Date.parse('2026-05-06T08:41:02Z'),
      status: 'Passed',
      time_spent: 1702,
      policy_acknowledged: false,
    });
    expect(rows[2]).toMatchObject({ first_name: 'Inês', started: null, completed: null, time_spent: 0 });
    expect(rows[3]).toMatchObject({ content_type: 'Uploaded Policy', policy_acknowledged: true });
  });

  it('gives exact KPI values over the sample (counted by hand)', async () => {
    const values = await presetKpiValues(
      { source: 'kb4', preset: 'knowbe4-training-enrollments', file: 'knowbe4-training-enrollments.json' },
      {
        // 5501201, 5501310 and 5501420 have a completion date.
        COMPLETED: 'count(kb4, not_null(completed))',
        // The refresher: 3 enrolments, Lena's completed: 1/3.
        REFRESHER:
          'pct(count(kb4, contains(course, "Refresher") and completed != null), count(kb4, contains(course, "Refresher")))',
        // Only Lena's Acceptable Use Policy enrolment is acknowledged.
        ACKNOWLEDGED: 'count(kb4, policy_acknowledged)',
        STATUS: 'count(kb4, lower(status) in ["passed", "completed"])',
        // Hannah completed at 2026-09-30 21:30 UTC, 2.5 h before the end of 2026-Q3 (UTC):
        // age = 2.5 / 24 days. Lena's policy (2026-07-01 09:19:30) is 91.6 days old, over 90.
        RECENT: 'count(kb4, age(completed) <= 90)',
        NEWEST_AGE: 'min(kb4, age(completed))',
        PEOPLE: 'count_distinct(kb4, lower(email))',
      },
    );
    expect(values).toEqual({
      COMPLETED: 3,
      REFRESHER: 100 / 3,
      ACKNOWLEDGED: 1,
      STATUS: 3,
      RECENT: 1,
      NEWEST_AGE: 2.5 / 24,
      PEOPLE: 5,
    });
  });
});

describe('preset knowbe4-phishing-recipients', () => {
  it('reads the recipients: one timestamp per action, bounced messages without delivery', async () => {
    const { rows, problems, loaded } = await loadPreset(
      'knowbe4-phishing-recipients',
      'knowbe4-phishing-recipients.json',
    );
    expect(problems).toEqual([]);
    expect(loaded.source.config.kind).toBe('events');
    expect(loaded.source.config.time_field).toBe('scheduled');
    // The table holds every recipient; the period filter applies when a KPI reads it.
    expect(rows.map((r) => r.id)).toEqual(['9100001', '9100002', '9100003', '9100004', '9100105', '9100106']);
    expect(rows[1]).toEqual({
      id: '9100002',
      pst_id: '42017',
      email: 'marek.nowak@example.com',
      user_id: '880102',
      first_name: 'Marek',
      last_name: 'Nowak',
      template: 'Parcel delivery failed',
      scheduled: Date.parse('2026-08-11T07:00:00Z'),
      delivered: Date.parse('2026-08-11T07:00:05Z'),
      opened: Date.parse('2026-08-11T09:02:33Z'),
      clicked: Date.parse('2026-08-11T09:02:51Z'),
      replied: null,
      attachment_opened: null,
      macro_enabled: null,
      data_entered: Date.parse('2026-08-11T09:03:40Z'),
      reported: null,
      bounced: null,
    });
    expect(rows[2]).toMatchObject({ delivered: null, bounced: Date.parse('2026-08-11T07:00:09Z') });
    // The click's IP address, browser and OS are personal data the preset leaves out.
    expect(Object.keys(rows[1]!)).not.toContain('ip');
  });

  it('gives the click and report rates of the period (counted by hand)', async () => {
    const formulas = {
      RECIPIENTS: 'count(pst)',
      DELIVERED: 'count(pst, not_null(delivered))',
      CLICK_RATE: 'pct(count(pst, not_null(clicked)), count(pst, not_null(delivered)))',
      REPORT_RATE:
        'pct(count(pst, not_null(reported) and not_null(delivered)), count(pst, not_null(delivered)))',
      DATA_ENTERED: 'count(pst, not_null(data_entered))',
      TESTS: 'count_distinct(pst, pst_id)',
    };
    // 2026-Q3 in UTC: 9100106 (scheduled 2026-10-01) is Q4. Five recipients, 9100003 bounced: 4
    // delivered; clicked 9100002 and 9100105 (2/4); reported 9100001, 9100004 and 9100105 (3/4).
    const q3 = await presetKpiValues(
      { source: 'pst', preset: 'knowbe4-phishing-recipients', file: 'knowbe4-phishing-recipients.json' },
      formulas,
    );
    expect(q3).toEqual({
      RECIPIENTS: 5,
      DELIVERED: 4,
      CLICK_RATE: 50,
      REPORT_RATE: 75,
      DATA_ENTERED: 1,
      TESTS: 2,
    });
    // 2026-Q4: only 9100106, delivered and reported, not clicked.
    const q4 = await presetKpiValues(
      {
        source: 'pst',
        preset: 'knowbe4-phishing-recipients',
        file: 'knowbe4-phishing-recipients.json',
        period: '2026-Q4',
      },
      formulas,
    );
    expect(q4).toEqual({
      RECIPIENTS: 1,
      DELIVERED: 1,
      CLICK_RATE: 0,
      REPORT_RATE: 100,
      DATA_ENTERED: 0,
      TESTS: 1,
    });
  });

  it('reads the recipients of several tests written one array after another', async () => {
    const one = (id: number, pst: number, clicked: string | null) => ({
      recipient_id: id,
      pst_id: pst,
      user: { id: id + 1, first_name: 'A', last_name: 'B', email: `u${id}@example.com` },
      template: { id: 1, name: 'T' },
      scheduled_at: '2026-08-01T08:00:00.000Z',
      delivered_at: '2026-08-01T08:00:01.000Z',
      clicked_at: clicked,
      reported_at: null,
    });
    const file = await variant(
      'pages.json',
      `${JSON.stringify([one(1, 7, null), one(2, 7, '2026-08-01T09:00:00.000Z')])}\n${JSON.stringify([one(3, 8, null)])}\n`,
    );
    const { rows, problems } = await loadPreset('knowbe4-phishing-recipients', file);
    expect(problems).toEqual([]);
    expect(rows.map((r) => `${r.pst_id}/${r.id} ${r.clicked === null ? '-' : 'clicked'}`)).toEqual([
      '7/1 -',
      '7/2 clicked',
      '8/3 -',
    ]);
  });
});
