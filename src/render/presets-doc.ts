/**
 * docs/presets.md, generated from the preset registry (`npm run docs:presets`), so the page always says
 * what the code does. Pure: presets in, Markdown out; tests/presets/docs.test.ts fails when the
 * committed page differs from what this returns.
 */
import { type PresetFieldRow, presetFieldRows, presetSummary, variantsOf } from '../presets/describe.js';
import type { Preset, PresetVariant } from '../presets/types.js';

const FORMAT_NAMES = { csv: 'CSV', json: 'JSON' } as const;

/** Text for a table cell: one line, pipes escaped (also inside code spans, as GFM tables require). */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

const code = (text: string): string => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const kindText = (variant: PresetVariant): string =>
  variant.kind === 'events'
    ? `events (each row happens at a time, placed in a period by \`${variant.time_field ?? '?'}\`)`
    : 'snapshot (the state of things when the export was taken)';

const INTRO = `# Presets: vendor exports isms-kpi reads without a mapping

<!-- Generated from src/presets/ by \`npm run docs:presets\`. Do not edit by hand. -->

A **preset** is the reading plan for one vendor export: which columns (or JSON keys) hold what, how
dates, booleans and empty values are written, and the quirks of that export. Instead of mapping every
column of, say, a Nessus scan by hand, a source in \`metrics.yaml\` names the preset and the file:

\`\`\`yaml
sources:
  nessus:
    preset: nessus
    path: exports/nessus-{period}.csv
\`\`\`

The source then has the fields listed in the preset's table below (\`severity\`, \`asset\`, \`cvss\`,
...), and KPI formulas use those names: \`count(nessus, severity == "Critical")\`. The preset also sets
the source's kind (events or snapshot), its time field and its record type.

## Adjusting a preset

Everything you write next to \`preset:\` wins over the preset, key by key and field by field:

\`\`\`yaml
sources:
  incidents:
    preset: jira-issues
    path: exports/jira.csv
    fields:
      severity: "Custom field (Severity)"         # add a field the preset does not have
      opened: { column: "Custom field (Raised)" } # read one field from another column (the rest of its definition stays)
      summary: ~                                   # drop a field you do not need (~ is YAML for null)
    null_tokens: ["", "n/a"]                       # any other source key overrides the preset's
\`\`\`

- **Override one field**: give the field with only the keys you change (\`column\`, \`format\`,
  \`timezone\`, ...); the keys you leave out keep the preset's values. A plain text value
  (\`opened: Created\`) changes the CSV column only; for a JSON preset write the path:
  \`opened: { path: fields.created }\`.
- **Drop a field**: set it to \`~\`. Handy when a column your export lacks is marked required.
- **Add fields**: name them as in any source (see [the catalogue reference](catalogue.md)).
- **File format**: a preset with a CSV and a JSON variant picks one from the file extension;
  write \`format: csv\` or \`format: json\` when the extension does not say.
- **Codes and labels**: where an export writes codes (Qualys severities 1 to 5, the state and
  priority codes of a ServiceNow JSON export), the preset reads them as their names with \`map:\`
  ([catalogue reference, 2.2](catalogue.md#22-field-keys)), so a formula compares names and works for
  the CSV and the JSON variant alike. Add your own codes the same way:
  \`state: { map: { "9": "Waiting for vendor" } }\` (the map replaces the preset's).
- **Columns your export does not have**: a preset maps every column a vendor's export may have; a
  default export lacks some. A missing optional column that no KPI reads is no warning: \`validate\`
  lists such columns on one \`info:\` line per source. One that a KPI reads is a warning (its values
  would all be empty).

## Which preset fits my file? \`isms-kpi detect\`

\`isms-kpi detect FILE...\` reads the header of a CSV (or the first record of a JSON export), compares it
with every preset and prints the best match, how sure it is, the columns a preset expects that are
missing, the columns it does not know, and a snippet to paste into \`metrics.yaml\`:

\`\`\`sh
npx isms-kpi detect exports/scan.csv exports/users.json
npx isms-kpi presets              # the list below
npx isms-kpi presets nessus       # one preset's fields and notes
\`\`\`

A match of 90 % or more means every column that identifies the export is there. Below 90 %, some are
missing: the preset may still read the file, but check the fields that come from the missing columns.
When the header is not on the first line (a report title or an export date above it), the snippet
says how many lines to skip (\`csv: { skip_lines: N }\`). When no preset matches, \`detect\` names the
closest one and the columns it lacks; \`init --from\` takes every file \`detect\` suggests a preset for
that can read it (a match below 90 % whose missing columns back no required field, such as a
leavers-only HR list without an event column), and otherwise names the closest preset in the same
terms.
`;

function formatsText(preset: Preset): string {
  return variantsOf(preset)
    .map((v) => FORMAT_NAMES[v.format])
    .join(', ');
}

function fieldTable(rows: PresetFieldRow[], format: 'csv' | 'json'): string[] {
  const heading = format === 'json' ? 'JSON path' : 'Vendor column';
  const lines = [`| Field | ${heading} | Type | Notes |`, '| --- | --- | --- | --- |'];
  for (const row of rows) {
    const notes = [...row.notes];
    if (row.format.length > 0) notes.push(`format ${row.format.map(code).join(', ')}`);
    const name = row.isRequired ? `\`${row.field}\` (required)` : `\`${row.field}\``;
    lines.push(
      `| ${cell(name)} | ${cell(row.source.map(code).join(' or '))} | ${row.type} | ${cell(notes.join('; '))} |`,
    );
  }
  return lines;
}

function variantFacts(variant: PresetVariant, format: 'csv' | 'json'): string[] {
  const facts = [`- Kind: ${kindText(variant)}`];
  if (variant.key !== undefined)
    facts.push(
      `- Key (identifies a row, shown first by \`explain\`): ${[variant.key].flat().map(code).join(' + ')}`,
    );
  if (variant.record_type) facts.push(`- Record type: \`${variant.record_type}\``);
  if (format === 'json') {
    const pointer = variant.json?.records ?? '';
    facts.push(
      `- Records: ${pointer === '' ? 'the top-level array' : `the array at \`${pointer}\` (JSON pointer)`}`,
    );
  }
  const csv = variant.csv;
  if (format === 'csv' && csv) {
    if (csv.header_starts_with)
      facts.push(`- Header: the first line that starts with ${code(csv.header_starts_with)}`);
    if (csv.skip_lines) facts.push(`- Lines skipped before the header: ${csv.skip_lines}`);
    if (csv.delimiter && csv.delimiter !== 'auto') facts.push(`- Delimiter: ${code(csv.delimiter)}`);
    if (csv.encoding && csv.encoding !== 'auto') facts.push(`- Encoding: ${csv.encoding}`);
  }
  if (variant.null_tokens)
    facts.push(
      `- Read as no value: ${variant.null_tokens.map((t) => (t === '' ? 'an empty cell' : code(t))).join(', ')}`,
    );
  if (variant.true_values) facts.push(`- True: ${variant.true_values.map(code).join(', ')}`);
  if (variant.false_values) facts.push(`- False: ${variant.false_values.map(code).join(', ')}`);
  if (variant.duplicates === 'drop-exact') facts.push('- Exact duplicate rows are dropped');
  const anyOf = (names: string | string[]) =>
    Array.isArray(names) ? names.map(code).join(' or ') : code(names);
  facts.push(`- Recognised by \`detect\` from: ${variant.signature.required.map(anyOf).join(', ')}`);
  return facts;
}

/** One preset's section: facts, a field table per format, then the quirk notes. */
export function presetSection(preset: Preset): string {
  const lines = [`## ${preset.name}`, '', `**${preset.title}**`, ''];
  const variants = variantsOf(preset);
  for (const { format, variant } of variants) {
    if (variants.length > 1) lines.push(`### ${FORMAT_NAMES[format]}`, '');
    lines.push(...variantFacts(variant, format), '');
    lines.push(...fieldTable(presetFieldRows(variant, format), format), '');
  }
  if (preset.notes.length > 0) {
    lines.push(variants.length > 1 ? '### Notes' : '**Notes**', '');
    for (const note of preset.notes) lines.push(`- ${note}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The list of presets as a Markdown table (also `isms-kpi presets --format markdown`). */
export function presetIndex(presets: readonly Preset[], { isLinked = false } = {}): string {
  const lines = ['| Preset | Export | Formats | Record type | Kind |', '| --- | --- | --- | --- | --- |'];
  for (const preset of presets) {
    const s = presetSummary(preset);
    const name = isLinked ? `[\`${s.name}\`](#${anchor(s.name)})` : `\`${s.name}\``;
    lines.push(
      `| ${name} | ${cell(s.title)} | ${formatsText(preset)} | ${s.record_type ?? '–'} | ${s.kind}${s.time_field ? ` (\`${s.time_field}\`)` : ''} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The whole page. Presets in name order, so the page does not change when the registry is reordered. */
export function presetsMarkdown(presets: readonly Preset[]): string {
  const sorted = [...presets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const parts = [INTRO, `## The presets\n\n${presetIndex(sorted, { isLinked: true })}`];
  for (const preset of sorted) parts.push(presetSection(preset));
  return `${parts.join('\n').trimEnd()}\n`;
}
