/**
 * Everything that can be checked before any data is read: sources and their fields, record types,
 * thresholds, formulas (names, types, safety), segment fields and cycles between derived KPIs.
 */
import { createHash } from 'node:crypto';
import { checkFormula, type SourceShape } from '../formula/check.js';
import type { CheckedFormula } from '../formula/ir.js';
import { type Problem, problem } from '../problems.js';
import { checkRecordType } from '../sources/record-types.js';
import { type ResolvedSource, resolveSource } from '../sources/resolve.js';
import { compileDateTimeParser } from '../time/parse-datetime.js';
import { parsePeriod } from '../time/period.js';
import { isValidTimeZone } from '../time/zone.js';
import type { ParsedCatalogue } from './parse.js';
import { type KpiConfig, THRESHOLD_PATTERN } from './schema.js';

export type BandOp = '>=' | '>' | '<=' | '<' | '==';
export interface Band {
  op: BandOp;
  value: number;
  text: string;
}
export interface Thresholds {
  green: Band;
  amber?: Band;
  /** `>=`/`>` bands: higher is better; `<=`/`<`: lower is better; `==`: on target. */
  direction: 'higher' | 'lower' | 'target';
}

export interface CompiledKpi {
  config: KpiConfig;
  /** Position in the catalogue, for stable ordering. */
  index: number;
  formula: CheckedFormula;
  thresholds: Thresholds | null;
  /** sha256 of the fields that define what the number means (formula, thresholds, unit, sources). */
  definitionHash: string;
}

export interface Catalogue {
  file: string;
  dir: string;
  sha256: string;
  organisation: string;
  timezone: string;
  fiscalYearStart: number;
  period: string | undefined;
  sources: Map<string, ResolvedSource>;
  kpis: CompiledKpi[];
  /** KPI ids in an order where each comes after the KPIs it uses. */
  evaluationOrder: string[];
}

export function compileCatalogue(
  parsed: ParsedCatalogue,
  dir: string,
): { ok: true; catalogue: Catalogue } | { ok: false; problems: Problem[] } {
  const { config, file } = parsed;
  const problems: Problem[] = [];
  const at = (path: (string | number)[]) => parsed.locate(path);

  if (!isValidTimeZone(config.timezone)) {
    problems.push(
      problem(
        'catalogue-schema',
        `timezone: unknown time zone "${config.timezone}" (use an IANA name such as Europe/Berlin or UTC)`,
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

  const sources = new Map<string, ResolvedSource>();
  for (const [name, sourceConfig] of Object.entries(config.sources)) {
    const source = resolveSource(name, sourceConfig, config, dir);
    sources.set(name, source);
    const here = (key: string, message: string, path: (string | number)[] = [key]) =>
      problems.push(
        problem('catalogue-schema', `source ${name}: ${message}`, at(['sources', name, ...path])),
      );
    if (sourceConfig.timezone && !isValidTimeZone(sourceConfig.timezone))
      here('timezone', `unknown time zone "${sourceConfig.timezone}"`);
    for (const field of source.fields) {
      const fieldPath = ['fields', field.name];
      if (field.type === 'datetime' && isValidTimeZone(field.timezone)) {
        try {
          compileDateTimeParser(field.formats, field.timezone);
        } catch (error) {
          here('fields', `field ${field.name}: format: ${(error as Error).message}`, [
            ...fieldPath,
            'format',
          ]);
        }
      }
      if (field.type === 'enum' && field.values.length === 0)
        here('fields', `field ${field.name}: an enum needs values: [...]`, fieldPath);
      if (
        field.type !== 'datetime' &&
        typeof sourceConfig.fields[field.name] === 'object' &&
        (sourceConfig.fields[field.name] as { format?: unknown }).format !== undefined
      ) {
        here('fields', `field ${field.name}: format is only for datetime fields`, [...fieldPath, 'format']);
      }
      const own = sourceConfig.fields[field.name];
      const ownZone = typeof own === 'object' ? own.timezone : undefined;
      if (ownZone !== undefined && !isValidTimeZone(ownZone))
        here('fields', `field ${field.name}: unknown time zone "${ownZone}"`, [...fieldPath, 'timezone']);
      if (source.format !== 'csv' && field.occurrence !== 1 && field.occurrence !== 'all')
        here('fields', `field ${field.name}: occurrence is for CSV headers`, fieldPath);
    }
    const fieldNames = new Map(source.fields.map((f) => [f.name, f]));
    if (sourceConfig.time_field) {
      const timeField = fieldNames.get(sourceConfig.time_field);
      if (!timeField)
        here(
          'time_field',
          `time_field "${sourceConfig.time_field}" is not one of its fields (${[...fieldNames.keys()].join(', ')})`,
        );
      else if (timeField.type !== 'datetime')
        here(
          'time_field',
          `time_field "${sourceConfig.time_field}" must be a datetime field, not ${timeField.type}`,
        );
    }
    if (sourceConfig.as_of_field) {
      const asOf = fieldNames.get(sourceConfig.as_of_field);
      if (asOf?.type !== 'datetime')
        here('as_of_field', `as_of_field "${sourceConfig.as_of_field}" must name a datetime field`);
    }
    if (
      sourceConfig.as_of !== undefined &&
      sourceConfig.as_of !== 'period_end' &&
      !/^\d{4}-\d{2}-\d{2}/.test(sourceConfig.as_of)
    ) {
      here('as_of', `as_of must be period_end or a date like 2026-09-30, not "${sourceConfig.as_of}"`);
    }
    if (sourceConfig.format === 'csv' && sourceConfig.json) here('json', 'json options are for JSON sources');
    if (sourceConfig.record_type) {
      for (const issue of checkRecordType(sourceConfig.record_type, source.fields)) {
        here('record_type', issue.message);
      }
    }
  }

  const shapes = new Map<string, SourceShape>(
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
  const ids = new Set<string>();
  const duplicateIds = new Set<string>();
  config.kpis.forEach((kpi, index) => {
    if (ids.has(kpi.id)) {
      duplicateIds.add(kpi.id);
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

  const kpis: CompiledKpi[] = [];
  config.kpis.forEach((kpi, index) => {
    const where = (key: string) => at(['kpis', index, key]);
    const checked = checkFormula(kpi.formula, {
      sources: shapes,
      kpis: new Set([...ids].filter((id) => id !== kpi.id)),
      tz: config.timezone,
    });
    if (!checked.ok) {
      const start = parsed.formulaStart(index);
      const { span } = checked.error;
      const location = start.exact
        ? { file, line: start.line, col: start.col + span.start }
        : { file, line: start.line, col: start.col };
      const selfReference = /unknown KPI "(.*)"/.exec(checked.error.message)?.[1] === kpi.id;
      problems.push(
        problem(
          checked.error.code,
          selfReference
            ? `kpi ${kpi.id}: a KPI cannot use its own value`
            : `kpi ${kpi.id}: ${checked.error.message}`,
          location,
          'error',
          caret(kpi.formula, span.start, span.end),
        ),
      );
      return;
    }
    const formula = checked.formula;
    const thresholds = kpi.thresholds ? compileThresholds(kpi.thresholds) : null;
    if (kpi.thresholds && typeof thresholds === 'string') {
      problems.push(
        problem('catalogue-schema', `kpi ${kpi.id}: thresholds: ${thresholds}`, where('thresholds')),
      );
      return;
    }
    if (kpi.segment_by) {
      const hasField = formula.aggregates.some((a) => shapes.get(a.source)?.fields.has(kpi.segment_by!));
      if (!hasField) {
        problems.push(
          problem(
            'catalogue-schema',
            `kpi ${kpi.id}: segment_by "${kpi.segment_by}" is not a field of ${formula.sources.join(' or ') || 'any source the formula reads'}`,
            where('segment_by'),
          ),
        );
        return;
      }
    }
    kpis.push({
      config: kpi,
      index,
      formula,
      thresholds: thresholds as Thresholds | null,
      definitionHash: definitionHash(kpi, formula, sources),
    });
  });

  const order = topologicalOrder(kpis);
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
      timezone: config.timezone,
      fiscalYearStart: config.fiscal_year_start,
      period: config.period,
      sources,
      kpis,
      evaluationOrder: 'order' in order ? order.order : [],
    },
  };
}

/** The formula with a caret line under the offending part. */
export function caret(formula: string, start: number, end: number): string[] {
  const oneLine = formula.replace(/\s/g, ' ');
  const width = Math.max(1, Math.min(end, oneLine.length) - start);
  return [`  ${oneLine}`, `  ${' '.repeat(Math.max(0, start))}${'^'.repeat(width)}`];
}

export function compileThresholds(config: {
  green: string;
  amber?: string | undefined;
}): Thresholds | string {
  const green = parseBand(config.green);
  const amber = config.amber === undefined ? undefined : parseBand(config.amber);
  if (!green) return `green: expected a comparison with a number, like ">= 95"`;
  if (config.amber !== undefined && !amber) return `amber: expected a comparison with a number, like ">= 85"`;
  // "== 0" with an amber band of "<= 2" reads as lower-is-better with zero as the goal.
  const direction = green.op === '==' && amber ? bandDirection(amber.op) : bandDirection(green.op);
  if (amber) {
    if (
      bandDirection(amber.op) === 'target' ||
      (green.op !== '==' && bandDirection(amber.op) !== direction)
    ) {
      return `green "${green.text}" and amber "${amber.text}" must point the same way (both >= for higher-is-better, both <= for lower-is-better)`;
    }
    const isStricter =
      green.op === '=='
        ? !satisfies(amber, green.value)
        : direction === 'higher'
          ? amber.value > green.value
          : amber.value < green.value;
    if (isStricter) {
      return `amber "${amber.text}" is stricter than green "${green.text}"; amber is the band just short of green`;
    }
  }
  return amber ? { green, amber, direction } : { green, direction };
}

function parseBand(text: string): Band | undefined {
  const match = THRESHOLD_PATTERN.exec(text);
  if (!match) return undefined;
  return { op: match[1] as BandOp, value: Number(match[2]), text: `${match[1]} ${match[2]}` };
}

function bandDirection(op: BandOp): Thresholds['direction'] {
  return op === '>=' || op === '>' ? 'higher' : op === '==' ? 'target' : 'lower';
}

export function satisfies(band: Band, value: number): boolean {
  switch (band.op) {
    case '>=':
      return value >= band.value;
    case '>':
      return value > band.value;
    case '<=':
      return value <= band.value;
    case '<':
      return value < band.value;
    case '==':
      return value === band.value;
  }
}

function definitionHash(
  kpi: KpiConfig,
  formula: CheckedFormula,
  sources: Map<string, ResolvedSource>,
): string {
  const definition = {
    formula: kpi.formula.replace(/\s+/g, ' ').trim(),
    thresholds: kpi.thresholds ?? null,
    unit: kpi.unit,
    segment_by: kpi.segment_by ?? null,
    sources: formula.sources.map((name) => {
      const s = sources.get(name)!;
      return {
        name,
        kind: s.kind,
        time_field: s.timeField ?? null,
        fields: s.fields.map((f) => [f.name, f.columns, f.type]),
      };
    }),
  };
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex');
}

function topologicalOrder(kpis: CompiledKpi[]): { order: string[] } | { cycle: string[] } {
  const byId = new Map(kpis.map((k) => [k.config.id, k]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const s = state.get(id);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of byId.get(id)?.formula.kpis ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    order.push(id);
    return undefined;
  };
  for (const kpi of kpis) {
    const cycle = visit(kpi.config.id);
    if (cycle) return { cycle };
  }
  return { order };
}
