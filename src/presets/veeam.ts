import type { Preset, PresetField } from './types.js';

const VEEAM_SESSION_COLUMNS = [
  'JobName',
  'VMName',
  'Status',
  'IsRetry',
  'ProcessingMode',
  'WorkDuration',
  'TaskAlgorithm',
  'CreationTime',
  'BackupSize',
  'DataSize',
  'DedupRatio',
  'CompressRatio',
];

/**
 * `CreationTime` is written in the exporting machine's culture: en-US 24-hour (the public sample),
 * en-US 12-hour (the Windows default) and the German-style dotted date.
 */
// en-US first (the PowerShell default), then de-DE, then en-GB: the two slash forms are told apart per
// export by the first day over 12 (day-first detection, time/day-order.ts).
const VEEAM_SESSION_DATES = [
  'M/d/yyyy H:mm:ss',
  'M/d/yyyy h:mm:ss a',
  'd.M.yyyy H:mm:ss',
  'd/M/yyyy H:mm:ss',
];

const BACKUP_STATUSES = ['Success', 'Warning', 'Failed'];

export const veeamSessions: Preset = {
  name: 'veeam-sessions',
  title: 'Veeam Backup & Replication task sessions (PowerShell Export-Csv)',
  notes: [
    'The public sample repeats every row, so `duplicates: drop-exact` skips a row identical in every cell to an earlier one and counts it as a dropped duplicate; real sessions always differ (start time, work duration), so none is lost.',
    '`CreationTime` has no zone and follows the locale (`7/6/2026 22:00:14`, `7/6/2026 10:00:14 PM`, `06.07.2026 22:00:14`): set `timezone:` to the Veeam server\'s zone. A slash date is read month-first (en-US) or day-first (en-GB) as the export proves with its first day over 12 (`13/07/2026`); an export where every day is 12 or less is read month-first with one warning, and `format: "dd/MM/yyyy HH:mm:ss"` on `started` settles it.',
    '`WorkDuration` (seconds with decimals, or `HH:MM:SS`) becomes `duration`; a retry (`IsRetry` True) is a row of its own, so count retries apart from first runs.',
    'A `#TYPE ...` first line (Windows PowerShell without `-NoTypeInformation`) needs `csv: { skip_lines: 1 }`.',
  ],
  formats: {
    csv: {
      kind: 'events',
      time_field: 'started',
      record_type: 'backup_session',
      duplicates: 'drop-exact',
      fields: {
        job: { column: 'JobName', required: true },
        vm: { column: 'VMName' },
        status: { column: 'Status', type: 'enum', values: BACKUP_STATUSES, required: true },
        started: {
          column: 'CreationTime',
          type: 'datetime',
          format: VEEAM_SESSION_DATES,
          required: true,
          description: 'When the task session started (local time of the backup server)',
        },
        duration: { column: 'WorkDuration', type: 'duration', unit: 'seconds' },
        is_retry: { column: 'IsRetry', type: 'boolean' },
        size: { column: 'BackupSize', type: 'number', description: 'Bytes written to the repository' },
        data_size: { column: 'DataSize', type: 'number', description: 'Bytes of source data read' },
        dedup_ratio: { column: 'DedupRatio', type: 'number' },
        compress_ratio: { column: 'CompressRatio', type: 'number' },
        processing_mode: { column: 'ProcessingMode' },
        task_algorithm: { column: 'TaskAlgorithm', description: 'Full or Increment' },
      },
      signature: {
        required: ['JobName', 'VMName', 'Status', 'IsRetry', 'WorkDuration', 'CreationTime'],
        optional: VEEAM_SESSION_COLUMNS,
      },
    },
  },
};

const VEEAM_EM_COLUMNS = [
  'RestorePointType',
  'JobAlgorithm',
  'BackupEndTime(UTC)',
  'IncludedTags',
  'State',
  'TotalSize',
  'VMName',
  'Result',
  'JobName',
  'Reason',
  'BackupCreationTime(UTC)',
];

const veeamEmFields: Record<string, PresetField> = {
  job: { column: 'JobName', required: true },
  vm: { column: 'VMName' },
  status: {
    column: 'Result',
    type: 'enum',
    values: BACKUP_STATUSES,
    // `None` is the result of a session that has not finished yet: no result, but not a bad row.
    null_tokens: ['', 'None'],
    description: 'Result of the session; empty while the session is still running (`None`)',
  },
  started: { column: 'BackupCreationTime(UTC)', type: 'datetime', required: true },
  ended: { column: 'BackupEndTime(UTC)', type: 'datetime' },
  size: { column: 'TotalSize', type: 'number', description: 'Bytes' },
  state: { column: 'State', description: 'Stopped when finished; Working, Starting, ... while running' },
  reason: { column: 'Reason', description: 'Warning or error text' },
  restore_point_type: { column: 'RestorePointType' },
  job_algorithm: { column: 'JobAlgorithm' },
  included_tags: { column: 'IncludedTags' },
};

export const veeamEmSessions: Preset = {
  name: 'veeam-em-sessions',
  title: 'Veeam Backup Enterprise Manager backup sessions (CSV or JSON from the EM API)',
  notes: [
    'Times are UTC with 0 to 7 fraction digits (`2019-04-18T17:27:47.74Z`) and are read exactly.',
    '`Result` is Success, Warning or Failed; a session still running has `None` (State `Working`) and is read with no status, so `count(backups, status != null)` counts finished sessions only. To count running sessions by name, give `status` `values: [Success, Warning, Failed, None]` and `null_tokens: [""]`.',
    'Because running sessions have no status, the source declares no `record_type` (the backup_session type needs a status on every row).',
    'PowerShell writes `$null` as a bare empty field and an empty string as `""`; both are read as no value.',
    'The JSON variant is the same objects written with `ConvertTo-Json` (a top-level array).',
  ],
  formats: {
    csv: {
      kind: 'events',
      time_field: 'started',
      fields: veeamEmFields,
      signature: {
        required: ['BackupCreationTime(UTC)', 'BackupEndTime(UTC)', 'Result', 'JobName', 'VMName', 'State'],
        optional: VEEAM_EM_COLUMNS,
      },
    },
    json: {
      kind: 'events',
      time_field: 'started',
      json: { records: '' },
      fields: veeamEmFields,
      signature: {
        required: ['BackupCreationTime(UTC)', 'BackupEndTime(UTC)', 'Result', 'JobName', 'VMName', 'State'],
        optional: VEEAM_EM_COLUMNS,
      },
    },
  },
};
