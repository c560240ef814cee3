/**
 * `isms-kpi presets [NAME]`: the vendor exports isms-kpi reads without a mapping, or one preset's fields
 * and notes. The Markdown format is the same text as docs/presets.md.
 */

import { presetFieldRows, presetSummary, variantsOf } from '../presets/describe.js';
import { presetIndex, presetSection } from '../presets/docs.js';
import { PRESET_NAMES, PRESETS, type Preset } from '../presets/index.js';
import { IsmsKpiError, problem } from '../problems.js';
import { EXIT_OK } from './exit-code.js';
import { out } from './output.js';

export const PRESETS_FORMATS = ['table', 'json', 'markdown'] as const;
export type PresetsFormat = (typeof PRESETS_FORMATS)[number];

const byName = (a: Preset, b: Preset) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const allPresets = (): Preset[] => Object.values(PRESETS).sort(byName);

async function newTable(head: string[], colWidths?: (number | null)[]) {
  const Table = (await import('cli-table3')).default;
  return new Table({
    head,
    style: { head: [], border: [] },
    // No rule between rows: a field list reads better dense.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    wordWrap: true,
    ...(colWidths ? { colWidths: colWidths as number[] } : {}),
  });
}

function kindText(kind: string, timeField: string | undefined): string {
  return timeField ? `${kind} (${timeField})` : kind;
}

async function renderList(format: PresetsFormat): Promise<string> {
  const presets = allPresets();
  if (format === 'json') return `${JSON.stringify(presets.map(presetSummary), null, 2)}\n`;
  if (format === 'markdown') return presetIndex(presets);
  const table = await newTable(
    ['Preset', 'Export', 'Formats', 'Record type', 'Kind'],
    [null, 48, null, null, null],
  );
  for (const preset of presets) {
    const s = presetSummary(preset);
    table.push([s.name, s.title, s.formats.join(', '), s.record_type ?? '-', kindText(s.kind, s.time_field)]);
  }
  return `${table.toString()}\n${presets.length} presets; \`isms-kpi presets NAME\` shows one preset's fields\n`;
}

function presetJson(preset: Preset): unknown {
  return {
    ...presetSummary(preset),
    variants: Object.fromEntries(
      variantsOf(preset).map(({ format, variant }) => [
        format,
        {
          kind: variant.kind,
          ...(variant.time_field ? { time_field: variant.time_field } : {}),
          ...(variant.record_type ? { record_type: variant.record_type } : {}),
          ...(variant.csv ? { csv: variant.csv } : {}),
          ...(variant.json ? { json: variant.json } : {}),
          signature: variant.signature,
          fields: presetFieldRows(variant, format),
        },
      ]),
    ),
    notes: preset.notes,
  };
}

async function renderOne(preset: Preset, format: PresetsFormat): Promise<string> {
  if (format === 'json') return `${JSON.stringify(presetJson(preset), null, 2)}\n`;
  if (format === 'markdown') return presetSection(preset);
  const lines = [`${preset.name}: ${preset.title}`];
  for (const { format: fileFormat, variant } of variantsOf(preset)) {
    lines.push('');
    const facts = [fileFormat.toUpperCase(), kindText(variant.kind, variant.time_field)];
    if (variant.record_type) facts.push(`record type ${variant.record_type}`);
    if (fileFormat === 'json')
      facts.push(`records at ${variant.json?.records ? variant.json.records : 'the top level'}`);
    if (variant.csv?.header_starts_with) facts.push(`header starts with ${variant.csv.header_starts_with}`);
    lines.push(facts.join(', '));
    const rows = presetFieldRows(variant, fileFormat);
    const hasFormats = rows.some((row) => row.format.length > 0);
    const table = await newTable(
      [
        'Field',
        fileFormat === 'json' ? 'JSON path' : 'Column',
        'Type',
        ...(hasFormats ? ['Format'] : []),
        'Notes',
      ],
      [null, 30, null, ...(hasFormats ? [24] : []), hasFormats ? 44 : 60],
    );
    for (const row of rows)
      table.push([
        row.isRequired ? `${row.field} *` : row.field,
        row.source.join(' or '),
        row.type,
        ...(hasFormats ? [row.format.join('\n')] : []),
        row.notes.join('; '),
      ]);
    lines.push(table.toString(), '* required');
  }
  if (preset.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of preset.notes) lines.push(`- ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length]!;
}

export async function presetsCommand(
  name: string | undefined,
  options: { format: PresetsFormat },
): Promise<number> {
  if (name === undefined) {
    out(await renderList(options.format));
    return EXIT_OK;
  }
  const preset = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!preset) {
    const isClose = (known: string) =>
      known.includes(name) ||
      (name.length > 3 && Math.min(distance(name, known), distance(name, known.slice(0, name.length))) <= 2);
    const close = PRESET_NAMES.filter(isClose);
    const hint =
      close.length > 0
        ? `did you mean ${close.join(', ')}?`
        : `known presets: ${[...PRESET_NAMES].sort().join(', ')}`;
    throw new IsmsKpiError(problem('usage', `unknown preset "${name}"; ${hint}`));
  }
  out(await renderOne(preset, options.format));
  return EXIT_OK;
}
