/**
 * Corrective actions read from actions.yaml, a CSV with the same columns, or the catalogue's `actions:`
 * block: one schema, and each bad input a one-line message with its file, line and key.
 */
import { describe, expect, it } from 'vitest';
import { actionTargets, parseActionsCsv, parseActionsYaml } from '../../src/catalogue/actions.js';
import { compileCatalogue } from '../../src/catalogue/compile.js';
import { parseCatalogue } from '../../src/catalogue/parse.js';
import { formatProblem } from '../../src/problems.js';

const targets = actionTargets([{ id: 'IR-02', segment_by: 'site' }, { id: 'AC-01' }] as never);

const GOOD = `actions:
  - id: CA-1
    kpi: IR-02
    segment: Leipzig
    opened: 2026-Q2
    owner: SOC lead
    description: On-call rota for the Leipzig plant
    expected: ">= 95"
    due: 2026-12-31
    status: open
    links: [SEC-101, SEC-102]
  - { id: CA-2, kpi: AC-01, opened: 2026-07-15, owner: HR, description: Leaver checklist, expected: ">= 95", due: 2026-Q4, status: done, links: SEC-7 }
`;

const yamlErrors = (text: string) => {
  const r = parseActionsYaml(text, 'actions.yaml', targets);
  return r.ok ? [] : r.problems.map(formatProblem);
};
const csvErrors = (text: string) => {
  const r = parseActionsCsv(text, 'actions.csv', targets);
  return r.ok ? [] : r.problems.map(formatProblem);
};
const replaced = (from: string, to: string) => GOOD.replace(from, to);

describe('actions.yaml', () => {
  it('reads every field; links are a list, a single one too', () => {
    const r = parseActionsYaml(GOOD, 'actions.yaml', targets);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(
      r.actions.map(({ at, expectedBand, ...a }) => ({ ...a, line: at.line, op: expectedBand.op })),
    ).toEqual([
      {
        id: 'CA-1',
        kpi: 'IR-02',
        segment: 'Leipzig',
        opened: '2026-Q2',
        owner: 'SOC lead',
        description: 'On-call rota for the Leipzig plant',
        expected: '>= 95',
        due: '2026-12-31',
        status: 'open',
        links: ['SEC-101', 'SEC-102'],
        line: 2,
        op: '>=',
      },
      {
        id: 'CA-2',
        kpi: 'AC-01',
        opened: '2026-07-15',
        owner: 'HR',
        description: 'Leaver checklist',
        expected: '>= 95',
        due: '2026-Q4',
        status: 'done',
        links: ['SEC-7'],
        line: 12,
        op: '>=',
      },
    ]);
  });

  it('an unknown KPI, with the closest id', () => {
    expect(yamlErrors(replaced('kpi: AC-01', 'kpi: AC-1'))).toEqual([
      'actions.yaml:12:22: action CA-2: unknown KPI "AC-1" (did you mean "AC-01"?)',
    ]);
  });

  it('a bad threshold', () => {
    expect(yamlErrors(replaced('expected: ">= 95"\n', 'expected: "at least 95"\n'))).toEqual([
      'actions.yaml:8:15: action CA-1: expected: "at least 95" is not a comparison with a number; write one like ">= 95" or "<= 4"',
    ]);
  });

  it('a duplicate id', () => {
    expect(yamlErrors(replaced('id: CA-2', 'id: CA-1'))).toEqual([
      'actions.yaml:12:11: action CA-1: the id is used twice (first on line 2); give each action its own id',
    ]);
  });

  it('a bad date or period', () => {
    expect(yamlErrors(replaced('due: 2026-12-31', 'due: 2026-13-01'))).toEqual([
      'actions.yaml:9:10: action CA-1: due: "2026-13-01" is neither a period (2026-Q2, 2026-07) nor a date written yyyy-MM-dd (2026-07-15)',
    ]);
    expect(yamlErrors(replaced('opened: 2026-Q2', 'opened: Q2 2026'))).toHaveLength(1);
  });

  it('a segment of a KPI without segments, an unknown status, a missing key, an unknown key', () => {
    expect(yamlErrors(replaced('kpi: AC-01,', 'kpi: AC-01, segment: Bremen,'))).toEqual([
      'actions.yaml:12:38: action CA-2: segment "Bremen", but KPI AC-01 has no segment_by; leave segment out',
    ]);
    expect(yamlErrors(replaced('status: open', 'status: closed'))).toEqual([
      'actions.yaml:10:13: action CA-1: status: expected one of "open", "done", "cancelled"',
    ]);
    expect(yamlErrors(replaced('    owner: SOC lead\n', ''))).toEqual([
      'actions.yaml:2:5: action CA-1: owner: missing required key "owner"',
    ]);
    expect(yamlErrors(replaced('    owner: SOC lead\n', '    owner: SOC lead\n    ownr: x\n'))[0]).toMatch(
      /^actions\.yaml:7:5: action CA-1: unknown key "ownr"/,
    );
  });

  it('an empty file and a YAML syntax error are located', () => {
    expect(yamlErrors('  \n')).toEqual(['actions.yaml: the actions file is empty']);
    expect(yamlErrors('actions:\n  - id: [\n')[0]).toMatch(/^actions\.yaml:\d+:\d+: /);
  });
});

describe('actions as CSV', () => {
  const HEADER = 'id,kpi,segment,opened,owner,description,expected,due,status,links';

  it('reads the same fields; links separated by ";"', () => {
    const r = parseActionsCsv(
      `${HEADER}\nCA-1,IR-02,Leipzig,2026-Q2,SOC lead,On-call rota,>= 95,2026-12-31,open,SEC-101; SEC-102\nCA-2,AC-01,,2026-07-15,HR,"Leaver checklist, v2",>= 95,2026-Q4,done,\n`,
      'actions.csv',
      targets,
    );
    expect(r.ok && r.actions.map((a) => [a.id, a.segment, a.description, a.links, a.at.line])).toEqual([
      ['CA-1', 'Leipzig', 'On-call rota', ['SEC-101', 'SEC-102'], 2],
      ['CA-2', undefined, 'Leaver checklist, v2', [], 3],
    ]);
  });

  it('located errors: unknown KPI, bad threshold, duplicate id, bad date, missing column', () => {
    expect(
      csvErrors(
        `${HEADER}\nCA-1,IR-9,,2026-Q2,SOC,x,>= 95,2026-Q3,open,\nCA-2,AC-01,,2026-Q2,SOC,x,>= 95,2026-Q3,open,\nCA-2,AC-01,,2026-Q2,SOC,x,>= 95,2026-Q3,open,\n`,
      ),
    ).toEqual([
      'actions.csv:2: column "kpi": action CA-1: unknown KPI "IR-9" (did you mean "IR-02"?)',
      'actions.csv:4: column "id": action CA-2: the id is used twice (first on line 3); give each action its own id',
    ]);
    expect(csvErrors(`${HEADER}\nCA-1,AC-01,,2026-Q2,SOC,x,95%,31.12.2026,open,\n`)).toEqual([
      'actions.csv:2: column "expected": action CA-1: expected: "95%" is not a comparison with a number; write one like ">= 95" or "<= 4"',
      'actions.csv:2: column "due": action CA-1: due: "31.12.2026" is neither a period (2026-Q2, 2026-07) nor a date written yyyy-MM-dd (2026-07-15)',
    ]);
    expect(csvErrors('id,kpi,opened\nCA-1,AC-01,2026-Q2\n')).toEqual([
      'actions.csv:1: actions: no column "owner", "description", "expected", "due", "status" in the header (it needs id, kpi, segment, opened, owner, description, expected, due, status, links; segment and links may be left out)',
    ]);
  });
});

describe('the actions: block of the catalogue', () => {
  const catalogue = (actions: string) => `organisation: Acme
sources:
  s: { path: s.csv, kind: snapshot, as_of: 2026-09-30, fields: { a: a } }
kpis:
  - { id: K-1, name: K, owner: o, cadence: quarterly, unit: count, formula: count(s) }
actions:
${actions}`;
  const compile = (text: string) => {
    const parsed = parseCatalogue({ file: 'metrics.yaml', text: catalogue(text) });
    if (!parsed.ok) return parsed.problems.map(formatProblem);
    const compiled = compileCatalogue(parsed.catalogue, '/tmp');
    return compiled.ok ? compiled.catalogue.actions.map((a) => a.id) : compiled.problems.map(formatProblem);
  };

  it('is read with the catalogue and checked against its KPIs', () => {
    const ok =
      '  - { id: CA-1, kpi: K-1, opened: 2026-Q2, owner: o, description: d, expected: "<= 2", due: 2026-Q3, status: open }';
    expect(compile(ok)).toEqual(['CA-1']);
    expect(compile(ok.replace('kpi: K-1', 'kpi: K-2'))).toEqual([
      'metrics.yaml:7:22: action CA-1: unknown KPI "K-2" (did you mean "K-1"?)',
    ]);
    expect(compile(ok.replace('due: 2026-Q3', 'due: 2026-Q5'))).toEqual([
      'metrics.yaml:7:93: action CA-1: due: "2026-Q5" is neither a period (2026-Q2, 2026-07) nor a date written yyyy-MM-dd (2026-07-15)',
    ]);
  });
});
