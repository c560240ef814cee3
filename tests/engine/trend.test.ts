/** Trends: against the previous window inside the period, else against the previous period. */
import { describe, expect, it } from 'vitest';
import { catalogueYaml, kpiResults } from '../formula/harness.js';

const SOURCES = `  changes:
    path: changes.csv
    kind: events
    time_field: opened
    fields:
      opened: { type: datetime }
  accounts:
    path: accounts.csv
    kind: snapshot
    fields:
      id: id
`;

// Q2: 5 changes (2 in April, 3 in June); Q3: 3 changes (1 in July, 2 in September)
const CHANGES = [
  '2026-04-02T10:00:00Z',
  '2026-04-20T10:00:00Z',
  '2026-06-01T10:00:00Z',
  '2026-06-10T10:00:00Z',
  '2026-06-20T10:00:00Z',
  '2026-07-05T10:00:00Z',
  '2026-09-01T10:00:00Z',
  '2026-09-25T10:00:00Z',
];

async function results() {
  return kpiResults({
    'metrics.yaml': catalogueYaml(
      SOURCES,
      [
        { id: 'Q', formula: 'count(changes)', cadence: 'quarterly' },
        { id: 'M', formula: 'count(changes)', cadence: 'monthly' },
        { id: 'S', formula: 'count(accounts)', cadence: 'quarterly' },
      ],
      'UTC',
    ),
    'changes.csv': `opened\n${CHANGES.join('\n')}\n`,
    'accounts.csv': 'id\na\nb\n',
  });
}

describe('trend', () => {
  it('a quarterly KPI in a quarterly report compares with the previous quarter', async () => {
    const q = (await results()).get('Q')!;
    expect(q.value).toBe(3);
    expect(q.previous).toEqual({ period: '2026-Q2', value: 5 });
    expect(q.trend).toBe('down');
  });

  it('a monthly KPI compares its last two months inside the period', async () => {
    const m = (await results()).get('M')!;
    expect(m.windows.map((w) => [w.label, w.value])).toEqual([
      ['2026-07', 1],
      ['2026-08', null],
      ['2026-09', 2],
    ]);
    // August has no rows (no data), so September is compared with July
    expect(m.trend).toBe('up');
    expect(m.previous).toBeUndefined();
  });

  it('a snapshot KPI has no previous-period trend (a snapshot describes one moment)', async () => {
    const s = (await results()).get('S')!;
    expect(s.value).toBe(2);
    expect(s.trend).toBeNull();
  });
});
