/**
 * compileCatalogue is linear in the number of KPIs. Asserted by the work it does, not by time: every
 * formula is checked once, against ONE set of KPI ids built once for the whole catalogue (it used to
 * build a new set of all ids per KPI: quadratic, 10,000 KPIs took over half a minute), and a chain of
 * 20,000 derived KPIs is ordered without recursion. Self-reference is refused by the checker, which is
 * told whose formula it checks, not by reading an error message.
 */
import { describe, expect, it, vi } from 'vitest';
import { compileCatalogue } from '../../src/catalogue/compile.js';
import type { ParsedCatalogue } from '../../src/catalogue/parse.js';
import { CatalogueSchema } from '../../src/catalogue/schema.js';

const work = vi.hoisted(() => ({ checks: 0, idSets: new Set<ReadonlySet<string>>() }));

vi.mock('../../src/formula/check.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/formula/check.js')>();
  return {
    ...actual,
    checkFormula: (...args: Parameters<typeof actual.checkFormula>) => {
      work.checks++;
      work.idSets.add(args[1].kpis);
      return actual.checkFormula(...args);
    },
  };
});

function parsedCatalogue(kpis: { id: string; formula: string }[]): ParsedCatalogue {
  const config = CatalogueSchema.parse({
    organisation: 'Scale Ltd',
    sources: {
      tickets: {
        path: 'tickets.csv',
        kind: 'events',
        time_field: 'opened',
        fields: { id: 'ID', opened: { column: 'Opened', type: 'datetime' }, severity: 'Severity' },
      },
    },
    kpis: kpis.map((k) => ({ ...k, name: k.id, owner: 'CISO', cadence: 'monthly', unit: 'count' })),
  });
  return {
    file: 'metrics.yaml',
    sha256: '0'.repeat(64),
    config,
    locate: () => ({ file: 'metrics.yaml' }),
    formulaStart: () => ({ line: 1, col: 1, exact: true }),
  };
}

const id = (i: number) => `K${String(i).padStart(5, '0')}`;

describe('compileCatalogue at scale', () => {
  it('20,000 KPIs, each using the one before: one id set, one check per KPI, ordered without recursion', () => {
    const N = 20_000;
    // Listed last-first, so every KPI must wait for the whole chain below it.
    const kpis = Array.from({ length: N }, (_, k) => {
      const i = N - 1 - k;
      return { id: id(i), formula: i === 0 ? 'count(tickets)' : `kpi("${id(i - 1)}") + count(tickets)` };
    });
    work.checks = 0;
    work.idSets.clear();
    const compiled = compileCatalogue(parsedCatalogue(kpis), '/catalogue');
    if (!compiled.ok) throw new Error(compiled.problems[0]!.message);
    expect(work.checks).toBe(N);
    expect(work.idSets.size).toBe(1);
    expect([...work.idSets][0]!.size).toBe(N);
    expect(compiled.catalogue.kpis).toHaveLength(N);
    expect(compiled.catalogue.evaluationOrder).toEqual(Array.from({ length: N }, (_, i) => id(i)));
  });

  it('a cycle deep in a long chain is found and named from where the search met it', () => {
    const N = 5_000;
    const kpis = Array.from({ length: N }, (_, i) => ({
      id: id(i),
      formula: `kpi("${id((i + 1) % N)}") + 1`,
    }));
    const compiled = compileCatalogue(parsedCatalogue(kpis), '/catalogue');
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.problems).toHaveLength(1);
    const [p] = compiled.problems;
    expect(p!.code).toBe('kpi-cycle');
    const cycle = [...Array.from({ length: N }, (_, i) => id(i)), id(0)];
    expect(p!.message).toBe(`kpi K00000: derived KPIs use each other in a cycle: ${cycle.join(' -> ')}`);
  });

  it('a KPI that uses itself is refused by the checker; "did you mean" never suggests the KPI itself', () => {
    const compiled = compileCatalogue(
      parsedCatalogue([
        { id: 'AB-01', formula: 'kpi("AB-01") + 1' },
        { id: 'AB-02', formula: 'kpi("AB-2") + 1' },
        { id: 'XY-03', formula: 'count(tickets)' },
      ]),
      '/catalogue',
    );
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.problems.map((p) => [p.code, p.message])).toEqual([
      ['formula-unknown', 'kpi AB-01: a KPI cannot use its own value'],
      ['formula-unknown', 'kpi AB-02: unknown KPI "AB-2" (did you mean "AB-01"?)'],
    ]);
  });
});
