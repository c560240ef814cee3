/**
 * Training records from a learning platform, as a generic CSV: the layout `lms-training` of
 * docs/getting-started.md ("Keeping registers as CSV files"), one row per person and assigned course.
 * No vendor standard exists; each field also accepts the usual header spellings of LMS exports
 * (`Learner`, `Course name`, `Due date`, `Completion date`, ...), and the first one present is used.
 */
import type { Preset } from './types.js';

const USER_COLUMNS = [
  'user',
  'learner',
  'name',
  'full_name',
  'full name',
  'employee',
  'user_name',
  'user name',
];
const EMAIL_COLUMNS = ['email', 'e-mail', 'user_email', 'user email', 'login', 'upn'];
const DEPARTMENT_COLUMNS = ['department', 'dept', 'org_unit', 'org unit'];
const ROLE_COLUMNS = ['role', 'job_role', 'job role', 'audience'];
const COURSE_COLUMNS = ['course', 'course_name', 'course name', 'module', 'training', 'curriculum'];
const ASSIGNED_COLUMNS = [
  'assigned',
  'assigned_date',
  'assigned date',
  'assigned_on',
  'assigned on',
  'enrolled',
  'enrollment_date',
  'enrollment date',
];
const DUE_COLUMNS = ['due', 'due_date', 'due date', 'deadline'];
const COMPLETED_COLUMNS = [
  'completed',
  'completed_date',
  'completed date',
  'completed_on',
  'completed on',
  'completion_date',
  'completion date',
];
const STATUS_COLUMNS = ['status', 'completion_status', 'completion status'];
const SCORE_COLUMNS = ['score', 'result', 'score_percent', 'score percent'];

/** ISO 8601 (2026-07-01, 2026-07-01 09:30) is always accepted; these cover European Excel re-saves. */
const LMS_DATES = ['yyyy-MM-dd', 'dd.MM.yyyy', 'dd.MM.yyyy HH:mm', 'dd/MM/yyyy'];

export const lmsTraining: Preset = {
  name: 'lms-training',
  title: 'Training records from a learning platform (generic CSV)',
  notes: [
    'The documented layout is `user, email, department, role, course, assigned, due, completed, status, score`, dates as `yyyy-MM-dd`; usual alternative headers (`learner`, `course_name`, `due_date`, `completion_date`, ...) are accepted.',
    'One row per person and assigned course, repeated courses (an annual refresher) once per assignment; `completed` is empty until the course is done. Keep one file per quarter as the register stood at the quarter end (`path: registers/training-{period}.csv` with `one_file_per: quarter` and `as_of: period_end`).',
    '`status` and `role` are free text: compare them with `lower(...)`, or declare them `enum` with your own values in the source.',
    'Dates may also be `01.07.2026` or `01/07/2026` (day first), read in the catalogue time zone.',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      key: ['user', 'course', 'assigned'],
      null_tokens: ['', '-', 'N/A', 'n/a', 'null', 'NULL', 'none'],
      fields: {
        user: {
          column: USER_COLUMNS,
          required: true,
          personal: true,
          description: 'The person (name or login)',
        },
        email: { column: EMAIL_COLUMNS, personal: true },
        department: { column: DEPARTMENT_COLUMNS },
        role: { column: ROLE_COLUMNS, description: 'The person’s role, for role-based curricula' },
        course: { column: COURSE_COLUMNS, required: true },
        assigned: { column: ASSIGNED_COLUMNS, type: 'datetime', format: LMS_DATES },
        due: { column: DUE_COLUMNS, type: 'datetime', format: LMS_DATES },
        completed: {
          column: COMPLETED_COLUMNS,
          type: 'datetime',
          format: LMS_DATES,
          description: 'Empty until the course is completed',
        },
        status: { column: STATUS_COLUMNS, description: 'assigned, in progress, completed, overdue, ...' },
        score: { column: SCORE_COLUMNS, type: 'number', description: 'Test score, where the course has one' },
      },
      signature: {
        required: [USER_COLUMNS, COURSE_COLUMNS, DUE_COLUMNS, COMPLETED_COLUMNS],
        optional: [
          ...USER_COLUMNS,
          ...EMAIL_COLUMNS,
          ...DEPARTMENT_COLUMNS,
          ...ROLE_COLUMNS,
          ...COURSE_COLUMNS,
          ...ASSIGNED_COLUMNS,
          ...DUE_COLUMNS,
          ...COMPLETED_COLUMNS,
          ...STATUS_COLUMNS,
          ...SCORE_COLUMNS,
        ],
      },
    },
  },
};
