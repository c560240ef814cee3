/**
 * Formula safety: nothing outside the documented language can be named, called or reached, whatever
 * JavaScript would make of it; risky regular expressions and oversized formulas are refused at load
 * with a located error.
 */
import { describe, expect, it } from 'vitest';
import {
  type CheckEnv,
  checkFormula,
  MAX_FORMULA_DEPTH,
  MAX_FORMULA_LENGTH,
} from '../../src/formula/check.js';
import { formatProblem } from '../../src/problems.js';
import type { FieldType } from '../../src/sources/table.js';
import { catalogueYaml, csv, kpiResults, runError } from './harness.js';

const ENV: CheckEnv = {
  sources: new Map([
    [
      'incidents',
      {
        name: 'incidents',
        kind: 'events',
        fields: new Map<string, FieldType>([
          ['id', 'string'],
          ['severity', 'enum'],
          ['n', 'number'],
          ['opened', 'datetime'],
          ['ok', 'boolean'],
          ['labels', 'list'],
        ]),
      },
    ],
  ]),
  kpis: new Set(['IR-01']),
  tz: 'UTC',
};

const SOURCE = '  incidents:\n    path: i.csv\n    kind: snapshot\n    fields:\n      id: id\n';

function refusal(formula: string) {
  const result = checkFormula(formula, ENV);
  if (result.ok) throw new Error(`formula was accepted: ${formula}`);
  return result.error;
}

describe('names and constructs outside the language are refused', () => {
  const cases: [string, string][] = [
    ['count(incidents, constructor.constructor("return 1")() == 1)', 'formula-unsafe'],
    ['count(incidents, constructor.constructor == 1)', 'formula-unsafe'],
    ['count(incidents, constructor == 1)', 'formula-unsafe'],
    ['count(incidents, __proto__ == null)', 'formula-unsafe'],
    ['count(incidents, incidents.__proto__ == null)', 'formula-unsafe'],
    ['count(incidents, prototype == null)', 'formula-unsafe'],
    ['count(incidents, __defineGetter__ == null)', 'formula-unsafe'],
    ['count(incidents, toString == "x")', 'formula-unknown'],
    ['count(incidents, valueOf == 1)', 'formula-unknown'],
    ['count(incidents, hasOwnProperty == 1)', 'formula-unknown'],
    ['count(incidents, isPrototypeOf == 1)', 'formula-unknown'],
    ['count(incidents, propertyIsEnumerable == 1)', 'formula-unknown'],
    ['count(incidents, toLocaleString == 1)', 'formula-unknown'],
    ['count(incidents, incidents.toString == "x")', 'formula-unknown'],
    ['count(incidents, incidents.valueOf == 1)', 'formula-unknown'],
    ['count(incidents, incidents.hasOwnProperty == 1)', 'formula-unknown'],
    ['count(incidents, incidents["constructor"] == 1)', 'formula-unsafe'],
    ['count(incidents, incidents["severity"] == "High")', 'formula-unsafe'],
    ['count(incidents, severity.toString() == "x")', 'formula-unsafe'],
    ['count(incidents, incidents.severity.length == 1)', 'formula-unsafe'],
    ['count(incidents, lower.call(severity) == "x")', 'formula-unsafe'],
    // functions and sources named like Object.prototype members
    ['toString(1)', 'formula-unknown'],
    ['valueOf(count(incidents))', 'formula-unknown'],
    ['count(incidents, hasOwnProperty("severity"))', 'formula-unknown'],
    ['constructor(1)', 'formula-unsafe'],
    ['count(toString)', 'formula-unknown'],
    ['count(hasOwnProperty)', 'formula-unknown'],
    ['count(constructor)', 'formula-unsafe'],
    ['count(__proto__)', 'formula-unsafe'],
    ['kpi("constructor")', 'formula-unknown'],
    ['kpi("__proto__")', 'formula-unknown'],
    ['kpi("toString")', 'formula-unknown'],
  ];

  it.each(cases)('%s -> %s', (formula, code) => {
    const error = refusal(formula);
    expect(error.code).toBe(code);
    expect(error.span.start).toBeGreaterThanOrEqual(0);
    expect(error.span.end).toBeLessThanOrEqual(formula.length);
    expect(error.span.end).toBeGreaterThan(error.span.start);
  });

  it('`this` is refused', () => {
    const error = refusal('count(incidents, this == 1)');
    expect(error.message).toBe('"this" is not allowed in formulas');
    expect(error.code).toBe('formula-unsafe');
    expect(error.span).toEqual({ start: 17, end: 21 });
  });

  it.each([
    ['count(incidents, this.severity == "x")', 'formula-unsafe'],
    ['count(incidents, new Foo() == 1)', 'formula-syntax'],
    ['count(incidents, n | 1)', 'formula-syntax'],
    ['count(incidents, severity === "x")', 'formula-syntax'],
    ['count(incidents, n ?? 1)', 'formula-syntax'],
    ['count(incidents, `x` == 1)', 'formula-syntax'],
    ['count(incidents); 1', 'formula-syntax'],
  ])('%s is refused (%s)', (formula, code) => {
    expect(refusal(formula).code).toBe(code);
  });

  it('the names are reported where they are written', () => {
    const formula = 'count(incidents, severity == "x" and __proto__ == null)';
    expect(refusal(formula).span).toEqual({
      start: formula.indexOf('__proto__'),
      end: formula.indexOf('__proto__') + 9,
    });
    const member = 'count(incidents, incidents["constructor"] == 1)';
    expect(refusal(member).span.start).toBe(member.indexOf('incidents['));
  });

  it('a polluted Object.prototype does not make a field, function, source or KPI known', async () => {
    const proto = Object.prototype as unknown as Record<string, unknown>;
    proto.polluted = 1;
    try {
      expect(refusal('count(incidents, polluted == 1)').code).toBe('formula-unknown');
      expect(refusal('count(incidents, incidents.polluted == 1)').code).toBe('formula-unknown');
      expect(refusal('polluted(1)').code).toBe('formula-unknown');
      expect(refusal('count(polluted)').code).toBe('formula-unknown');
      expect(refusal('kpi("polluted")').code).toBe('formula-unknown');
      // A whole catalogue load fails closed: with an enumerable "polluted" on every object, the strict
      // schema sees an unknown key everywhere, and the data is never read.
      const error = await runError({
        'metrics.yaml': catalogueYaml(SOURCE, [{ id: 'A', formula: 'count(incidents, polluted == 1)' }]),
      });
      expect(error.problems.length).toBeGreaterThan(0);
      expect(error.problems.every((p) => p.code === 'catalogue-schema' || p.code === 'formula-unknown')).toBe(
        true,
      );
    } finally {
      delete proto.polluted;
    }
    // A non-enumerable member of Object.prototype passes the schema and is an unknown field
    Object.defineProperty(Object.prototype, 'polluted', {
      value: 1,
      configurable: true,
      writable: true,
      enumerable: false,
    });
    try {
      const formula = 'count(incidents, polluted == 1)';
      const error = await runError({ 'metrics.yaml': catalogueYaml(SOURCE, [{ id: 'A', formula }]) });
      // header (3 lines) + source (5 lines) + "kpis:": the formula is on line 15, after `    formula: "`
      expect(error.problems.map(formatProblem)).toEqual([
        `metrics.yaml:15:${15 + formula.indexOf('polluted')}: kpi A: unknown field "polluted" in source incidents; its fields are id`,
      ]);
    } finally {
      delete proto.polluted;
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('unsafe formulas are refused when the catalogue loads, before any data is read', async () => {
    const source = '  incidents:\n    path: missing.csv\n    kind: snapshot\n    fields:\n      id: id\n';
    const formulas = [
      'count(incidents, constructor.constructor("return process")() == 1)',
      'count(incidents, id.constructor == 1)',
      'count(incidents, incidents["constructor"] == 1)',
      'count(incidents, __proto__ == null)',
      'count(incidents, toString == "x")',
    ];
    const error = await runError({
      'metrics.yaml': catalogueYaml(
        source,
        formulas.map((formula, i) => ({ id: `K${i}`, formula })),
      ),
    });
    // One located problem per KPI, and no file-missing: the data was never read
    expect(error.problems.map((p) => p.code)).toEqual([
      'formula-unsafe',
      'formula-unsafe',
      'formula-unsafe',
      'formula-unsafe',
      'formula-unknown',
    ]);
    for (const p of error.problems) {
      expect(p.location.file).toBe('metrics.yaml');
      expect(p.location.line).toBeGreaterThan(0);
      expect(p.location.col).toBeGreaterThan(0);
    }
  });
});

describe('regular expressions in matches()', () => {
  it.each([
    '(a+)+$',
    '(a|aa)*b',
    '(.*a){20}',
    '(a*)*',
    '([a-z]+)+x',
    '(x+x+)+y',
    '((ab)*)+',
    '(\\w|\\d)+$',
    '(\\w\\w?)*$',
    'a*a*a*a*a*a*a*a*b',
  ])('the pattern %s, slow only for a backtracking engine, is accepted', (pattern) => {
    expect(checkFormula(`count(incidents, matches(id, ${JSON.stringify(pattern)}))`, ENV).ok).toBe(true);
  });

  // [pattern, message, the part of the formula the error points at]
  it.each([
    ['(a)\\1', /back-references such as \\1 are not supported/, '\\\\1'],
    ['(?=a)a', /lookahead "\(\?=" is not supported/, '(?='],
    ['b(?<!a)', /lookbehind "\(\?<!" is not supported/, '(?<!'],
    ['^INC\\z', /\\z is not an escape in JavaScript patterns; use \$/, '\\\\z'],
    ['a'.repeat(201), /limited to 200 characters/, 'a'],
  ])('%s is refused, located on the construct', (pattern, message, part) => {
    const formula = `count(incidents, matches(id, ${JSON.stringify(pattern)}))`;
    const error = refusal(formula);
    expect(error.code).toBe('formula-unsafe');
    expect(error.message).toMatch(/^regular expression refused: /);
    expect(error.message).toMatch(message);
    const at = formula.indexOf(part, formula.indexOf('"') + 1);
    expect(formula.slice(error.span.start, error.span.end)).toBe(
      pattern.length > 200 ? formula.slice(at + 200, formula.lastIndexOf('"')) : part,
    );
  });

  it('an invalid pattern is a syntax error', () => {
    expect(refusal('count(incidents, matches(id, "(a"))').code).toBe('formula-syntax');
  });

  it('a pattern must be written in the formula', () => {
    expect(refusal('count(incidents, matches(id, severity))').code).toBe('formula-type');
  });

  it.each(['^INC-\\d{4}$', '(ab)+c', '[a-z]+@acme\\.com', '^(critical|high)$'])(
    'the pattern %s is accepted',
    (pattern) => {
      expect(checkFormula(`count(incidents, matches(id, ${JSON.stringify(pattern)}, "i"))`, ENV).ok).toBe(
        true,
      );
    },
  );

  it('a refused pattern is reported at its line and column in the catalogue, with a caret', async () => {
    // a plain (unquoted) YAML scalar, so every column of the formula is exact
    const formula = 'count(incidents, matches(id, "^(a)\\\\1$"))';
    const yaml = catalogueYaml(SOURCE, [{ id: 'R1', formula: 'X' }]).replace(
      'formula: "X"',
      `formula: ${formula}`,
    );
    const run = await runError({ 'metrics.yaml': yaml, 'i.csv': 'id\nx\n' });
    const p = run.problems[0]!;
    // the formula starts on line 15 at column 14; `\\1` is at formula index 34
    expect(formula.indexOf('\\\\1')).toBe(34);
    expect(formatProblem(p)).toBe(
      'metrics.yaml:15:48: kpi R1: regular expression refused: back-references such as \\1 are not supported (matches() runs in linear time; back-references need backtracking)',
    );
    expect(p.code).toBe('formula-unsafe');
    expect(p.detail?.[1]).toBe(`  ${' '.repeat(34)}^^^`);
  });

  it('patterns that hang a backtracking engine answer on long values, once per distinct value', async () => {
    const source = `  incidents:
    path: incidents.csv
    kind: snapshot
    csv: { delimiter: "," }
    fields:
      id: id
`;
    const long = 'a'.repeat(10_000);
    const results = await kpiResults({
      'metrics.yaml': catalogueYaml(source, [
        { id: 'M1', formula: 'count(incidents, matches(id, "^(a+)+$"))' },
        { id: 'M2', formula: 'count(incidents, matches(id, "^INC-[0-9]+$", "i"))' },
        { id: 'M3', formula: 'count(incidents, matches(id, "a*a*a*a*a*a*a*a*b"))' },
        { id: 'M4', formula: 'count(incidents, matches(id, "(\\\\w\\\\w?)*!$"))' },
      ]),
      'incidents.csv': csv([
        ['id'],
        [`${long}!`],
        [`${long}!`],
        [long],
        ['aaaa'],
        ['inc-17'],
        ['INC-18'],
        ['INC-x'],
      ]),
    });
    expect(results.get('M1')!.value).toBe(2); // the 10,000 a's and "aaaa"
    expect(results.get('M2')!.value).toBe(2);
    expect(results.get('M3')!.value).toBe(0);
    expect(results.get('M4')!.value).toBe(2);
  });
});

describe('size limits', () => {
  it(`a formula longer than ${MAX_FORMULA_LENGTH} characters is refused with a located error`, async () => {
    const formula = `count(incidents, ${Array(400).fill('n == 1').join(' or ')})`;
    expect(formula.length).toBeGreaterThan(MAX_FORMULA_LENGTH);
    const error = refusal(formula);
    expect(error.code).toBe('formula-syntax');
    expect(error.message).toBe('formula is longer than 4000 characters');

    const source =
      '  incidents:\n    path: i.csv\n    kind: snapshot\n    fields:\n      n: { type: number }\n';
    const run = await runError({ 'metrics.yaml': catalogueYaml(source, [{ id: 'A', formula }]) });
    expect(run.problems).toHaveLength(1);
    const p = run.problems[0]!;
    // header (3 lines) + source (5 lines) + "kpis:" -> the KPI starts on line 10, its formula is on line 15
    // and starts after `    formula: "` (column 14 + the quote)
    expect(formatProblem(p)).toBe('metrics.yaml:15:15: kpi A: formula is longer than 4000 characters');
  });

  it(`a formula nested ${MAX_FORMULA_DEPTH} levels deep is accepted`, () => {
    // 63 abs() around one aggregate: 64 levels
    const formula = `${'abs('.repeat(63)}count(incidents)${')'.repeat(63)}`;
    expect(checkFormula(formula, ENV).ok).toBe(true);
  });

  it(`a formula nested deeper than ${MAX_FORMULA_DEPTH} levels gives a located error, not an exception`, async () => {
    const formula = `${'abs('.repeat(64)}count(incidents)${')'.repeat(64)}`;
    const error = refusal(formula);
    expect(error.code).toBe('formula-syntax');
    expect(error.message).toBe('formula is nested more than 64 levels deep');
    // the 65th level is the aggregate
    expect(error.span).toEqual({ start: 4 * 64, end: 4 * 64 + 'count(incidents)'.length });

    const source =
      '  incidents:\n    path: i.csv\n    kind: snapshot\n    fields:\n      n: { type: number }\n';
    const run = await runError({ 'metrics.yaml': catalogueYaml(source, [{ id: 'A', formula }]) });
    expect(run.problems.map(formatProblem)).toEqual([
      `metrics.yaml:15:${15 + 4 * 64}: kpi A: formula is nested more than 64 levels deep`,
    ]);
    expect(run.problems[0]!.detail![1]).toBe(
      `  ${' '.repeat(4 * 64)}${'^'.repeat('count(incidents)'.length)}`,
    );
  });

  it.each([
    ['not', `count(incidents, ${'not '.repeat(500)}ok)`],
    ['+', `1${' + 1'.repeat(500)}`],
    ['and', `count(incidents, ${'ok and '.repeat(300)}ok)`],
    ['if', `${'if(count(incidents) > 1, '.repeat(100)}1${', 2)'.repeat(100)}`],
  ])('deep nesting with %s gives a located error', (_what, formula) => {
    expect(formula.length).toBeLessThanOrEqual(MAX_FORMULA_LENGTH);
    const error = refusal(formula);
    expect(error.code).toBe('formula-syntax');
    expect(error.message).toBe('formula is nested more than 64 levels deep');
  });
});
