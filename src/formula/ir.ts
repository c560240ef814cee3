/**
 * The checked form of a formula: every name resolved, every type known. The checker produces it once when
 * the catalogue loads; the evaluator runs it over whole columns.
 */
import type { Span } from './parse.js';
import type { TextMatcher } from './regex.js';

export type ValueType = 'number' | 'string' | 'boolean' | 'datetime' | 'duration' | 'list' | 'null';

export const AGGREGATES = [
  'count',
  'sum',
  'mean',
  'median',
  'percentile',
  'min',
  'max',
  'count_distinct',
] as const;
export type AggregateFn = (typeof AGGREGATES)[number];

export type Expr =
  /** A field of the row bound at `depth` (0 = the aggregate's own source, 1 = the first exists(), ...). */
  | { k: 'field'; depth: number; source: string; field: string; type: ValueType; span: Span }
  | {
      k: 'const';
      value: number | string | boolean | null | string[];
      type: ValueType;
      span: Span;
      /** A list literal: what its items were written as (they are kept as text). */
      items?: 'string' | 'number' | 'mixed';
    }
  /** Operators and functions, all from the allow-list in functions.ts. */
  | { k: 'call'; fn: string; args: Expr[]; type: ValueType; span: Span }
  /** A compiled regular expression for matches(), on the linear-time engine of regex.ts. */
  | { k: 'regex'; regex: TextMatcher; type: 'string'; span: Span }
  | { k: 'exists'; depth: number; source: string; pred: Expr; type: 'boolean'; span: Span }
  | {
      k: 'agg';
      /** Position of this aggregate in the formula, for traces ("aggregate 1 of 2"). */
      index: number;
      fn: AggregateFn;
      source: string;
      /**
       * Written `fn(cumulative(source), ...)`: the rows of the events source from its beginning up to the
       * period end (time < end), instead of the rows in the period.
       */
      cumulative?: true;
      value?: Expr;
      pred?: Expr;
      /** percentile(): 0-100. */
      p?: number;
      type: ValueType;
      span: Span;
      text: string;
    }
  | { k: 'kpi'; id: string; type: 'number'; span: Span }
  /** manual("measure"): the value entered by hand for the reported period (the catalogue's `manual:`). */
  | { k: 'manual'; measure: string; type: 'number'; span: Span };

export interface CheckedFormula {
  text: string;
  expr: Expr;
  /** Aggregates in the order they appear. */
  aggregates: Extract<Expr, { k: 'agg' }>[];
  /** Sources the formula reads (aggregates and lookups). */
  sources: string[];
  /** The fields the formula reads, per source (intake stores only these). */
  fields: Map<string, Set<string>>;
  /** KPIs whose values this one uses. */
  kpis: string[];
  /** Manually collected measures this one reads with manual(). */
  manual: string[];
  /**
   * Where the formula's value is the ratio of two aggregates (pct, ratio or `/`, maybe inside round()):
   * which is the numerator and which the denominator. Empty for every other formula.
   */
  roles: Map<number, 'numerator' | 'denominator'>;
}
