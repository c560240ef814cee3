/**
 * The measurement programme in the catalogue (issue 19): the measure fields of a KPI, objectives, control
 * references and lifecycles. Each bad value is reported once, located at its key, as
 * `metrics.yaml:LINE:COL: message`.
 */
import { describe, expect, it } from 'vitest';
import { ANNEX_A_2022, annexAControl, controlRef } from '../../src/catalogue/annex-a.js';
import { type Catalogue, compileCatalogue } from '../../src/catalogue/compile.js';
import { parseCatalogue } from '../../src/catalogue/parse.js';
import { formatProblem } from '../../src/problems.js';

/*
 * Line numbers: KPI A starts on line 11 (`  - id: A`); its extra lines start on line 17. KPI B (when
 * given) follows. The objectives block, when given, comes before `kpis:` and shifts nothing above it.
 */
function yaml(extraA: string, options: { objectives?: string; more?: string } = {}): string {
  return (
    'organisation: Test GmbH\n' +
    'timezone: UTC\n' +
    'sources:\n' +
    '  incidents:\n' +
    '    path: incidents.csv\n' +
    '    kind: events\n' +
    '    time_field: opened\n' +
    '    fields:\n' +
    '      opened: { type: datetime }\n' +
    'kpis:\n' +
    '  - id: A\n' +
    '    name: KPI A\n' +
    '    owner: Tester\n' +
    '    cadence: quarterly\n' +
    '    unit: count\n' +
    '    formula: count(incidents)\n' +
    extraA +
    (options.more ?? '') +
    (options.objectives ?? '')
  );
}

function compile(text: string): { ok: true; catalogue: Catalogue } | { ok: false; messages: string[] } {
  const parsed = parseCatalogue({ file: 'metrics.yaml', text });
  if (!parsed.ok) return { ok: false, messages: parsed.problems.map(formatProblem) };
  const compiled = compileCatalogue(parsed.catalogue, '/nowhere');
  return compiled.ok ? compiled : { ok: false, messages: compiled.problems.map(formatProblem) };
}

function messages(text: string): string[] {
  const result = compile(text);
  if (result.ok) throw new Error('expected problems, the catalogue compiled');
  return result.messages;
}

const OBJECTIVES =
  'objectives:\n' +
  '  - id: OBJ-1\n' +
  '    statement: Contain incidents faster\n' +
  '    owner: CISO\n' +
  '    target: ">= 95"\n' +
  '    due: 2027-06-30\n';

describe('measure fields', () => {
  it('are accepted with every value and kept in the compiled KPI', () => {
    const result = compile(
      yaml(
        '    information_need: Are incidents counted?\n' +
          '    objective: OBJ-1\n' +
          '    measure_type: effectiveness\n' +
          '    method: objective\n' +
          '    interpretation: Higher is better\n' +
          '    decision: { red: corrective action within 10 days, amber: watch }\n' +
          '    roles: { collector: Jira admin, customer: CISO, reviewer: ISMS manager }\n' +
          '    review_every: annual\n' +
          '    last_reviewed: 2026-03-02\n' +
          '    lifecycle: draft\n',
        { objectives: OBJECTIVES },
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const c = result.catalogue.kpis[0]!.config;
    expect(c.decision).toEqual({ red: 'corrective action within 10 days', amber: 'watch' });
    expect(c.roles?.reviewer).toBe('ISMS manager');
    expect(c.last_reviewed).toBe('2026-03-02');
    expect(result.catalogue.objectives.map((o) => o.id)).toEqual(['OBJ-1']);
  });

  it('an unknown measure type, method, lifecycle or review cadence: the allowed values', () => {
    expect(messages(yaml('    measure_type: outcome\n'))).toEqual([
      'metrics.yaml:17:19: kpi A: measure_type: expected one of "implementation", "effectiveness", "efficiency", "impact"',
    ]);
    expect(messages(yaml('    method: automatic\n'))).toEqual([
      'metrics.yaml:17:13: kpi A: method: expected one of "objective", "subjective"',
    ]);
    expect(messages(yaml('    lifecycle: deprecated\n'))).toEqual([
      'metrics.yaml:17:16: kpi A: lifecycle: expected one of "draft", "active", "retired"',
    ]);
    expect(messages(yaml('    review_every: yearly\n'))[0]).toMatch(
      /^metrics\.yaml:17:19: kpi A: review_every: expected one of "weekly"/,
    );
  });

  it('last_reviewed must be a real day written yyyy-MM-dd', () => {
    expect(messages(yaml('    last_reviewed: 02.03.2026\n'))).toEqual([
      'metrics.yaml:17:20: kpi A: last_reviewed: "02.03.2026" is not a date written yyyy-MM-dd (like 2026-12-31)',
    ]);
    expect(messages(yaml('    last_reviewed: 2026-02-30\n'))).toEqual([
      'metrics.yaml:17:20: kpi A: last_reviewed: "2026-02-30" is not a date written yyyy-MM-dd (like 2026-12-31)',
    ]);
  });

  it('a decision for a status that does not exist, and an unknown role', () => {
    const decision = messages(yaml('    decision: { purple: escalate }\n'));
    expect(decision).toEqual(['metrics.yaml:17:17: kpi A: decision: unknown key "purple"']);
    expect(messages(yaml('    roles: { collecter: Jira admin }\n'))).toEqual([
      'metrics.yaml:17:14: kpi A: roles: unknown key "collecter"',
    ]);
  });

  it('an objective id that the objectives block does not declare', () => {
    expect(messages(yaml('    objective: OBJ-2\n', { objectives: OBJECTIVES }))).toEqual([
      'metrics.yaml:17:16: kpi A: objective: unknown objective "OBJ-2" (did you mean "OBJ-1"?)',
    ]);
    expect(messages(yaml('    objective: OBJ-1\n'))).toEqual([
      'metrics.yaml:17:16: kpi A: objective: unknown objective "OBJ-1" (the catalogue has no objectives: block)',
    ]);
  });

  it('an objective: its due date and target are checked, its id is unique', () => {
    const due = OBJECTIVES.replace('due: 2027-06-30', 'due: 30.06.2027');
    expect(messages(yaml('', { objectives: due }))).toEqual([
      'metrics.yaml:22:10: objective OBJ-1: due: "30.06.2027" is not a date written yyyy-MM-dd (like 2026-12-31)',
    ]);
    const twice = OBJECTIVES + OBJECTIVES.replace('objectives:\n', '');
    expect(messages(yaml('', { objectives: twice }))).toEqual([
      'metrics.yaml:23:9: objective OBJ-1: duplicate id (objective ids must be unique)',
    ]);
  });

  it('a reported KPI cannot be computed from a retired one', () => {
    const b =
      '  - id: B\n    name: KPI B\n    owner: Tester\n    cadence: quarterly\n    unit: count\n    formula: kpi("A") + 1\n';
    expect(messages(yaml('    lifecycle: retired\n', { more: b }))).toEqual([
      'metrics.yaml:23:14: kpi B: its formula uses kpi("A"), which is retired (retired KPIs are not computed); retire B too or reactivate A',
    ]);
    expect(
      compile(
        yaml('    lifecycle: retired\n', {
          more: b.replace('unit: count\n', 'unit: count\n    lifecycle: retired\n'),
        }),
      ).ok,
    ).toBe(true);
  });
});

describe('control references', () => {
  it('the Annex A list of ISO/IEC 27001:2022: 93 controls in 4 themes of 37, 8, 14 and 34', () => {
    expect(ANNEX_A_2022).toHaveLength(93);
    const count = (theme: string) => ANNEX_A_2022.filter((c) => c.theme === theme).length;
    expect([count('organisational'), count('people'), count('physical'), count('technological')]).toEqual([
      37, 8, 14, 34,
    ]);
    expect(new Set(ANNEX_A_2022.map((c) => c.id)).size).toBe(93);
    expect(new Set(ANNEX_A_2022.map((c) => c.title)).size).toBe(93);
    expect(annexAControl('A.5.24')?.title).toBe(
      'Information security incident management planning and preparation',
    );
    expect(annexAControl('A.8.34')?.title).toBe('Protection of information systems during audit testing');
    expect(annexAControl('A.8.35')).toBeUndefined();
    expect(annexAControl('A.7.4')?.title).toBe('Physical security monitoring');
    expect(annexAControl('A.6.8')?.title).toBe('Information security event reporting');
  });

  it('a namespace marks another framework', () => {
    expect(controlRef('nist-csf:PR.AA-01')).toEqual({ namespace: 'nist-csf', id: 'PR.AA-01' });
    expect(controlRef('iec62443:SR 1.1')).toEqual({ namespace: 'iec62443', id: 'SR 1.1' });
    expect(controlRef('A.5.24')).toEqual({ id: 'A.5.24' });
  });

  it('references with a namespace are accepted unchecked; others outside Annex A are located warnings', () => {
    const warnings = (text: string) => {
      const result = compile(text);
      if (!result.ok) throw new Error(`expected the catalogue to load: ${result.messages.join('; ')}`);
      return result.catalogue.warnings.map((w) => `${w.severity}: ${formatProblem(w)}`);
    };
    expect(warnings(yaml('    controls: [A.5.24, "nist-csf:PR.AA-01", "iec62443:SR 1.1"]\n'))).toEqual([]);
    expect(warnings(yaml('    controls: [A.5.24, A.5.38]\n'))).toEqual([
      'warning: metrics.yaml:17:24: kpi A: controls: "A.5.38" is not an ISO/IEC 27001:2022 Annex A control (A.5.1-A.5.37, A.6.1-A.6.8, A.7.1-A.7.14, A.8.1-A.8.34); 2013 numbering? see docs/catalogue.md 3.6; or use a namespace such as "iso27001-2013:A.12.6.1" or "nist-csf:PR.AA-01"',
    ]);
    expect(warnings(yaml('    controls: [A8.8]\n'))[0]).toContain(
      '"A8.8" is not an ISO/IEC 27001:2022 Annex A control (A.5.1-A.5.37, A.6.1-A.6.8, A.7.1-A.7.14, A.8.1-A.8.34); did you mean "A.8.8"?',
    );
    // An ISO/IEC 27001:2013 number is not a 2022 one: the namespace to use is suggested with it.
    expect(warnings(yaml('    controls: [A.12.6.1]\n'))).toEqual([
      'warning: metrics.yaml:17:16: kpi A: controls: "A.12.6.1" is not an ISO/IEC 27001:2022 Annex A control (A.5.1-A.5.37, A.6.1-A.6.8, A.7.1-A.7.14, A.8.1-A.8.34); 2013 numbering? see docs/catalogue.md 3.6; or use a namespace such as "iso27001-2013:A.12.6.1"',
    ]);
    // A warning never hides an error: a broken formula still stops the catalogue.
    expect(
      messages(yaml('    controls: [A.12.6.1]\n').replace('count(incidents)', 'count(incidnets)')),
    ).toHaveLength(1);
  });
});

describe('exceptions', () => {
  const segmented =
    '  - id: S\n    name: KPI S\n    owner: Tester\n    cadence: quarterly\n    unit: count\n    formula: count(incidents)\n    segment_by: severity\n';
  const withSeverity = (text: string) =>
    text.replace(
      '      opened: { type: datetime }\n',
      '      opened: { type: datetime }\n      severity: { type: enum, values: [High, Low] }\n',
    );
  const exception = (fields: string) =>
    `exceptions:\n  - ${fields}\n    reason: migration\n    approver: CISO\n    expires: 2026-12-31\n`;

  it('a valid exception, for a KPI and for a segment of a segmented one', () => {
    const text = withSeverity(
      yaml('', {
        more: segmented,
        objectives: `${exception('kpi: A')}  - kpi: S\n    segment: High\n    reason: r\n    approver: CISO\n    risk: RISK-1\n    expires: 2026-09-30\n`,
      }),
    );
    const result = compile(text);
    expect(result.ok && result.catalogue.exceptions.map((e) => [e.kpi, e.segment, e.expires])).toEqual([
      ['A', undefined, '2026-12-31'],
      ['S', 'High', '2026-09-30'],
    ]);
  });

  // Line numbers: the exceptions block follows KPI A (line 17); with `more: segmented` (7 lines, 17-23)
  // it starts on line 24, and a severity field in the source moves everything below line 9 by one.
  it('an exception for an unknown KPI', () => {
    expect(messages(yaml('', { objectives: exception('kpi: B') }))).toEqual([
      'metrics.yaml:18:10: exception 1 (kpi B): unknown KPI "B" (did you mean "A"?)',
    ]);
    expect(messages(withSeverity(yaml('', { more: segmented, objectives: exception('kpi: s') })))).toEqual([
      'metrics.yaml:26:10: exception 1 (kpi s): unknown KPI "s" (did you mean "S"?)',
    ]);
  });

  it('an exception whose expiry is not a date yyyy-MM-dd', () => {
    const text = yaml('', { objectives: exception('kpi: A').replace('2026-12-31', '31.12.2026') });
    expect(messages(text)).toEqual([
      'metrics.yaml:21:14: exception 1 (kpi A): expires: "31.12.2026" is not a date written yyyy-MM-dd (like 2026-12-31)',
    ]);
    expect(
      messages(yaml('', { objectives: exception('kpi: A').replace('    expires: 2026-12-31\n', '') })),
    ).toEqual(['metrics.yaml:18:5: exception 1 (kpi A): expires: missing required key "expires"']);
  });

  it('an exception for a segment the KPI does not have', () => {
    // A KPI without segment_by has no segments.
    expect(messages(yaml('', { objectives: exception('kpi: A\n    segment: High') }))).toEqual([
      'metrics.yaml:19:14: exception 1 (kpi A): unknown segment "High": A has no segment_by',
    ]);
    // An enum field: the value must be one of its values.
    expect(
      messages(
        withSeverity(yaml('', { more: segmented, objectives: exception('kpi: S\n    segment: Hihg') })),
      ),
    ).toEqual([
      'metrics.yaml:27:14: exception 1 (kpi S): unknown segment "Hihg": severity is one of "High", "Low" (did you mean "High"?)',
    ]);
    // Two values for a KPI segmented by one field.
    expect(
      messages(
        withSeverity(
          yaml('', { more: segmented, objectives: exception('kpi: S\n    segment: High / Plant 1') }),
        ),
      ),
    ).toEqual([
      'metrics.yaml:27:14: exception 1 (kpi S): segment "High / Plant 1" has 2 values, but S is segmented by severity: write one value per field, joined with " / "',
    ]);
  });

  it('two exceptions for the same KPI, and one for a retired KPI', () => {
    const twice = exception('kpi: A') + exception('kpi: A').replace('exceptions:\n', '');
    expect(messages(yaml('', { objectives: twice }))).toEqual([
      'metrics.yaml:22:10: exception 2 (kpi A): a second exception for A; give one exception per KPI and segment',
    ]);
    expect(messages(yaml('    lifecycle: retired\n', { objectives: exception('kpi: A') }))).toEqual([
      'metrics.yaml:19:10: exception 1 (kpi A): A is retired: it is not reported, so there is nothing to accept',
    ]);
  });
});
