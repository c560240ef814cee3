/**
 * Checks of the measurement programme that need more than one entry of the catalogue: objective ids
 * (unique; a KPI's `objective:` names one), control references (without a namespace: an ISO/IEC
 * 27001:2022 Annex A control), lifecycles (an active KPI cannot be computed from a retired one) and
 * exceptions (an existing KPI, a segment it has). Each problem is located at the key it is about.
 *
 * Decision (merge of issue 19): a control reference without a namespace that is not an Annex A 2022
 * control is a WARNING, not an error. Catalogues written before the check (any non-empty text was
 * accepted) often use 2013 numbering (`A.12.6.1`) as a label; refusing them would break reports over a
 * reference. The warning is located (line, column) and is shown by `validate` (listed, exit 0 like its
 * other non-data warnings), listed as a `control-not-annex-a` finding by `audit-catalogue` (exit 1), and
 * mentioned once on standard error by `report`.
 */
import type { Location, Problem } from '../problems.js';
import { problem } from '../problems.js';
import { listOf, quote } from '../text.js';
import { parsePeriod } from '../time/period.js';
import { closest, editDistance } from '../util/closest.js';
import { ANNEX_A_2022, annexAControl, controlRef } from './annex-a.js';
import type { CatalogueConfig, ManualConfig } from './schema.js';

type At = (path: (string | number)[]) => Location;

/** Errors go to `problems`; control references outside Annex A 2022 to `warnings`. */
export function checkProgramme(
  config: CatalogueConfig,
  at: At,
  problems: Problem[],
  warnings: Problem[],
): void {
  checkObjectives(config, at, problems);
  checkControls(config, at, warnings);
}

/** A KPI that is reported (draft or active) cannot be computed from a retired one, which is not. */
export function checkLifecycles(
  kpis: readonly { id: string; index: number; lifecycle: string | undefined; uses: readonly string[] }[],
  at: At,
  problems: Problem[],
): void {
  const retired = new Set(kpis.filter((k) => k.lifecycle === 'retired').map((k) => k.id));
  for (const kpi of kpis) {
    if (kpi.lifecycle === 'retired') continue;
    const used = kpi.uses.find((id) => retired.has(id));
    if (used)
      problems.push(
        problem(
          'catalogue-schema',
          `kpi ${kpi.id}: its formula uses kpi("${used}"), which is retired (retired KPIs are not computed); retire ${kpi.id} too or reactivate ${used}`,
          at(['kpis', kpi.index, 'formula']),
        ),
      );
  }
}

function checkObjectives(config: CatalogueConfig, at: At, problems: Problem[]): void {
  const ids = new Set<string>();
  config.objectives.forEach((objective, index) => {
    if (ids.has(objective.id))
      problems.push(
        problem(
          'catalogue-schema',
          `objective ${objective.id}: duplicate id (objective ids must be unique)`,
          at(['objectives', index, 'id']),
        ),
      );
    ids.add(objective.id);
  });
  config.kpis.forEach((kpi, index) => {
    if (kpi.objective === undefined || ids.has(kpi.objective)) return;
    const near = closest(kpi.objective, [...ids]);
    const hint =
      ids.size === 0
        ? 'the catalogue has no objectives: block'
        : near
          ? `did you mean ${quote(near)}?`
          : `known: ${listOf([...ids])}`;
    problems.push(
      problem(
        'catalogue-schema',
        `kpi ${kpi.id}: objective: unknown objective ${quote(kpi.objective)} (${hint})`,
        at(['kpis', index, 'objective']),
      ),
    );
  });
}

const ANNEX_A_IDS = ANNEX_A_2022.map((c) => c.id);

/** Un-namespaced references like the 2013 Annex A's (`A.12.6.1`: four parts, themes 5 to 18). */
const ISO_2013_LIKE = /^A\.(5|6|7|8|9|1[0-8])\.\d{1,2}\.\d{1,2}$/;

function checkControls(config: CatalogueConfig, at: At, warnings: Problem[]): void {
  config.kpis.forEach((kpi, index) => {
    kpi.controls.forEach((text, j) => {
      const ref = controlRef(text);
      if (ref.namespace !== undefined || annexAControl(ref.id)) return;
      // A suggestion only when one control is one edit away ("A8.8": "A.8.8"; "A.5.38" has several).
      const near = ANNEX_A_IDS.filter((id) => editDistance(id, ref.id) <= 1);
      const hint = ISO_2013_LIKE.test(ref.id)
        ? `2013 numbering? see docs/catalogue.md 3.6; or use a namespace such as ${quote(`iso27001-2013:${ref.id}`)}`
        : `${near.length === 1 ? `did you mean ${quote(near[0]!)}? ` : ''}2013 numbering? see docs/catalogue.md 3.6; or use a namespace such as "iso27001-2013:A.12.6.1" or "nist-csf:PR.AA-01"`;
      warnings.push(
        problem(
          'catalogue-schema',
          `kpi ${kpi.id}: controls: ${quote(text)} is not an ISO/IEC 27001:2022 Annex A control (A.5.1-A.5.37, A.6.1-A.6.8, A.7.1-A.7.14, A.8.1-A.8.34); ${hint}`,
          at(['kpis', index, 'controls', j]),
          'warning',
        ),
      );
    });
  });
}

/** What the exception checks need of a compiled KPI. */
export interface ExceptionTarget {
  id: string;
  segmentBy: readonly string[];
  lifecycle: string | undefined;
  /** For each segment field: its enum values when every source the formula reads declares them. */
  segmentValues: readonly (readonly string[] | undefined)[];
}

/**
 * An exception names a KPI of the catalogue (not a retired one) and, for a segment, a KPI segmented by
 * as many fields as the segment has values (" / " between them), each one of its field's values where
 * the field is an enum. One exception per KPI and segment.
 */
export function checkExceptions(
  config: CatalogueConfig,
  kpis: ReadonlyMap<string, ExceptionTarget>,
  at: At,
  problems: Problem[],
): void {
  const seen = new Set<string>();
  (Array.isArray(config.exceptions) ? config.exceptions : []).forEach((exception, index) => {
    const label = `exception ${index + 1} (kpi ${exception.kpi})`;
    const report = (message: string, key: string) =>
      problems.push(problem('catalogue-schema', `${label}: ${message}`, at(['exceptions', index, key])));
    const kpi = kpis.get(exception.kpi);
    if (!kpi) {
      const near = closest(exception.kpi, [...kpis.keys()]);
      report(`unknown KPI ${quote(exception.kpi)}${near ? ` (did you mean ${quote(near)}?)` : ''}`, 'kpi');
      return;
    }
    if (kpi.lifecycle === 'retired') {
      report(`${kpi.id} is retired: it is not reported, so there is nothing to accept`, 'kpi');
      return;
    }
    const key = `${kpi.id}\u0000${exception.segment ?? ''}`;
    if (seen.has(key)) {
      report(
        `a second exception for ${exception.segment === undefined ? kpi.id : `segment ${quote(exception.segment)} of ${kpi.id}`}; give one exception per KPI and segment`,
        exception.segment === undefined ? 'kpi' : 'segment',
      );
      return;
    }
    seen.add(key);
    if (exception.segment === undefined) return;
    const wrong = segmentProblem(kpi, exception.segment);
    if (wrong) report(wrong, 'segment');
  });
}

/**
 * Why `segment` is not a segment the KPI can have, if it is not: the KPI has no segment_by, the number of
 * values (" / " between them) differs from its segment fields, or a value is not one of an enum field's.
 */
export function segmentProblem(kpi: ExceptionTarget, segment: string): string | undefined {
  if (kpi.segmentBy.length === 0) return `unknown segment ${quote(segment)}: ${kpi.id} has no segment_by`;
  const parts = segment.split(' / ');
  if (parts.length !== kpi.segmentBy.length)
    return `segment ${quote(segment)} has ${parts.length} value${parts.length === 1 ? '' : 's'}, but ${kpi.id} is segmented by ${kpi.segmentBy.join(', ')}: write one value per field, joined with " / "`;
  for (const [i, part] of parts.entries()) {
    const values = kpi.segmentValues[i];
    if (!values || values.includes(part)) continue;
    const near = closest(part, values);
    return `unknown segment ${quote(segment)}: ${kpi.segmentBy[i]} is one of ${listOf(values)}${near ? ` (did you mean ${quote(near)}?)` : ''}`;
  }
  return undefined;
}

/** A manual entry with its period as the report labels it (`2026-q3` -> `2026-Q3`). */
export type ManualEntry = ManualConfig;

/**
 * The `manual:` block: each period a label the report can have (read in the catalogue's zone and fiscal
 * year, and written back as the report labels it, so entries match the reported period), one value per
 * measure and period. Entries with a problem are left out of the result.
 */
export function checkManual(config: CatalogueConfig, tz: string, at: At, problems: Problem[]): ManualEntry[] {
  const seen = new Map<string, number>();
  const out: ManualEntry[] = [];
  config.manual.forEach((entry, index) => {
    const label = `manual ${index + 1} (measure ${entry.measure})`;
    const period = parsePeriod(entry.period, { tz, fiscalYearStartMonth: config.fiscal_year_start });
    if (!period.ok) {
      problems.push(
        problem('catalogue-schema', `${label}: period: ${period.message}`, at(['manual', index, 'period'])),
      );
      return;
    }
    const key = `${entry.measure}\u0000${period.period.label}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(
        problem(
          'catalogue-schema',
          `${label}: a second value of ${entry.measure} for ${period.period.label} (the first is manual entry ${first + 1}); give one value per measure and period`,
          at(['manual', index, 'period']),
        ),
      );
      return;
    }
    seen.set(key, index);
    out.push({ ...entry, period: period.period.label });
  });
  return out;
}
