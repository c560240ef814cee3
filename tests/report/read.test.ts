/**
 * readReport, the one reader of saved JSON reports: lenient about fields it does not know, strict about
 * the fields it does, and every refusal a located problem with its code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, type Problem } from '../../src/problems.js';
import { renderJson } from '../../src/render/json.js';
import type { Report } from '../../src/report/model.js';
import { jsonPath, type ReadReportResult, readReport } from '../../src/report/read.js';
import { runBundled } from '../render/bundled.js';

const FILE = 'reports/q3.json';

/** The report, or the test fails with the problem. */
function accepted(result: ReadReportResult): Report {
  if (!result.ok) throw new Error(`refused: ${formatProblem(result.problem)}`);
  return result.report;
}

function refused(result: ReadReportResult): Problem {
  if (result.ok) throw new Error('accepted, expected a problem');
  return result.problem;
}

let bundled: Report;
let text: string;
/** A fresh, mutable parse of the bundled report's JSON. */
const data = () => JSON.parse(text) as Record<string, unknown> & { kpis: Record<string, unknown>[] };
const json = (value: unknown) => JSON.stringify(value, null, 2);

beforeAll(async () => {
  bundled = (await runBundled()).report;
  text = renderJson(bundled);
});

describe('readReport accepts', () => {
  it('the bundled report rendered as JSON, giving back the same report (round trip)', () => {
    const report = accepted(readReport(text, FILE));
    // Strict: no key the writer wrote is lost, none is added (not even as undefined), nothing changes.
    expect(report).toStrictEqual(JSON.parse(text));
    expect(report).toStrictEqual(JSON.parse(JSON.stringify(bundled)));
    expect(renderJson(report)).toBe(text);
  });

  it('a report that starts with a UTF-8 byte order mark', () => {
    expect(accepted(readReport(`\uFEFF${text}`, FILE))).toStrictEqual(JSON.parse(text));
  });

  it('unknown fields at the top level, inside a KPI and inside a source, and ignores them', () => {
    const d = data();
    d.reviewedBy = 'CISO';
    d.kpis[0]!.confidence = { level: 'high' };
    (d.sources as Record<string, unknown>[])[0]!.encoding = 'utf-8';
    ((d.kpis[0]!.aggregates as Record<string, unknown>[])[0] as Record<string, unknown>).note = 'x';
    const report = accepted(readReport(json(d), FILE));
    expect(report).toStrictEqual(JSON.parse(text));
    expect('reviewedBy' in report).toBe(false);
  });

  it('a report without any of the optional fields', async () => {
    // The 2026-Q2 report has stale KPIs (judgement) and partial trends (trendNote); 2026-Q3 has neither.
    const d = JSON.parse(renderJson((await runBundled({ period: '2026-Q2' })).report)) as ReturnType<
      typeof data
    >;
    d.generatedAt = '2026-10-01T08:00:00.000Z';
    const optionalOfKpi = ['description', 'area', 'caveat', 'decimals', 'segmentBy', 'baseline'];
    optionalOfKpi.push('judgement', 'numerator', 'denominator', 'previous', 'trendNote', 'sinceBaseline');
    optionalOfKpi.push('history');
    // The bundled Q2 report has each of these somewhere (decimals and history excepted).
    const present = (key: string) => d.kpis.some((k) => key in k);
    expect(optionalOfKpi.filter(present)).toHaveLength(optionalOfKpi.length - 2);
    expect(accepted(readReport(json(d), FILE)).generatedAt).toBe('2026-10-01T08:00:00.000Z');
    delete d.generatedAt;
    for (const k of d.kpis) {
      for (const key of optionalOfKpi) delete k[key];
      for (const g of [...(k.segments as object[]), ...(k.windows as object[])])
        for (const key of ['numerator', 'denominator']) delete (g as Record<string, unknown>)[key];
    }
    for (const source of d.sources as Record<string, unknown>[])
      for (const key of ['timeField', 'asOf', 'asOfSource', 'missing']) delete source[key];
    delete (d.period as Record<string, unknown>).complete;
    const report = accepted(readReport(json(d), FILE));
    expect(report.kpis.map((k) => k.id)).toEqual(bundled.kpis.map((k) => k.id));
    expect(report.kpis.some((k) => 'area' in k)).toBe(false);
  });
});

describe('readReport refuses', () => {
  it('text that is not JSON: json-syntax, naming the file', () => {
    const p = refused(readReport('{"schemaVersion": 1,', FILE));
    expect(p.code).toBe('json-syntax');
    expect(formatProblem(p)).toMatch(/^reports\/q3\.json: not valid JSON: /);
  });

  it('JSON that is not a report: not-a-report', () => {
    for (const other of ['[1, 2]', '"text"', 'null', '{"name": "isms-kpi", "version": "0.1.0"}']) {
      const p = refused(readReport(other, FILE));
      expect(p.code).toBe('not-a-report');
      expect(formatProblem(p)).toMatch(/^reports\/q3\.json: not an isms-kpi report \(/);
    }
    const otherTool = refused(readReport(json({ ...data(), tool: { name: 'other', version: '1' } }), FILE));
    expect(formatProblem(otherTool)).toBe(
      'reports/q3.json: not an isms-kpi report (no schemaVersion or tool.name "isms-kpi")',
    );
  });

  it('a report of schemaVersion 2: report-version, with both versions', () => {
    // Even when its layout is otherwise unreadable: the version is checked first.
    const p = refused(readReport(json({ schemaVersion: 2, tool: { name: 'isms-kpi' } }), FILE));
    expect(p.code).toBe('report-version');
    expect(formatProblem(p)).toBe(
      'reports/q3.json: report schemaVersion 2; this isms-kpi reads schemaVersion 1',
    );
  });

  it('a KPI without value: not-a-report naming kpis[3].value', () => {
    const d = data();
    delete d.kpis[3]!.value;
    const p = refused(readReport(json(d), FILE));
    expect(p.code).toBe('not-a-report');
    expect(p.location.file).toBe(FILE);
    expect(formatProblem(p)).toBe('reports/q3.json: not a valid isms-kpi report: kpis[3].value is missing');
  });

  it('a field of the wrong type or value, naming its path and what is allowed there', () => {
    const cases: [(d: ReturnType<typeof data>) => void, string][] = [
      [(d) => (d.kpis[1]!.value = '87.5'), 'kpis[1].value: expected number or null, got "87.5"'],
      [
        (d) => (d.kpis[0]!.status = 'purple'),
        'kpis[0].status: "purple" is not one of "green", "amber", "red", "no-data", "stale", "info"',
      ],
      [
        (d) => (d.kpis[0]!.trend = 'sideways'),
        'kpis[0].trend: "sideways" is not one of "up", "down", "flat", null',
      ],
      [
        (d) => ((d.sources as Record<string, unknown>[])[2]!.rowsRead = 1.5),
        'sources[2].rowsRead: expected a whole number, got 1.5',
      ],
      [(d) => (d.kpis = {} as never), 'kpis: expected array, got an object'],
      [(d) => delete d.period, 'period is missing'],
      [
        (d) => (d.kpis[2]!.segments = [{ key: 1, value: null, status: 'no-data' }]),
        'kpis[2].segments[0].key: expected string, got 1',
      ],
    ];
    for (const [mutate, message] of cases) {
      const d = data();
      mutate(d);
      const p = refused(readReport(json(d), FILE));
      expect(p.code).toBe('not-a-report');
      expect(p.message).toBe(`not a valid isms-kpi report: ${message}`);
    }
  });
});

describe('jsonPath', () => {
  it('writes array indexes in brackets and keys with dots', () => {
    expect(jsonPath(['kpis', 3, 'segments', 0, 'value'])).toBe('kpis[3].segments[0].value');
    expect(jsonPath(['summary', 'no-data'])).toBe('summary.no-data');
    expect(jsonPath([])).toBe('(the top level)');
  });
});
