/**
 * docs/report.schema.json, generated from the one report schema (model.ts) by zod's JSON Schema writer
 * (draft 2020-12). `npm run docs:schema` writes it; tests/report/json-schema.test.ts fails when the
 * committed file differs from what this returns.
 *
 * Objects are left open (no `additionalProperties: false`): readers must ignore fields they do not know,
 * since new optional fields keep schemaVersion 1 (docs/report-format.md, "Compatibility").
 */
import { z } from 'zod';
import { REPORT_SCHEMA_VERSION, reportDocs, reportSchema } from './model.js';

/** Where the schema is published; docs/report-format.md names the same URL. */
export const REPORT_SCHEMA_ID =
  'https://raw.githubusercontent.com/isms-kpi/isms-kpi/main/docs/report.schema.json';

/** Keys of a schema object in reading order; keys not listed follow in the order zod wrote them. */
const KEY_ORDER = [
  '$schema',
  '$id',
  'title',
  'description',
  '$ref',
  'type',
  'const',
  'enum',
  'anyOf',
  'pattern',
  'minimum',
  'maximum',
  'items',
  'properties',
  'required',
  'additionalProperties',
  '$defs',
];

function ordered(value: unknown, isMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  // `properties` and `$defs` map names to schemas: their own order (the report's key order) is kept.
  if (!isMap) {
    const rank = (key: string) => {
      const i = KEY_ORDER.indexOf(key);
      return i < 0 ? KEY_ORDER.length : i;
    };
    entries.sort(([a], [b]) => rank(a) - rank(b));
  }
  return Object.fromEntries(
    entries.map(([key, v]) => [
      key,
      isMap ? ordered(v) : ordered(v, key === 'properties' || key === '$defs'),
    ]),
  );
}

/** The JSON Schema of the saved report, as an object. */
export function reportJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(reportSchema, {
    target: 'draft-2020-12',
    metadata: reportDocs,
    override: ({ zodSchema, jsonSchema }) => {
      // Open to unknown fields (see the header).
      if (zodSchema._zod.def.type === 'object') delete jsonSchema.additionalProperties;
      // z.int() is a safe integer; its bounds say nothing a reader needs.
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    },
  });
  return ordered({
    ...generated,
    $id: REPORT_SCHEMA_ID,
    title: 'isms-kpi report',
    description:
      `The JSON report written by \`isms-kpi report --format json\` (schemaVersion ${REPORT_SCHEMA_VERSION}). ` +
      'Generated from src/report/model.ts by `npm run docs:schema`; do not edit by hand. Values are unrounded; ' +
      'times are ISO 8601 in UTC. Objects are open: readers must ignore fields they do not know, because new ' +
      'optional fields keep the schema version. See docs/report-format.md.',
  }) as Record<string, unknown>;
}

/** The text of docs/report.schema.json: two-space indentation and a final newline. */
export function reportJsonSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}
