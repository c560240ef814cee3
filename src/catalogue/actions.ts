/**
 * Corrective actions (ISO/IEC 27001 10.2) on KPIs, read from one of three places with one schema
 * (ActionSchema in schema.ts), every problem located at its file, line and key:
 *
 * - an `actions:` block of the catalogue (checked when the catalogue compiles);
 * - actions.yaml beside the catalogue, or the file given with --actions: a mapping with one key,
 *   `actions:`, holding the same list;
 * - a CSV file with the same columns (`id,kpi,segment,opened,owner,description,expected,due,status,links`,
 *   links separated by `;`): the layout of the `corrective-actions` preset, so the same file is also a
 *   register source of the catalogue.
 *
 * Checked against the catalogue: ids unique, the KPI exists, a segment only for a segmented KPI (whether
 * the segment has data is known only once the KPI is evaluated: src/report/effectiveness.ts warns).
 */
import { z } from 'zod';
import { type Location, type Problem, problem } from '../problems.js';
import { type RegisterLayout, readRegisterCsv } from '../sources/register-csv.js';
import { listOf, quote } from '../text.js';
import { closest } from '../util/closest.js';
import { readYaml, yamlLocator, zodProblem } from './parse.js';
import { type ActionConfig, ActionSchema, type KpiConfig } from './schema.js';
import { type Band, compileThresholds } from './thresholds.js';

/** An action as the verdicts need it: its fields, the parsed expected band, and where it was written. */
export interface Action extends ActionConfig {
  expectedBand: Band;
  at: Location;
}

/** The KPIs actions may name: by id, whether the KPI is segmented. */
export type ActionTargets = ReadonlyMap<string, { segmented: boolean }>;

export type ActionsResult = { ok: true; actions: Action[] } | { ok: false; problems: Problem[] };

export const ACTION_COLUMNS = [
  'id',
  'kpi',
  'segment',
  'opened',
  'owner',
  'description',
  'expected',
  'due',
  'status',
  'links',
] as const;
/** Columns a CSV of actions must have (segment and links may be left out). */
const REQUIRED_COLUMNS = ACTION_COLUMNS.filter((c) => c !== 'segment' && c !== 'links');

const FileSchema = z.strictObject({ actions: z.array(ActionSchema) });

/**
 * Checks parsed actions against the catalogue's KPIs; `locate` gives the position of a key of action
 * `index` (its line in the YAML, its row in a CSV).
 */
export function checkActions(
  configs: readonly ActionConfig[],
  targets: ActionTargets,
  locate: (index: number, key: keyof ActionConfig) => Location,
): ActionsResult {
  const problems: Problem[] = [];
  const actions: Action[] = [];
  const seen = new Map<string, number>();
  configs.forEach((config, index) => {
    const at = (key: keyof ActionConfig) => locate(index, key);
    const earlier = seen.get(config.id);
    if (earlier !== undefined) {
      const first = locate(earlier, 'id').line;
      problems.push(
        problem(
          'catalogue-schema',
          `action ${config.id}: the id is used twice${first !== undefined ? ` (first on line ${first})` : ''}; give each action its own id`,
          at('id'),
        ),
      );
      return;
    }
    seen.set(config.id, index);
    const target = targets.get(config.kpi);
    if (!target) {
      const hint = closest(config.kpi, [...targets.keys()]);
      problems.push(
        problem(
          'catalogue-schema',
          `action ${config.id}: unknown KPI ${quote(config.kpi)}${hint ? ` (did you mean "${hint}"?)` : '; see isms-kpi list'}`,
          at('kpi'),
        ),
      );
      return;
    }
    if (config.segment !== undefined && !target.segmented) {
      problems.push(
        problem(
          'catalogue-schema',
          `action ${config.id}: segment ${quote(config.segment)}, but KPI ${config.kpi} has no segment_by; leave segment out`,
          at('segment'),
        ),
      );
      return;
    }
    const band = compileThresholds({ green: config.expected });
    if (typeof band === 'string') {
      problems.push(
        problem('catalogue-schema', `action ${config.id}: expected: ${band.slice(7)}`, at('expected')),
      );
      return;
    }
    actions.push({ ...config, expectedBand: band.green, at: at('id') });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, actions };
}

/** The KPIs of a catalogue as targets of actions. */
export function actionTargets(kpis: readonly KpiConfig[]): ActionTargets {
  return new Map(kpis.map((k) => [k.id, { segmented: k.segment_by !== undefined }]));
}

/** Actions as written, before the checks against the catalogue, and where each key of each one is. */
export type ActionConfigsResult =
  | { ok: true; configs: ActionConfig[]; locate: (index: number, key: keyof ActionConfig) => Location }
  | { ok: false; problems: Problem[] };

/** The actions of an actions.yaml text (`actions:` and its list). */
export function parseActionsYaml(text: string, file: string, targets: ActionTargets): ActionsResult {
  const read = readActionsYaml(text, file);
  return read.ok ? checkActions(read.configs, targets, read.locate) : read;
}

/** The actions of an actions.yaml text as written (schema-checked, not yet checked against the catalogue). */
export function readActionsYaml(text: string, file: string): ActionConfigsResult {
  const read = readYaml({ file, text: text.replace(/^\uFEFF/, '') }, 'actions file');
  if (!read.ok) return read;
  const locate = yamlLocator(read.yaml, file);
  const parsed = FileSchema.safeParse(read.yaml.data);
  if (!parsed.success)
    return { ok: false, problems: parsed.error.issues.map((i) => zodProblem(i, read.yaml.data, locate)) };
  return { ok: true, configs: parsed.data.actions, locate: (index, key) => locate(['actions', index, key]) };
}

/**
 * The actions of a CSV text: a header naming the columns (any order, names ignoring case, other columns
 * ignored), one action per row; empty cells are absent values, links are separated by `;`.
 */
export function parseActionsCsv(text: string, file: string, targets: ActionTargets): ActionsResult {
  const read = readActionsCsv(text, file);
  return read.ok ? checkActions(read.configs, targets, read.locate) : read;
}

const CSV_LAYOUT: RegisterLayout<(typeof ACTION_COLUMNS)[number]> = {
  columns: Object.fromEntries(ACTION_COLUMNS.map((c) => [c, [c]])) as Record<
    (typeof ACTION_COLUMNS)[number],
    string[]
  >,
  required: REQUIRED_COLUMNS,
  missing: (fields) =>
    `actions: no column ${listOf(fields)} in the header (it needs ${ACTION_COLUMNS.join(', ')}; segment and links may be left out)`,
};

/** The actions of a CSV text as written (schema-checked, not yet checked against the catalogue). */
export function readActionsCsv(text: string, file: string): ActionConfigsResult {
  const problems: Problem[] = [];
  const rows: { config: ActionConfig; line: number }[] = [];
  problems.push(
    ...readRegisterCsv(text, file, CSV_LAYOUT, ({ cell: cellOf, line }) => {
      const raw: Record<string, unknown> = {};
      for (const column of ACTION_COLUMNS) {
        const cell = cellOf(column);
        if (cell === '') continue;
        raw[column] =
          column === 'links'
            ? cell
                .split(';')
                .map((l) => l.trim())
                .filter((l) => l !== '')
            : cell;
      }
      const parsed = ActionSchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? '');
          const id = typeof raw.id === 'string' ? `action ${raw.id}: ` : '';
          const message = /received undefined/.test(issue.message) ? 'is empty' : issue.message;
          problems.push(
            problem('bad-value', `${id}${key}: ${message}`, {
              file,
              line,
              ...(key ? { column: key } : {}),
            }),
          );
        }
        return;
      }
      rows.push({ config: parsed.data, line });
    }),
  );
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    configs: rows.map((r) => r.config),
    locate: (i, key) => ({ file, line: rows[i]!.line, column: key }),
  };
}
