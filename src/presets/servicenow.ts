import type { Preset, PresetField } from './types.js';

/**
 * CSV list exports write dates in the exporting user's format and zone: the system default first, then
 * the two personal formats seen in real exports. The zone comes from the source (or the catalogue).
 */
const DISPLAY_DATES = ['yyyy-MM-dd HH:mm:ss', 'M/d/yyyy H:mm:ss', 'M/d/yyyy H:mm', 'MM-dd-yyyy HH:mm:ss'];

/** CSV: the field name (list export) first, then the label an Excel export writes. */
export const csvDate = (column: string, label: string, required = false): PresetField => ({
  column: [column, label],
  type: 'datetime',
  format: DISPLAY_DATES,
  ...(required ? { required } : {}),
});

/** JSON raw values: dates are always `yyyy-MM-dd HH:mm:ss` in UTC, whatever the user's settings. */
const jsonDate = (path: string, required = false): PresetField => ({
  path,
  type: 'datetime',
  format: 'yyyy-MM-dd HH:mm:ss',
  timezone: 'UTC',
  ...(required ? { required } : {}),
});

/**
 * The JSON export's raw codes, read as the display values a CSV list export writes (the instance's
 * defaults), so that one formula serves both exports.
 */
const INCIDENT_STATES = {
  '1': 'New',
  '2': 'In Progress',
  '3': 'On Hold',
  '6': 'Resolved',
  '7': 'Closed',
  '8': 'Canceled',
};
const PRIORITIES = {
  '1': '1 - Critical',
  '2': '2 - High',
  '3': '3 - Moderate',
  '4': '4 - Low',
  '5': '5 - Planning',
};
const HIGH_TO_LOW = { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' };
const CHANGE_STATES = {
  '-5': 'New',
  '-4': 'Assess',
  '-3': 'Authorize',
  '-2': 'Scheduled',
  '-1': 'Implement',
  '0': 'Review',
  '3': 'Closed',
  '4': 'Canceled',
};
const CHANGE_TYPES = { normal: 'Normal', standard: 'Standard', emergency: 'Emergency' };
const CHANGE_RISKS = { '1': 'Very High', '2': 'High', '3': 'Moderate', '4': 'Low' };
const CLOSE_CODES = {
  successful: 'Successful',
  successful_issues: 'Successful with issues',
  unsuccessful: 'Unsuccessful',
};
const APPROVALS = {
  approved: 'Approved',
  requested: 'Requested',
  rejected: 'Rejected',
  'not requested': 'Not Yet Requested',
};

/**
 * JSON reference fields hold a sys_id, or the display value when the export asked for display values;
 * an export made with `displayvalue=all` also carries `dv_<field>`, which is preferred.
 */
const jsonReference = (field: string, description: string): PresetField => ({
  column: [`dv_${field}`, field],
  description,
});

const INCIDENT_CSV_COLUMNS = [
  'number',
  'opened_at',
  'short_description',
  'caller_id',
  'priority',
  'state',
  'category',
  'assignment_group',
  'assigned_to',
  'sys_updated_on',
  'sys_updated_by',
  'resolved_at',
  'closed_at',
  'severity',
  'impact',
  'urgency',
  'close_code',
  'subcategory',
  'cmdb_ci',
  'Number',
  'Opened',
  'Short description',
  'Caller',
  'Priority',
  'State',
  'Category',
  'Assignment group',
  'Assigned to',
  'Updated',
  'Updated by',
  'Resolved',
  'Closed',
  'Severity',
  'Impact',
  'Urgency',
  'Resolution code',
];

const INCIDENT_JSON_KEYS = [
  'sys_id',
  'number',
  'opened_at',
  'opened_by',
  'short_description',
  'description',
  'caller_id',
  'priority',
  'severity',
  'impact',
  'urgency',
  'state',
  'incident_state',
  'active',
  'category',
  'subcategory',
  'assignment_group',
  'assigned_to',
  'resolved_at',
  'closed_at',
  'close_code',
  'reopen_count',
  'contact_type',
  'cmdb_ci',
  'due_date',
  'approval',
  'escalation',
  'sys_created_on',
  'sys_created_by',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
  'sys_class_name',
  'dv_assignment_group',
  'dv_assigned_to',
  'dv_caller_id',
];

/** The notes both tables share: how JSON references and the REST Table API are read. */
function jsonNotes(references: string, restCaveat: string): string[] {
  return [
    `JSON references (${references}) are sys_ids, or names when the export asked for display values; \`dv_assignment_group\` and the like (\`displayvalue=all\`) win when present.`,
    `The REST Table API works too with \`json: { records: /result }\` when called with \`sysparm_exclude_reference_link=true\`${restCaveat}.`,
    `The API returns at most 10,000 records per page (\`sysparm_limit\`, \`sysparm_offset\`): save the pages one after another in one file (one \`{"result": [...]}\` per page is read as one table), or one file per page read through a glob (\`path: exports/changes-*.json\`), where the preset's \`key: id\` reads once a record that moved between pages while they were fetched.`,
  ];
}

export const servicenowIncident: Preset = {
  name: 'servicenow-incident',
  title: 'ServiceNow incident list export (CSV display values, or JSON raw values)',
  notes: [
    'The CSV list export holds display values (`1 - Critical`, `Resolved`, group and user names), usually all quoted; `""`, an empty cell and a literal `null` are no value, and non-ASCII names are kept as written.',
    "CSV dates have no offset and follow the exporting user's zone and date format: set the source's `timezone:`. `2026-04-03 08:12:44`, `7/1/2026 6:04` and `07-13-2026 15:46:06` are read, and the labels of an Excel export (`Opened`, `Assignment group`) work as headers.",
    'The JSON export (`{"records": [...]}`, from Export > JSON or `incident.do?JSONv2`) holds raw values, with dates in UTC. The codes of `state` (1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled), `priority` (1 to 5) and `severity`, `impact` and `urgency` (1 to 3) are read as the CSV export\'s display values (`map:`), so one formula works for both (`status == "Closed"`, `starts_with(priority, "1")`); a code the map does not know (a state added on your instance) is kept as it is.',
    ...jsonNotes(
      '`assignment_group`, `assigned_to`, `caller_id`',
      '; otherwise references are objects and are rejected as bad values',
    ),
  ],
  formats: {
    csv: {
      kind: 'events',
      time_field: 'opened',
      key: 'id',
      record_type: 'incident',
      fields: {
        id: { column: 'number', required: true, description: 'Incident number, e.g. INC0010231' },
        summary: { column: ['short_description', 'Short description'] },
        category: { column: 'category' },
        status: { column: 'state', description: 'display value: New, In Progress, On Hold, Resolved...' },
        priority: { column: 'priority', description: '`1 - Critical` to `5 - Planning`' },
        severity: { column: 'severity', description: '`1 - High`, `2 - Medium`, `3 - Low`' },
        group: { column: ['assignment_group', 'Assignment group'] },
        assignee: { column: ['assigned_to', 'Assigned to'], personal: true },
        caller: { column: ['caller_id', 'Caller'], personal: true },
        opened: csvDate('opened_at', 'Opened', true),
        updated: csvDate('sys_updated_on', 'Updated'),
        resolved: csvDate('resolved_at', 'Resolved'),
        closed: csvDate('closed_at', 'Closed'),
        close_code: { column: ['close_code', 'Resolution code'] },
      },
      signature: {
        // Field names (a list export) or their labels (a list view exported as displayed, or from Excel).
        required: [
          'number',
          ['opened_at', 'Opened'],
          ['short_description', 'Short description'],
          ['caller_id', 'Caller'],
          'priority',
          'state',
        ],
        optional: INCIDENT_CSV_COLUMNS,
      },
    },
    json: {
      kind: 'events',
      time_field: 'opened',
      key: 'id',
      record_type: 'incident',
      json: { records: '/records' },
      fields: {
        id: { path: 'number', required: true, description: 'Incident number, e.g. INC0010231' },
        sys_id: { path: 'sys_id' },
        summary: { path: 'short_description' },
        category: { path: 'category', description: 'raw value, lower case: network, hardware, software...' },
        status: { path: 'state', map: INCIDENT_STATES, description: 'the state code as its display value' },
        priority: { path: 'priority', map: PRIORITIES, description: '`1 - Critical` to `5 - Planning`' },
        severity: { path: 'severity', map: HIGH_TO_LOW, description: '`1 - High`, `2 - Medium`, `3 - Low`' },
        impact: { path: 'impact', map: HIGH_TO_LOW, description: '`1 - High`, `2 - Medium`, `3 - Low`' },
        urgency: { path: 'urgency', map: HIGH_TO_LOW, description: '`1 - High`, `2 - Medium`, `3 - Low`' },
        group: jsonReference('assignment_group', 'assignment group: sys_id, or its name'),
        assignee: { ...jsonReference('assigned_to', 'assigned user: sys_id, or the name'), personal: true },
        caller: { ...jsonReference('caller_id', 'caller: sys_id, or the name'), personal: true },
        opened: jsonDate('opened_at', true),
        updated: jsonDate('sys_updated_on'),
        resolved: jsonDate('resolved_at'),
        closed: jsonDate('closed_at'),
        close_code: { path: 'close_code' },
        reopen_count: { path: 'reopen_count', type: 'integer' },
        active: { path: 'active', type: 'boolean' },
      },
      signature: {
        required: ['sys_id', 'number', 'opened_at', 'caller_id', 'incident_state', 'priority', 'state'],
        optional: INCIDENT_JSON_KEYS,
      },
    },
  },
};

const CHANGE_CSV_COLUMNS = [
  'number',
  'opened_at',
  'short_description',
  'type',
  'state',
  'risk',
  'impact',
  'priority',
  'category',
  'assignment_group',
  'assigned_to',
  'requested_by',
  'start_date',
  'end_date',
  'work_start',
  'work_end',
  'closed_at',
  'close_code',
  'approval',
  'sys_updated_on',
  'Number',
  'Opened',
  'Short description',
  'Type',
  'State',
  'Risk',
  'Impact',
  'Priority',
  'Category',
  'Assignment group',
  'Assigned to',
  'Requested by',
  'Planned start date',
  'Planned end date',
  'Actual start date',
  'Actual end date',
  'Closed',
  'Close code',
  'Approval',
  'Updated',
];

const CHANGE_JSON_KEYS = [
  'sys_id',
  'number',
  'opened_at',
  'short_description',
  'description',
  'type',
  'state',
  'phase',
  'risk',
  'impact',
  'priority',
  'category',
  'assignment_group',
  'assigned_to',
  'requested_by',
  'start_date',
  'end_date',
  'work_start',
  'work_end',
  'closed_at',
  'close_code',
  'close_notes',
  'approval',
  'cab_required',
  'chg_model',
  'on_hold',
  'justification',
  'active',
  'escalation',
  'sys_created_on',
  'sys_created_by',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
  'sys_class_name',
  'dv_assignment_group',
  'dv_assigned_to',
];

export const servicenowChange: Preset = {
  name: 'servicenow-change',
  title: 'ServiceNow change request list export (CSV display values, or JSON raw values)',
  notes: [
    'The CSV list export holds display values (`Normal`, `Scheduled`, `3 - Moderate`, `Successful with issues`, group and user names), usually all quoted; `""`, an empty cell and a literal `null` are no value.',
    "CSV dates have no offset and follow the exporting user's zone and date format: set the source's `timezone:`. `2026-04-01 09:00:00`, `7/15/2026 9:30` and `08-03-2026 14:00:00` are read, and the labels of an Excel export (`Planned start date`) work as headers.",
    'The JSON export (`{"records": [...]}`, from Export > JSON or `change_request.do?JSONv2`) holds raw values, with dates in UTC. `state` (-5 New, -4 Assess, -3 Authorize, -2 Scheduled, -1 Implement, 0 Review, 3 Closed, 4 Canceled), `type` (normal, standard, emergency), `risk` (1 Very High to 4 Low), `priority`, `impact`, `close_code` (successful, successful_issues, unsuccessful) and `approval` are read as the CSV export\'s display values (`map:`), so one formula works for both (`state == "Closed"`, `type == "Emergency"`); a code the map does not know is kept as it is.',
    ...jsonNotes('`assignment_group`, `assigned_to`', ''),
  ],
  formats: {
    csv: {
      kind: 'events',
      time_field: 'opened',
      key: 'id',
      record_type: 'change',
      fields: {
        id: { column: 'number', required: true, description: 'Change number, e.g. CHG0030101' },
        summary: { column: ['short_description', 'Short description'] },
        type: { column: 'type', description: 'Normal, Standard or Emergency' },
        state: { column: 'state', description: 'display value: New, Assess, Authorize, Scheduled...' },
        risk: { column: 'risk', description: 'Very High, High, Moderate or Low' },
        priority: { column: 'priority', description: '`1 - Critical` to `4 - Low`' },
        group: { column: ['assignment_group', 'Assignment group'] },
        assignee: { column: ['assigned_to', 'Assigned to'], personal: true },
        opened: csvDate('opened_at', 'Opened', true),
        planned_start: csvDate('start_date', 'Planned start date'),
        planned_end: csvDate('end_date', 'Planned end date'),
        actual_start: csvDate('work_start', 'Actual start date'),
        actual_end: csvDate('work_end', 'Actual end date'),
        closed: csvDate('closed_at', 'Closed'),
        close_code: { column: ['close_code', 'Close code'] },
        approval: { column: 'approval', description: 'Approved, Requested, Rejected, Not Yet Requested' },
      },
      signature: {
        // Field names (a list export) or their labels (the default list view exported as displayed).
        required: [
          'number',
          ['opened_at', 'Opened'],
          ['short_description', 'Short description'],
          'type',
          'state',
          ['start_date', 'Planned start date'],
        ],
        optional: CHANGE_CSV_COLUMNS,
      },
    },
    json: {
      kind: 'events',
      time_field: 'opened',
      key: 'id',
      record_type: 'change',
      json: { records: '/records' },
      fields: {
        id: { path: 'number', required: true, description: 'Change number, e.g. CHG0030101' },
        sys_id: { path: 'sys_id' },
        summary: { path: 'short_description' },
        type: { path: 'type', map: CHANGE_TYPES, description: 'Normal, Standard or Emergency' },
        state: { path: 'state', map: CHANGE_STATES, description: 'the state code as its display value' },
        risk: { path: 'risk', map: CHANGE_RISKS, description: 'Very High, High, Moderate or Low' },
        impact: { path: 'impact', map: HIGH_TO_LOW, description: '`1 - High`, `2 - Medium`, `3 - Low`' },
        priority: { path: 'priority', map: PRIORITIES, description: '`1 - Critical` to `4 - Low`' },
        category: { path: 'category' },
        group: jsonReference('assignment_group', 'assignment group: sys_id, or its name'),
        assignee: { ...jsonReference('assigned_to', 'assigned user: sys_id, or the name'), personal: true },
        opened: jsonDate('opened_at', true),
        planned_start: jsonDate('start_date'),
        planned_end: jsonDate('end_date'),
        actual_start: jsonDate('work_start'),
        actual_end: jsonDate('work_end'),
        closed: jsonDate('closed_at'),
        close_code: {
          path: 'close_code',
          map: CLOSE_CODES,
          description: 'Successful, Successful with issues or Unsuccessful',
        },
        approval: {
          path: 'approval',
          map: APPROVALS,
          description: 'Approved, Requested, Rejected or Not Yet Requested',
        },
        cab_required: { path: 'cab_required', type: 'boolean' },
        active: { path: 'active', type: 'boolean' },
      },
      signature: {
        required: ['sys_id', 'number', 'opened_at', 'type', 'risk', 'start_date', 'end_date', 'state'],
        optional: CHANGE_JSON_KEYS,
      },
    },
  },
};
