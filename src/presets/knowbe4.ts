/**
 * KnowBe4 Reporting API exports: training enrolments (`GET /v1/training/enrollments`) and the recipients
 * of a phishing security test (`GET /v1/phishing/security_tests/{pst_id}/recipients`). Both return a
 * top-level JSON array per page. The field names are those of KnowBe4's Reporting API reference
 * (developer.knowbe4.com/rest/reporting), as its published response examples show them (also the
 * test data of the Cortex XSOAR KnowBe4 KMSAT integration). The console's CSV downloads have no documented
 * column list, so only the JSON form has a preset.
 */
import type { Preset } from './types.js';

export const knowbe4TrainingEnrollments: Preset = {
  name: 'knowbe4-training-enrollments',
  title: 'KnowBe4 training enrolments (Reporting API JSON, `GET /v1/training/enrollments`)',
  notes: [
    'The file is the array the API returns; pages fetched with `?page=N&per_page=500` may follow one another in one file and are read as one table.',
    'One row per user and module (`enrollment_id`). `status` is kept as KnowBe4 writes it (`Not Started`, `In Progress`, `Passed`, `Completed`, ...): compare it with `lower(status)`, or use `completed`, which is empty until the module is finished.',
    'The enrolment has no due date and no department or role: a KPI over key roles joins the user’s e-mail with a user or HR export (`exists(entra, lower(entra.upn) == lower(training.email) and ...)`).',
    'Timestamps are UTC (`2026-05-04T07:12:00.000Z`). `time_spent` is the number the API returns, unconverted.',
  ],
  formats: {
    json: {
      kind: 'snapshot',
      key: 'id',
      json: { records: '' },
      fields: {
        id: { path: 'enrollment_id', required: true, description: 'Enrolment id' },
        email: {
          path: 'user.email',
          required: true,
          personal: true,
          description: 'The user’s e-mail address',
        },
        user_id: { path: 'user.id', personal: true, description: 'KnowBe4 user id' },
        first_name: { path: 'user.first_name', personal: true },
        last_name: { path: 'user.last_name', personal: true },
        course: { path: 'module_name', required: true, description: 'Module (training or policy) name' },
        content_type: { path: 'content_type', description: 'Store Purchase, Uploaded Policy, ...' },
        campaign: { path: 'campaign_name' },
        assigned: { path: 'enrollment_date', type: 'datetime', description: 'When the user was enrolled' },
        started: { path: 'start_date', type: 'datetime' },
        completed: { path: 'completion_date', type: 'datetime', description: 'Empty until completed' },
        status: { path: 'status', description: 'Not Started, In Progress, Passed, Completed, ...' },
        time_spent: { path: 'time_spent', type: 'integer' },
        policy_acknowledged: { path: 'policy_acknowledged', type: 'boolean' },
      },
      signature: {
        required: ['enrollment_id', 'module_name', 'enrollment_date', 'completion_date', 'user.email'],
        optional: [
          'content_type',
          'campaign_name',
          'start_date',
          'status',
          'time_spent',
          'policy_acknowledged',
          'user',
          'user.id',
          'user.first_name',
          'user.last_name',
          'user.employee_number',
          'campaign_id',
          'store_purchase_id',
        ],
      },
    },
  },
};

export const knowbe4PhishingRecipients: Preset = {
  name: 'knowbe4-phishing-recipients',
  title:
    'KnowBe4 phishing test recipients (Reporting API JSON, `GET /v1/phishing/security_tests/{pst_id}/recipients`)',
  notes: [
    'One row per recipient of a phishing security test (PST); the recipients of several tests may be concatenated into one file (one array after another) and are read as one table.',
    'Each user action is a timestamp, empty when it did not happen: `delivered`, `opened`, `clicked`, `replied`, `attachment_opened`, `macro_enabled`, `data_entered`, `reported`, `bounced`. Count with `not_null(clicked)`; the click rate is `pct(count(s, not_null(clicked)), count(s, not_null(delivered)))`, bounced messages left out.',
    'The time field is `scheduled` (`scheduled_at`), which every recipient has: a recipient belongs to the period its message was scheduled in, even when it clicked or reported later.',
    'Timestamps are UTC. `ip`, `browser` and `os` describe the click and are personal data: the preset maps none of them.',
  ],
  formats: {
    json: {
      kind: 'events',
      time_field: 'scheduled',
      key: 'id',
      json: { records: '' },
      fields: {
        id: { path: 'recipient_id', required: true, description: 'Recipient id' },
        pst_id: { path: 'pst_id', description: 'Phishing security test id' },
        email: { path: 'user.email', required: true, personal: true },
        user_id: { path: 'user.id', personal: true },
        first_name: { path: 'user.first_name', personal: true },
        last_name: { path: 'user.last_name', personal: true },
        template: { path: 'template.name', description: 'Phishing template name' },
        scheduled: { path: 'scheduled_at', type: 'datetime' },
        delivered: { path: 'delivered_at', type: 'datetime' },
        opened: { path: 'opened_at', type: 'datetime' },
        clicked: { path: 'clicked_at', type: 'datetime' },
        replied: { path: 'replied_at', type: 'datetime' },
        attachment_opened: { path: 'attachment_opened_at', type: 'datetime' },
        macro_enabled: { path: 'macro_enabled_at', type: 'datetime' },
        data_entered: { path: 'data_entered_at', type: 'datetime' },
        reported: {
          path: 'reported_at',
          type: 'datetime',
          description: 'Reported with the Phish Alert Button',
        },
        bounced: { path: 'bounced_at', type: 'datetime' },
      },
      signature: {
        required: ['recipient_id', 'pst_id', 'scheduled_at', 'delivered_at', 'clicked_at', 'reported_at'],
        optional: [
          'user',
          'user.id',
          'user.provisioning_guid',
          'user.first_name',
          'user.last_name',
          'user.email',
          'template',
          'template.id',
          'template.name',
          'opened_at',
          'replied_at',
          'attachment_opened_at',
          'macro_enabled_at',
          'data_entered_at',
          'qr_code_scanned',
          'bounced_at',
          'ip',
          'ip_location',
          'browser',
          'browser_version',
          'os',
        ],
      },
    },
  },
};
