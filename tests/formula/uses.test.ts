/**
 * What a checked formula reports about itself, found with the one IR walker (src/formula/walk.ts):
 * the sources, KPIs and fields it reads, in the order first written, and which aggregates are the
 * numerator and the denominator.
 */
import { describe, expect, it } from 'vitest';
import { type CheckEnv, checkFormula } from '../../src/formula/check.js';
import type { CheckedFormula } from '../../src/formula/ir.js';
import type { FieldType } from '../../src/sources/table.js';

function shape(name: string, fields: [string, FieldType][]) {
  return { name, kind: 'events' as const, fields: new Map<string, FieldType>(fields) };
}

const ENV: CheckEnv = {
  sources: new Map([
    [
      'leavers',
      shape('leavers', [
        ['upn', 'string'],
        ['left', 'datetime'],
      ]),
    ],
    [
      'accounts',
      shape('accounts', [
        ['upn', 'string'],
        ['enabled', 'boolean'],
        ['owner', 'string'],
      ]),
    ],
    [
      'tickets',
      shape('tickets', [
        ['hours', 'number'],
        ['severity', 'string'],
      ]),
    ],
  ]),
  kpis: new Set(['A', 'B', 'SELF']),
  self: 'SELF',
  tz: 'UTC',
};

function checked(formula: string): CheckedFormula {
  const result = checkFormula(formula, ENV);
  if (!result.ok) throw new Error(result.error.message);
  return result.formula;
}

describe('what a formula reads', () => {
  it('sources (aggregates and exists), KPIs and fields per source, in the order first written', () => {
    const f = checked(
      'kpi("B") + mean(tickets, hours, severity == "High") + count(leavers, exists(accounts, accounts.upn == leavers.upn and enabled)) - kpi("A") + kpi("B") + count(tickets)',
    );
    expect(f.sources).toEqual(['tickets', 'leavers', 'accounts']);
    expect(f.kpis).toEqual(['B', 'A']);
    expect([...f.fields].map(([source, set]) => [source, [...set]])).toEqual([
      ['tickets', ['hours', 'severity']],
      ['accounts', ['upn', 'enabled']],
      ['leavers', ['upn']],
    ]);
    expect(f.aggregates.map((a) => a.text)).toEqual([
      'mean(tickets, hours, severity == "High")',
      'count(leavers, exists(accounts, accounts.upn == leavers.upn and enabled))',
      'count(tickets)',
    ]);
  });

  it('a field compared with null is still read', () => {
    expect([...checked('count(tickets, null == severity)').fields.get('tickets')!]).toEqual(['severity']);
  });
});

describe('numerator and denominator', () => {
  it('pct(a, b), ratio(a, b) and a / b of two aggregates: a is the numerator, b the denominator', () => {
    for (const formula of [
      'pct(count(tickets, hours > 4), count(tickets))',
      'ratio(count(tickets, hours > 4), count(tickets))',
      'count(tickets, hours > 4) / count(tickets)',
      'round(round(pct(count(tickets, hours > 4), count(tickets)), 1))',
    ])
      expect([...checked(formula).roles], formula).toEqual([
        [0, 'numerator'],
        [1, 'denominator'],
      ]);
  });

  it('a ratio that is not the whole value, or not of two aggregates, has no roles', () => {
    for (const formula of [
      // sums on either side
      'pct(count(tickets, hours > 4) + count(leavers), count(tickets) + count(accounts))',
      // a ratio inside a sum, rounded or not
      'round(count(tickets) / count(leavers), 1) + ratio(count(accounts), count(tickets))',
      // a ratio of a ratio
      '(count(tickets) / count(leavers)) / count(accounts)',
      // inside if(), or under another function than round()
      'if(count(tickets) > 0, pct(count(tickets, hours > 4), count(tickets)), 0)',
      'abs(pct(count(tickets, hours > 4), count(tickets)))',
      '-pct(count(tickets, hours > 4), count(tickets))',
    ])
      expect(checked(formula).roles.size, formula).toBe(0);
  });

  it('no ratio, no roles', () => {
    expect(checked('count(tickets) - count(leavers)').roles.size).toBe(0);
  });
});

describe('self reference', () => {
  it('is refused at the kpi() argument; the checker is told whose formula it is', () => {
    const result = checkFormula('1 + kpi("SELF")', ENV);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual({
      code: 'formula-unknown',
      message: 'a KPI cannot use its own value',
      span: { start: 8, end: 14 },
    });
  });
});
