/**
 * Checks that parsed JSON is a saved isms-kpi report, enough for diff and trend to rely on the fields they
 * read. Unknown fields are allowed (new optional fields do not raise the schema version).
 */
import { z } from 'zod';
import { type Problem, problem } from '../problems.js';
import { REPORT_SCHEMA_VERSION, type Report } from './model.js';

const statusSchema = z.enum(['green', 'amber', 'red', 'no-data', 'stale', 'info']);
const valueSchema = z.number().nullable();

const groupSchema = z.object({ key: z.string(), value: valueSchema, status: statusSchema });

const savedKpiSchema = z.object({
  id: z.string(),
  name: z.string(),
  unit: z.string(),
  formula: z.string(),
  definitionHash: z.string(),
  sources: z.array(z.string()),
  thresholds: z
    .object({
      green: z.string(),
      amber: z.string().optional(),
      direction: z.enum(['higher', 'lower', 'target']),
    })
    .nullable(),
  value: valueSchema,
  status: statusSchema,
  segments: z.array(groupSchema),
});

const savedSourceSchema = z.object({
  name: z.string(),
  kind: z.enum(['events', 'snapshot']),
  file: z.string(),
  sha256: z.string(),
  accepted: z.number(),
});

export const savedReportSchema = z.object({
  schemaVersion: z.number().int(),
  tool: z.object({ name: z.literal('isms-kpi') }),
  period: z.object({ label: z.string(), start: z.string(), end: z.string() }),
  sources: z.array(savedSourceSchema),
  kpis: z.array(savedKpiSchema),
});

/** The report's schemaVersion, read before its shape so that a newer layout gets the version message. */
export function schemaVersionOf(data: unknown): number | string {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return 'not an isms-kpi report (expected a JSON object written by isms-kpi report --format json)';
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  const tool = (data as { tool?: { name?: unknown } }).tool;
  if (typeof version !== 'number' || tool?.name !== 'isms-kpi')
    return 'not an isms-kpi report (no schemaVersion or tool.name "isms-kpi")';
  return version;
}

/** The report, or a one-line reason why the data is not one. */
export function asReport(data: unknown): Report | string {
  const version = schemaVersionOf(data);
  if (typeof version === 'string') return version;
  const result = savedReportSchema.safeParse(data);
  if (result.success) return data as Report;
  const issue = result.error.issues[0]!;
  return `not a valid isms-kpi report: ${issue.message} (location: ${issue.path.join('.')})`;
}

/** A message when two reports' major schema versions differ (currently the version is a whole number). */
export function schemaMismatch(a: number, b: number): string | undefined {
  return Math.trunc(a) === Math.trunc(b)
    ? undefined
    : `cannot compare reports of schema versions ${a} and ${b}`;
}

export type ReadReportResult = { ok: true; report: Report } | { ok: false; problem: Problem };

/**
 * The one reader of saved JSON reports, for diff, trend, report --baseline and report --history: the
 * text of a file (a UTF-8 BOM is ignored) in, a Report or a located problem out. Unknown fields are
 * accepted (new optional fields keep the schema version); a report of another major schema version is
 * refused with both versions named. No I/O: the caller reads the file.
 */
export function readReport(text: string, file: string): ReadReportResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return {
      ok: false,
      problem: problem('json-syntax', `not valid JSON: ${(error as Error).message}`, { file }),
    };
  }
  const version = schemaVersionOf(data);
  if (typeof version === 'string') return { ok: false, problem: problem('not-a-report', version, { file }) };
  const mismatch = schemaMismatch(version, REPORT_SCHEMA_VERSION);
  if (mismatch)
    return {
      ok: false,
      problem: problem(
        'report-version',
        `report schemaVersion ${version}; this isms-kpi reads schemaVersion ${REPORT_SCHEMA_VERSION}`,
        { file },
      ),
    };
  const report = asReport(data);
  if (typeof report === 'string') return { ok: false, problem: problem('not-a-report', report, { file }) };
  return { ok: true, report };
}
