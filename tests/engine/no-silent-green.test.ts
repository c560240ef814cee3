/**
 * Data that is missing, partial or misspelt must never produce a trusted value: each case here was once
 * judged green or silently counted 0.
 */
import { describe, expect, it } from 'vitest';
import { exitCode } from '../../src/app/exit-policy.js';
import { IsmsKpiError } from '../../src/problems.js';
import { catalogueYaml, kpiResults, runProject } from '../formula/harness.js';

const CHANGES = `  changes:
    path: changes.csv
    kind: events
    time_field: opened
    fields:
      id: id
      opened: { type: datetime }
      type: { type: enum, values: [Standard, Normal, Emergency] }
`;

describe('no rows is no data', () => {
  it('count() over an events source with no rows in the period is no-data, not a green 0', async () => {
    const kpis = await kpiResults({
      'metrics.yaml': catalogueYaml(
        CHANGES,
        [{ id: 'C', formula: 'count(changes)', thresholds: { green: '== 0', amber: '<= 2' } }],
        'UTC',
      ),
      'changes.csv': 'id,opened,type\nc1,2026-06-15T10:00:00Z,Normal\nc2,2026-10-15T10:00:00Z,Normal\n',
    });
    const c = kpis.get('C')!;
    expect(c.value).toBeNull();
    expect(c.status).toBe('no-data');
    expect(c.reason).toBe('no rows of changes in the period');
  });

  it('a header-only export is no-data', async () => {
    const kpis = await kpiResults({
      'metrics.yaml': catalogueYaml(
        CHANGES,
        [{ id: 'C', formula: 'count(changes)', thresholds: { green: '== 0' } }],
        'UTC',
      ),
      'changes.csv': 'id,opened,type\n',
    });
    expect(kpis.get('C')!.status).toBe('no-data');
  });
});

describe('stale data', () => {
  it('an export that starts more than one cadence after the period start is stale, and keeps its judgement', async () => {
    // Only September rows in a Q3 report: July and August are missing from the export.
    const kpis = await kpiResults({
      'metrics.yaml': catalogueYaml(
        CHANGES,
        [{ id: 'C', formula: 'count(changes)', cadence: 'monthly', thresholds: { green: '>= 5' } }],
        'UTC',
      ),
      'changes.csv': 'id,opened,type\nc1,2026-09-10T10:00:00Z,Normal\nc2,2026-09-28T10:00:00Z,Normal\n',
    });
    const c = kpis.get('C')!;
    expect(c.status).toBe('stale');
    expect(c.value).toBe(2);
    expect(c.judgement).toBe('red');
    expect(c.reason).toContain('changes data starts 2026-09-10, 71 days after the period starts');
    // --fail-on red still fails: staleness does not hide a red value
    expect(exitCode({ command: 'report', kpis: [c], failOn: 'red' })).toBe(1);
  });

  it('a KPI derived from a stale KPI is stale', async () => {
    const kpis = await kpiResults({
      'metrics.yaml': catalogueYaml(
        CHANGES,
        [
          { id: 'C', formula: 'count(changes)', cadence: 'monthly' },
          { id: 'D', formula: 'kpi("C") * 2' },
        ],
        'UTC',
      ),
      'changes.csv': 'id,opened,type\nc1,2026-07-01T10:00:00Z,Normal\nc2,2026-07-28T10:00:00Z,Normal\n',
    });
    expect(kpis.get('C')!.status).toBe('stale');
    expect(kpis.get('D')!.status).toBe('stale');
    expect(kpis.get('D')!.value).toBe(4);
    expect(kpis.get('D')!.reason).toContain('it uses C, which is stale');
  });
});

describe('formulas that could never match are refused', () => {
  it('a value outside an enum is an error with a suggestion', async () => {
    const error = await runProject({
      'metrics.yaml': catalogueYaml(
        CHANGES,
        [{ id: 'C', formula: 'count(changes, type == "emergency")' }],
        'UTC',
      ),
      'changes.csv': 'id,opened,type\n',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IsmsKpiError);
    expect((error as IsmsKpiError).problems[0]!.message).toBe(
      'kpi C: "emergency" is not a value of changes.type (did you mean "Emergency"?); its values are Standard, Normal, Emergency',
    );
  });

  it('a name that is a field of two sources in scope must be qualified', async () => {
    const sources = `${CHANGES}  other:
    path: other.csv
    kind: snapshot
    fields:
      id: id
`;
    const error = await runProject({
      'metrics.yaml': catalogueYaml(
        sources,
        [{ id: 'C', formula: 'count(changes, exists(other, id == changes.id))' }],
        'UTC',
      ),
      'changes.csv': 'id,opened,type\n',
      'other.csv': 'id\n',
    }).catch((e: unknown) => e);
    expect((error as IsmsKpiError).problems[0]!.message).toBe(
      'kpi C: "id" is a field of more than one source here; write other.id or changes.id',
    );
  });
});

describe('nesting a source in itself', () => {
  it('is refused with a message that says why', async () => {
    const error = await runProject({
      'metrics.yaml': catalogueYaml(
        CHANGES,
        [{ id: 'C', formula: 'count(changes, exists(changes, id == "1"))' }],
        'UTC',
      ),
      'changes.csv': 'id,opened,type\n',
    }).catch((e: unknown) => e);
    expect((error as IsmsKpiError).problems[0]!.message).toBe(
      'kpi C: exists(changes, ...) inside a formula already over changes cannot tell the two rows apart; comparing a source with itself is not supported',
    );
  });
});

describe('a cut-off export gives no report', () => {
  // Issue 14.3: the record swallowed by an unclosed quote used to be counted as rejected while the KPIs
  // were reported from the rows before it, as if the export were complete.
  it('a quote still open at the end of the file stops the run, naming the line it opened on', async () => {
    const error = await runProject({
      'metrics.yaml': catalogueYaml(CHANGES, [{ id: 'C', formula: 'count(changes)' }], 'UTC'),
      'changes.csv':
        'id,opened,type\nc1,2026-07-02T10:00:00Z,Normal\nc2,"2026-07-03T10:00:00Z,Normal\nc3,2026-07-04T10:00:00Z,Normal\n',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IsmsKpiError);
    expect((error as IsmsKpiError).problems[0]).toMatchObject({
      code: 'unterminated-quote',
      location: { file: 'changes.csv', line: 3, record: 2 },
    });
  });
});
