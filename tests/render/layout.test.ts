/**
 * The terminal table layout (src/render/layout.ts): what it draws, checked by hand on small tables,
 * and that it draws 50,000 rows in one pass (cli-table3 re-measured the table per row: 20,000 KPIs
 * took 54 s; a layout with that cost would not finish within the test timeout).
 */
import { describe, expect, it } from 'vitest';
import { layoutTable, textWidth } from '../../src/render/layout.js';

describe('layoutTable', () => {
  it('sizes free columns to their widest line and wraps fixed ones at spaces', () => {
    const text = layoutTable(
      [
        ['IR-01', 'Critical incidents contained in time', 'x'],
        ['AC-02', 'Orphans', 'a\nbb'],
      ],
      { head: ['ID', 'KPI', 'V'], widths: [null, 14, null] },
    );
    expect(text).toBe(
      [
        '┌───────┬──────────────┬────┐',
        '│ ID    │ KPI          │ V  │',
        '├───────┼──────────────┼────┤',
        '│ IR-01 │ Critical     │ x  │',
        '│       │ incidents    │    │',
        '│       │ contained in │    │',
        '│       │ time         │    │',
        '├───────┼──────────────┼────┤',
        '│ AC-02 │ Orphans      │ a  │',
        '│       │              │ bb │',
        '└───────┴──────────────┴────┘',
      ].join('\n'),
    );
  });

  it('cuts a word longer than its fixed column with "…", and can leave out the rules between rows', () => {
    const text = layoutTable([['Verwaltungsvorschrift', 'ok']], {
      head: ['Name', 'S'],
      widths: [8, null],
      rowRules: false,
    });
    expect(text).toBe(
      ['┌────────┬────┐', '│ Name   │ S  │', '│ Verwa… │ ok │', '└────────┴────┘'].join('\n'),
    );
  });

  it('counts wide characters as two columns and colour codes as none', () => {
    expect(textWidth('中文')).toBe(4);
    expect(textWidth('😀 ok')).toBe(5);
    expect(textWidth('Störung')).toBe(7);
    expect(textWidth('\u001b[31m✖ red\u001b[39m')).toBe(5);
    const red = (text: string) => `\u001b[31m${text}\u001b[39m`;
    const lines = layoutTable([['中文', { text: '✖ red', style: red }]], {
      head: ['A', 'B'],
      widths: [null, null],
    }).split('\n');
    expect(new Set(lines.map(textWidth))).toEqual(new Set([textWidth(lines[0]!)]));
    expect(lines[3]).toBe('│ 中文 │ \u001b[31m✖ red\u001b[39m │');
  });

  it('makes every cell inert: escape sequences in the text are shown, only a style adds colour', () => {
    const hostile = '\u001b]0;title\u0007\u001b[2J\u009b2J\u202eok';
    const text = layoutTable([[hostile, { text: hostile, style: (s) => `\u001b[1m${s}\u001b[22m` }]], {
      head: [hostile, 'B'],
      widths: [null, null],
    });
    const shown = '\\u001b]0;title\\u0007\\u001b[2J\\u009b2J\\u202eok';
    expect(text.split('\n')[1]).toBe(`│ ${shown} │ B${' '.repeat(shown.length - 1)} │`);
    expect(text.split('\n')[3]).toBe(`│ ${shown} │ \u001b[1m${shown}\u001b[22m │`);
    // the only escape left is the style's
    expect(text.replace(/\u001b\[(1|22)m/g, '')).not.toMatch(
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/,
    );
  });

  it('lays out 50,000 rows in one pass: every line of the same width, two lines per row', () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => [
      `K${i}`,
      `KPI number ${i} with a name long enough to wrap once`,
      'SOC',
    ]);
    const lines = layoutTable(rows, { head: ['ID', 'KPI', 'Owner'], widths: [null, 30, null] }).split('\n');
    // top, header, then per row a rule and two wrapped lines, bottom
    expect(lines).toHaveLength(3 + rows.length * 3);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines.at(-3)).toContain('K49999');
  });
});
