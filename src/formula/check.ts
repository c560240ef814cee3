/**
 * Checks a parsed formula against the catalogue's sources and KPIs and produces the typed tree the
 * evaluator runs. Every name is resolved here, once: unknown fields, sources, functions and KPIs, type
 * errors and unsafe names are reported with the span of the offending part.
 */

import type { FieldType } from '../sources/table.js';
import { parseIsoDateTime } from '../time/parse-datetime.js';
import { closest } from '../util/closest.js';
import { article, FUNCTIONS, operator } from './functions.js';
import { AGGREGATES, type AggregateFn, type CheckedFormula, type Expr, type ValueType } from './ir.js';
import { type Ast, parseFormula, type Span } from './parse.js';
import { compileRegex } from './regex.js';
import { walk } from './walk.js';

export interface SourceShape {
  name: string;
  kind: 'events' | 'snapshot';
  fields: ReadonlyMap<string, FieldType>;
  /** Allowed values of enum fields, so a misspelt value in a formula is an error, not a silent 0. */
  enums?: ReadonlyMap<string, readonly string[]>;
}

export interface CheckEnv {
  sources: ReadonlyMap<string, SourceShape>;
  /** The ids of the catalogue's KPIs (one set for the whole catalogue). */
  kpis: ReadonlySet<string>;
  /** The measures of the catalogue's `manual:` block (manual("measure")); none when absent. */
  manual?: ReadonlySet<string>;
  /** The id of the KPI whose formula this is: kpi() of it is refused (a KPI cannot use its own value). */
  self?: string;
  /** Zone used to read date literals such as "2026-07-01". */
  tz: string;
}

export type FormulaErrorCode = 'formula-syntax' | 'formula-unknown' | 'formula-type' | 'formula-unsafe';

export interface FormulaError {
  code: FormulaErrorCode;
  message: string;
  span: Span;
}

/** Limits that keep any catalogue from making a formula arbitrarily expensive to check or run. */
export const MAX_FORMULA_LENGTH = 4000;
export const MAX_FORMULA_DEPTH = 64;
export { MAX_REGEX_LENGTH } from './regex.js';

const UNSAFE_NAMES = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

class CheckError extends Error {
  constructor(readonly error: FormulaError) {
    super(error.message);
  }
}

export function checkFormula(
  text: string,
  env: CheckEnv,
): { ok: true; formula: CheckedFormula } | { ok: false; error: FormulaError } {
  if (text.length > MAX_FORMULA_LENGTH) {
    return {
      ok: false,
      error: {
        code: 'formula-syntax',
        message: `formula is longer than ${MAX_FORMULA_LENGTH} characters`,
        span: { start: 0, end: 0 },
      },
    };
  }
  const parsed = parseFormula(text);
  if (!parsed.ok) {
    return {
      ok: false,
      error: {
        code: 'formula-syntax',
        message: parsed.error.message,
        span: { start: parsed.error.index, end: parsed.error.end ?? parsed.error.index + 1 },
      },
    };
  }
  const checker = new Checker(text, env);
  try {
    const expr = checker.top(parsed.ast);
    if (expr.type !== 'number' && expr.type !== 'null') {
      const hint =
        expr.type === 'duration'
          ? '; wrap it in hours(...), minutes(...) or days(...)'
          : expr.type === 'boolean'
            ? '; count rows with count(source, condition) instead'
            : '';
      throw new CheckError({
        code: 'formula-type',
        message: `the formula must give a number, but gives ${article(expr.type)}${hint}`,
        span: { start: 0, end: text.length },
      });
    }
    return {
      ok: true,
      formula: { text, expr, aggregates: checker.aggregates, ...usesOf(expr), roles: findRoles(expr) },
    };
  } catch (error) {
    if (error instanceof CheckError) return { ok: false, error: error.error };
    throw error;
  }
}

function fieldValueType(type: FieldType): ValueType {
  switch (type) {
    case 'string':
    case 'enum':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    default:
      return type;
  }
}

class Checker {
  readonly aggregates: Extract<Expr, { k: 'agg' }>[] = [];
  /** Sources bound in the current row scope, outermost first. */
  private scope: SourceShape[] = [];
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly env: CheckEnv,
  ) {}

  top(ast: Ast): Expr {
    return this.expr(ast);
  }

  private fail(code: FormulaErrorCode, message: string, span: Span): never {
    throw new CheckError({ code, message, span: trimSpan(this.text, span) });
  }

  private expr(ast: Ast): Expr {
    // Operators and calls are levels; names and literals only end a branch (as in the parser).
    if (ast.type === 'Identifier' || ast.type === 'Literal') return this.node(ast);
    if (++this.depth > MAX_FORMULA_DEPTH)
      this.fail('formula-syntax', `formula is nested more than ${MAX_FORMULA_DEPTH} levels deep`, ast);
    try {
      return this.node(ast);
    } finally {
      this.depth--;
    }
  }

  private node(ast: Ast): Expr {
    const span: Span = { start: ast.start, end: ast.end };
    switch (ast.type) {
      case 'Literal':
        if (typeof ast.value === 'number') return { k: 'const', value: ast.value, type: 'number', span };
        if (typeof ast.value === 'string') return { k: 'const', value: ast.value, type: 'string', span };
        if (typeof ast.value === 'boolean') return { k: 'const', value: ast.value, type: 'boolean', span };
        if (ast.value === null) return { k: 'const', value: null, type: 'null', span };
        return this.fail('formula-syntax', `unsupported literal ${ast.raw}`, span);
      case 'ArrayExpression': {
        const items: string[] = [];
        const kinds = new Set<'string' | 'number'>();
        for (const raw of ast.elements) {
          // A negative number in a list arrives as unary minus on a literal.
          const element =
            raw?.type === 'UnaryExpression' &&
            raw.operator === '-' &&
            raw.argument.type === 'Literal' &&
            typeof raw.argument.value === 'number'
              ? { ...raw.argument, value: -raw.argument.value }
              : raw;
          if (
            element?.type !== 'Literal' ||
            (typeof element.value !== 'string' && typeof element.value !== 'number')
          ) {
            return this.fail(
              'formula-type',
              'a list may only hold text or numbers, e.g. ["Critical", "High"]',
              element ?? span,
            );
          }
          items.push(String(element.value));
          kinds.add(typeof element.value === 'number' ? 'number' : 'string');
        }
        const kind = kinds.size > 1 ? 'mixed' : kinds.has('number') ? 'number' : 'string';
        return { k: 'const', value: items, type: 'list', span, items: kind };
      }
      case 'Identifier':
        return this.identifier(ast.name, span);
      case 'MemberExpression':
        return this.member(ast, span);
      case 'UnaryExpression': {
        const op = ast.operator === '!' ? 'not' : ast.operator === '-' ? 'neg' : ast.operator;
        if (ast.operator === '+') return this.expr(ast.argument);
        const arg = this.expr(ast.argument);
        return this.apply(op, [arg], [ast.argument], span);
      }
      case 'BinaryExpression':
        return this.binary(ast, span);
      case 'ConditionalExpression':
        return this.conditional([ast.test, ast.consequent, ast.alternate], span);
      case 'CallExpression':
        return this.call(ast, span);
      default:
        if (ast.kind === 'ThisExpression')
          return this.fail('formula-unsafe', '"this" is not allowed in formulas', span);
        return this.fail(
          'formula-syntax',
          `"${this.text.slice(span.start, span.end).trim()}" is not part of the formula language`,
          span,
        );
    }
  }

  private checkName(name: string, span: Span): void {
    if (UNSAFE_NAMES.has(name) || name.startsWith('__')) {
      this.fail(
        'formula-unsafe',
        `"${name}" is not allowed in formulas: only declared fields and documented functions can be used`,
        span,
      );
    }
  }

  private identifier(name: string, span: Span): Expr {
    this.checkName(name, span);
    if (this.scope.length === 0) {
      if (this.env.sources.has(name)) {
        this.fail(
          'formula-type',
          `source "${name}" can only be used as the first argument of an aggregate, e.g. count(${name})`,
          span,
        );
      }
      this.fail(
        'formula-unknown',
        `"${name}" is not defined here: fields can only be used inside an aggregate, e.g. count(source, ${name} == ...)`,
        span,
      );
    }
    const found: number[] = [];
    for (let depth = this.scope.length - 1; depth >= 0; depth--) {
      if (this.scope[depth]!.fields.has(name)) found.push(depth);
    }
    if (found.length > 1) {
      const names = found.map((d) => `${this.scope[d]!.name}.${name}`);
      this.fail(
        'formula-unknown',
        `"${name}" is a field of more than one source here; write ${names.join(' or ')}`,
        span,
      );
    }
    if (found.length === 1) {
      const depth = found[0]!;
      const source = this.scope[depth]!;
      const type = source.fields.get(name)!;
      return { k: 'field', depth, source: source.name, field: name, type: fieldValueType(type), span };
    }
    if (this.env.sources.has(name)) {
      this.fail(
        'formula-type',
        `source "${name}" cannot be used as a value; write ${name}.field, or exists(${name}, ...) to look up its rows`,
        span,
      );
    }
    const inner = this.scope[this.scope.length - 1]!;
    const candidates = this.scope.flatMap((s) => [...s.fields.keys()]);
    const suggestion = closest(name, candidates);
    this.fail(
      'formula-unknown',
      `unknown field "${name}" in source ${inner.name}${suggestion ? ` (did you mean "${suggestion}"?)` : `; its fields are ${[...inner.fields.keys()].join(', ')}`}`,
      span,
    );
  }

  private member(ast: Extract<Ast, { type: 'MemberExpression' }>, span: Span): Expr {
    if (ast.computed || ast.object.type !== 'Identifier' || ast.property.type !== 'Identifier') {
      return this.fail('formula-unsafe', 'only source.field is allowed after a dot', span);
    }
    const sourceName = ast.object.name;
    const fieldName = ast.property.name;
    this.checkName(sourceName, ast.object);
    this.checkName(fieldName, ast.property);
    const depth = findLastIndex(this.scope, (s) => s.name === sourceName);
    if (depth < 0) {
      if (!this.env.sources.has(sourceName)) this.unknownSource(sourceName, ast.object);
      this.fail(
        'formula-type',
        `source ${sourceName} is not in scope here; use it inside count(${sourceName}, ...) or exists(${sourceName}, ...)`,
        span,
      );
    }
    const source = this.scope[depth]!;
    const type = source.fields.get(fieldName);
    if (type === undefined) {
      const suggestion = closest(fieldName, [...source.fields.keys()]);
      this.fail(
        'formula-unknown',
        `unknown field "${fieldName}" in source ${sourceName}${suggestion ? ` (did you mean "${suggestion}"?)` : `; its fields are ${[...source.fields.keys()].join(', ')}`}`,
        ast.property,
      );
    }
    return { k: 'field', depth, source: sourceName, field: fieldName, type: fieldValueType(type), span };
  }

  private unknownSource(name: string, span: Span): never {
    const suggestion = closest(name, [...this.env.sources.keys()]);
    return this.fail(
      'formula-unknown',
      `unknown source "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : `; the catalogue declares ${[...this.env.sources.keys()].join(', ')}`}`,
      span,
    );
  }

  private binary(ast: Extract<Ast, { type: 'BinaryExpression' }>, span: Span): Expr {
    const op = ast.operator === '&&' ? 'and' : ast.operator === '||' ? 'or' : ast.operator;
    let left = this.expr(ast.left);
    let right = this.expr(ast.right);
    if ((op === '==' || op === '!=') && (left.type === 'null' || right.type === 'null')) {
      const value = left.type === 'null' ? right : left;
      return { k: 'call', fn: op === '==' ? 'is_null' : 'not_null', args: [value], type: 'boolean', span };
    }
    // A date written as text next to a datetime is read as a date in the catalogue's zone.
    if (['==', '!=', '<', '<=', '>', '>='].includes(op)) {
      if (left.type === 'datetime' && right.k === 'const' && right.type === 'string')
        right = this.dateLiteral(right);
      if (right.type === 'datetime' && left.k === 'const' && left.type === 'string')
        left = this.dateLiteral(left);
    }
    if (op === 'in') this.checkListLiteral(left, right);
    if (op === '==' || op === '!=' || op === 'in') {
      this.checkEnumLiteral(left, right);
      if (op !== 'in') this.checkEnumLiteral(right, left);
    }
    return this.apply(op, [left, right], [ast.left, ast.right], span);
  }

  /** `x in [...]` follows the rule of `==`: text is compared with text and numbers with numbers. */
  private checkListLiteral(value: Expr, list: Expr): void {
    if (list.k !== 'const' || list.items === undefined) return;
    if (value.type !== 'string' && value.type !== 'number') return;
    if (list.items === value.type) return;
    const written =
      list.items === 'mixed' ? 'a mix of text and numbers' : list.items === 'number' ? 'numbers' : 'text';
    const hint =
      value.type === 'string'
        ? 'write the items in quotes, e.g. ["4", "5"]'
        : 'write the items without quotes, e.g. [4, 5]';
    this.fail(
      'formula-type',
      `the list holds ${written} but the value is ${article(value.type)}; ${hint}`,
      list.span,
    );
  }

  /** `severity == "critical"` against an enum of Critical/High/...: refuse a value that can never match. */
  private checkEnumLiteral(field: Expr, literal: Expr): void {
    if (field.k !== 'field' || literal.k !== 'const') return;
    const allowed = this.scope[field.depth]?.enums?.get(field.field);
    if (!allowed) return;
    const values = Array.isArray(literal.value)
      ? literal.value
      : typeof literal.value === 'string'
        ? [literal.value]
        : [];
    for (const value of values) {
      if (allowed.includes(value)) continue;
      const near = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
      this.fail(
        'formula-type',
        `"${value}" is not a value of ${field.source}.${field.field}${near ? ` (did you mean "${near}"?)` : ''}; its values are ${allowed.join(', ')}`,
        literal.span,
      );
    }
  }

  private dateLiteral(expr: Extract<Expr, { k: 'const' }>): Expr {
    const ms = parseIsoDateTime(String(expr.value), this.env.tz);
    if (Number.isNaN(ms))
      this.fail(
        'formula-type',
        `"${expr.value}" is not a date; write dates as "2026-07-01" or "2026-07-01T09:00:00+02:00"`,
        expr.span,
      );
    return { k: 'const', value: ms, type: 'datetime', span: expr.span };
  }

  private apply(op: string, args: Expr[], asts: Ast[], span: Span): Expr {
    const resolved = operator(
      op,
      args.map((a) => a.type),
    );
    if (typeof resolved.type === 'object') {
      const at = resolved.type.arg !== undefined ? (asts[resolved.type.arg] ?? span) : span;
      this.fail('formula-type', resolved.type.error, at);
    }
    return { k: 'call', fn: op, args, type: resolved.type, span };
  }

  private conditional(asts: Ast[], span: Span): Expr {
    const [test, a, b] = asts.map((x) => this.expr(x)) as [Expr, Expr, Expr];
    if (test.type !== 'boolean' && test.type !== 'null')
      this.fail(
        'formula-type',
        `the condition of if() must be true/false, not ${article(test.type)}`,
        asts[0]!,
      );
    const type = a.type === 'null' ? b.type : a.type;
    if (a.type !== 'null' && b.type !== 'null' && a.type !== b.type)
      this.fail(
        'formula-type',
        `both branches of if() must have the same type (${a.type} and ${b.type})`,
        asts[2]!,
      );
    if (type === 'list') this.fail('formula-type', 'if() cannot choose between lists', span);
    return { k: 'call', fn: 'if', args: [test, a, b], type, span };
  }

  private call(ast: Extract<Ast, { type: 'CallExpression' }>, span: Span): Expr {
    if (ast.callee.type !== 'Identifier') {
      return this.fail(
        'formula-unsafe',
        'only documented functions can be called, e.g. count(...) or lower(...)',
        ast.callee,
      );
    }
    const name = ast.callee.name;
    this.checkName(name, ast.callee);
    const args = ast.arguments;
    if ((AGGREGATES as readonly string[]).includes(name))
      return this.aggregate(name as AggregateFn, args, span);
    switch (name) {
      case 'cumulative':
        return this.fail(
          'formula-type',
          'cumulative() can only be the first argument of an aggregate, e.g. count(cumulative(leavers), enabled)',
          span,
        );
      case 'exists':
        return this.exists(args, span);
      case 'kpi':
        return this.kpi(args, span);
      case 'manual':
        return this.manual(args, span);
      case 'matches':
        return this.matches(args, span);
      case 'date':
        if (args.length !== 1 || args[0]!.type !== 'Literal' || typeof args[0]!.value !== 'string') {
          return this.fail(
            'formula-type',
            'date() takes one date written as text, e.g. date("2026-07-01")',
            span,
          );
        }
        return this.dateLiteral({ k: 'const', value: args[0]!.value, type: 'string', span: args[0]! });
      case 'if':
        if (args.length !== 3)
          this.fail(
            'formula-type',
            `if() takes 3 arguments (condition, then, else), not ${args.length}`,
            span,
          );
        return this.conditional(args, span);
    }
    const def = FUNCTIONS.get(name);
    if (!def) {
      const known = [
        ...FUNCTIONS.keys(),
        ...AGGREGATES,
        'exists',
        'kpi',
        'manual',
        'matches',
        'date',
        'if',
        'cumulative',
      ];
      const suggestion = closest(name, known);
      return this.fail(
        'formula-unknown',
        `unknown function "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; see docs/catalogue.md for the list`,
        ast.callee,
      );
    }
    if (args.length < def.min || args.length > def.max) {
      const count = def.min === def.max ? `${def.min}` : `${def.min} to ${def.max}`;
      this.fail(
        'formula-type',
        `${name}() takes ${count} argument${def.max === 1 ? '' : 's'}, not ${args.length}`,
        span,
      );
    }
    const checked = args.map((a) => this.expr(a));
    const type = def.type(checked.map((c) => c.type));
    if (typeof type === 'object')
      this.fail('formula-type', `${name}(): ${type.error}`, args[type.arg ?? 0] ?? span);
    return { k: 'call', fn: name, args: checked, type, span };
  }

  private sourceArg(ast: Ast | undefined, fn: string, span: Span): SourceShape {
    if (
      ast?.type === 'CallExpression' &&
      ast.callee.type === 'Identifier' &&
      ast.callee.name === 'cumulative'
    )
      this.fail(
        'formula-type',
        `${fn}() looks at the rows of a source in the period: write the source name here; cumulative() is only for the source of an aggregate, e.g. count(cumulative(leavers), ...)`,
        ast,
      );
    if (ast?.type !== 'Identifier') {
      return this.fail('formula-type', `the first argument of ${fn}() must be a source name`, ast ?? span);
    }
    this.checkName(ast.name, ast);
    const source = this.env.sources.get(ast.name);
    if (!source) this.unknownSource(ast.name, ast);
    return source;
  }

  private aggregate(fn: AggregateFn, args: Ast[], span: Span): Expr {
    if (this.scope.length > 0) {
      this.fail(
        'formula-type',
        `${fn}() cannot be used inside another aggregate; use exists(source, condition) to look up rows of another source`,
        span,
      );
    }
    const { source, cumulative } = this.aggregateSource(args[0], fn, span);
    const shapes: Record<AggregateFn, [number, number]> = {
      count: [1, 2],
      sum: [2, 3],
      mean: [2, 3],
      median: [2, 3],
      min: [2, 3],
      max: [2, 3],
      count_distinct: [2, 3],
      percentile: [3, 4],
    };
    const [min, max] = shapes[fn];
    if (args.length < min || args.length > max) {
      const usage =
        fn === 'count'
          ? 'count(source) or count(source, condition)'
          : fn === 'percentile'
            ? 'percentile(source, value, p) or percentile(source, value, p, condition)'
            : `${fn}(source, value) or ${fn}(source, value, condition)`;
      this.fail('formula-type', `${fn}() is written ${usage}`, span);
    }
    this.scope.push(source);
    try {
      let value: Expr | undefined;
      let p: number | undefined;
      let predAst: Ast | undefined;
      if (fn === 'count') predAst = args[1];
      else {
        value = this.expr(args[1]!);
        this.checkAggregateValue(fn, value, args[1]!);
        if (fn === 'percentile') {
          const pAst = args[2]!;
          if (
            pAst.type !== 'Literal' ||
            typeof pAst.value !== 'number' ||
            pAst.value < 0 ||
            pAst.value > 100
          ) {
            this.fail(
              'formula-type',
              'the percentile must be a number from 0 to 100, e.g. percentile(incidents, hours(created, resolved), 90)',
              pAst,
            );
          }
          p = pAst.value;
          predAst = args[3];
        } else predAst = args[2];
      }
      let pred: Expr | undefined;
      if (predAst) {
        pred = this.expr(predAst);
        if (pred.type !== 'boolean' && pred.type !== 'null') {
          this.fail(
            'formula-type',
            `the condition of ${fn}() must be true/false, not ${article(pred.type)}`,
            predAst,
          );
        }
      }
      const type: ValueType =
        fn === 'count' || fn === 'count_distinct'
          ? 'number'
          : value!.type === 'null'
            ? 'number'
            : value!.type;
      const node: Extract<Expr, { k: 'agg' }> = {
        k: 'agg',
        index: this.aggregates.length,
        fn,
        source: source.name,
        ...(cumulative ? { cumulative } : {}),
        ...(value ? { value } : {}),
        ...(pred ? { pred } : {}),
        ...(p !== undefined ? { p } : {}),
        type,
        span,
        text: this.text.slice(span.start, span.end).trim(),
      };
      this.aggregates.push(node);
      return node;
    } finally {
      this.scope.pop();
    }
  }

  /** The first argument of an aggregate: a source name, or cumulative(source) for an events source. */
  private aggregateSource(
    ast: Ast | undefined,
    fn: string,
    span: Span,
  ): { source: SourceShape; cumulative?: true } {
    if (
      ast?.type !== 'CallExpression' ||
      ast.callee.type !== 'Identifier' ||
      ast.callee.name !== 'cumulative'
    )
      return { source: this.sourceArg(ast, fn, span) };
    const inner = ast.arguments[0];
    if (ast.arguments.length !== 1 || inner?.type !== 'Identifier')
      this.fail('formula-type', 'cumulative() takes one source name, e.g. cumulative(leavers)', ast);
    const source = this.sourceArg(inner, fn, span);
    if (source.kind !== 'events')
      this.fail(
        'formula-type',
        `cumulative(${source.name}): ${source.name} is a snapshot, which holds every row up to its as-of date already; cumulative() is for events sources`,
        ast,
      );
    return { source, cumulative: true };
  }

  private checkAggregateValue(fn: AggregateFn, value: Expr, ast: Ast): void {
    const t = value.type;
    if (fn === 'count_distinct') {
      if (t === 'list') this.fail('formula-type', 'count_distinct() cannot count lists', ast);
      return;
    }
    const allowed: ValueType[] =
      fn === 'min' || fn === 'max'
        ? ['number', 'duration', 'datetime', 'null']
        : ['number', 'duration', 'null'];
    if (!allowed.includes(t)) {
      const hint =
        t === 'datetime'
          ? '; for times between two dates use hours(start, end) or days(start, end)'
          : t === 'string'
            ? '; count rows with count(source, condition) instead'
            : '';
      this.fail(
        'formula-type',
        `${fn}() needs numbers, but ${this.text.slice(ast.start, ast.end).trim()} is ${article(t)}${hint}`,
        ast,
      );
    }
  }

  private exists(args: Ast[], span: Span): Expr {
    if (this.scope.length === 0) {
      this.fail(
        'formula-type',
        'exists() tests rows one by one, so it belongs inside an aggregate, e.g. count(leavers, exists(accounts, accounts.upn == leavers.upn))',
        span,
      );
    }
    if (args.length !== 2) this.fail('formula-type', 'exists() is written exists(source, condition)', span);
    const source = this.sourceArg(args[0], 'exists', span);
    if (this.scope.some((bound) => bound.name === source.name)) {
      this.fail(
        'formula-type',
        `exists(${source.name}, ...) inside a formula already over ${source.name} cannot tell the two rows apart; comparing a source with itself is not supported`,
        span,
      );
    }
    this.scope.push(source);
    try {
      const pred = this.expr(args[1]!);
      if (pred.type !== 'boolean' && pred.type !== 'null')
        this.fail(
          'formula-type',
          `the condition of exists() must be true/false, not ${article(pred.type)}`,
          args[1]!,
        );
      return { k: 'exists', depth: this.scope.length - 1, source: source.name, pred, type: 'boolean', span };
    } finally {
      this.scope.pop();
    }
  }

  private kpi(args: Ast[], span: Span): Expr {
    if (this.scope.length > 0)
      this.fail('formula-type', 'kpi() gives a KPI value and cannot be used inside an aggregate', span);
    const arg = args[0];
    if (args.length !== 1 || !arg || arg.type !== 'Literal' || typeof arg.value !== 'string') {
      return this.fail('formula-type', 'kpi() takes the id of another KPI as text, e.g. kpi("IR-02")', span);
    }
    const id = arg.value;
    if (id === this.env.self) this.fail('formula-unknown', 'a KPI cannot use its own value', arg);
    if (!this.env.kpis.has(id)) {
      const suggestion = closest(
        id,
        [...this.env.kpis].filter((k) => k !== this.env.self),
      );
      this.fail(
        'formula-unknown',
        `unknown KPI "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        arg,
      );
    }
    return { k: 'kpi', id, type: 'number', span };
  }

  private manual(args: Ast[], span: Span): Expr {
    if (this.scope.length > 0)
      this.fail(
        'formula-type',
        'manual() gives the value entered for the period and cannot be used inside an aggregate',
        span,
      );
    const arg = args[0];
    if (args.length !== 1 || !arg || arg.type !== 'Literal' || typeof arg.value !== 'string') {
      return this.fail(
        'formula-type',
        'manual() takes the name of a measure of the manual: block as text, e.g. manual("downtime_minutes")',
        span,
      );
    }
    const measure = arg.value;
    const known = this.env.manual ?? new Set<string>();
    if (!known.has(measure)) {
      const suggestion = closest(measure, [...known]);
      this.fail(
        'formula-unknown',
        `unknown manual measure "${measure}"${suggestion ? ` (did you mean "${suggestion}"?)` : known.size === 0 ? ': the catalogue has no manual: block' : `; the manual: block has ${[...known].join(', ')}`}`,
        arg,
      );
    }
    return { k: 'manual', measure, type: 'number', span };
  }

  private matches(args: Ast[], span: Span): Expr {
    if (args.length < 2 || args.length > 3)
      this.fail(
        'formula-type',
        'matches() is written matches(text, "regex") or matches(text, "regex", "i")',
        span,
      );
    const text = this.expr(args[0]!);
    if (text.type !== 'string' && text.type !== 'null')
      this.fail('formula-type', `matches(): argument 1 must be text, not ${article(text.type)}`, args[0]!);
    const pattern = args[1]!;
    if (pattern.type !== 'Literal' || typeof pattern.value !== 'string') {
      return this.fail(
        'formula-type',
        'the pattern of matches() must be written as text in the formula',
        pattern,
      );
    }
    const flagsAst = args[2];
    let flags = '';
    if (flagsAst) {
      if (flagsAst.type !== 'Literal' || (flagsAst.value !== 'i' && flagsAst.value !== ''))
        this.fail('formula-type', 'the only flag matches() accepts is "i" (ignore case)', flagsAst);
      flags = String(flagsAst.value);
    }
    try {
      // JavaScript's own parser first, for its messages about typos ("unterminated group", ...)
      new RegExp(pattern.value, flags);
    } catch (error) {
      return this.fail(
        'formula-syntax',
        `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`,
        pattern,
      );
    }
    const compiled = compileRegex(pattern.value, flags as '' | 'i');
    if (!compiled.ok) {
      const { code, message, start, end } = compiled.error;
      const at = patternSpan(pattern, start, end);
      return this.fail(code, `regular expression refused: ${message}`, at);
    }
    const regex = compiled.regex;
    return {
      k: 'call',
      fn: 'matches',
      args: [text, { k: 'regex', regex, type: 'string', span: pattern }],
      type: 'boolean',
      span,
    };
  }
}

/**
 * Where characters start..end of a pattern's value stand in the formula: the literal's quote and every
 * escape (\\, \", \n, ...) shift them.
 */
function patternSpan(literal: Ast & { raw: string }, start: number, end: number): Span {
  const offsets: number[] = [];
  const raw = literal.raw;
  for (let r = 1; r < raw.length - 1; r++) {
    offsets.push(r);
    if (raw[r] === '\\') r++;
  }
  offsets.push(raw.length - 1);
  const at = (i: number) => literal.start + offsets[Math.min(i, offsets.length - 1)]!;
  return { start: at(start), end: Math.max(at(end), at(start) + 1) };
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  end = Math.min(end, text.length);
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  while (start < end && /\s/.test(text[start]!)) start++;
  return { start, end: Math.max(end, start + 1) };
}

/**
 * The sources, KPIs and fields a checked formula reads, each in the order first written (every name in
 * the tree was resolved by the checker; the tree holds nothing it did not accept).
 */
function usesOf(expr: Expr): Pick<CheckedFormula, 'sources' | 'kpis' | 'fields' | 'manual'> {
  const sources = new Set<string>();
  const kpis = new Set<string>();
  const manual = new Set<string>();
  const fields = new Map<string, Set<string>>();
  walk(expr, (node) => {
    if (node.k === 'agg' || node.k === 'exists') sources.add(node.source);
    else if (node.k === 'kpi') kpis.add(node.id);
    else if (node.k === 'manual') manual.add(node.measure);
    else if (node.k === 'field') {
      const set = fields.get(node.source) ?? new Set<string>();
      set.add(node.field);
      fields.set(node.source, set);
    }
    return undefined;
  });
  return { sources: [...sources], kpis: [...kpis], fields, manual: [...manual] };
}

/**
 * Numerator and denominator exist only where the formula's value IS their ratio: the whole formula is
 * pct(A, B), ratio(A, B) or A / B of two aggregates, possibly inside round() (which keeps it that ratio,
 * to fewer decimals). Nowhere else: a ratio inside if(), a sum, a product, or a ratio of anything but
 * two aggregates gives no roles, so no report shows a pair of counts the value is not the ratio of.
 * Decision (issue 14.1): round() is the only wrapper; any other function changes what the value is.
 */
function findRoles(expr: Expr): Map<number, 'numerator' | 'denominator'> {
  const roles = new Map<number, 'numerator' | 'denominator'>();
  let top = expr;
  while (top.k === 'call' && top.fn === 'round') top = top.args[0]!;
  if (top.k !== 'call' || (top.fn !== 'pct' && top.fn !== 'ratio' && top.fn !== '/')) return roles;
  const [a, b] = top.args;
  if (a?.k !== 'agg' || b?.k !== 'agg') return roles;
  roles.set(a.index, 'numerator');
  roles.set(b.index, 'denominator');
  return roles;
}
