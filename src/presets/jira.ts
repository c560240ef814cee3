import type { Preset } from './types.js';

/** Jira's own style first, then an Excel re-save of the CSV, then REST-style stamps with an offset. */
const JIRA_DATES = ['dd/MMM/yy h:mm a', 'M/d/yyyy H:mm', "yyyy-MM-dd'T'HH:mm:ss.SSSxx"];

/**
 * Comment and Attachment cells hold `date;accountId;text`, where the text may contain commas and
 * semicolons: each cell is one list item, so the separator is a control character that never occurs.
 */
const WHOLE_CELL = '\u001f';

const JIRA_COLUMNS = [
  'Summary',
  'Issue key',
  'Issue id',
  'Issue Type',
  'Status',
  'Project key',
  'Project name',
  'Project type',
  'Project lead',
  'Project lead id',
  'Project description',
  'Priority',
  'Resolution',
  'Assignee',
  'Assignee Id',
  'Reporter',
  'Reporter Id',
  'Creator',
  'Creator Id',
  'Created',
  'Updated',
  'Last Viewed',
  'Resolved',
  'Due date',
  'Votes',
  'Labels',
  'Description',
  'Environment',
  'Watchers',
  'Watchers Id',
  'Original estimate',
  'Remaining Estimate',
  'Time Spent',
  'Work Ratio',
  'Security Level',
  'Attachment',
  'Comment',
  'Log Work',
  'Status Category',
  'Status Category Changed',
];

export const jiraIssues: Preset = {
  name: 'jira-issues',
  title: 'Jira Cloud issue export (CSV)',
  notes: [
    "Dates look like `09/Jan/24 3:54 PM` (English month names) in the exporting user's time zone, with no offset: set the source's `timezone:`. Date-only fields read as midnight; Excel re-saves (`6/21/2025 16:14`) and REST stamps with an offset (`2018-05-11T09:46:53.000+0300`) are read too.",
    'Repeated columns (`Labels`, `Watchers`, `Comment`, `Attachment`) are collected into one list; each comment or attachment stays whole as `date;accountId;text`.',
    'A row with more values than the header has columns (an issue with more comments or labels than the header has columns for) is rejected with its line: the extra values cannot be told apart from a row shifted by an unquoted comma. Export again with fewer issues per file, or without the repeated column.',
    'Custom fields (`Custom field (Name)`) differ per site: map the ones you need, e.g. `severity: "Custom field (Severity)"`.',
    'Time Spent and Original estimate are in seconds; empty cells are no value.',
  ],
  formats: {
    csv: {
      kind: 'events',
      time_field: 'opened',
      key: 'id',
      record_type: 'incident',
      fields: {
        id: { column: 'Issue key', required: true, description: 'Issue key, e.g. SEC-141' },
        issue_id: { column: 'Issue id', type: 'integer' },
        summary: { column: 'Summary' },
        type: { column: 'Issue Type' },
        status: { column: 'Status' },
        status_category: {
          column: 'Status Category',
          description: 'To Do, In Progress or Done, whatever the workflow calls its statuses',
        },
        priority: { column: 'Priority' },
        resolution: { column: 'Resolution' },
        project: { column: 'Project key' },
        assignee: { column: 'Assignee', personal: true },
        assignee_id: { column: 'Assignee Id', personal: true },
        reporter: { column: 'Reporter', personal: true },
        opened: { column: 'Created', type: 'datetime', format: JIRA_DATES, required: true },
        updated: { column: 'Updated', type: 'datetime', format: JIRA_DATES },
        resolved: { column: 'Resolved', type: 'datetime', format: JIRA_DATES },
        due: { column: 'Due date', type: 'datetime', format: JIRA_DATES },
        labels: { column: 'Labels', type: 'list', occurrence: 'all' },
        watchers: { column: 'Watchers', type: 'list', occurrence: 'all', personal: true },
        security_level: { column: 'Security Level' },
        original_estimate: { column: 'Original estimate', type: 'duration', unit: 'seconds' },
        time_spent: { column: 'Time Spent', type: 'duration', unit: 'seconds' },
        comments: {
          column: 'Comment',
          type: 'list',
          occurrence: 'all',
          separator: WHOLE_CELL,
          description: 'one item per comment: `date;accountId;text`',
        },
        attachments: {
          column: 'Attachment',
          type: 'list',
          occurrence: 'all',
          separator: WHOLE_CELL,
          description: 'one item per attachment: `date;accountId;file name;URL`',
        },
      },
      signature: {
        required: ['Summary', 'Issue key', 'Issue id', 'Issue Type', 'Status', 'Created'],
        optional: JIRA_COLUMNS,
      },
    },
  },
};
