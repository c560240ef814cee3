/**
 * Catalogue errors: each is reported once, as `metrics.yaml:LINE:COL: kpi ID: message`, with the line and
 * column of the offending part; formula errors also carry the formula with a caret line under that part.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCatalogue } from '../../src/catalogue/compile.js';
import { parseCatalogue } from '../../src/catalogue/parse.js';
import { MAX_FORMULA_DEPTH } from '../../src/formula/check.js';
import { MAX_BRACKET_DEPTH, parseFormula } from '../../src/formula/parse.js';
import { formatProblem, type Problem } from '../../src/problems.js';
import { runError, writeProject } from '../formula/harness.js';
import { run } from '../helpers/run.js';

/*
 * Line numbers of the base catalogue (KPI A starts on line 22, its formula is on line 27 at column 14):
 *  1 organisation        8 record_type        15 changes:          22 - id: A
 *  2 timezone            9 fields:            16 path              23 name
 *  3 sources:           10 id                 17 kind: events      24 owner
 *  4 incidents:         11 opened             18 time_field        25 cadence
 *  5 path               12 severity           19 fields:           26 unit
 *  6 kind: events       13 site               20 opened            27 formula
 *  7 time_field         14 hours_open         21 kpis:             28 (extra lines)
 */
const INCIDENT_ID = '      id: { required: true }\n';
const CHANGES_TIME_FIELD = '    time_field: opened\n';

function catalogue(kpis: string, options: { incidentId?: string; changesTimeField?: string } = {}): string {
  return (
    'organisation: Test GmbH\n' +
    'timezone: UTC\n' +
    'sources:\n' +
    '  incidents:\n' +
    '    path: incidents.csv\n' +
    '    kind: events\n' +
    '    time_field: opened\n' +
    '    record_type: incident\n' +
    '    fields:\n' +
    (options.incidentId ?? INCIDENT_ID) +
    '      opened: { type: datetime }\n' +
    '      severity: severity\n' +
    '      site: site\n' +
    '      hours_open: { type: number }\n' +
    '  changes:\n' +
    '    path: changes.csv\n' +
    '    kind: events\n' +
    (options.changesTimeField ?? CHANGES_TIME_FIELD) +
    '    fields:\n' +
    '      opened: { type: datetime }\n' +
    'kpis:\n' +
    kpis
  );
}

/** A KPI entry of 6 lines (plus `extra`); the formula is written plain, starting at column 14. */
function kpi(id: string, formula: string, extra = ''): string {
  return (
    `  - id: ${id}\n` +
    `    name: KPI ${id}\n` +
    '    owner: Tester\n' +
    '    cadence: quarterly\n' +
    '    unit: count\n' +
    `    formula: ${formula}\n` +
    extra
  );
}

const FORMULA_COL = '    formula: '.length + 1;

async function problemsOf(yaml: string): Promise<Problem[]> {
  const error = await runError({ 'metrics.yaml': yaml });
  return error.problems;
}

async function onlyProblem(yaml: string): Promise<Problem> {
  const problems = await problemsOf(yaml);
  expect(problems.map(formatProblem)).toHaveLength(1);
  return problems[0]!;
}

describe('the base catalogue', () => {
  it('is valid (so each case below fails only for its own reason)', async () => {
    // The data files do not exist: a valid catalogue gets as far as reading them.
    const problems = await problemsOf(catalogue(kpi('A', 'count(incidents)')));
    expect(problems.map((p) => p.code)).toEqual(['file-missing']);
  });
});

describe('schema and threshold errors', () => {
  it('a source path that is neither a path nor a list of paths (issue 17)', async () => {
    for (const [written, message] of [
      ['3', 'expected a file path (a glob is allowed), or a list of paths'],
      ['[]', 'a list of paths needs at least one path'],
    ] as const) {
      const p = await onlyProblem(
        catalogue(kpi('A', 'count(incidents)')).replace(
          '    path: incidents.csv\n',
          `    path: ${written}\n`,
        ),
      );
      expect(formatProblem(p)).toBe(`metrics.yaml:5:11: source incidents: path: ${message}`);
    }
  });

  it('unknown key in a KPI, with "did you mean"', async () => {
    const p = await onlyProblem(
      catalogue(kpi('A', 'count(incidents)', '    tresholds: { green: ">= 95" }\n')),
    );
    expect(p.code).toBe('catalogue-schema');
    expect(p.message).toBe('kpi A: unknown key "tresholds" (did you mean "thresholds"?)');
    expect(p.location.file).toBe('metrics.yaml');
    // the key itself, indented by four spaces
    expect(p.location.line).toBe(28);
    expect(p.location.col).toBe(5);
  });

  it('duplicate KPI ids', async () => {
    const p = await onlyProblem(catalogue(kpi('A', 'count(incidents)') + kpi('A', 'count(changes)')));
    expect(p.code).toBe('catalogue-schema');
    // the second "  - id: A" is on line 28; its value starts at column 9
    expect(formatProblem(p)).toBe(
      'metrics.yaml:28:9: kpi A: duplicate id (ids must be unique; reports and diffs are keyed on them)',
    );
  });

  it('a threshold that is not a comparison with a number: the message quotes it', async () => {
    const line = '    thresholds: { green: ">= abc" }';
    const p = await onlyProblem(catalogue(kpi('A', 'count(incidents)', `${line}\n`)));
    expect(p.code).toBe('catalogue-schema');
    expect(formatProblem(p)).toBe(
      `metrics.yaml:28:${line.indexOf('">= abc"') + 1}: kpi A: thresholds.green: ">= abc" is not a comparison with a number; write one like ">= 95" or "<= 4"`,
    );
    expect(line.indexOf('">= abc"') + 1).toBe(26);
    // A number without a comparison, and the amber band: quoted as written.
    const amber = await onlyProblem(
      catalogue(kpi('A', 'count(incidents)', '    thresholds: { green: ">= 95", amber: 85 }\n')),
    );
    expect(amber.message).toBe(
      'kpi A: thresholds.amber: "85" is not a comparison with a number; write one like ">= 95" or "<= 4"',
    );
  });

  it('amber stricter than green', async () => {
    const line = '    thresholds: { green: ">= 95", amber: ">= 97" }';
    const p = await onlyProblem(catalogue(kpi('A', 'count(incidents)', `${line}\n`)));
    expect(p.code).toBe('catalogue-schema');
    expect(formatProblem(p)).toBe(
      `metrics.yaml:28:${line.indexOf('{') + 1}: kpi A: thresholds: amber ">= 97" is stricter than green ">= 95"; amber is the band just short of green`,
    );
  });

  it('amber stricter than green for lower-is-better bands', async () => {
    const line = '    thresholds: { green: "<= 10", amber: "<= 5" }';
    const p = await onlyProblem(catalogue(kpi('A', 'count(incidents)', `${line}\n`)));
    expect(formatProblem(p)).toBe(
      'metrics.yaml:28:17: kpi A: thresholds: amber "<= 5" is stricter than green "<= 10"; amber is the band just short of green',
    );
  });

  it('segment_by that is not a field of the sources read', async () => {
    const p = await onlyProblem(catalogue(kpi('A', 'count(incidents)', '    segment_by: sitee\n')));
    expect(p.code).toBe('catalogue-schema');
    expect(formatProblem(p)).toBe(
      'metrics.yaml:28:17: kpi A: segment_by "sitee" is not a field of incidents',
    );
  });

  it('an events source without time_field', async () => {
    const p = await onlyProblem(catalogue(kpi('A', 'count(incidents)'), { changesTimeField: '' }));
    expect(p.code).toBe('catalogue-schema');
    // "    kind: events" of changes is on line 17; the value starts at column 11
    expect(formatProblem(p)).toBe(
      'metrics.yaml:17:11: source changes: kind: an events source needs time_field: the datetime field that places each row in a period',
    );
  });

  it('a key that names no field of the source, alone or in a list', async () => {
    const one = await onlyProblem(
      catalogue(kpi('A', 'count(incidents)'), { changesTimeField: `${CHANGES_TIME_FIELD}    key: number\n` }),
    );
    expect(one.code).toBe('catalogue-schema');
    // "    key: number" of changes is on line 19; the value starts at column 10
    expect(formatProblem(one)).toBe(
      'metrics.yaml:19:10: source changes: key "number" is not one of its fields (opened)',
    );
    const list = await onlyProblem(
      catalogue(kpi('A', 'count(incidents)'), {
        changesTimeField: `${CHANGES_TIME_FIELD}    key: [opened, nr]\n`,
      }),
    );
    // the second item of the list, at column 19
    expect(formatProblem(list)).toBe(
      'metrics.yaml:19:19: source changes: key "nr" is not one of its fields (opened)',
    );
    const twice = await onlyProblem(
      catalogue(kpi('A', 'count(incidents)'), {
        changesTimeField: `${CHANGES_TIME_FIELD}    key: [opened, opened]\n`,
      }),
    );
    expect(formatProblem(twice)).toBe('metrics.yaml:19:19: source changes: key names "opened" twice');
  });

  it('record_type with a missing required field', async () => {
    const p = await onlyProblem(
      catalogue(kpi('A', 'count(incidents)'), { incidentId: '      ident: ident\n' }),
    );
    expect(p.code).toBe('catalogue-schema');
    // "    record_type: incident" is on line 8; the value starts at column 18
    expect(formatProblem(p)).toBe(
      'metrics.yaml:8:18: source incidents: record_type incident needs a field "id" (string)',
    );
  });

  it('record_type with a field that is not marked required', async () => {
    const p = await onlyProblem(catalogue(kpi('A', 'count(incidents)'), { incidentId: '      id: id\n' }));
    expect(formatProblem(p)).toBe(
      'metrics.yaml:8:18: source incidents: record_type incident needs "id" on every row: add required: true',
    );
  });
});

describe('formula errors', () => {
  /** [what, formula, offending part, code, message after "kpi A: "] */
  const cases: [string, string, string, string, string][] = [
    [
      'unknown source',
      'count(incidnts)',
      'incidnts',
      'formula-unknown',
      'unknown source "incidnts" (did you mean "incidents"?)',
    ],
    [
      'unknown field, with a suggestion',
      'count(incidents, severty == "High")',
      'severty',
      'formula-unknown',
      'unknown field "severty" in source incidents (did you mean "severity"?)',
    ],
    [
      'unknown function',
      'round(mediam(incidents, hours_open))',
      'mediam',
      'formula-unknown',
      'unknown function "mediam" (did you mean "median"?); see docs/catalogue.md for the list',
    ],
    [
      'type error: mean of a string field',
      'mean(incidents, severity)',
      'severity',
      'formula-type',
      'mean() needs numbers, but severity is a string; count rows with count(source, condition) instead',
    ],
    [
      'aggregate inside an aggregate',
      'sum(incidents, count(changes))',
      'count(changes)',
      'formula-type',
      'count() cannot be used inside another aggregate; use exists(source, condition) to look up rows of another source',
    ],
    ['self reference', 'kpi("A") + 1', '"A"', 'formula-unknown', 'a KPI cannot use its own value'],
  ];

  it.each(cases)('%s: %s', async (_what, formula, part, code, message) => {
    const p = await onlyProblem(catalogue(kpi('A', formula)));
    const offset = formula.indexOf(part);
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(p.code).toBe(code);
    expect(formatProblem(p)).toBe(`metrics.yaml:27:${FORMULA_COL + offset}: kpi A: ${message}`);
    expect(p.detail).toEqual([`  ${formula}`, `  ${' '.repeat(offset)}${'^'.repeat(part.length)}`]);
    // the carets sit exactly under the offending part
    const caretLine = p.detail![1]!;
    expect(p.detail![0]!.slice(caretLine.indexOf('^'), caretLine.lastIndexOf('^') + 1)).toBe(part);
  });

  it('a quoted formula is located past its opening quote', async () => {
    const formula = 'count(incidents, severty == "High")';
    const p = await onlyProblem(catalogue(kpi('A', `'${formula}'`)));
    expect(formatProblem(p)).toBe(
      `metrics.yaml:27:${FORMULA_COL + 1 + formula.indexOf('severty')}: kpi A: unknown field "severty" in source incidents (did you mean "severity"?)`,
    );
  });

  it('the second KPI is located on its own line', async () => {
    const formula = 'count(changes, severity == "High")';
    const p = await onlyProblem(catalogue(kpi('A', 'count(incidents)') + kpi('B', formula)));
    // KPI B starts on line 28, its formula is on line 33
    expect(formatProblem(p)).toBe(
      `metrics.yaml:33:${FORMULA_COL + formula.indexOf('severity')}: kpi B: unknown field "severity" in source changes; its fields are opened`,
    );
  });

  it('kpi() cycle between two derived KPIs', async () => {
    const p = await onlyProblem(catalogue(kpi('A', 'kpi("B") + 1') + kpi('B', 'kpi("A") * 2')));
    expect(p.code).toBe('kpi-cycle');
    expect(formatProblem(p)).toBe(
      'metrics.yaml:27:14: kpi A: derived KPIs use each other in a cycle: A -> B -> A',
    );
  });

  it('unknown KPI in kpi(), with a suggestion', async () => {
    const formula = 'kpi("AC-2") + 1';
    const p = await onlyProblem(catalogue(kpi('A', formula) + kpi('AC-02', 'count(incidents)')));
    expect(formatProblem(p)).toBe(
      `metrics.yaml:27:${FORMULA_COL + formula.indexOf('"AC-2"')}: kpi A: unknown KPI "AC-2" (did you mean "AC-02"?)`,
    );
  });

  it('a syntax error is located at the unexpected character', async () => {
    const formula = 'count(incidents) # 2';
    const p = await onlyProblem(catalogue(kpi('A', `"${formula}"`)));
    expect(p.code).toBe('formula-syntax');
    expect(formatProblem(p)).toBe(
      `metrics.yaml:27:${FORMULA_COL + 1 + formula.indexOf('#')}: kpi A: unexpected "#"`,
    );
    expect(p.detail).toEqual([`  ${formula}`, `  ${' '.repeat(formula.indexOf('#'))}^`]);
  });

  describe('a formula written over several lines (issue 15): the line and column of the offending part', () => {
    // The formula's first line is line 28 (the `formula:` key is on line 27).
    const body = ['count(incidents)', '  + count(incidents, severty == "High")', '  + 1'];
    const column = (line: string, part: string) => '      '.length + line.indexOf(part) + 1;

    it.each([
      ['>-', 'folded, strip'],
      ['>', 'folded'],
      ['|', 'literal'],
      ['|-', 'literal, strip'],
      ['>2-', 'folded, explicit indentation'],
    ])('a `%s` block (%s)', async (header) => {
      const yaml = catalogue(kpi('A', `${header}\n${body.map((l) => `      ${l}`).join('\n')}`));
      const p = await onlyProblem(yaml);
      expect(formatProblem(p)).toBe(
        `metrics.yaml:29:${column(body[1]!, 'severty')}: kpi A: unknown field "severty" in source incidents (did you mean "severity"?)`,
      );
      // the position is the word's own: the file's line 29 holds it at that column
      const line = yaml.split('\n')[28]!;
      expect(line.slice(p.location.col! - 1, p.location.col! - 1 + 'severty'.length)).toBe('severty');
    });

    it('a plain formula continued on the next lines', async () => {
      const yaml = catalogue(
        kpi('A', 'count(incidents) +\n      count(incidents,\n        severty == "High")'),
      );
      const p = await onlyProblem(yaml);
      expect([p.location.line, p.location.col]).toEqual([29, 9]);
      expect(yaml.split('\n')[28]!.slice(8, 15)).toBe('severty');
    });

    it('a double-quoted formula over two lines, without escapes', async () => {
      const yaml = catalogue(kpi('A', `"count(incidents) +\n      count(incidents, severty == 'High')"`));
      const p = await onlyProblem(yaml);
      expect([p.location.line, p.location.col]).toEqual([28, 24]);
    });

    it('a double-quoted formula with escapes: located at the escape that stands for the part', async () => {
      const written = '"count(incidents,\\n  \\u0073evert\\x79 == \\"High\\")"';
      const yaml = catalogue(kpi('A', written));
      const p = await onlyProblem(yaml);
      expect(formatProblem(p)).toBe(
        `metrics.yaml:27:${FORMULA_COL + written.indexOf('\\u0073')}: kpi A: unknown field "severty" in source incidents (did you mean "severity"?)`,
      );
      // the caret shows the part under the formula as it reads
      expect(p.detail).toEqual([
        '  count(incidents,   severty == "High")',
        `  ${' '.repeat('count(incidents,   '.length)}^^^^^^^`,
      ]);
    });

    it("a single-quoted formula with '' and a tagged one", async () => {
      const quoted = "'count(incidents, site == ''a'') + mediam(incidents, hours_open)'";
      const p = await onlyProblem(catalogue(kpi('A', quoted)));
      expect([p.location.line, p.location.col]).toEqual([27, FORMULA_COL + quoted.indexOf('mediam')]);
      const tagged = '!!str count(incidents) + mediam(incidents, hours_open)';
      const t = await onlyProblem(catalogue(kpi('A', tagged)));
      expect([t.location.line, t.location.col]).toEqual([27, FORMULA_COL + tagged.indexOf('mediam')]);
    });

    it('a formula given by an alias (`*f`): located in the anchored text', async () => {
      const yaml = catalogue(
        kpi('A', '&f count(incidents)') + kpi('B', '*f').replace('count(incidents)', ''),
      );
      const withError = yaml.replace(
        '&f count(incidents)',
        '&f count(incidents) + mediam(incidents, hours_open)',
      );
      const problems = await problemsOf(withError);
      // A's own formula and B's (the same text): both point at the word on line 27
      const col = FORMULA_COL + '&f count(incidents) + '.length;
      expect(problems.map((q) => `${q.location.line}:${q.location.col}: ${q.message.slice(0, 6)}`)).toEqual([
        `27:${col}: kpi A:`,
        `27:${col}: kpi B:`,
      ]);
    });

    it('where the text cannot be lined up with the formula: "in the formula starting on line N"', () => {
      const parsed = parseCatalogue({
        file: 'metrics.yaml',
        text: catalogue(kpi('A', 'count(incidents, severty == "High")')),
      });
      if (!parsed.ok) throw new Error('the catalogue parses');
      const compiled = compileCatalogue(
        { ...parsed.catalogue, formulaStart: () => ({ line: 27, col: FORMULA_COL, exact: false }) },
        '/nowhere',
      );
      if (compiled.ok) throw new Error('the formula is refused');
      expect(compiled.problems.map(formatProblem)).toEqual([
        `metrics.yaml:27:${FORMULA_COL}: kpi A: in the formula starting on line 27: unknown field "severty" in source incidents (did you mean "severity"?)`,
      ]);
    });
  });

  it(`brackets add no level of nesting: ${MAX_FORMULA_DEPTH + 100} of them around one aggregate are accepted`, () => {
    const n = MAX_FORMULA_DEPTH + 100;
    expect(parseFormula(`${'('.repeat(n)}count(incidents)${')'.repeat(n)}`).ok).toBe(true);
  });

  it(`more than ${MAX_BRACKET_DEPTH} brackets open at once: located at the bracket past the limit`, async () => {
    // 1,900 brackets (within the formula length limit) overflowed jsep's recursion: "nested more than 64
    // levels" at the start of a formula that has 1 level by the documented count.
    for (const n of [MAX_BRACKET_DEPTH + 1, 1900]) {
      const formula = `${'('.repeat(n)}1${')'.repeat(n)}`;
      const p = await onlyProblem(catalogue(kpi('A', formula)));
      expect(p.code).toBe('formula-syntax');
      expect(formatProblem(p)).toBe(
        `metrics.yaml:27:${FORMULA_COL + MAX_BRACKET_DEPTH}: kpi A: more than ${MAX_BRACKET_DEPTH} brackets are open at once`,
      );
    }
    // Brackets inside a string literal are text.
    const text = `count(incidents, severity == "${'('.repeat(MAX_BRACKET_DEPTH + 1)}")`;
    expect(parseFormula(text).ok).toBe(true);
  });

  it('every formula error of the catalogue is reported, not just the first', async () => {
    const problems = await problemsOf(
      catalogue(
        kpi('A', 'count(incidnts)') + kpi('B', 'mean(incidents, severity)') + kpi('C', 'count(changes)'),
      ),
    );
    expect(problems.map((p) => [p.code, p.location.line])).toEqual([
      ['formula-unknown', 27],
      ['formula-type', 33],
    ]);
  });
});

describe('YAML errors', () => {
  it('duplicate keys: the message names the key', () => {
    const text = catalogue(kpi('A', 'count(incidents)')).replace(
      '    kind: events\n',
      '    kind: events\n    kind: snapshot\n',
    );
    const result = parseCatalogue({ file: 'metrics.yaml', text });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.code).toBe('catalogue-syntax');
    expect(result.problems[0]!.message).toBe('duplicate key "kind": each key may appear once in a mapping');
    // the second "kind:" of the incidents source
    expect(result.problems[0]!.location).toEqual({ file: 'metrics.yaml', line: 7, col: 5 });
  });

  it('tab indentation', () => {
    const text = catalogue(kpi('A', 'count(incidents)')).replace(
      '    path: incidents.csv\n',
      '\tpath: incidents.csv\n',
    );
    const result = parseCatalogue({ file: 'metrics.yaml', text });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const tab = result.problems.find((p) => p.message.includes('tabs'));
    expect(tab?.code).toBe('catalogue-syntax');
    expect(tab?.message).toBe('tabs are not allowed for indentation in YAML; indent with spaces');
    // the tab-indented "path:" line of the incidents source
    expect(tab?.location.line).toBe(5);
  });

  it('an alias bomb is refused before it is expanded', async () => {
    // Expanding it would take hours and gigabytes, so reaching the assertions at all (within the test
    // timeout) shows the refusal happens on the alias count, not after expansion.
    // 10 levels of 10 aliases each: 10^10 nodes if expanded
    const lines = ['organisation: Test GmbH', 'x0: &x0 [a, a, a, a, a, a, a, a, a, a]'];
    for (let i = 1; i <= 10; i++)
      lines.push(
        `x${i}: &x${i} [${Array(10)
          .fill(`*x${i - 1}`)
          .join(', ')}]`,
      );
    const p = await onlyProblem(`${lines.join('\n')}\n`);
    expect(p.code).toBe('catalogue-syntax');
    expect(formatProblem(p)).toBe(
      'metrics.yaml: too many alias expansions (more than 100): the document looks like an alias bomb',
    );
  });

  it('a few aliases are fine', () => {
    const text = `${catalogue(kpi('A', 'count(incidents)', '    controls: &c [A.5.24]\n') + kpi('B', 'count(changes)', '    controls: *c\n'))}`;
    const result = parseCatalogue({ file: 'metrics.yaml', text });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.catalogue.config.kpis[1]!.controls).toEqual(['A.5.24']);
  });
});

// Issue 14.12: YAML reads `period: 2026` as a number, which the schema refused ("expected string,
// received number") although 2026 is a documented period.
describe('a period written as a bare number', () => {
  const withPeriod = (period: string, kpiExtra = '') =>
    catalogue(kpi('A', 'count(incidents)', kpiExtra)).replace(
      'timezone: UTC\n',
      `timezone: UTC\nperiod: ${period}\n`,
    );

  it('reads a whole number as a year, at the top level and in a baseline', () => {
    const result = parseCatalogue({
      file: 'metrics.yaml',
      text: withPeriod('2026', '    baseline: { value: 3, period: 2025 }\n'),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.catalogue.config.period).toBe('2026');
    expect(result.catalogue.config.kpis[0]!.baseline?.period).toBe('2025');
  });

  it('reports the calendar year when the run takes the period from the catalogue', async () => {
    const dir = writeProject({
      'metrics.yaml': withPeriod('2026'),
      'incidents.csv':
        'id,opened,severity,site,hours_open\nI1,2026-03-01,High,HB,2\nI2,2025-12-31,High,HB,2\n',
      'changes.csv': 'opened\n2026-03-01\n',
    });
    try {
      const result = await run({ catalogue: 'metrics.yaml', cwd: dir, now: 0 });
      expect(result.period.label).toBe('2026');
      expect(result.report.kpis[0]!.value).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses any other number with its line and column', async () => {
    for (const [written, shown] of [
      ['2026.5', '2026.5'],
      ['2026.10', '2026.1'], // meant as October: YAML reads a decimal number
    ] as const) {
      const p = await onlyProblem(withPeriod(written));
      expect(p.code).toBe('catalogue-schema');
      expect(formatProblem(p)).toBe(
        `metrics.yaml:3:9: period: expected a period like 2026 or "2026-Q3", got the number ${shown}; write periods other than a year in quotes`,
      );
    }
  });
});

describe('reserved source and field names', () => {
  const text = (source: string, field: string) =>
    'organisation: Test GmbH\n' +
    'sources:\n' +
    `  ${source}:\n` +
    '    path: a.csv\n' +
    '    kind: snapshot\n' +
    '    fields:\n' +
    '      id: id\n' +
    `      ${field}: x\n` +
    'kpis:\n' +
    '  - { id: A, name: A, owner: O, cadence: monthly, unit: count, formula: "count(items)" }\n';

  it.each([
    ['__proto__', 'ok', 'metrics.yaml:3:3: source name "__proto__" is reserved'],
    ['constructor', 'ok', 'metrics.yaml:3:3: source name "constructor" is reserved'],
    ['items', '__proto__', 'metrics.yaml:8:7: source items: field name "__proto__" is reserved'],
    ['items', 'constructor', 'metrics.yaml:8:7: source items: field name "constructor" is reserved'],
    ['items', 'prototype', 'metrics.yaml:8:7: source items: field name "prototype" is reserved'],
  ])(
    'source %s, field %s: refused at the name (a __proto__ key is not dropped silently)',
    (source, field, expected) => {
      const result = parseCatalogue({ file: 'metrics.yaml', text: text(source, field) });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]!.code).toBe('catalogue-schema');
      expect(formatProblem(result.problems[0]!)).toMatch(new RegExp(`^${expected.replace(/[()]/g, '\\$&')}`));
    },
  );

  it('ordinary names are accepted', () => {
    expect(parseCatalogue({ file: 'metrics.yaml', text: text('items', 'owner') }).ok).toBe(true);
  });
});

describe('the document control block', () => {
  /** The base catalogue with a `document:` block after the KPIs; its first key is on line 29. */
  const withDocument = (block: string) => `${catalogue(kpi('A', 'count(incidents)'))}document:\n${block}`;

  it('is accepted with every key, a list or one name as distribution', async () => {
    const yaml = withDocument(
      '  title: ISMS performance report\n  classification: Internal\n  version: "1.10"\n  owner: ISMS coordinator\n  approver: CISO\n  distribution: Board\n  next_review: 2027-01-20\n',
    );
    expect((await problemsOf(yaml)).map((p) => p.code)).toEqual(['file-missing']);
    const parsed = parseCatalogue({ file: 'metrics.yaml', text: yaml });
    expect(parsed.ok && parsed.catalogue.config.document).toEqual({
      title: 'ISMS performance report',
      classification: 'Internal',
      version: '1.10',
      owner: 'ISMS coordinator',
      approver: 'CISO',
      distribution: ['Board'],
      next_review: '2027-01-20',
    });
  });

  it('an unknown key, with its line and "did you mean"', async () => {
    const p = await onlyProblem(withDocument('  title: T\n  clasification: Internal\n'));
    expect(formatProblem(p)).toBe(
      'metrics.yaml:30:3: document: unknown key "clasification" (did you mean "classification"?)',
    );
  });

  it('a version YAML reads as a number other than a whole one', async () => {
    const p = await onlyProblem(withDocument('  version: 1.10\n'));
    expect(formatProblem(p)).toBe(
      'metrics.yaml:29:12: document.version: expected text, got the number 1.1; YAML drops digits of numbers like 1.10: write it in quotes, like "1.10"',
    );
  });

  it('a next review that is not a calendar day', async () => {
    const p = await onlyProblem(withDocument('  next_review: 2027-02-30\n'));
    expect(formatProblem(p)).toBe(
      'metrics.yaml:29:16: document.next_review: expected a date like 2027-01-15 (yyyy-MM-dd)',
    );
  });

  it('an empty distribution list', async () => {
    const p = await onlyProblem(withDocument('  distribution: []\n'));
    expect(p.code).toBe('catalogue-schema');
    expect(p.location.line).toBe(29);
  });
});
