/**
 * Golden files of `isms-kpi explain` on the bundled catalogue for 2026-Q3: a percentage with its
 * numerator and denominator (IR-02), a red count with the rows that made it red (AC-02), a sum of two
 * counts (AC-04) and a KPI built from other KPIs (GV-01). Read by hand against fixtures/acme/README.md.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { expectGolden } from './bundled.js';

describe('golden files of explain', () => {
  it.each(['IR-02', 'AC-02', 'AC-04', 'GV-01'])('%s', async (id) => {
    const r = await runCli(['explain', id], { now: Date.parse('2027-01-15T12:00:00Z') });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expectGolden(`explain-${id}.txt`, r.stdout);
  });
});
