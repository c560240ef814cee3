/**
 * Everything that can be checked before any data is read: sources and their fields, record types,
 * thresholds, formulas (names, types, safety), segment fields and cycles between derived KPIs.
 *
 * Linear in the number of KPIs: the set of KPI ids is built once and shared by every formula check (a
 * KPI's use of its own id is refused by the checker, which is told whose formula it checks), and the
 * evaluation order is one depth-first search (kpi-order.ts). The checks of sources live in
 * source-checks.ts, threshold bands in thresholds.ts.
 */

import { createHash } from 'node:crypto';
import { type CheckEnv, checkFormula, type SourceShape } from '../formula/check.js';
import type { CheckedFormula } from '../formula/ir.js';
import { type Location, type Problem, problem } from '../problems.js';
import type { ResolvedSource } from '../sources/resolve.js';
import { quote, safeText } from '../text.js';
import { parsePeriod } from '../time/period.js';
import { isValidTimeZone } from '../time/zone.js';
import { type Action, actionTargets, checkActions } from './actions.js';
import { evaluationOrder } from './kpi-order.js';
import type { ParsedCatalogue } from './parse.js';
import {
  checkExceptions,
  checkLifecycles,
  checkManual,
  checkProgramme,
  type ExceptionTarget,
  type ManualEntry,
  segmentProblem as segmentKeyProblem,
} from './programme-checks.js';
import type {
  CatalogueConfig,
  DocumentConfig,
  ExceptionConfig,
  KpiConfig,
  ObjectiveConfig,
} from './schema.js';
import { resolveSources } from './source-checks.js';
import { compileThresholds, type Thresholds } from './thresholds.js';

export interface CompiledKpi {
  config: KpiConfig;
  /** Position in the catalogue, for stable ordering. */
  index: number;
  formula: CheckedFormula;
  thresholds: Thresholds | null;
  /** The segment_by fields, in order (one field given as text is a list of one; none: empty). */
  segmentBy: string[];
  /** Segments judged by thresholds of their own (`segment_thresholds`), by segment key. */
  segmentThresholds: Map<string, Thresholds>;
  /** sha256 of the fields that define what the number means (formula, thresholds, unit, sources). */
  definitionHash: string;
  /** Where the formula starts in the catalogue, for problems found while evaluating it. */
  formulaAt?: Location;
}

/** The catalogue's `document:` block, as the report carries it (docs/catalogue.md, "Document control"). */
export interface DocumentControl {
  title?: string;
  classification?: string;
  version?: string;
  owner?: string;
  approver?: string;
  distribution?: string[];
  /** yyyy-MM-dd. */
  nextReview?: string;
}

export interface Catalogue {
  file: string;
  dir: string;
  sha256: string;
  organisation: string;
  document?: DocumentControl;
  timezone: string;
  fiscalYearStart: number;
  period: string | undefined;
  sources: Map<string, ResolvedSource>;
  kpis: CompiledKpi[];
  /**
   * Per source, the fields the catalogue reads: in any KPI's formula or segments, the time and as-of
   * fields, the key. An optional field outside it whose column is absent is noted, not warned about.
   */
  fieldsUsed: Map<string, Set<string>>;
  /** KPI ids in an order where each comes after the KPIs it uses. */
  evaluationOrder: string[];
  /** The `objectives:` block, in catalogue order. */
  objectives: ObjectiveConfig[];
  /** The `exceptions:` block, in catalogue order. */
  exceptions: ExceptionConfig[];
  /** The `actions:` block (corrective actions), in catalogue order; actions.yaml is read by the app. */
  actions: Action[];
  /** `actions: { file }`: the file the block was read from (absolute; set by the loader, src/app/catalogue.ts). */
  actionsFile?: string;
  /** The `manual:` block, in catalogue order, each period as the report labels it. */
  manual: ManualEntry[];
  /** `significance:` (alpha or 'off'); absent: the default level (src/report/significance.ts). */
  significance?: number | 'off';
  /** `escalate_after:` of the catalogue; absent: the default (src/report/persistence.ts). */
  escalateAfter?: number;
  /**
   * Located warnings of a catalogue that loads: control references without a namespace that are not
   * ISO/IEC 27001:2022 Annex A controls (src/catalogue/programme-checks.ts).
   */
  warnings: Problem[];
}

export function compileCatalogue(
  parsed: ParsedCatalogue,
  dir: string,
): { ok: true; catalogue: Catalogue } | { ok: false; problems: Problem[] } {
  const { config, file } = parsed;
  const problems: Problem[] = [];
  const at = (path: (string | number)[]) => parsed.locate(path);

  checkSettings(config, at, problems);
  // `exceptions: { file }` is read by the loader (src/app/exceptions-file.ts), which hands over the list.
  if (!Array.isArray(config.exceptions))
    problems.push(
      problem(
        'catalogue-schema',
        `exceptions: the file ${quote(config.exceptions.file)} is read when the catalogue is loaded from disk; compile the catalogue with its rows`,
        at(['exceptions', 'file']),
      ),
    );
  const sources = resolveSources(config, dir, at, problems);
  const ids = kpiIds(config, at, problems);
  const warnings: Problem[] = [];
  checkProgramme(config, at, problems, warnings);
  // An unknown time zone is reported by checkSettings; formulas are still checked (their date literals
  // in UTC) so that their own problems are reported too, instead of a crash on the zone.
  const tz = isValidTimeZone(config.timezone) ? config.timezone : 'UTC';
  const manual = checkManual(config, tz, at, problems);
  const env: CheckEnv = {
    sources: sourceShapes(sources),
    kpis: ids,
    manual: new Set(config.manual.map((m) => m.measure)),
    tz,
  };
  const kpis: CompiledKpi[] = [];
  config.kpis.forEach((kpi, index) => {
    const compiled = compileKpi(kpi, index, parsed, env, sources);
    if ('problem' in compiled) problems.push(compiled.problem);
    else kpis.push(compiled);
  });

  checkLifecycles(
    kpis.map((k) => ({
      id: k.config.id,
      index: k.index,
      lifecycle: k.config.lifecycle,
      uses: k.formula.kpis,
    })),
    at,
    problems,
  );
  // Exceptions are checked against KPIs that compiled (a KPI that did not has its own problem).
  const targets = exceptionTargets(kpis, sources);
  checkExceptions(config, targets, at, problems);
  checkSegmentThresholds(kpis, targets, at, problems);
  // `actions: { file }` is read by the loader (src/app/catalogue.ts), which hands over the list.
  if (!Array.isArray(config.actions))
    problems.push(
      problem(
        'catalogue-schema',
        `actions: the file ${quote(config.actions.file)} is read when the catalogue is loaded from disk; compile the catalogue with its actions`,
        at(['actions', 'file']),
      ),
    );
  const actions = checkActions(
    Array.isArray(config.actions) ? config.actions : [],
    actionTargets(config.kpis),
    (i, key) => at(['actions', i, key]),
  );
  if (!actions.ok) problems.push(...actions.problems);
  const order = evaluationOrder(kpis.map((k) => ({ id: k.config.id, uses: k.formula.kpis })));
  if ('cycle' in order) {
    const first = kpis.find((k) => k.config.id === order.cycle[0])!;
    problems.push(
      problem(
        'kpi-cycle',
        `kpi ${first.config.id}: derived KPIs use each other in a cycle: ${order.cycle.join(' -> ')}`,
        at(['kpis', first.index, 'formula']),
      ),
    );
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    catalogue: {
      file,
      dir,
      sha256: parsed.sha256,
      organisation: config.organisation,
      ...(config.document ? { document: documentControl(config.document) } : {}),
      timezone: config.timezone,
      fiscalYearStart: config.fiscal_year_start,
      period: config.period,
      sources,
      kpis,
      fieldsUsed: fieldsUsed(sources, kpis),
      evaluationOrder: 'order' in order ? order.order : [],
      objectives: config.objectives,
      exceptions: Array.isArray(config.exceptions) ? config.exceptions : [],
      actions: actions.ok ? actions.actions : [],
      manual,
      ...(config.significance !== undefined ? { significance: config.significance } : {}),
      ...(config.escalate_after !== undefined ? { escalateAfter: config.escalate_after } : {}),
      warnings,
    },
  };
}

/** The fields of each source that the catalogue reads (Catalogue.fieldsUsed). */
function fieldsUsed(
  sources: Map<string, ResolvedSource>,
  kpis: readonly CompiledKpi[],
): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  for (const source of sources.values()) {
    const fields = new Set<string>(source.key);
    if (source.timeField) fields.add(source.timeField);
    if (source.config.as_of_field) fields.add(source.config.as_of_field);
    used.set(source.name, fields);
  }
  for (const kpi of kpis) {
    for (const [name, fields] of kpi.formula.fields) for (const f of fields) used.get(name)?.add(f);
    for (const name of kpi.formula.sources) {
      const own = new Set(sources.get(name)?.fields.map((f) => f.name));
      for (const f of kpi.segmentBy) if (own.has(f)) used.get(name)?.add(f);
    }
  }
  return used;
}

/** The `document:` block with the report's key names, in a fixed order (the JSON report's key order). */
function documentControl(config: DocumentConfig): DocumentControl {
  const { title, classification, version, owner, approver, distribution } = config;
  const entries = Object.entries({
    title,
    classification,
    version,
    owner,
    approver,
    distribution,
    nextReview: config.next_review,
  }).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries) as DocumentControl;
}

/** Each segment of `segment_thresholds` must be one the KPI can have (programme-checks.ts). */
function checkSegmentThresholds(
  kpis: readonly CompiledKpi[],
  targets: Map<string, ExceptionTarget>,
  at: (path: (string | number)[]) => Location,
  problems: Problem[],
): void {
  for (const kpi of kpis) {
    for (const segment of kpi.segmentThresholds.keys()) {
      const wrong = segmentKeyProblem(targets.get(kpi.config.id)!, segment);
      if (wrong)
        problems.push(
          problem(
            'catalogue-schema',
            `kpi ${kpi.config.id}: segment_thresholds: ${wrong}`,
            at(['kpis', kpi.index, 'segment_thresholds', segment]),
          ),
        );
    }
  }
}

/** Each KPI with its segment fields and, for each, the enum values every source it reads declares. */
function exceptionTargets(
  kpis: readonly CompiledKpi[],
  sources: Map<string, ResolvedSource>,
): Map<string, ExceptionTarget> {
  return new Map(
    kpis.map((k) => {
      const read = [...new Set(k.formula.aggregates.map((a) => a.source))];
      const segmentValues = k.segmentBy.map((field) => {
        const specs = read.flatMap((name) => sources.get(name)?.fields.filter((f) => f.name === field) ?? []);
        if (specs.length === 0 || specs.some((f) => f.type !== 'enum')) return undefined;
        return [...new Set(specs.flatMap((f) => (f.type === 'enum' ? f.values : [])))];
      });
      return [
        k.config.id,
        { id: k.config.id, segmentBy: k.segmentBy, lifecycle: k.config.lifecycle, segmentValues },
      ];
    }),
  );
}

/** The catalogue's time zone, and its period when it names one. */
function checkSettings(
  config: CatalogueConfig,
  at: (path: (string | number)[]) => Location,
  problems: Problem[],
): void {
  if (!isValidTimeZone(config.timezone)) {
    problems.push(
      problem(
        'catalogue-schema',
        `timezone: unknown time zone ${quote(config.timezone)} (use an IANA name such as Europe/Berlin or UTC)`,
        at(['timezone']),
      ),
    );
  } else if (config.period !== undefined) {
    const period = parsePeriod(config.period, {
      tz: config.timezone,
      fiscalYearStartMonth: config.fiscal_year_start,
    });
    if (!period.ok) problems.push(problem('catalogue-schema', `period: ${period.message}`, at(['period'])));
  }
}

/** What formulas may read of each source: its kind, its fields and their types, enum values. */
function sourceShapes(sources: Map<string, ResolvedSource>): Map<string, SourceShape> {
  return new Map<string, SourceShape>(
    [...sources.values()].map((s) => [
      s.name,
      {
        name: s.name,
        kind: s.kind,
        fields: new Map(s.fields.map((f) => [f.name, f.type])),
        enums: new Map(s.fields.filter((f) => f.type === 'enum').map((f) => [f.name, f.values])),
      },
    ]),
  );
}

/** The set of KPI ids (built once); a repeated id is a problem at its second use. */
function kpiIds(
  config: CatalogueConfig,
  at: (path: (string | number)[]) => Location,
  problems: Problem[],
): Set<string> {
  const ids = new Set<string>();
  config.kpis.forEach((kpi, index) => {
    if (ids.has(kpi.id)) {
      problems.push(
        problem(
          'catalogue-schema',
          `kpi ${kpi.id}: duplicate id (ids must be unique; reports and diffs are keyed on them)`,
          at(['kpis', index, 'id']),
        ),
      );
    }
    ids.add(kpi.id);
  });
  return ids;
}

/** One KPI: its formula checked, its thresholds parsed, its segment field found; or the first problem. */
function compileKpi(
  kpi: KpiConfig,
  index: number,
  parsed: ParsedCatalogue,
  env: CheckEnv,
  sources: Map<string, ResolvedSource>,
): CompiledKpi | { problem: Problem } {
  const where = (key: string) => parsed.locate(['kpis', index, key]);
  const checked = checkFormula(kpi.formula, { ...env, self: kpi.id });
  if (!checked.ok) {
    const { span } = checked.error;
    // The line and column of the offending part, in any scalar style (a `>-` block too); where the file
    // does not hold the formula's characters as they are (escapes), where the formula starts, and the
    // message says so.
    const at = parsed.formulaStart(index, span.start);
    return {
      problem: problem(
        checked.error.code,
        at.exact
          ? `kpi ${kpi.id}: ${checked.error.message}`
          : `kpi ${kpi.id}: in the formula starting on line ${at.line}: ${checked.error.message}`,
        { file: parsed.file, line: at.line, col: at.col },
        'error',
        caret(kpi.formula, span.start, span.end),
      ),
    };
  }
  const formula = checked.formula;
  const thresholds = kpi.thresholds ? compileThresholds(kpi.thresholds) : null;
  if (typeof thresholds === 'string') {
    return {
      problem: problem('catalogue-schema', `kpi ${kpi.id}: thresholds: ${thresholds}`, where('thresholds')),
    };
  }
  // `direction: higher` with `<= 5` thresholds would call a move to red an improvement.
  if (
    thresholds &&
    (kpi.direction === 'higher' || kpi.direction === 'lower') &&
    thresholds.direction !== 'target' &&
    thresholds.direction !== kpi.direction
  ) {
    return {
      problem: problem(
        'catalogue-schema',
        `kpi ${kpi.id}: direction: ${kpi.direction} contradicts the thresholds (${thresholds.green.text}: ${thresholds.direction} is better); write direction: ${thresholds.direction}, none, or leave it out`,
        where('direction'),
      ),
    };
  }
  const segmentBy = segmentFields(kpi.segment_by);
  const segmentProblem = checkSegmentBy(kpi.id, segmentBy, formula, env);
  if (segmentProblem) return { problem: problem('catalogue-schema', segmentProblem, where('segment_by')) };
  const segmentThresholds = new Map<string, Thresholds>();
  for (const [segment, bands] of Object.entries(kpi.segment_thresholds ?? {})) {
    const compiled = compileThresholds(bands);
    if (typeof compiled === 'string')
      return {
        problem: problem(
          'catalogue-schema',
          `kpi ${kpi.id}: segment_thresholds: ${quote(segment)}: ${compiled}`,
          parsed.locate(['kpis', index, 'segment_thresholds', segment]),
        ),
      };
    segmentThresholds.set(segment, compiled);
  }
  const start = parsed.formulaStart(index);
  return {
    config: kpi,
    index,
    formula,
    thresholds,
    segmentBy,
    segmentThresholds,
    definitionHash: definitionHash(kpi, formula, sources),
    formulaAt: { file: parsed.file, line: start.line, col: start.col },
  };
}

function segmentFields(segmentBy: KpiConfig['segment_by']): string[] {
  return segmentBy === undefined ? [] : typeof segmentBy === 'string' ? [segmentBy] : [...segmentBy];
}

/**
 * The segment fields must be fields of a source the formula aggregates over; with several, a source has
 * all of them (it is split into their combinations) or none (its total goes to every segment).
 */
function checkSegmentBy(
  id: string,
  fields: string[],
  formula: CheckedFormula,
  env: CheckEnv,
): string | undefined {
  if (fields.length === 0) return undefined;
  const repeated = fields.find((f, i) => fields.indexOf(f) !== i);
  if (repeated) return `kpi ${id}: segment_by names "${repeated}" twice`;
  const read = [...new Set(formula.aggregates.map((a) => a.source))];
  const has = (source: string, field: string) => env.sources.get(source)?.fields.has(field) === true;
  for (const field of fields) {
    if (!read.some((s) => has(s, field)))
      return `kpi ${id}: segment_by "${field}" is not a field of ${formula.sources.join(' or ') || 'any source the formula reads'}`;
  }
  const partial = read.find((s) => fields.some((f) => has(s, f)) && !fields.every((f) => has(s, f)));
  if (partial) {
    const lacking = fields.filter((f) => !has(partial, f));
    return `kpi ${id}: segment_by [${fields.join(', ')}]: ${partial} has no field ${lacking.map((f) => `"${f}"`).join(', ')}; a source the formula reads must have all the segment fields or none`;
  }
  return undefined;
}

/** Characters of a formula shown on either side of the offending part in a long formula. */
const CARET_CONTEXT = 400;

/**
 * The formula on one line with a caret line under the offending part. A control character in the formula
 * is shown as its escape (`\u001b`), with the carets moved to match; a formula longer than the part and
 * CARET_CONTEXT characters on either side is cut around it ("...").
 */
export function caret(formula: string, start: number, end: number): string[] {
  const chars = [...formula.replace(/\s/g, ' ')];
  // Code point positions of the span (the span counts UTF-16 units).
  const toPoint = (unit: number) => [...formula.slice(0, unit)].length;
  const from = toPoint(start);
  const to = Math.max(from + 1, Math.min(toPoint(end), chars.length));
  const first = Math.max(0, from - CARET_CONTEXT);
  const last = Math.min(chars.length, to + CARET_CONTEXT);
  const shown = (list: string[]) => list.map((ch) => safeText(ch)).join('');
  const before = `${first > 0 ? '...' : ''}${shown(chars.slice(first, from))}`;
  const marked = shown(chars.slice(from, to));
  const after = `${shown(chars.slice(to, last))}${last < chars.length ? '...' : ''}`;
  return [
    `  ${before}${marked}${after}`,
    `  ${' '.repeat(before.length)}${'^'.repeat(Math.max(1, marked.length))}`,
  ];
}

function definitionHash(
  kpi: KpiConfig,
  formula: CheckedFormula,
  sources: Map<string, ResolvedSource>,
): string {
  const definition = {
    formula: kpi.formula.replace(/\s+/g, ' ').trim(),
    thresholds: kpi.thresholds ?? null,
    // Only when given, so the hash of every KPI without them is unchanged.
    ...(kpi.segment_thresholds ? { segment_thresholds: kpi.segment_thresholds } : {}),
    unit: kpi.unit,
    // One field hashes as before, whether written `site` or `[site]`.
    segment_by:
      kpi.segment_by === undefined
        ? null
        : typeof kpi.segment_by === 'string' || kpi.segment_by.length > 1
          ? kpi.segment_by
          : kpi.segment_by[0],
    sources: formula.sources.map((name) => {
      const s = sources.get(name)!;
      return {
        name,
        kind: s.kind,
        time_field: s.timeField ?? null,
        // A value map changes what the values mean; without one, the hash is what it always was.
        fields: s.fields.map((f) =>
          f.map.size === 0 ? [f.name, f.columns, f.type] : [f.name, f.columns, f.type, [...f.map]],
        ),
      };
    }),
  };
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex');
}
