/**
 * Reading conventions shared by the registers an ISMS team keeps by hand (supplier register, asset
 * inventory, remote-access session log): there is no vendor export, so each field accepts a few usual
 * header spellings, yes/no flags in the spellings a spreadsheet gets, and ISO or German dates.
 * Decision (issue 22): booleans accept yes/no, y/n, true/false, 1/0 and x (a ticked cell); "n/a" and "-"
 * are no value, so a flag that does not apply (no OS on a switch) is neither true nor false.
 */
import type { PresetField } from './types.js';

export const REGISTER_TRUE = ['yes', 'y', 'true', '1', 'x', 'ja'];
export const REGISTER_FALSE = ['no', 'n', 'false', '0', 'nein'];
export const REGISTER_NULLS = ['', '-', 'n/a', 'N/A', 'na', 'NA', 'null', 'NULL'];

/** ISO 8601 is always accepted as well; `dd.MM.yyyy` is what a German Excel writes. */
export const REGISTER_DATES = ['yyyy-MM-dd', 'dd.MM.yyyy'];
export const REGISTER_DATETIMES = [
  'yyyy-MM-dd HH:mm',
  'yyyy-MM-dd HH:mm:ss',
  'dd.MM.yyyy HH:mm',
  'dd.MM.yyyy HH:mm:ss',
];

export const CRITICALITY_VALUES = ['critical', 'high', 'medium', 'low'];

/** The register's criticality scale, in any letter case. */
export const criticality = (column: string[]): PresetField => ({
  column,
  type: 'enum',
  values: CRITICALITY_VALUES,
  description: 'critical, high, medium or low',
});

/** A yes/no column. */
export const flag = (column: string | string[], description?: string): PresetField => ({
  column,
  type: 'boolean',
  ...(description ? { description } : {}),
});

/** A date column (`yyyy-MM-dd` or `dd.MM.yyyy`), read in the source's or the catalogue's time zone. */
export const day = (column: string | string[], description?: string): PresetField => ({
  column,
  type: 'datetime',
  format: REGISTER_DATES,
  ...(description ? { description } : {}),
});

/** Every column name a field accepts, for a signature's optional list. */
export function columnsOf(fields: Record<string, PresetField>): string[] {
  return Object.entries(fields).flatMap(([name, field]) => {
    if (typeof field === 'string') return [field];
    if (field.column === undefined) return [name];
    return Array.isArray(field.column) ? field.column : [field.column];
  });
}
