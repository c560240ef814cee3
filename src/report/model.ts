/**
 * The report as data: what every renderer receives and what the JSON format saves. Values are kept
 * unrounded; rounding belongs to renderers.
 *
 * This zod schema is the ONE definition of the saved report. The TypeScript types below are derived
 * from it, `readReport` (read.ts) validates saved reports with it, and docs/report.schema.json is
 * generated from it (json-schema.ts, `npm run docs:schema`; a test fails when the file is out of date).
 * Decisions:
 * - Every object is open for readers: the compatibility promise (docs/report-format.md) is that a new
 *   optional field keeps schemaVersion 1, so readers ignore fields they do not know. Parsing with a
 *   plain `z.object` drops them (never an error); the JSON Schema leaves `additionalProperties` open.
 * - Enumerations are closed: a new status, cadence, ... changes what an existing field can mean, which
 *   raises the schema version.
 * - Field order in each object is the order the engine writes them (the JSON report's key order).
 * - Descriptions live in a registry of their own (`reportDocs`), not zod's global one, so that nothing
 *   else in the process can collide with the `$defs` names.
 */
import { z } from 'zod';
import { AS_OF_SOURCES } from '../sources/schema.js';
import { CADENCES } from '../time/period.js';

export const REPORT_SCHEMA_VERSION = 1;

/** Titles, descriptions and `$defs` names of the report schema, for the generated JSON Schema. */
export const reportDocs = z.registry<{ id?: string; title?: string; description?: string }>();

/**
 * A copy of the schema with a description (and a `$defs` name): a copy, so that a schema used in several
 * places (a count, a sha256) keeps each place's own description.
 */
function doc<T extends z.ZodType>(schema: T, description: string, id?: string): T {
  const copy = schema.clone();
  reportDocs.add(copy as z.ZodType, id ? { id, description } : { description });
  return copy;
}

const count = z.int().min(0);
/** A KPI's or a segment's threshold bands, as written, with the direction they point (a new schema each time). */
const thresholdBands = () =>
  z.object({
    green: z.string(),
    amber: z.string().optional(),
    direction: z.enum(['higher', 'lower', 'target']),
  });
const numberOrNull = z.number().nullable();
const sha256 = doc(
  z.string().regex(/^([0-9a-f]{64})?$/),
  'Lower-case hex sha256 (64 digits); empty where there was nothing to hash.',
  'sha256',
);

export const statusSchema = doc(
  z.enum(['green', 'amber', 'red', 'no-data', 'stale', 'info']),
  'The status of a KPI, segment or window.',
  'status',
);
export type Status = z.infer<typeof statusSchema>;

/**
 * The statuses from most to least urgent. Lists of KPIs are sorted by `urgencyRank` (src/render/format.ts),
 * which places a stale KPI by its judgement.
 */
export const STATUS_ORDER: readonly Status[] = ['red', 'amber', 'stale', 'no-data', 'green', 'info'];

export const aggregateResultSchema = doc(
  z.object({
    index: doc(count, 'Number of the aggregate in the formula, as `explain` numbers it.'),
    text: doc(
      z.string(),
      'The aggregate as written in the formula, e.g. `count(incidents, severity == "Critical")`.',
    ),
    fn: z.string(),
    source: z.string(),
    role: doc(
      z.enum(['numerator', 'denominator', 'value']),
      "numerator or denominator only where the KPI's value is the ratio of two aggregates (pct, ratio or /, maybe inside round()); else value.",
    ),
    value: numberOrNull,
    rowsInScope: doc(count, 'Rows of the source in the period (snapshot: all rows).'),
    rowsMatched: doc(count, 'Rows that met the condition (and had a value, for sums, means, ...).'),
  }),
  'One aggregate of the formula and the rows it saw.',
  'aggregate',
);
export type AggregateResult = z.infer<typeof aggregateResultSchema>;

const groupFields = {
  value: numberOrNull,
  status: statusSchema,
  numerator: z.number().optional(),
  denominator: z.number().optional(),
};

export const segmentResultSchema = doc(
  z.object({
    key: doc(
      z.string(),
      'The value of the `segmentBy` field; for several fields their values joined with " / ", in `segmentBy` order.',
    ),
    keys: doc(
      z.record(z.string(), z.string()).optional(),
      'Several segment fields only: the value of each field, by field name.',
    ),
    ...groupFields,
    thresholds: doc(
      thresholdBands().optional(),
      "The segment's own thresholds (`segment_thresholds` in the catalogue), when they differ from the KPI's; its status is judged by them.",
    ),
  }),
  'The KPI computed over the rows of one segment.',
  'segment',
);
export type SegmentResult = z.infer<typeof segmentResultSchema>;

export const windowResultSchema = doc(
  z.object({
    label: z.string(),
    start: doc(z.string(), 'First instant of the window (inclusive), UTC.'),
    end: doc(z.string(), 'First instant after the window (exclusive), UTC.'),
    ...groupFields,
  }),
  'The KPI computed over one cadence window of the period (a month of a quarter, say).',
  'window',
);
export type WindowResult = z.infer<typeof windowResultSchema>;

/** What a segment and a window have in common. */
export type GroupResult = Omit<SegmentResult, 'key'>;

const judged = z.enum(['green', 'amber', 'red']);

/** The outcome of a significance test (src/report/significance.ts). */
export const significanceSchema = doc(
  z.object({
    significant: doc(
      z.boolean().nullable(),
      'null: the change cannot be judged (a median, a derived KPI, ...; see `reason`), and the verdict is by the tolerance alone.',
    ),
    method: doc(
      z.string(),
      '`two-proportion z-test`, `Fisher exact test`, `exact Poisson test`, or `none` when not judged.',
    ),
    level: doc(z.number().optional(), 'The significance level (alpha) the p-value was compared with.'),
    pValue: doc(z.number().optional(), 'Two-sided.'),
    reason: doc(z.string().optional(), 'Why the change cannot be judged.'),
  }),
  'Whether a change between two values is more than chance variation.',
  'significance',
);
export type SavedSignificance = z.infer<typeof significanceSchema>;

export const kpiResultSchema = doc(
  z.object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    owner: z.string(),
    cadence: z.enum(CADENCES),
    unit: z.string(),
    tier: z.enum(['key', 'supporting', 'informational']),
    area: z.string().optional(),
    tags: z.array(z.string()),
    controls: z.array(z.string()),
    caveat: z.string().optional(),
    decimals: count.optional(),
    formula: z.string(),
    thresholds: thresholdBands().nullable(),
    direction: doc(
      z.enum(['higher', 'lower', 'none']).optional(),
      "The catalogue's `direction:`, when declared: how a change is judged (improved / worsened) instead of by the thresholds' direction; `none`: a change is only `changed`.",
    ),
    segmentBy: doc(
      z.string().optional(),
      'The `segment_by` field; several fields joined with " / " (`site / severity`).',
    ),
    baseline: z
      .object({ value: z.number(), period: z.string().optional(), note: z.string().optional() })
      .optional(),
    informationNeed: doc(
      z.string().optional(),
      'What the measure is for: the question it answers (ISO/IEC 27004).',
    ),
    objective: doc(
      z.string().optional(),
      'The id of the objective (`objectives` of the report) this KPI measures.',
    ),
    measureType: doc(
      z.enum(['implementation', 'effectiveness', 'efficiency', 'impact']).optional(),
      'ISO/IEC 27004 measure type.',
    ),
    method: doc(
      z.enum(['objective', 'subjective']).optional(),
      'How the value is obtained: counted (objective) or judged by a person (subjective).',
    ),
    interpretation: doc(z.string().optional(), 'How to read the value.'),
    decision: doc(
      z
        .object({
          red: z.string().optional(),
          amber: z.string().optional(),
          green: z.string().optional(),
          'no-data': z.string().optional(),
          stale: z.string().optional(),
        })
        .optional(),
      'The action each status triggers, by status.',
    ),
    roles: doc(
      z
        .object({
          collector: z.string().optional(),
          customer: z.string().optional(),
          reviewer: z.string().optional(),
        })
        .optional(),
      'Who collects the data, who uses the result and who reviews the measure, besides the owner.',
    ),
    reviewEvery: doc(z.enum(CADENCES).optional(), 'How often the measure itself is reviewed.'),
    lastReviewed: doc(z.string().optional(), 'When the measure itself was last reviewed (yyyy-MM-dd).'),
    lifecycle: doc(
      z.enum(['draft', 'active', 'retired']).optional(),
      'draft: the measure is being trialled; retired: kept for history, reported only when asked for by id; neither fails --fail-on. Absent: active.',
    ),
    definitionHash: doc(
      sha256,
      'sha256 over what defines the number (formula, thresholds, unit, sources): KPIs of two reports are comparable only where it is equal.',
    ),
    sources: z.array(z.string()),
    value: doc(numberOrNull, 'Unrounded; null when there is no value (no-data).'),
    status: statusSchema,
    judgement: doc(judged.optional(), 'For a stale KPI: the status its value would have; --fail-on uses it.'),
    reason: doc(z.string(), 'Why the status is no-data or stale, or which band judged it.'),
    aggregates: z.array(aggregateResultSchema),
    numerator: doc(
      z.number().optional(),
      "The numerator's value; present only where the KPI's value is the ratio of two aggregates.",
    ),
    denominator: doc(
      z.number().optional(),
      "The denominator's value; present only where the KPI's value is the ratio of two aggregates.",
    ),
    interval: doc(
      z
        .object({
          method: doc(
            z.enum(['wilson', 'poisson-exact', 'none']),
            '`wilson`: Wilson score interval of a proportion (numerator of denominator); `poisson-exact`: exact (Garwood) Poisson interval of a count; `none`: a statistic (mean, median, percentile, min, max), for which only its n is given.',
          ),
          level: doc(z.number().optional(), 'The confidence level, e.g. 0.95.'),
          low: doc(z.number().optional(), "Lower bound, in the KPI's unit."),
          high: doc(z.number().optional(), "Upper bound, in the KPI's unit."),
          n: doc(
            count.optional(),
            'The sample size: the denominator of a proportion, the rows of a statistic.',
          ),
        })
        .optional(),
      'The value\'s confidence interval (docs/report-format.md, "Significance"); absent for values that are neither a proportion, a count nor a statistic, without a value, or with `--significance off`.',
      'interval',
    ),
    rejectedRows: doc(count, 'Rows rejected at intake in the sources this KPI reads.'),
    segments: z.array(segmentResultSchema),
    windows: z.array(windowResultSchema),
    trend: doc(
      z.enum(['up', 'down', 'flat']).nullable(),
      'Compared with the previous cadence window inside the period or, for a KPI whose cadence is the whole period, the previous period (events sources only).',
    ),
    trendNote: doc(
      z.string().optional(),
      'Why there is no trend although one was due: `partial: ...` when an events source does not cover the earlier window or period (or the last window), `incomplete: ...` when the period had not ended.',
    ),
    previous: doc(
      z.object({ period: z.string(), value: z.number() }).optional(),
      'The value over the previous period, when the trend was judged against it.',
    ),
    trendVerdict: doc(
      z
        .object({
          verdict: doc(
            z.enum(['improved', 'worsened', 'unchanged', 'changed', 'none']),
            "By the KPI's direction, with the rule and tolerance (0.5 %) of `diff`: improved / worsened / unchanged; `changed` / `unchanged` for a KPI without a direction; `none` when no verdict is given (see `reason`).",
          ),
          against: doc(
            z
              .object({
                period: z.string(),
                value: z.number(),
                from: doc(
                  z.enum(['exports', 'report']),
                  '`exports`: computed from the same exports; `report`: a saved report of that period (--history or --baseline).',
                ),
              })
              .optional(),
            'The previous period of the same length and its value.',
          ),
          reason: doc(z.string().optional(), 'Why the verdict is `none`.'),
          significance: doc(
            significanceSchema.optional(),
            'The significance test of a change beyond the tolerance (docs/report-format.md, "Significance"): a change that is not significant has the verdict `unchanged`. Absent when the values are within the tolerance, no earlier values were known, in reports of earlier versions, or with `--significance off`.',
          ),
        })
        .optional(),
      'The trend as a verdict: the value against the previous period of the same length (a quarterly report: the previous quarter). Absent in reports of earlier versions.',
      'trendVerdict',
    ),
    sinceBaseline: doc(
      z
        .object({
          from: z.enum(['catalogue', 'report']),
          value: z.number(),
          period: z.string().optional(),
          change: z.number(),
        })
        .optional(),
      "The change since the KPI's baseline: from the catalogue's `baseline`, or from a saved report given with --baseline (when the KPI's definition is unchanged there).",
    ),
    exceptions: doc(
      z
        .array(
          doc(
            z.object({
              segment: doc(z.string().optional(), 'The segment it accepts; absent: the whole KPI.'),
              reason: z.string(),
              approver: z.string(),
              risk: doc(z.string().optional(), 'A reference into the risk register.'),
              expires: doc(z.string(), 'The last day the exception is valid (yyyy-MM-dd, inclusive).'),
              state: doc(
                z.enum(['accepted', 'expired']),
                "accepted: valid on the period's last day, so a KPI-wide exception keeps the KPI from failing --fail-on; expired: it ended before, and no longer counts.",
              ),
            }),
            'An exception of the catalogue for this KPI or one of its segments.',
            'exception',
          ),
        )
        .optional(),
      "The catalogue's exceptions for this KPI, in catalogue order; absent when it has none.",
    ),
    manual: doc(
      z
        .array(
          doc(
            z.object({
              measure: z.string(),
              period: doc(z.string(), 'The period the value was entered for (the reported period).'),
              value: z.number(),
              enteredBy: doc(z.string(), 'Who entered the value.'),
              evidence: doc(z.string(), 'Where the evidence for the value is (a ticket, a document).'),
              note: z.string().optional(),
            }),
            'A value collected by hand that the formula read with manual().',
            'manualValue',
          ),
        )
        .optional(),
      "The manually collected values the KPI's formula read for the period, in the order first written; absent when it reads none.",
    ),
    history: doc(
      z.array(z.object({ period: z.string(), value: numberOrNull })).optional(),
      'Values of earlier periods from saved reports given with --history, oldest first; same definition only.',
    ),
    persistent: doc(
      z
        .object({
          periods: doc(count, 'Consecutive periods red or amber, this one included.'),
          since: doc(z.string(), 'The first period of the run.'),
          escalateAfter: doc(count, 'The rule: `escalate_after` of the KPI or the catalogue (default 2).'),
        })
        .optional(),
      'Set when the KPI has been red or amber for `escalateAfter` or more consecutive periods of its --history, this one included; absent otherwise.',
      'persistent',
    ),
  }),
  'One KPI: its definition, then its result.',
  'kpi',
);
export type KpiResult = z.infer<typeof kpiResultSchema>;

export const sourceManifestSchema = doc(
  z.object({
    name: z.string(),
    file: doc(
      z.string(),
      "Relative to the catalogue's folder, with `/` separators (`..` for a file beside it), whatever the working directory.",
    ),
    format: z.enum(['csv', 'json', 'jsonl']),
    kind: z.enum(['events', 'snapshot']),
    bytes: count,
    sha256: doc(sha256, 'Of the file as read; empty for a missing optional source.'),
    rowsRead: count,
    accepted: count,
    rejected: count,
    duplicates: count,
    warnings: count,
    timeField: z.string().optional(),
    minTime: doc(z.string().nullable(), 'Earliest value of the time field among accepted rows, UTC.'),
    maxTime: doc(z.string().nullable(), 'Latest value of the time field among accepted rows, UTC.'),
    rowsInPeriod: doc(count, 'Rows of the source that fall in the reporting period (snapshots: all).'),
    asOf: doc(
      z.string().optional(),
      'For a snapshot: the date (yyyy-MM-dd) it reflects; absent when that is unknown (asOfSource `unknown`).',
    ),
    asOfSource: doc(
      z.enum(AS_OF_SOURCES).optional(),
      'For a snapshot: how its as-of was determined: its `as_of_field` (`field`), `as_of` in the catalogue (`catalogue`), `--as-of` (`command-line`), a period token in its path (`path`), a date in its file name (`file-name`), the file time with `as_of: file_modified` (`file-modified`); `unknown` when none says, and then its KPIs are stale.',
    ),
    missing: doc(
      z.string().optional(),
      "Set when an optional source's file could not be read (why): its KPIs are no-data.",
    ),
    files: doc(
      z
        .array(
          z.object({
            file: doc(z.string(), "Relative to the catalogue's folder, with `/` separators."),
            bytes: count,
            sha256: doc(sha256, 'Of the file as stored (a compressed file as compressed).'),
            rowsRead: count,
            accepted: count,
            rejected: count,
            duplicates: doc(
              count,
              'Rows left out because a file read before held a row with the same `key`.',
            ),
          }),
        )
        .optional(),
      "A source read from several files (a glob or a list of paths): each file in the order read. The source's `file` is then its pattern(s), `bytes` their sum, and `sha256` the sha256 of the files' sha256 values (hex, one per line, in this order).",
    ),
  }),
  'One source file read for the report: the evidence of where the numbers came from.',
  'source',
);
export type SourceManifest = z.infer<typeof sourceManifestSchema>;

export const documentControlSchema = doc(
  z.object({
    title: z.string().optional(),
    classification: doc(z.string().optional(), 'E.g. "Internal" or "Confidential"; printed on every page.'),
    version: z.string().optional(),
    owner: z.string().optional(),
    approver: z.string().optional(),
    distribution: doc(z.array(z.string()).optional(), 'Who receives the report.'),
    nextReview: doc(z.string().optional(), 'The date (yyyy-MM-dd) of the next review of the document.'),
  }),
  "Document control from the catalogue's `document:` block; absent when the catalogue has none.",
  'documentControl',
);
export type DocumentControl = z.infer<typeof documentControlSchema>;

/** The effectiveness verdicts of corrective actions (src/report/effectiveness.ts). */
export const ACTION_VERDICTS = [
  'effective',
  'not-yet-effective',
  'overdue',
  'ineffective',
  'cancelled',
  'no-data',
  'not-comparable',
  'not-judged',
] as const;
export type ActionVerdictName = (typeof ACTION_VERDICTS)[number];

export const actionVerdictSchema = doc(
  z.object({
    id: z.string(),
    kpi: z.string(),
    segment: doc(z.string().optional(), 'The segment of the KPI the action is about; absent: the whole KPI.'),
    owner: z.string(),
    description: z.string(),
    status: z.enum(['open', 'done', 'cancelled']),
    opened: doc(z.string(), 'A period label (2026-Q2) or a day (yyyy-MM-dd), as written.'),
    due: doc(z.string(), 'A period label or a day, as written.'),
    expected: doc(z.string(), 'The effect the action should have, as a comparison (`>= 95`).'),
    links: doc(z.array(z.string()), 'Ticket ids.'),
    before: doc(
      z.object({ period: z.string(), value: numberOrNull }).optional(),
      'The value in the saved report of the period the action was opened in, else of the last period before it (--history); absent when there is none.',
    ),
    now: doc(
      z.object({ period: z.string(), value: numberOrNull }).optional(),
      'The value in this report; absent when the KPI is not in it.',
    ),
    met: doc(z.boolean().nullable(), 'Whether the value now meets `expected`; null without a value.'),
    significance: doc(
      z
        .object({
          significant: z.boolean().nullable(),
          method: z.string(),
          pValue: z.number().optional(),
          reason: z.string().optional(),
        })
        .optional(),
      'Whether the change from `before` to `now` is more than noise (src/report/significance.ts); absent when there is nothing to compare.',
    ),
    verdict: doc(
      z.enum(ACTION_VERDICTS),
      "effective: `expected` is met, or the KPI improved significantly toward it; not-yet-effective: open, not due, not met; overdue: open and due, not met; ineffective: done and due, no significant improvement; cancelled; no-data: no value now; not-comparable: the KPI's definition changed between `before` and `now`; not-judged: done and due, not met, and no `before` to compare with (no saved report of the period it was opened in or earlier).",
    ),
    reason: doc(z.string(), 'The verdict in words, with the values it rests on.'),
  }),
  'A corrective action (ISO/IEC 27001 10.2) and whether it worked.',
  'actionVerdict',
);
export type ActionVerdict = z.infer<typeof actionVerdictSchema>;

export const reportSchema = z.object({
  schemaVersion: doc(
    z.literal(REPORT_SCHEMA_VERSION),
    'Raised when a field is removed, renamed or changes meaning; new optional fields keep the version.',
  ),
  tool: doc(
    z.object({ name: z.literal('isms-kpi'), version: z.string() }),
    'The isms-kpi that wrote the report.',
  ),
  organisation: z.string(),
  document: documentControlSchema.optional(),
  catalogue: z.object({
    path: doc(
      z.string(),
      "The catalogue's file name. Every other path in the report is relative to the catalogue's folder.",
    ),
    sha256,
  }),
  period: z.object({
    label: doc(z.string(), '2026-Q3, 2026-09, FY2026-Q1, or first..last day of a custom period.'),
    start: doc(z.string(), 'First instant of the period (inclusive), UTC.'),
    end: doc(z.string(), 'First instant after the period (exclusive), UTC.'),
    timezone: doc(z.string(), 'IANA zone the period boundaries were computed in.'),
    complete: doc(
      z.boolean().optional(),
      'False when the period had not ended on the day the report was computed: its values cover part of it, no trend is judged, and the report is neither a baseline nor a history point. Absent in reports of earlier versions.',
    ),
    computedOn: doc(
      z.string().optional(),
      'For an incomplete period: the day (yyyy-MM-dd) the report was computed (the clock, or --today).',
    ),
  }),
  asOf: doc(
    z.string(),
    "The --as-of date, else the last day of the period (yyyy-MM-dd); each snapshot's own as-of is in `sources`.",
  ),
  generatedAt: doc(z.string().optional(), 'Time of the run; only with --timestamp.'),
  summary: doc(
    z.object({
      total: count,
      green: count,
      amber: count,
      red: count,
      'no-data': count,
      stale: count,
      info: count,
    }),
    'The number of KPIs, in total and per status.',
  ),
  sources: doc(
    z.array(sourceManifestSchema),
    'The evidence manifest: one entry per source file read, sorted by source name.',
  ),
  kpis: doc(z.array(kpiResultSchema), 'In catalogue order.'),
  objectives: doc(
    z
      .array(
        doc(
          z.object({
            id: z.string(),
            statement: z.string(),
            owner: z.string(),
            target: doc(z.string().optional(), 'What each of its KPIs should reach, e.g. `>= 95`.'),
            due: doc(z.string(), 'yyyy-MM-dd.'),
            kpis: doc(
              z.array(
                z.object({
                  id: z.string(),
                  value: numberOrNull,
                  status: statusSchema,
                  meetsTarget: doc(
                    z.boolean().nullable(),
                    'Whether the value meets the target (without a target: whether the KPI is green); null without a value.',
                  ),
                  forecast: doc(
                    z
                      .object({
                        state: z.enum(['met', 'on-track', 'off-track', 'too-few-points']),
                        points: doc(
                          count,
                          'Periods the fit used (saved reports given with --history and this one).',
                        ),
                        expected: doc(
                          z.string().optional(),
                          'The day (yyyy-MM-dd) the fitted line reaches the target.',
                        ),
                        slopePerDay: doc(
                          z.number().optional(),
                          "The fitted change per day, in the KPI's unit.",
                        ),
                      })
                      .optional(),
                    'With --history and a target: a Theil-Sen line over the periods; no forecast from fewer than 4 points.',
                  ),
                }),
              ),
              'The KPIs that name the objective, in catalogue order.',
            ),
            meeting: doc(count, 'How many of its KPIs meet the target.'),
            offTrack: doc(
              z.boolean(),
              'A KPI of it is forecast to reach the target after the due date, or never.',
            ),
          }),
          'An ISMS objective (clause 6.2) and the progress of its KPIs.',
          'objective',
        ),
      )
      .optional(),
    "The catalogue's objectives, in catalogue order; absent when it has none.",
  ),
  actions: doc(
    z.array(actionVerdictSchema).optional(),
    'The corrective actions (the `actions:` block, actions.yaml or --actions) with their effectiveness verdicts, in the order written; absent when there are none.',
  ),
});
export type Report = z.infer<typeof reportSchema>;
