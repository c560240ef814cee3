/** `isms-kpi presets [NAME]`: every preset, or one preset's fields and notes. */
import { PRESET_NAMES, PRESETS, type Preset } from '../presets/index.js';
import { IsmsKpiError, problem } from '../problems.js';
import { type PresetsFormat, renderPreset, renderPresetList } from '../render/presets.js';
import { quote } from '../text.js';
import { editDistance } from '../util/closest.js';
import type { CommandResult } from './result.js';

const byName = (a: Preset, b: Preset) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function presets(name: string | undefined, options: { format: PresetsFormat }): CommandResult {
  const done = (stdout: string): CommandResult => ({ stdout, problems: [], outcome: { command: 'done' } });
  if (name === undefined) return done(renderPresetList(Object.values(PRESETS).sort(byName), options.format));
  const preset = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!preset) {
    const isClose = (known: string) =>
      known.includes(name) ||
      (name.length > 3 &&
        Math.min(editDistance(name, known), editDistance(name, known.slice(0, name.length))) <= 2);
    const close = PRESET_NAMES.filter(isClose);
    const hint =
      close.length > 0
        ? `did you mean ${close.join(', ')}?`
        : `known presets: ${[...PRESET_NAMES].sort().join(', ')}`;
    throw new IsmsKpiError(problem('usage', `unknown preset ${quote(name)}; ${hint}`));
  }
  return done(renderPreset(preset, options.format));
}
