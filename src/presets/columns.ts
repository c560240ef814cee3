import type { PresetField } from './types.js';

/**
 * Every CSV column name a preset's fields accept (each field's `column`, or its name), in order: the
 * `signature.optional` of a generic register, whose fields take several spellings of one column, so that
 * `isms-kpi detect` knows them all.
 */
export function csvColumnsOf(fields: Record<string, PresetField>): string[] {
  return Object.entries(fields).flatMap(([name, field]) => {
    if (typeof field === 'string') return [field];
    if (field.column === undefined) return [name];
    return Array.isArray(field.column) ? field.column : [field.column];
  });
}
