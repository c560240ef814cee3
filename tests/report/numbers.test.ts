/**
 * The one number formatter (src/report/numbers.ts, issue 18): thousands separators the same everywhere,
 * one decimal rule per unit (no `40 %` next to `92.5 %`), `decimals:` per KPI, units on targets,
 * singular and plural, and times in the catalogue's zone in human outputs (JSON keeps ISO).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { renderJson } from '../../src/render/json.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderTable } from '../../src/render/table.js';
import type { Report } from '../../src/report/model.js';
import {
  formatBands,
  formatCount,
  formatGenerated,
  formatNumber,
  formatTarget,
  formatValue,
  plural,
} from '../../src/report/numbers.js';
import { GOLDEN, runBundled } from '../render/bundled.js';

const kpi = (unit: string, decimals?: number) => ({ unit, ...(decimals !== undefined ? { decimals } : {}) });
const bands = (unit: string, green: string, amber?: string) => ({
  unit,
  thresholds: { green, ...(amber ? { amber } : {}), direction: 'lower' as const },
});

describe('numbers', () => {
  it('groups thousands with commas, whatever the size or sign, and leaves exponent forms alone', () => {
    expect(formatCount(1919)).toBe('1,919');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1_000_000)).toBe('1,000,000');
    expect(formatNumber(-1234.56, 1)).toBe('-1,234.6');
    expect(formatNumber(1234567.25, 2)).toBe('1,234,567.25');
    expect(formatNumber(1.7e308, 0)).toBe('1.7e+308');
  });

  it('one decimal rule per unit: percentages and hours always one decimal, counts whole', () => {
    // the example: 40 % next to 92.5 % in one column
    expect([40, 92.5, 100, 0].map((v) => formatValue(kpi('%'), v))).toEqual([
      '40.0 %',
      '92.5 %',
      '100.0 %',
      '0.0 %',
    ]);
    expect([160, 30.57, 1919.04].map((v) => formatValue(kpi('h'), v))).toEqual([
      '160.0 h',
      '30.6 h',
      '1,919.0 h',
    ]);
    expect([2, 1919].map((v) => formatValue(kpi('count'), v))).toEqual(['2', '1,919']);
    // a fractional count (a mean) keeps a decimal rather than rounding to a whole that was not measured
    expect(formatValue(kpi('incidents'), 2.5)).toBe('2.5 incidents');
    expect(formatValue(kpi('%', 2), 40)).toBe('40.00 %');
    expect(formatValue(kpi('count', 1), 3)).toBe('3.0');
    expect(formatValue(kpi('h'), null)).toBe('–');
  });

  it('writes targets with the unit of the value', () => {
    expect(formatTarget(bands('h', '<= 8'))).toBe('<= 8 h');
    expect(formatTarget(bands('%', '>= 95'))).toBe('>= 95 %');
    expect(formatTarget(bands('count', '== 0'))).toBe('== 0');
    expect(formatTarget(bands('count', '<= 1500'))).toBe('<= 1,500');
    expect(formatBands(bands('days', '<= 14', '<= 30'))).toBe('<= 14 days (amber <= 30 days)');
    expect(formatTarget({ unit: 'h', thresholds: null })).toBe('–');
  });

  it('singular for one', () => {
    expect(plural(1, 'warning')).toBe('1 warning');
    expect(plural(2, 'warning')).toBe('2 warnings');
    expect(plural(0, 'row')).toBe('0 rows');
    expect(plural(1919, 'row')).toBe('1,919 rows');
  });

  it("shows a saved time in the report's zone with its offset", () => {
    expect(formatGenerated('2026-12-05T06:33:30.979Z', 'Europe/Berlin')).toBe('2026-12-05 07:33:30 +01:00');
    expect(formatGenerated('2026-07-05T06:33:30Z', 'Europe/Berlin')).toBe('2026-07-05 08:33:30 +02:00');
  });
});

describe('numbers in the reports', () => {
  let report: Report;
  beforeAll(async () => {
    report = (await runBundled({ timestamp: '2026-12-05T06:33:30.979Z' })).report;
  });

  it('human formats show the generated time in the catalogue zone; JSON keeps the ISO time', () => {
    for (const text of [renderTable(report, { color: false }), renderMarkdown(report), renderHtml(report)]) {
      expect(text).toContain('2026-12-05 07:33:30 +01:00');
      expect(text).not.toContain('2026-12-05T06:33:30');
    }
    expect(renderJson(report)).toContain('"generatedAt": "2026-12-05T06:33:30.979Z"');
  });

  it('the goldens write 1,919 rows the same way in every human format, never 1919', () => {
    for (const name of ['2026-Q3.txt', '2026-Q3.80.txt', '2026-Q3.md', '2026-Q3.html']) {
      const text = fs.readFileSync(path.join(GOLDEN, name), 'utf8');
      expect(text, name).toContain('1,919');
      expect(text, name).not.toMatch(/\b1919\b/);
    }
  });

  it('every percentage value in the table has one decimal', () => {
    const table = renderTable(report, { color: false, width: 120 });
    const percentages = [...table.matchAll(/│ (\d[\d,.]*) % /g)].map((m) => m[1]!);
    expect(percentages.length).toBeGreaterThan(5);
    for (const p of percentages) expect(p).toMatch(/\.\d$/);
  });
});
