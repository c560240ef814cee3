/**
 * The terminal table fits its width (issue 18): no line longer than the width in characters (string
 * width: wide CJK and emoji characters count two, colour codes none), no value split across lines, no
 * rule between rows; goldens at 80 and 120 columns (checked by hand). And the CLI: --width, the terminal's
 * columns, COLUMNS, and the colour switches (NO_COLOR, FORCE_COLOR, TERM=dumb).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatTarget, formatValue, statusText } from '../../src/render/format.js';
import { textWidth, wrapText } from '../../src/render/layout.js';
import { DEFAULT_WIDTH, renderTable } from '../../src/render/table.js';
import type { Report } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { expectGolden, runBundled } from './bundled.js';

let report: Report;
beforeAll(async () => {
  report = (await runBundled()).report;
});

const lines = (text: string) => text.replace(/\n$/, '').split('\n');
/** The table's header line. */
const header = (all: string[]) => all.find((l) => /^(│ )?ID /.test(l)) ?? '';

/** Every line fits; every KPI's value, target and status is whole on the line of its id (when shown). */
function expectFitted(text: string, width: number, r: Report) {
  for (const line of lines(text)) expect(textWidth(line), line).toBeLessThanOrEqual(width);
  const all = lines(text.replace(/\u001b\[[0-9;]*m/g, ''));
  for (const kpi of r.kpis) {
    const row = all.find((l) => new RegExp(`^(│ )?${kpi.id} `).test(l));
    expect(row, kpi.id).toBeDefined();
    expect(row).toContain(formatValue(kpi, kpi.value));
    expect(row).toContain(statusText(kpi.status));
    if (header(all).includes('Target')) expect(row).toContain(formatTarget(kpi));
  }
  expect(all.some((l) => l.startsWith('├'))).toBe(false);
}

describe('the table fits its width', () => {
  it('golden at 120 columns (the default for files and pipes): the box layout with owners', () => {
    const text = renderTable(report, { color: false, width: 120 });
    expect(renderTable(report, { color: false })).toBe(text);
    expect(DEFAULT_WIDTH).toBe(120);
    expectGolden('2026-Q3.txt', text);
    expectFitted(text, 120, report);
    expect(text).toContain('│ Owner');
  });

  it('golden at 80 columns: the compact layout, no box, no owner', () => {
    const text = renderTable(report, { color: false, width: 80 });
    expectGolden('2026-Q3.80.txt', text);
    expectFitted(text, 80, report);
    expect(text).not.toContain('│');
    expect(text).not.toContain('Owner');
    // the title and summary lines are wrapped too, and the example's 1,919 rows stay one value
    expect(text).toContain('1,919 rows');
  });

  it.each([40, 50, 60, 99, 100, 110, 160, 300])('fits %i columns, with colours too', (width) => {
    const plain = renderTable(report, { color: false, width });
    expectFitted(plain, width, report);
    // Target is left out only when it cannot fit (drop order: Owner, Target, Trend)
    expect(header(lines(plain)).includes('Target')).toBe(width >= 70);
    const coloured = renderTable(report, { color: true, width });
    expect(coloured).toContain('\u001b[');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
    for (const line of lines(coloured)) expect(textWidth(line)).toBeLessThanOrEqual(width);
  });

  it('counts wide characters as two columns: a CJK organisation, emoji and CJK KPI names still fit', () => {
    const wide: Report = {
      ...report,
      organisation: '株式会社テスト製作所 情報セキュリティ管理部門 年次報告書 第三四半期',
      kpis: report.kpis.map((k, i) =>
        i % 3 === 0
          ? { ...k, name: `漏洞管理 😀 重大な脆弱性の対応時間 ${k.name}`, owner: '情報セキュリティ担当者' }
          : k,
      ),
    };
    for (const width of [80, 120]) expectFitted(renderTable(wide, { color: false, width }), width, wide);
    expect(textWidth('漏洞😀a')).toBe(7);
  });

  it('wraps prose at spaces, keeps runs of spaces inside a line, and breaks only a word wider than a line', () => {
    expect(wrapText('  backups   file.csv: 1,919\u00a0rows, 3\u00a0rejected', 24)).toEqual([
      '  backups   file.csv:',
      '    1,919 rows,',
      '    3 rejected',
    ]);
    expect(wrapText('x fixtures/a-very-long-path-name.csv y', 16)).toEqual([
      'x',
      '    fixtures/a-v',
      '    ery-long-pat',
      '    h-name.csv y',
    ]);
  });
});

describe('report on a terminal', () => {
  const table = (options: Parameters<typeof runCli>[1], ...args: string[]) =>
    runCli(['report', '--period', '2026-Q3', '-q', ...args], options);
  const widest = (text: string) => Math.max(...lines(text).map(textWidth));

  it("fits the terminal's columns, else COLUMNS, else 120; --width wins", async () => {
    expect(widest((await table({ isTTY: true, columns: 80 })).stdout)).toBeLessThanOrEqual(80);
    expect(widest((await table({ env: { COLUMNS: '90' } })).stdout)).toBeLessThanOrEqual(90);
    expect(widest((await table({})).stdout)).toBe(120);
    const byOption = await table({ isTTY: true, columns: 200 }, '--width', '80');
    expect(byOption.stdout).toBe(renderTable(report, { color: false, width: 80 }));
  });

  it('refuses a --width too narrow for any table', async () => {
    const r = await table({}, '--width', '12');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('expected a number of columns, 40 or more');
  });

  it('colours on a terminal only, and never with NO_COLOR, FORCE_COLOR=0 or TERM=dumb', async () => {
    const colour = (r: { stdout: string }) => r.stdout.includes('\u001b[');
    expect(colour(await table({ isTTY: true, env: { NO_COLOR: '' } }))).toBe(true);
    expect(colour(await table({ isTTY: true, env: { NO_COLOR: '1' } }))).toBe(false);
    expect(colour(await table({ isTTY: true, env: { NO_COLOR: '', FORCE_COLOR: '0' } }))).toBe(false);
    expect(colour(await table({ isTTY: true, env: { NO_COLOR: '', TERM: 'dumb' } }))).toBe(false);
    // FORCE_COLOR asks for colours also into a pipe; NO_COLOR still wins
    expect(colour(await table({ env: { NO_COLOR: '', FORCE_COLOR: '1' } }))).toBe(true);
    expect(colour(await table({ env: { NO_COLOR: '1', FORCE_COLOR: '1' } }))).toBe(false);
  });
});
