/**
 * `report --format ciso-assistant`: the CSV of CISO Assistant's data import for an ISO/IEC 27001:2022
 * audit. The header is the one its importer reads; every URN and ref_id exists in the vendored excerpt of
 * its library (tests/fixtures/ciso-assistant/, see PROVENANCE.md); each control gets the documented
 * result for the worst status of its KPIs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNEX_A_2022 } from '../../src/catalogue/annex-a.js';
import { cisoAssistantUrn, renderCisoAssistant } from '../../src/render/ciso-assistant.js';
import type { KpiResult, Report } from '../../src/report/model.js';
import { REPO, runCli } from '../helpers/cli.js';
import { runBundled } from './bundled.js';
import { parseCsv } from './csv-parse.js';

interface Excerpt {
  framework: { urn: string };
  requirement_nodes: { urn: string; ref_id: string; assessable: boolean }[];
}

const excerpt: Excerpt = JSON.parse(
  readFileSync(path.join(REPO, 'tests', 'fixtures', 'ciso-assistant', 'iso27001-2022-annex-a.json'), 'utf8'),
);
const urnOf = new Map(excerpt.requirement_nodes.map((n) => [n.ref_id, n.urn]));

let report: Report;
let tmp = '';
beforeAll(async () => {
  report = (await runBundled()).report;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-ciso-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The rows as records by header name. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [h, row[i]!])));
}

const resultOf = (text: string) => new Map(records(text).map((r) => [r.ref_id, r.compliance_result]));

/** The bundled report with only these KPIs (changed as given). */
function withKpis(kpis: KpiResult[]): Report {
  return { ...report, kpis };
}
const kpi = (id: string, change: Partial<KpiResult> = {}): KpiResult => ({
  ...report.kpis.find((k) => k.id === id)!,
  ...change,
});

describe('CISO Assistant import CSV', () => {
  it('has the exact header the importer reads, comma separated, UTF-8 with a byte order mark', () => {
    const text = renderCisoAssistant(report);
    expect(text.startsWith('\uFEFFurn,assessable,ref_id,name,compliance_result,observations\r\n')).toBe(true);
  });

  it('writes only URNs and ref_ids of CISO Assistant ISO/IEC 27001:2022 library, each pair as there', () => {
    const rows = records(renderCisoAssistant(report));
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      expect(urnOf.get(row.ref_id!), row.ref_id).toBe(row.urn);
      expect(row.assessable).toBe('true');
    }
    for (const node of excerpt.requirement_nodes) expect(node.assessable).toBe(true);
  });

  it('derives the URN of every Annex A control as the library names it, and no other', () => {
    expect(excerpt.requirement_nodes).toHaveLength(ANNEX_A_2022.length);
    for (const control of ANNEX_A_2022) expect(cisoAssistantUrn(control.id)).toBe(urnOf.get(control.id));
  });

  it('one row per Annex A control the KPIs name, with the result of the worst status of its KPIs', () => {
    const text = renderCisoAssistant(report);
    const result = resultOf(text);
    const named = new Set(report.kpis.flatMap((k) => k.controls).filter((c) => urnOf.has(c)));
    expect(new Set(result.keys())).toEqual(named);
    expect(records(text).map((r) => r.ref_id)).toHaveLength(named.size);
    expect(result.get('A.5.18')).toBe('non_compliant'); // AC-01, AC-02 red among ambers
    expect(result.get('A.5.17')).toBe('partially_compliant'); // AC-03, AC-04 amber
    expect(result.get('A.5.24')).toBe('compliant'); // IR-05 green; IR-01, IR-06 informational
    expect(result.get('A.5.21')).toBe('not_assessed'); // informational KPIs only (IR-07)
    expect(result.get('A.6.3')).toBe('non_compliant'); // TR-01 red is worse than AW-03 without data
    expect(result.get('A.8.16')).toBe('compliant'); // IR-03 green; IR-10 is a draft and does not count
    expect(urnOf.has('A.5.3')).toBe(true);
    expect(result.has('A.5.3')).toBe(false); // no KPI names it: the audit keeps what it has
    const a618 = records(text).find((r) => r.ref_id === 'A.5.18')!;
    expect(a618.observations).toContain('AC-01');
    expect(a618.observations).toContain('exception accepted by CISO until 2026-12-31');
  });

  it('a green KPI beside one without data is not assessed; a stale KPI counts only a red or amber judgement', () => {
    const green = (id: string) => kpi(id, { controls: ['A.8.13'] });
    expect([kpi('BK-01').status, kpi('BK-05').status, kpi('AW-03').status]).toEqual([
      'green',
      'green',
      'no-data',
    ]);
    expect(
      resultOf(renderCisoAssistant(withKpis([green('BK-01'), kpi('AW-03', { controls: ['A.8.13'] })]))).get(
        'A.8.13',
      ),
    ).toBe('not_assessed');
    const stale = (judgement: 'red' | 'green') =>
      kpi('BK-01', { status: 'stale', judgement, reason: 'stale: the export ends early' });
    expect(resultOf(renderCisoAssistant(withKpis([green('BK-05'), stale('red')]))).get('A.8.13')).toBe(
      'non_compliant',
    );
    expect(resultOf(renderCisoAssistant(withKpis([green('BK-05'), stale('green')]))).get('A.8.13')).toBe(
      'not_assessed',
    );
    expect(resultOf(renderCisoAssistant(withKpis([green('BK-05')]))).get('A.8.13')).toBe('compliant');
  });

  it('a control named only by draft or retired KPIs gets no row', () => {
    const draft = kpi('AC-01', { lifecycle: 'draft', controls: ['A.5.15'] });
    const retired = kpi('AC-02', { lifecycle: 'retired', controls: ['A.5.15'] });
    const active = kpi('AC-07', { controls: ['A.8.2'] });
    const result = resultOf(renderCisoAssistant(withKpis([draft, retired, active])));
    expect([...result.keys()]).toEqual(['A.8.2']);
  });

  it('report --output FILE.ciso-assistant.csv writes it', async () => {
    const out = path.join(tmp, 'audit.ciso-assistant.csv');
    const result = await runCli(['report', '--output', out, '--fail-on', 'never'], { cwd: REPO });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('(ciso-assistant)');
    expect(readFileSync(out, 'utf8')).toBe(renderCisoAssistant(report));
  });
});
