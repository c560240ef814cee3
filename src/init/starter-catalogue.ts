/**
 * The starter catalogue of `isms-kpi init --from DIR`: the recognised exports as sources with their
 * presets, and every KPI of the library those sources can compute, as YAML text a person reviews. Pure:
 * detection results in, text out. Owners and thresholds are marked as placeholders, in the text itself,
 * because a starter catalogue that looks finished would be reported on unreviewed.
 */
import { stringify } from 'yaml';
import { presetFormat } from '../presets/apply.js';
import { absentFields, type DetectResult, type PresetMatch } from '../presets/detect.js';
import { PRESETS } from '../presets/index.js';
import { hasTokenSyntax } from '../sources/path-template.js';
import { QUOTE_MAX, safeText, truncate } from '../text.js';
import { dateInFileName } from '../time/file-name-date.js';
import type { FileUnit } from '../time/period.js';
import { localDate } from '../time/zone.js';
import { fitTemplate, KPI_LIBRARY, type KpiTemplate, SOURCE_NOTES } from './kpi-library.js';
import { periodTemplate } from './period-groups.js';

export interface StarterFile {
  /** The file's path relative to the catalogue's folder, with forward slashes. */
  path: string;
  detection: DetectResult;
  /** The file's modification time (epoch ms), when known: the as-of a snapshot is offered for review. */
  modified?: number;
}

export interface StarterSource {
  name: string;
  preset: string;
  /** The file's path, or the template of a family of per-period files (period-groups.ts). */
  path: string;
  match: PresetMatch;
  modified?: number;
  /** Fields of the preset whose columns the export lacks: no starter KPI reads them. */
  absent: string[];
  /** A family of per-period files: the files, and the unit of one (`one_file_per:`). */
  family?: { files: string[]; labels: string[]; unit: FileUnit };
}

export interface StarterKpi {
  id: string;
  source: string;
}

export interface StarterCatalogue {
  text: string;
  sources: StarterSource[];
  kpis: StarterKpi[];
  /** Files no preset reads completely, with the reason. */
  skipped: { path: string; reason: string }[];
  /** KPIs not written again for a second source of the same preset: the id, that source, the first one's. */
  repeats: { id: string; source: string; sameAs: string }[];
}

/** Source names by preset; a second file of the same kind gets `_2`, and so on. */
const SOURCE_NAMES: Readonly<Record<string, string>> = {
  'jira-issues': 'incidents',
  'servicenow-incident': 'incidents',
  'servicenow-change': 'changes',
  'aws-iam-credential-report': 'aws_iam',
  'entra-users': 'entra_users',
  'okta-users': 'okta_users',
  'okta-password-health': 'okta_password_health',
  'hr-joiners-leavers': 'jml_events',
  'veeam-sessions': 'backups',
  'veeam-em-sessions': 'backups',
  'restic-snapshots': 'restic_snapshots',
  nessus: 'nessus',
  'tenable-sc': 'tenable_sc',
  'qualys-scan': 'qualys',
  'defender-vulnerabilities': 'defender_vulnerabilities',
  'dependabot-alerts': 'dependabot',
};

export const PLACEHOLDER_THRESHOLD = '# review: placeholder threshold';
export const AS_OF_REVIEW = '# review';
export const OWNER_PLACEHOLDER = 'TODO:';

/**
 * One line of YAML for a scalar: plain where YAML allows it, quoted where it does not. Text with a line
 * break or another control character or a bidi override (a file name may hold any) is written
 * double-quoted with JSON escapes, every such character escaped (`\u009b`, as jsonText does), which YAML
 * reads the same: the catalogue is inert in a terminal and names the file exactly.
 */
const scalar = (value: string): string => {
  const text = stringify(value, { lineWidth: 0 }).trimEnd();
  return text.includes('\n') || safeText(value) !== value ? safeText(JSON.stringify(value)) : text;
};

function baseName(preset: string): string {
  return Object.hasOwn(SOURCE_NAMES, preset)
    ? SOURCE_NAMES[preset]!
    : preset.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
}

function skipReason(detection: DetectResult): string {
  if (detection.problem) return detection.problem;
  const partial = detection.best ?? detection.closest;
  const header = detection.header.slice(0, 8).join(', ') + (detection.header.length > 8 ? ', ...' : '');
  if (partial)
    return `closest preset ${partial.preset} (${Math.round(partial.confidence * 100)} %) lacks ${partial.missing.join('; ')} (header: ${header})`;
  return `header: ${header || '(none)'}`;
}

/**
 * Whether the preset reads the file: every column its signature requires is there, or the ones missing
 * back no required field (detect's "the preset may still read the file; fields from missing columns stay
 * empty"). Needs the header to tell.
 */
function isReadable(detection: DetectResult, best: PresetMatch): boolean {
  if (best.missing.length === 0) return true;
  const variant = PRESETS[best.preset]?.formats[best.format];
  if (!variant || detection.header.length === 0) return false;
  const absent = new Set(absentFields(variant, detection.header, best.format));
  return Object.entries(variant.fields).every(
    ([name, field]) => typeof field === 'string' || field.required !== true || !absent.has(name),
  );
}

/** The preset's fields the file lacks (none when its header is unknown). */
function absentOf(detection: DetectResult, best: PresetMatch): string[] {
  const variant = PRESETS[best.preset]?.formats[best.format];
  if (!variant || detection.header.length === 0) return [];
  return absentFields(variant, detection.header, best.format);
}

function chooseSources(files: readonly StarterFile[]): {
  sources: StarterSource[];
  skipped: StarterCatalogue['skipped'];
} {
  const sources: StarterSource[] = [];
  const skipped: StarterCatalogue['skipped'] = [];
  const used = new Map<string, number>();
  // Files of one family (the same template, preset and format) become one source, at the first's place.
  const families = new Map<string, StarterSource>();
  const templates = new Map<StarterSource, string>();
  for (const file of files) {
    // A source path reads `{period}` as the period label; a file whose name holds it could not be named.
    if (hasTokenSyntax(file.path)) {
      skipped.push({
        path: file.path,
        reason:
          'its name contains text in braces like a period token ("{period}", "{quarter}", ...), which a source path fills in; rename the file',
      });
      continue;
    }
    const best = file.detection.best;
    // A partial match is used when the preset can still read the file (the columns it lacks back no
    // required field: a leavers-only list has no event column), as `detect` says; otherwise it would
    // fail on its first row: list it, do not use it.
    if (!best || !Object.hasOwn(PRESETS, best.preset) || !isReadable(file.detection, best)) {
      skipped.push({ path: file.path, reason: skipReason(file.detection) });
      continue;
    }
    const period = periodTemplate(file.path);
    const key = period ? `${period.template}\u0000${best.preset}\u0000${best.format}` : undefined;
    const family = key === undefined ? undefined : families.get(key);
    if (family?.family && period) {
      family.family.files.push(file.path);
      family.family.labels.push(period.label);
      continue;
    }
    const base = baseName(best.preset);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    const source: StarterSource = {
      name: n === 1 ? base : `${base}_${n}`,
      preset: best.preset,
      path: file.path,
      match: best,
      absent: absentOf(file.detection, best),
      ...(file.modified !== undefined ? { modified: file.modified } : {}),
      ...(period ? { family: { files: [file.path], labels: [period.label], unit: period.unit } } : {}),
    };
    if (key !== undefined && period) {
      families.set(key, source);
      templates.set(source, period.template);
    }
    sources.push(source);
  }
  // A family of one file keeps its literal path (and its as-of rule); two or more read one file per period.
  for (const source of sources) {
    const template = templates.get(source);
    if (source.family && source.family.files.length > 1 && template !== undefined) source.path = template;
    else delete source.family;
  }
  return { sources, skipped };
}

interface PlannedKpi {
  id: string;
  template: KpiTemplate;
  source: string;
  formula: string;
  /** The template feeds more than one source here, so the name says which. */
  isShared: boolean;
}

function planKpis(sources: readonly StarterSource[]): {
  planned: PlannedKpi[];
  repeats: StarterCatalogue['repeats'];
} {
  const planned: PlannedKpi[] = [];
  const repeats: StarterCatalogue['repeats'] = [];
  for (const template of KPI_LIBRARY) {
    const fits: { source: string; formula: string }[] = [];
    // The same KPI over a second export of the same preset is the same number twice: written once.
    const byPreset = new Map<string, string>();
    for (const source of sources) {
      const variant = PRESETS[source.preset]!.formats[source.match.format];
      if (!variant) continue;
      const fit = fitTemplate(template, source.preset, variant, source.name, source.absent);
      if (!fit) continue;
      const first = byPreset.get(source.preset);
      if (first !== undefined) {
        repeats.push({ id: template.id, source: source.name, sameAs: first });
        continue;
      }
      byPreset.set(source.preset, source.name);
      fits.push({ source: source.name, formula: fit.formula });
    }
    fits.forEach((fit, i) => {
      planned.push({
        id: i === 0 ? template.id : `${template.id}.${i + 1}`,
        template,
        source: fit.source,
        formula: fit.formula,
        isShared: fits.length > 1,
      });
    });
  }
  return { planned, repeats };
}

function sourceLines(source: StarterSource): string[] {
  const preset = PRESETS[source.preset]!;
  const lines = [
    `  ${source.name}:`,
    `    description: ${scalar(preset.title)}`,
    `    preset: ${source.preset}`,
    `    path: ${scalar(source.path)}`,
  ];
  // The preset's format follows the extension; a JSON export saved as .txt needs saying.
  if (presetFormat({ path: source.path }, preset) !== source.match.format)
    lines.push(`    format: ${source.match.format}`);
  if (source.family) {
    const shown = source.family.files.slice(0, 6).map((f) => safeText(truncate(f, QUOTE_MAX)));
    lines.push(
      `    one_file_per: ${source.family.unit}   # one file per ${source.family.unit}: ${shown.join(', ')}${source.family.files.length > 6 ? ', ...' : ''}`,
    );
  }
  if (preset.formats[source.match.format]?.kind === 'snapshot') lines.push(...asOfLines(source));
  const note = Object.hasOwn(SOURCE_NOTES, source.preset) ? SOURCE_NOTES[source.preset] : undefined;
  if (note) lines.push(...wrap(note, 96).map((line) => `    # ${line}`));
  if (source.match.missing.length > 0)
    lines.push(
      `    # the export lacks ${safeText(truncate(source.match.missing.join('; '), 200))}: those fields stay empty`,
    );
  if (source.match.extra.length > 0) {
    // Header names are the export's: one line each in the comment (a line break would end it), cut short.
    const names = source.match.extra.slice(0, 6).map((name) => safeText(truncate(name, QUOTE_MAX)));
    const extra = names.join(', ') + (source.match.extra.length > 6 ? ', ...' : '');
    lines.push(`    # columns the preset does not read: ${extra}`);
  }
  return lines;
}

/**
 * A snapshot needs to say when it was taken, or its KPIs are stale (docs/catalogue.md, "As of"): a date in
 * the file name says it (nothing to write); else the file's modification date is offered for review, since
 * a copy resets it; else the key is left for the user to fill in.
 */
function asOfLines(source: StarterSource): string[] {
  if (source.family)
    return ['    as_of: period_end   # each file is the state at the end of the period its path names'];
  const named = dateInFileName(source.path);
  if (named) return [`    # as of ${named}, the date in the file name`];
  if (source.modified === undefined)
    return [
      `    # as_of: YYYY-MM-DD   ${AS_OF_REVIEW}: the day the export was taken (until then its KPIs are stale)`,
    ];
  const day = localDate('UTC', source.modified);
  return [
    `    as_of: ${day}   ${AS_OF_REVIEW}: the file's modification date; confirm the day the export was taken`,
  ];
}

/** Words into lines of at most `width` characters, for comments. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function kpiLines(kpi: PlannedKpi): string[] {
  const t = kpi.template;
  const lines = [
    `  - id: ${kpi.id}`,
    `    name: ${scalar(kpi.isShared ? `${t.name} — ${kpi.source}` : t.name)}`,
  ];
  if (t.description) lines.push(`    description: ${scalar(t.description)}`);
  lines.push(
    `    area: ${scalar(t.area)}`,
    `    owner: ${scalar(`${OWNER_PLACEHOLDER} ${t.owner}`)}`,
    `    cadence: ${t.cadence}`,
    `    unit: ${scalar(t.unit)}`,
    `    tier: ${t.tier}`,
    `    controls: [${t.controls.join(', ')}]`,
    `    formula: ${scalar(kpi.formula)}`,
  );
  if (t.thresholds) {
    const bands = [`green: ${JSON.stringify(t.thresholds.green)}`];
    if (t.thresholds.amber) bands.push(`amber: ${JSON.stringify(t.thresholds.amber)}`);
    lines.push(`    thresholds: { ${bands.join(', ')} }   ${PLACEHOLDER_THRESHOLD}`);
  }
  if (t.segment_by) lines.push(`    segment_by: ${t.segment_by}`);
  if (t.decimals !== undefined) lines.push(`    decimals: ${t.decimals}`);
  return lines;
}

const HEADER = (from: string) => [
  `# Starter KPI catalogue written by \`isms-kpi init --from ${safeText(from)}\`.`,
  '#',
  '# It is a draft: review it before anyone relies on its numbers.',
  "#   - organisation: your organisation's name.",
  `#   - owner: each KPI's owner reads "${OWNER_PLACEHOLDER} <suggested role>"; name the accountable person or role.`,
  `#   - thresholds marked "${PLACEHOLDER_THRESHOLD}" are generic defaults: set the targets of`,
  '#     your information security objectives (ISO 27001 clause 6.2).',
  '#   - kpis: keep those that measure your objectives and risks, delete the others.',
  '#   - sources: the files were recognised by their columns; check each preset fits the export, and',
  '#     that each snapshot says the day it was taken (as_of, "# review"); a snapshot that does not is stale.',
  '#',
  '# Check it with `isms-kpi validate`, then run `isms-kpi report` (`--period 2026-Q3` and the like choose',
  '# the period; without it, the last complete quarter is reported).',
  '# Every key and formula function is documented in docs/catalogue.md.',
];

export function starterCatalogue(files: readonly StarterFile[], from: string): StarterCatalogue {
  const { sources, skipped } = chooseSources(files);
  const { planned: kpis, repeats } = planKpis(sources);
  const lines: string[] = [...HEADER(from), ''];
  lines.push(
    `organisation: ${scalar(`${OWNER_PLACEHOLDER} your organisation`)}`,
    '# Zone of period boundaries and of dates written without a zone. UTC is a placeholder: use yours,',
    '# e.g. Europe/Berlin, so that a quarter starts at your local midnight.',
    'timezone: UTC',
    'fiscal_year_start: 1   # month (1-12) your fiscal year starts in',
    '',
    'sources:',
  );
  if (sources.length === 0) lines.push('  {}');
  sources.forEach((source, i) => {
    if (i > 0) lines.push('');
    lines.push(...sourceLines(source));
    if (!kpis.some((k) => k.source === source.name))
      lines.push('    # no KPI of the built-in library reads this source yet: write your own below');
  });
  if (skipped.length > 0) {
    lines.push('');
    for (const s of skipped)
      lines.push(`  # not recognised: ${safeText(s.path)} (${safeText(s.reason.replace(/\s+/g, ' '))})`);
  }
  lines.push('', 'kpis:');
  let area: string | undefined;
  for (const kpi of kpis) {
    if (kpi.template.area !== area) {
      area = kpi.template.area;
      lines.push(`  # --- ${area} ${'-'.repeat(Math.max(3, 90 - area.length))}`);
    }
    lines.push(...kpiLines(kpi), '');
  }
  if (kpis.length === 0) lines.push('  []', '');
  return {
    text: `${lines.join('\n').trimEnd()}\n`,
    sources,
    kpis: kpis.map((k) => ({ id: k.id, source: k.source })),
    skipped,
    repeats,
  };
}
