import type { Preset } from './types.js';

/** User statuses as the Okta API spells them (the Admin Console shows other labels for some). */
export const OKTA_STATUSES = [
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
  'DEPROVISIONED',
];

export const oktaUsers: Preset = {
  name: 'okta-users',
  title: 'Okta Users API (JSON, `GET /api/v1/users`)',
  notes: [
    'The file is the top-level array the Users API returns (pages concatenated into one array); profile attributes are read from `profile.*`.',
    '`status` is one of the API statuses STAGED, PROVISIONED, ACTIVE, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT, SUSPENDED, DEPROVISIONED; there is no separate enabled flag, so filter on status.',
    'Timestamps are UTC with milliseconds (`2013-06-24T16:39:18.000Z`). A STAGED user has `activated` and `lastLogin` set to null, and a user who never signed in has `last_login` empty: count those separately from stale accounts.',
    'The API only returns DEPROVISIONED users when asked for them (`filter=status eq "DEPROVISIONED"`); a default listing leaves them out.',
  ],
  formats: {
    json: {
      kind: 'snapshot',
      key: 'login',
      record_type: 'account',
      json: { records: '' },
      fields: {
        id: { path: 'id', required: true, description: 'Okta user id (00u...)' },
        login: { path: 'profile.login', type: 'string', personal: true },
        email: { path: 'profile.email', type: 'string', personal: true },
        first_name: { path: 'profile.firstName', type: 'string', personal: true },
        last_name: { path: 'profile.lastName', type: 'string', personal: true },
        display_name: { path: 'profile.displayName', type: 'string', personal: true },
        status: { path: 'status', type: 'enum', values: OKTA_STATUSES },
        user_type: { path: 'profile.userType', type: 'string' },
        department: { path: 'profile.department', type: 'string' },
        title: { path: 'profile.title', type: 'string' },
        manager: { path: 'profile.manager', type: 'string', personal: true },
        employee_number: { path: 'profile.employeeNumber', type: 'string', personal: true },
        auth_source: {
          path: 'credentials.provider.type',
          type: 'string',
          description: 'OKTA, ACTIVE_DIRECTORY, LDAP, FEDERATION, SOCIAL or IMPORT',
        },
        created: { path: 'created', type: 'datetime' },
        activated: { path: 'activated', type: 'datetime' },
        status_changed: { path: 'statusChanged', type: 'datetime' },
        last_login: { path: 'lastLogin', type: 'datetime' },
        last_updated: { path: 'lastUpdated', type: 'datetime' },
        password_last_changed: { path: 'passwordChanged', type: 'datetime' },
      },
      signature: {
        required: ['id', 'status', 'created', 'lastLogin', 'passwordChanged', 'profile.login'],
        optional: [
          'activated',
          'statusChanged',
          'lastUpdated',
          'transitioningToStatus',
          'type',
          'type.id',
          'realmId',
          'profile',
          'profile.firstName',
          'profile.lastName',
          'profile.email',
          'profile.secondEmail',
          'profile.mobilePhone',
          'profile.displayName',
          'profile.userType',
          'profile.department',
          'profile.title',
          'profile.manager',
          'profile.employeeNumber',
          'credentials',
          'credentials.provider',
          'credentials.provider.type',
          'credentials.provider.name',
          '_links',
        ],
      },
    },
  },
};

const PASSWORD_HEALTH_COLUMNS = [
  'User',
  'Login',
  'Status',
  'Activation date',
  'Authentication Source',
  'Last Login',
  'Last Password Change',
];

/**
 * Okta does not document the date style; these cover the console style and Excel re-saves. ISO 8601
 * (`2026-05-04 13:22:10`, `2026-05-04 13:22:10.0`, `2026-05-04T13:22:10.000Z`) is always accepted too.
 */
const PASSWORD_HEALTH_DATES = [
  'MMM d, yyyy h:mm:ss a',
  'MMM d, yyyy',
  'M/d/yyyy h:mm:ss a',
  'M/d/yyyy H:mm:ss',
  'M/d/yyyy H:mm',
];

export const oktaPasswordHealth: Preset = {
  name: 'okta-password-health',
  title: 'Okta Password Health report (CSV)',
  notes: [
    'The header has a space after each comma (`User, Login, Status, ...`); header names are trimmed, so it is read as documented.',
    'Okta writes the timestamps in UTC (older documentation said Pacific time): the preset reads them as UTC. For an old report, set `timezone: America/Los_Angeles` on `activated`, `last_login` and `password_last_changed`.',
    'Okta does not document the date style: ISO 8601 (`2026-05-04 13:22:10`), `2026-05-04 13:22:10.0`, `May 4, 2026 1:22:10 PM` and the Excel re-saves `5/4/2026 13:22` are all accepted. An empty cell or `Never` means no login or no password change yet.',
    '`status` is read as the API status (ACTIVE, PASSWORD_EXPIRED, LOCKED_OUT, ...), in any letter case; a report that shows Admin Console labels such as "Pending user action" needs `status: { type: string }`.',
    'The report has no MFA column and covers Okta passwords only, not app (SWA) passwords.',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      key: 'id',
      record_type: 'account',
      null_tokens: ['', 'Never', 'never', 'N/A', 'n/a', '-', 'null', 'NULL'],
      fields: {
        id: {
          column: 'Login',
          required: true,
          description: 'Okta login (usually the email address, sometimes a UUID)',
          personal: true,
        },
        display_name: { column: 'User', type: 'string', personal: true },
        status: { column: 'Status', type: 'enum', values: OKTA_STATUSES },
        activated: {
          column: 'Activation date',
          type: 'datetime',
          format: PASSWORD_HEALTH_DATES,
          timezone: 'UTC',
        },
        auth_source: { column: 'Authentication Source', type: 'string' },
        last_login: {
          column: 'Last Login',
          type: 'datetime',
          format: PASSWORD_HEALTH_DATES,
          timezone: 'UTC',
        },
        password_last_changed: {
          column: 'Last Password Change',
          type: 'datetime',
          format: PASSWORD_HEALTH_DATES,
          timezone: 'UTC',
        },
      },
      signature: {
        required: ['User', 'Login', 'Status', 'Authentication Source', 'Last Password Change'],
        optional: PASSWORD_HEALTH_COLUMNS,
      },
    },
  },
};
