/**
 * The presets of the management review's registers: audit-findings (the register `review --audits` reads)
 * and corrective-actions (the CSV form of actions.yaml), over their samples in fixtures/presets.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionTargets, parseActionsCsv } from '../../src/catalogue/actions.js';
import { detectFile } from '../../src/presets/detect.js';
import { loadPreset, PRESET_FIXTURES } from './load-preset.js';

describe('preset audit-findings', () => {
  it('is detected from its columns', async () => {
    const result = await detectFile(path.join(PRESET_FIXTURES, 'audit-findings.csv'), 'audit-findings.csv');
    expect(result.best).toMatchObject({ preset: 'audit-findings', missing: [] });
  });

  it('reads severities and statuses in any letter case, dates as days, empty cells as no value', async () => {
    const { rows, problems } = await loadPreset('audit-findings', 'audit-findings.csv');
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.id, r.reference, r.severity, r.status, r.action])).toEqual([
      ['F-101', 'A.8.15', 'minor', 'closed', 'CA-7'],
      ['F-102', '9.3', 'minor', 'in progress', 'CA-8'],
      ['F-103', 'A.6.1', 'major', 'open', null],
      ['F-104', 'A.6.3', 'observation', 'closed', null],
      ['F-105', '7.4', 'opportunity', 'open', null],
    ]);
    expect(rows[0]).toMatchObject({
      opened: Date.parse('2026-02-11T00:00:00Z'),
      due: Date.parse('2026-04-30T00:00:00Z'),
      closed: Date.parse('2026-04-28T00:00:00Z'),
    });
    expect(rows[1]!.closed).toBeNull();
  });
});

describe('preset corrective-actions', () => {
  it('is detected from its columns', async () => {
    const file = path.join(PRESET_FIXTURES, 'corrective-actions.csv');
    const result = await detectFile(file, 'corrective-actions.csv');
    expect(result.best).toMatchObject({ preset: 'corrective-actions', missing: [] });
  });

  it('reads the rows as a source: periods and dates as text, links as a list', async () => {
    const { rows, problems } = await loadPreset('corrective-actions', 'corrective-actions.csv', {
      as_of: '2026-09-30',
    });
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.id, r.kpi, r.segment, r.opened, r.status, r.links])).toEqual([
      ['CA-7', 'LOG-01', null, '2026-Q1', 'done', ['NET-88']],
      ['CA-8', 'GV-01', null, '2026-02-20', 'open', ['ISMS-12', 'ISMS-13']],
      ['CA-9', 'IR-02', 'Brno', '2026-03-10', 'open', null],
      ['CA-10', 'AC-01', null, '2026-Q1', 'cancelled', ['HR-301']],
    ]);
  });

  it('is the file `isms-kpi actions --actions FILE.csv` reads', () => {
    const text = readFileSync(path.join(PRESET_FIXTURES, 'corrective-actions.csv'), 'utf8');
    const targets = actionTargets([
      { id: 'LOG-01' },
      { id: 'GV-01' },
      { id: 'IR-02', segment_by: 'site' },
      { id: 'AC-01' },
    ] as never);
    const parsed = parseActionsCsv(text, 'corrective-actions.csv', targets);
    expect(parsed.ok && parsed.actions.map((a) => [a.id, a.expectedBand.text, a.links])).toEqual([
      ['CA-7', '>= 90', ['NET-88']],
      ['CA-8', '<= 2', ['ISMS-12', 'ISMS-13']],
      ['CA-9', '>= 95', []],
      ['CA-10', '>= 95', ['HR-301']],
    ]);
  });
});
