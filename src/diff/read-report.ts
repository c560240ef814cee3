/**
 * Checks that parsed JSON is a saved isms-kpi report, enough for diff and trend to rely on the fields they
 * read. Unknown fields are allowed (new optional fields do not raise the schema version).
 */
import { z } from 'zod';
import type { Report } from '../engine/report-model.js';

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
