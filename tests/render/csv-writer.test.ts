/** CSV cells: quoting, numbers, and the neutralising of text a spreadsheet would run as a formula. */
import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from '../../src/util/csv-writer.js';
import { parseCsv } from './csv-parse.js';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+49 421 555030', "'+49 421 555030"],
    ['-1+2', "'-1+2"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tcmd', "'\tcmd"],
    // A lone carriage return is shown as its escape (a terminal would return to the line's start).
    ['\r=1', "'\\r=1"],
    ['== 0', "'== 0"],
  ])('neutralises %j', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it('leaves ordinary text alone and quotes only when needed', () => {
    expect(csvCell('IAM lead')).toBe('IAM lead');
    expect(csvCell('>= 95')).toBe('>= 95');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell("it's = fine")).toBe("it's = fine");
  });

  it('writes numbers as numbers, a negative one included, and nothing for no value', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(66.66666666666667)).toBe('66.66666666666667');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });
});

describe('csvDocument', () => {
  it('starts with a BOM, ends records with CRLF, and reads back to the same cells', () => {
    const text = csvDocument([
      ['a', 'b'],
      ['x,y', 'line\nbreak'],
    ]);
    expect(text.startsWith('\uFEFFa,b\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['x,y', 'line\nbreak'],
    ]);
  });
});
