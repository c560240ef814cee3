/**
 * The output of `isms-kpi presets [NAME]`: the vendor exports isms-kpi reads without a mapping, or one
 * preset's fields and notes. The Markdown format is the same text as docs/presets.md.
 */
import { presetFieldRows, presetSummary, variantsOf } from '../presets/describe.js';
import type { Preset } from '../presets/types.js';
import { jsonText } from '../text.js';
import { layoutTable } from './layout.js';
import { presetIndex, presetSection } from './presets-doc.js';

export const PRESETS_FORMATS = ['table', 'json', 'markdown'] as const;
export type PresetsFormat = (typeof PRESETS_FORMATS)[number];

/** No rule between rows: a field list reads better dense. */
function table(head: string[], widths: (number | null)[], rows: string[][]): string {
  return layoutTable(rows, { head, widths, rowRules: false });
}

function kindText(kind: string, timeField: string | undefined): string {
  return timeField ? `${kind} (${timeField})` : kind;
}

export function renderPresetList(presets: readonly Preset[], format: PresetsFormat): string {
  if (format === 'json') return jsonText(presets.map(presetSummary));
  if (format === 'markdown') return presetIndex(presets);
  const rows = presets.map((preset) => {
    const s = presetSummary(preset);
    return [s.name, s.title, s.formats.join(', '), s.record_type ?? '-', kindText(s.kind, s.time_field)];
  });
  const list = table(
    ['Preset', 'Export', 'Formats', 'Record type', 'Kind'],
    [null, 48, null, null, null],
    rows,
  );
  return `${list}\n${presets.length} presets; \`isms-kpi presets NAME\` shows one preset's fields\n`;
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
          ...(variant.key !== undefined ? { key: variant.key } : {}),
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

export function renderPreset(preset: Preset, format: PresetsFormat): string {
  if (format === 'json') return jsonText(presetJson(preset));
  if (format === 'markdown') return presetSection(preset);
  const lines = [`${preset.name}: ${preset.title}`];
  for (const { format: fileFormat, variant } of variantsOf(preset)) {
    lines.push('');
    const facts = [fileFormat.toUpperCase(), kindText(variant.kind, variant.time_field)];
    if (variant.key !== undefined) facts.push(`key ${[variant.key].flat().join(' + ')}`);
    if (variant.record_type) facts.push(`record type ${variant.record_type}`);
    if (fileFormat === 'json')
      facts.push(`records at ${variant.json?.records ? variant.json.records : 'the top level'}`);
    if (variant.csv?.header_starts_with) facts.push(`header starts with ${variant.csv.header_starts_with}`);
    lines.push(facts.join(', '));
    const rows = presetFieldRows(variant, fileFormat);
    const hasFormats = rows.some((row) => row.format.length > 0);
    const fields = table(
      [
        'Field',
        fileFormat === 'json' ? 'JSON path' : 'Column',
        'Type',
        ...(hasFormats ? ['Format'] : []),
        'Notes',
      ],
      [null, 30, null, ...(hasFormats ? [24] : []), hasFormats ? 44 : 60],
      rows.map((row) => [
        row.isRequired ? `${row.field} *` : row.field,
        row.source.join(' or '),
        row.type,
        ...(hasFormats ? [row.format.join('\n')] : []),
        row.notes.join('; '),
      ]),
    );
    lines.push(fields, '* required');
  }
  if (preset.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of preset.notes) lines.push(`- ${note}`);
  }
  return `${lines.join('\n')}\n`;
}
