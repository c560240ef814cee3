/**
 * The one reader of saved JSON reports (diff, trend, report --baseline, report --history): it checks the
 * data against the one report schema (model.ts), leniently: fields it does not know are dropped, never an
 * error (new optional fields keep the schema version); a missing required field or a wrong type is
 * `not-a-report` naming its path, e.g. `kpis[3].value`.
 */
import { safeParse, type z } from 'zod';
import { type Problem, problem } from '../problems.js';
import { REPORT_SCHEMA_VERSION, type Report, reportSchema } from './model.js';

export type ReadReportResult = { ok: true; report: Report } | { ok: false; problem: Problem };

const NOT_A_REPORT = 'not an isms-kpi report (no schemaVersion or tool.name "isms-kpi")';

/**
 * The report's schemaVersion, read before its shape so that a newer layout gets the version message; a
 * message when the data does not even claim to be an isms-kpi report.
 */
function claimedVersion(data: unknown): number | string {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return 'not an isms-kpi report (expected the JSON object of a report saved by isms-kpi)';
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  const tool = (data as { tool?: { name?: unknown } }).tool;
  if (typeof version !== 'number' || tool?.name !== 'isms-kpi') return NOT_A_REPORT;
  return version;
}

/** A message when two reports' major schema versions differ (currently the version is a whole number). */
export function schemaMismatch(a: number, b: number): string | undefined {
  return Math.trunc(a) === Math.trunc(b)
    ? undefined
    : `cannot compare reports of schema versions ${a} and ${b}`;
}

/** `kpis[3].value` for the zod path ['kpis', 3, 'value']. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(the top level)' : text;
}

/** The offending value as a reader would name it: `"87.5"`, `-1`, `an object`. */
function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** Whether the report schema allows null at this path (zod's issue names only the non-null type). */
function acceptsNull(path: readonly PropertyKey[]): boolean {
  let schema: z.core.$ZodType | undefined = reportSchema;
  for (const key of path) {
    let def: z.core.$ZodTypeDef = schema._zod.def;
    while (def.type === 'optional' || def.type === 'nullable')
      def = (def as z.core.$ZodOptionalDef).innerType._zod.def;
    if (def.type === 'object') schema = (def as z.core.$ZodObjectDef).shape[String(key)];
    else if (def.type === 'array') schema = (def as z.core.$ZodArrayDef).element;
    else schema = undefined;
    if (!schema) return false;
  }
  return safeParse(schema, null).success;
}

/** One line for the first thing wrong: where, and what was expected there. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = jsonPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return `${where} is missing`;
      const expected = issue.expected === 'int' ? 'a whole number' : issue.expected;
      const orNull = acceptsNull(issue.path) ? ' or null' : '';
      return `${where}: expected ${expected}${orNull}, got ${shown(input)}`;
    }
    case 'invalid_value': {
      const allowed = [...issue.values, ...(acceptsNull(issue.path) ? [null] : [])];
      return `${where}: ${shown(input)} is not one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    case 'too_small':
      return `${where}: expected at least ${String(issue.minimum)}, got ${shown(input)}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `${where}: ${shown(input)} does not match ${String(issue.pattern)}`
        : `${where}: ${shown(input)} is not a valid ${issue.format}`;
    default:
      return `${where}: ${issue.message}`;
  }
}

/** The checks of readReport on data already parsed from JSON. */
export function validateReport(data: unknown, file?: string): ReadReportResult {
  const at = file === undefined ? {} : { file };
  const version = claimedVersion(data);
  if (typeof version === 'string') return { ok: false, problem: problem('not-a-report', version, at) };
  if (schemaMismatch(version, REPORT_SCHEMA_VERSION))
    return {
      ok: false,
      problem: problem(
        'report-version',
        `report schemaVersion ${version}; this isms-kpi reads schemaVersion ${REPORT_SCHEMA_VERSION}`,
        at,
      ),
    };
  const result = reportSchema.safeParse(data, { reportInput: true });
  if (result.success) return { ok: true, report: result.data };
  return {
    ok: false,
    problem: problem(
      'not-a-report',
      `not a valid isms-kpi report: ${describeIssue(result.error.issues[0]!)}`,
      at,
    ),
  };
}

/**
 * The text of a saved report file (a UTF-8 BOM is ignored) in, a Report or a located problem out.
 * Unknown fields are accepted and dropped; a report of another major schema version is refused with
 * both versions named. No I/O: the caller reads the file.
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
  return validateReport(data, file);
}
