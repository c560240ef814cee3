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
const VEEAM_SESSION_DATES = ['M/d/yyyy H:mm:ss', 'M/d/yyyy h:mm:ss a', 'd.M.yyyy H:mm:ss'];

const BACKUP_STATUSES = ['Success', 'Warning', 'Failed'];

export const veeamSessions: Preset = {
  name: 'veeam-sessions',
  title: 'Veeam Backup & Replication task sessions (PowerShell Export-Csv)',
  notes: [
    'The public sample repeats every row, so the preset sets `duplicates: drop-exact`: a row identical to an earlier one in every cell is skipped and counted as a dropped duplicate. Two real sessions never match in every cell (start time and the work duration with its decimals differ), so no session is lost; set `duplicates: keep` to count every line.',
    '`CreationTime` follows the exporting machine\'s locale and has no time zone: `7/6/2026 22:00:14`, `7/6/2026 10:00:14 PM` and `06.07.2026 22:00:14` are read; set `timezone:` on the source to the Veeam server\'s zone. A day-first slash date (`06/07/2026`, en-GB) would be read month-first: give `format: "dd/MM/yyyy HH:mm:ss"` on `started` for such exports.',
    '`WorkDuration` is seconds with decimals (`312.5468213`) and becomes `duration`; `HH:MM:SS` timespans are read too. `IsRetry` is `True`/`False`, so a failed session followed by a successful retry shows as two rows: count retries separately when measuring the success rate.',
    'A file that starts with a `#TYPE System.Management.Automation.PSCustomObject` line (Windows PowerShell without `-NoTypeInformation`) needs `csv: { skip_lines: 1 }`.',
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
    required: true,
    // `None` is the result of a session that has not finished yet.
    null_tokens: ['', 'None'],
    description: 'Result of the session; `None` (still running) is no value',
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
    'Times are UTC with a varying number of fraction digits (`2019-04-18T17:27:47Z`, `.74Z`, `.7433333Z`); all are read exactly, so no time zone is needed.',
    '`Result` is `Success`, `Warning` or `Failed` once a session ends. A session still running has `Result` `None` (and `State` `Working`): it has no outcome yet, so its row is rejected as missing a status and listed as such. Export after the backup window, or ignore those rejections.',
    'PowerShell writes `$null` as a bare empty field and an empty string as `""`; both are read as no value (an unfinished session has no end time, a successful one no `Reason`).',
    'The JSON variant is the same objects written with `ConvertTo-Json` (a top-level array, same keys).',
  ],
  formats: {
    csv: {
      kind: 'events',
      time_field: 'started',
      record_type: 'backup_session',
      fields: veeamEmFields,
      signature: {
        required: ['BackupCreationTime(UTC)', 'BackupEndTime(UTC)', 'Result', 'JobName', 'VMName', 'State'],
        optional: VEEAM_EM_COLUMNS,
      },
    },
    json: {
      kind: 'events',
      time_field: 'started',
      record_type: 'backup_session',
      json: { records: '' },
      fields: veeamEmFields,
      signature: {
        required: ['BackupCreationTime(UTC)', 'BackupEndTime(UTC)', 'Result', 'JobName', 'VMName', 'State'],
        optional: VEEAM_EM_COLUMNS,
      },
    },
  },
};
