/**
 * Built-in record types for the evidence families. A source that declares `record_type` must map these
 * canonical fields with compatible types, so KPIs written for the family can rely on them. Each type is a
 * zod object over the typed row, the same shape `rowSchema` builds for any mapping.
 */
import { z } from 'zod';
import type { FieldSpec } from './convert.js';
import type { RecordType } from './schema.js';
import type { FieldType } from './table.js';

const text = z.string();
const when = z.date();
const flag = z.boolean();

export const RECORD_TYPE_SCHEMAS: Record<RecordType, z.ZodObject> = {
  incident: z.object({
    id: text,
    opened: when,
    severity: text.nullable().optional(),
    resolved: when.nullable().optional(),
  }),
  change: z.object({
    id: text,
    opened: when,
    type: text.nullable().optional(),
    closed: when.nullable().optional(),
  }),
  account: z.object({ id: text, enabled: flag.nullable().optional() }),
  access_review: z.object({ id: text, due: when, completed: when.nullable().optional() }),
  jml_event: z.object({ person: text, effective: when }),
  backup_session: z.object({ job: text, started: when, status: text }),
  restore_test: z.object({ id: text, tested: when, result: text }),
  finding: z.object({ asset: text, severity: text }),
};

/** What a field type holds once converted, in the terms a record type uses. */
function zodKind(type: FieldType): string {
  switch (type) {
    case 'string':
    case 'enum':
      return 'string';
    case 'integer':
    case 'number':
    case 'duration':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'datetime':
      return 'date';
    case 'list':
      return 'array';
  }
}

function unwrap(schema: z.ZodType): { kind: string; isOptional: boolean } {
  let current = schema as z.ZodType & { _zod: { def: { type: string; innerType?: z.ZodType } } };
  let isOptional = false;
  while (current._zod.def.type === 'optional' || current._zod.def.type === 'nullable') {
    isOptional = true;
    current = current._zod.def.innerType as typeof current;
  }
  return { kind: current._zod.def.type, isOptional };
}

/** Problems with a source's mapping against its declared record type (empty when it conforms). */
export function checkRecordType(
  type: RecordType,
  fields: readonly FieldSpec[],
): { field: string; message: string }[] {
  const schema = RECORD_TYPE_SCHEMAS[type];
  const problems: { field: string; message: string }[] = [];
  for (const [name, fieldSchema] of Object.entries(schema.shape)) {
    const { kind, isOptional } = unwrap(fieldSchema as z.ZodType);
    const field = fields.find((f) => f.name === name);
    if (!field) {
      if (!isOptional)
        problems.push({
          field: name,
          message: `record_type ${type} needs a field "${name}" (${kind === 'date' ? 'datetime' : kind})`,
        });
      continue;
    }
    if (zodKind(field.type) !== kind) {
      problems.push({
        field: name,
        message: `record_type ${type} needs "${name}" to be ${kind === 'date' ? 'a datetime' : `a ${kind}`}, but it is declared ${field.type}`,
      });
    } else if (!isOptional && !field.required) {
      problems.push({
        field: name,
        message: `record_type ${type} needs "${name}" on every row: add required: true`,
      });
    }
  }
  return problems;
}

/**
 * The zod schema of one typed row for a mapping. It is the reference the column converters implement:
 * tests check that every row intake accepts parses with it (datetimes as Date, booleans as boolean).
 */
export function rowSchema(fields: readonly FieldSpec[]): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const field of fields) {
    let schema: z.ZodType;
    switch (field.type) {
      case 'string':
        schema = z.string();
        break;
      case 'enum':
        schema = z.enum(field.values as [string, ...string[]]);
        break;
      case 'integer':
        schema = z.number().int();
        break;
      case 'number':
      case 'duration':
        schema = z.number().finite();
        break;
      case 'boolean':
        schema = z.boolean();
        break;
      case 'datetime':
        schema = z.date();
        break;
      case 'list':
        schema = z.array(z.string());
        break;
    }
    shape[field.name] = field.required ? schema : schema.nullable();
  }
  return z.strictObject(shape);
}
