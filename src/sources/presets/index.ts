/**
 * The registry of presets: every preset the catalogue's `preset:` key accepts, by name. Adding a preset
 * means writing its file beside this one and listing it here; docs/presets.md and `isms-kpi detect`
 * read this table.
 */
import { awsIamCredentialReport } from './aws.js';
import type { Preset } from './types.js';

const ALL = [awsIamCredentialReport] as const satisfies readonly Preset[];

export const PRESETS: Readonly<Record<string, Preset>> = Object.freeze(
  Object.fromEntries(ALL.map((preset) => [preset.name, preset])),
);

export const PRESET_NAMES = ALL.map((preset) => preset.name) as [string, ...string[]];

export type { Preset, PresetField, PresetVariant } from './types.js';
