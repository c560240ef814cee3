import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, IsmsKpiError } from '../../src/problems.js';
import {
  type CsvReadOptions,
  type CsvReadResult,
  type CsvSink,
  detectDelimiter,
  readCsvFile,
  readCsvText,
} from '../../src/sources/csv-reader.js';

interface Rec {
  cells: string[];
  line: number;
  endLine: number;
  record: number;
}

interface Parsed {
  header: { cells: string[]; line: number } | undefined;
  records: Rec[];
  result: CsvReadResult;
}

function collector(): { sink: CsvSink; out: Omit<Parsed, 'result'> } {
  const out: Omit<Parsed, 'result'> = { header: undefined, records: [] };
  const sink: CsvSink = {
    header(cells, line) {
      out.header = { cells: [...cells], line };
    },
    record(cells, line, endLine, record) {
      out.records.push({ cells: [...cells], line, endLine, record });
    },
  };
  return { sink, out };
}

function parse(text: string, options: CsvReadOptions = {}): Parsed {
  const { sink, out } = collector();
  const result = readCsvText(text, 'test.csv', options, sink);
  return { ...out, result };
}

async function parseFile(path: string, options: CsvReadOptions = {}, chunkSize?: number): Promise<Parsed> {
  const { sink, out } = collector();
  const result = await readCsvFile(
    path,
    'test.csv',
    options,
    sink,
    chunkSize === undefined ? {} : { chunkSize },
  );
  return { ...out, result };
}

/** [cells, line, endLine] per record, the compact form most tests compare. */
function rows(parsed: Parsed): [string[], number, number][] {
  return parsed.records.map((r) => [r.cells, r.line, r.endLine]);
}

const QUOTE_INSIDE =
  'quote inside an unquoted field, read as a plain character: only a quote at the very start opens a quoted field, so a delimiter after it may have split the value';
const TEXT_AFTER =
  'text after the closing quote of a quoted field, appended to it: a quote inside a quoted field must be written twice ("")';
const UNTERMINATED = (line: number) =>
  `quoted field opened on line ${line} is never closed (reached end of file): the export looks cut off, or a closing quote is missing`;

/** The parse, or the problems it stopped with. */
function outcome(fn: () => Parsed): Parsed | { error: string[] } {
  try {
    return fn();
  } catch (error) {
    if (error instanceof IsmsKpiError) return { error: error.problems.map(formatProblem) };
    throw error;
  }
}

async function outcomeAsync(fn: () => Promise<Parsed>): Promise<Parsed | { error: string[] }> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof IsmsKpiError) return { error: error.problems.map(formatProblem) };
    throw error;
  }
}

function catchError(fn: () => unknown): IsmsKpiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof IsmsKpiError) return error;
    throw error;
  }
  throw new Error('expected an IsmsKpiError');
}

const dir = mkdtempSync(join(tmpdir(), 'isms-kpi-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;
function tempFile(content: string | Buffer): string {
  const path = join(dir, `f${++fileCounter}.csv`);
  writeFileSync(path, content);
  return path;
}

describe('records and line numbers', () => {
  it('passes the header and numbered records with their physical lines', () => {
    const p = parse('id,name\n1,alpha\n2,beta\n');
    expect(p.header).toEqual({ cells: ['id', 'name'], line: 1 });
    expect(p.records).toEqual([
      { cells: ['1', 'alpha'], line: 2, endLine: 2, record: 1 },
      { cells: ['2', 'beta'], line: 3, endLine: 3, record: 2 },
    ]);
    expect(p.result).toMatchObject({ delimiter: ',', records: 2, lines: 3, blankLines: 0, problems: [] });
  });

  it('keeps a newline inside a quoted field and reports line, endLine and record apart', () => {
    const p = parse('id,note,x\n1,"first\nsecond\nthird",a\n2,plain,b\n3,"x\r\ny",c\n4,z,d');
    expect(p.records).toEqual([
      { cells: ['1', 'first\nsecond\nthird', 'a'], line: 2, endLine: 4, record: 1 },
      { cells: ['2', 'plain', 'b'], line: 5, endLine: 5, record: 2 },
      { cells: ['3', 'x\r\ny', 'c'], line: 6, endLine: 7, record: 3 },
      { cells: ['4', 'z', 'd'], line: 8, endLine: 8, record: 4 },
    ]);
    expect(p.result.lines).toBe(8);
  });

  it('unescapes "" only inside quoted fields', () => {
    const p = parse('a,b,c,d\n"say ""hi""",""""," ""x"" ",""\n');
    expect(p.records[0]?.cells).toEqual(['say "hi"', '"', ' "x" ', '']);
  });

  it('handles delimiters inside quotes and quoted header cells', () => {
    const p = parse('"id","full, name"\n"1","Doe, Jane"\n');
    expect(p.header?.cells).toEqual(['id', 'full, name']);
    expect(p.records[0]?.cells).toEqual(['1', 'Doe, Jane']);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('ends records at %s', (_name, eol) => {
    const p = parse(['h1,h2', '1,2', '3,4', ''].join(eol));
    expect(p.header).toEqual({ cells: ['h1', 'h2'], line: 1 });
    expect(rows(p)).toEqual([
      [['1', '2'], 2, 2],
      [['3', '4'], 3, 3],
    ]);
    expect(p.result.lines).toBe(3);
    expect(p.result.blankLines).toBe(0);
  });

  it('accepts mixed line endings in one file, each counting one line', () => {
    const p = parse('h\r\na\rb\nc\r\n\rd');
    expect(rows(p)).toEqual([
      [['a'], 2, 2],
      [['b'], 3, 3],
      [['c'], 4, 4],
      [['d'], 6, 6],
    ]);
    expect(p.result.blankLines).toBe(1);
    expect(p.result.lines).toBe(6);
  });

  it('skips blank lines and lines of delimiters only (Excel trailing rows) and counts them', () => {
    const p = parse('\na,b,c\n\n1,2,3\n\n\n,,\n \n4,5,6\n"",,\n\n');
    expect(p.header).toEqual({ cells: ['a', 'b', 'c'], line: 2 });
    expect(rows(p)).toEqual([
      [['1', '2', '3'], 4, 4],
      [[' '], 8, 8],
      [['4', '5', '6'], 9, 9],
    ]);
    expect(p.result.blankLines).toBe(7);
    expect(p.result.records).toBe(3);
    expect(p.result.lines).toBe(11);
  });

  it('emits the last record without a trailing newline, and an empty last field after a final delimiter', () => {
    expect(rows(parse('a,b\n1,2'))).toEqual([[['1', '2'], 2, 2]]);
    expect(rows(parse('a,b\n1,'))).toEqual([[['1', ''], 2, 2]]);
    expect(rows(parse('a,b\n1,"x"'))).toEqual([[['1', 'x'], 2, 2]]);
    expect(parse('a,b\n1,2').result.lines).toBe(2);
  });

  it('passes ragged rows through unchanged (no padding, no truncation)', () => {
    const p = parse('a,b,c\n1\n1,2,3,4,5\n1,2\n\n1,2,3\n');
    expect(p.records.map((r) => r.cells)).toEqual([
      ['1'],
      ['1', '2', '3', '4', '5'],
      ['1', '2'],
      ['1', '2', '3'],
    ]);
  });

  it('reuses one cells array between records (sinks must copy)', () => {
    const seen: (readonly string[])[] = [];
    readCsvText('a,b\n1,2\n3,4\n', 'test.csv', {}, { header() {}, record: (cells) => seen.push(cells) });
    expect(seen[0]).toBe(seen[1]);
    expect(seen[1]).toEqual(['3', '4']);
  });

  it('reads stray quotes as before, with a warning per field naming line, record and column', () => {
    const p = parse('a,b,c\n5" screen,x"y,z\n"abc"def,"q"" r"s,t\n');
    expect(p.records.map((r) => r.cells)).toEqual([
      ['5" screen', 'x"y', 'z'],
      ['abcdef', 'q" rs', 't'],
    ]);
    expect(p.result.problems.map((q) => [q.code, q.severity, q.location, q.message])).toEqual([
      ['stray-quote', 'warning', { file: 'test.csv', line: 2, record: 1, column: 'a' }, QUOTE_INSIDE],
      ['stray-quote', 'warning', { file: 'test.csv', line: 2, record: 1, column: 'b' }, QUOTE_INSIDE],
      ['stray-quote', 'warning', { file: 'test.csv', line: 3, record: 2, column: 'a' }, TEXT_AFTER],
      ['stray-quote', 'warning', { file: 'test.csv', line: 3, record: 2, column: 'b' }, TEXT_AFTER],
    ]);
  });

  // Issue 14.3: both were altered without a word.
  it('warns about "O"Brien" (text after the closing quote) and 1, "Smith, John" (quote inside a field)', () => {
    const p = parse('id,name\n1,"O"Brien"\n2, "Smith, John"\n');
    expect(p.records.map((r) => r.cells)).toEqual([
      ['1', 'OBrien"'],
      ['2', ' "Smith', ' John"'],
    ]);
    expect(p.result.problems.map(formatProblem)).toEqual([
      `test.csv:2: column "name": ${TEXT_AFTER}`,
      `test.csv:3: column "name": ${QUOTE_INSIDE}`,
      `test.csv:3: ${QUOTE_INSIDE}`, // the third cell has no header column
    ]);
  });

  it('gives no warning for correct quoting: escapes, delimiters and line breaks inside quotes, empty quoted fields', () => {
    const p = parse('"a","b,c",d\n"x ""y"" z","1,2\n3",""\n"",plain,"it\'s"\n');
    expect(p.records).toHaveLength(2);
    expect(p.result.problems).toEqual([]);
  });

  it('warns about the header too (record 0, no column)', () => {
    const p = parse('id,na"me\n1,x\n');
    expect(p.result.problems.map(formatProblem)).toEqual([`test.csv:1: ${QUOTE_INSIDE}`]);
    expect(p.result.problems[0]?.location.record).toBe(0);
  });

  it('hands the warnings to a sink that takes problems, in file order, and keeps none itself', () => {
    const seen: string[] = [];
    const result = readCsvText(
      'id,n\n1,"a"b\n2,ok\n3,c"d\n',
      'test.csv',
      {},
      {
        header() {},
        record(_cells, line) {
          seen.push(`record ${line}`);
        },
        addProblem(problem) {
          seen.push(`problem ${problem.location.line}`);
        },
      },
    );
    expect(seen).toEqual(['problem 2', 'record 2', 'record 3', 'problem 4', 'record 4']);
    expect(result.problems).toEqual([]);
  });

  it('warns once for a field whose quotes fall in different chunks', async () => {
    const text = 'id,n\n1,a"b"c"d\n2,"x"y"z\n';
    for (const size of [1, 2, 3, 5, 8]) {
      const got = await parseFile(tempFile(text), { delimiter: ',' }, size);
      expect(got.result.problems.map(formatProblem), `chunk size ${size}`).toEqual([
        `test.csv:2: column "n": ${QUOTE_INSIDE}`,
        `test.csv:3: column "n": ${TEXT_AFTER}`,
      ]);
      expect(got.records.map((r) => r.cells[1])).toEqual(['a"b"c"d', 'xy"z']);
    }
  });

  it('keeps NUL characters in cells', () => {
    const p = parse('a,b\nx\u0000y,\u0000\n');
    expect(p.records[0]?.cells).toEqual(['x\u0000y', '\u0000']);
  });

  it('gives zero records and no problem for a header-only file', () => {
    for (const text of ['a,b,c', 'a,b,c\n', 'a,b,c\r\n\r\n']) {
      const p = parse(text);
      expect(p.header?.cells).toEqual(['a', 'b', 'c']);
      expect(p.records).toEqual([]);
      expect(p.result.problems).toEqual([]);
    }
  });

  it('drops a leading BOM from in-memory text', () => {
    expect(parse('\ufeffid,x\n1,2\n').header?.cells).toEqual(['id', 'x']);
  });

  it('uses a custom quote character', () => {
    const p = parse("a;b\n'x;y';'it''s'\n", { delimiter: ';', quote: "'" });
    expect(p.records[0]?.cells).toEqual(['x;y', "it's"]);
  });

  it('rejects a delimiter that cannot work', () => {
    expect(catchError(() => parse('a\n', { delimiter: '"' })).problems[0]?.code).toBe('usage');
    expect(catchError(() => parse('a\n', { delimiter: ',,' })).problems[0]?.code).toBe('usage');
    expect(catchError(() => parse('a\n', { delimiter: '\n' })).problems[0]?.code).toBe('usage');
  });
});

describe('missing header', () => {
  it.each([
    ['empty text', ''],
    ['only blank lines', '\n\r\n\n'],
  ])('throws no-header for %s', (_name, text) => {
    const error = catchError(() => parse(text));
    expect(error.problems[0]).toMatchObject({ code: 'no-header', location: { file: 'test.csv' } });
  });

  it('throws no-header when skipLines eats the whole file', () => {
    const error = catchError(() => parse('meta\nmore\n', { skipLines: 5 }));
    expect(error.problems[0]?.code).toBe('no-header');
    expect(error.problems[0]?.message).toBe('no header: skip_lines is 5 but the file has only 2 lines');
  });

  it('throws no-header when headerStartsWith never matches', () => {
    const error = catchError(() => parse('"Host","x"\n1,2\n', { headerStartsWith: '"IP"' }));
    expect(error.problems[0]?.code).toBe('no-header');
    expect(error.problems[0]?.message).toContain('"\\"IP\\""');
  });
});

// Issue 14.3: a quote still open at the end of the file means the export was cut off (or a quote is
// missing and the rest of the file was swallowed): reading stops instead of reporting on part of it.
describe('unterminated quotes', () => {
  it('stops at a quote left open at end of file, naming the line it opened on', () => {
    const error = catchError(() => parse('id,note\n1,ok\n2,"never closed\nstill inside\n'));
    expect(error.problems).toEqual([
      {
        code: 'unterminated-quote',
        severity: 'error',
        message: UNTERMINATED(3),
        location: { file: 'test.csv', line: 3, record: 2 },
      },
    ]);
  });

  it('stops at an open quote mid-file that swallows the rest of the file', () => {
    const lines = ['a,b', '1,x', '2,"oops', '3,y', '4,z', '5,w', ''];
    const error = catchError(() => parse(lines.join('\n')));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({
      code: 'unterminated-quote',
      location: { line: 3, record: 2 },
    });
  });

  it('names the line of the opening quote, not the line the record starts on', () => {
    const error = catchError(() => parse('a,b,c\n1,"two\nlines",x\n2,y,"open\nz\n'));
    expect(formatProblem(error.problems[0]!)).toBe(`test.csv:4: ${UNTERMINATED(4)}`);
    const inRecord = catchError(() => parse('a,b,c\n1,"two\nlines","open\nz\n'));
    expect(formatProblem(inRecord.problems[0]!)).toBe(`test.csv:3: ${UNTERMINATED(3)}`);
  });

  it('throws when the header itself never closes its quote', () => {
    const error = catchError(() => parse('"a,b\n1,2\n'));
    expect(error.problems[0]).toMatchObject({ code: 'unterminated-quote', location: { line: 1, record: 0 } });
  });
});

describe('delimiter detection', () => {
  it.each([
    ['comma', 'a,b,c\n1,2,3\n4,5,6\n', ','],
    ['semicolon with decimal commas', 'name;amount;count\n"x";"1,5";2\n"y";"2,25";3\nz;0,5;4\n', ';'],
    ['tab with commas in text', 'host\ttitle\tseverity\nh1\tFoo, bar, baz\t3\nh2\tQux\t4\n', '\t'],
    ['pipe', 'a|b|c\n1|2|3\n', '|'],
    ['a single column', 'value\n1\n2\n', ','],
    ['commas only inside quotes', 'a\n"1,2"\n"3,4"\n', ','],
  ])('detects %s', (_name, text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
    expect(parse(text).result.delimiter).toBe(expected);
  });

  it('ignores commas inside quoted fields when counting', () => {
    // Unquoted, the ',' count per line would be 0, 2, 2: less consistent than ';'.
    expect(detectDelimiter('a;b\n"1,2,3";4\n"5,6,7";8\n')).toBe(';');
  });

  it('prefers the most consistent count, then the higher count, then , ; tab | in that order', () => {
    expect(detectDelimiter('a;b;c\n1;2;3\n4,5;6;7\n')).toBe(';');
    expect(detectDelimiter('a,b\tc\td\n1,2\t3\t4\n')).toBe('\t');
    expect(detectDelimiter('a,b;c\n1,2;3\n')).toBe(',');
    expect(detectDelimiter('a|b;c\n1|2;3\n')).toBe(';');
  });

  it('only opens a quoted field at the start of a field when counting', () => {
    // A toggle-on-every-quote count would stay "inside quotes" from 5" to the end and find nothing.
    expect(detectDelimiter('5" screen;x\n7 tablet;y\n')).toBe(';');
  });

  it('tokenizes with the detected delimiter', () => {
    const p = parse('name;amount\n"x";"1,5"\ny;2,25\n');
    expect(p.records.map((r) => r.cells)).toEqual([
      ['x', '1,5'],
      ['y', '2,25'],
    ]);
  });

  it('detects from the lines after a skipped preamble', () => {
    const p = parse('Report, generated, today, by, tool\n\nh1;h2\n1;2\n', { skipLines: 2 });
    expect(p.result.delimiter).toBe(';');
    expect(p.header).toEqual({ cells: ['h1', 'h2'], line: 3 });
  });

  it('uses an explicit delimiter as given, and auto means detect', () => {
    expect(parse('a;b,c\n1;2,3\n', { delimiter: ',' }).records[0]?.cells).toEqual(['1;2', '3']);
    expect(parse('a;b\n1;2\n', { delimiter: 'auto' }).result.delimiter).toBe(';');
  });
});

describe('preambles', () => {
  const qualys = [
    '"Scan Results","Vulnerability Management"',
    '"Company","ACME, Inc.","Address"',
    '"Report generated","2024-05-01 10:00"',
    '',
    '"IP","DNS","QID","Title","Severity"',
    '"10.0.0.1","web1","38170","SSL Certificate, expired","3"',
    '"10.0.0.2","db1","105943","EOL ""legacy"" OS","5"',
    '',
  ].join('\n');

  it('finds a Qualys-like header with headerStartsWith', () => {
    const p = parse(qualys, { headerStartsWith: '"IP"' });
    expect(p.header).toEqual({ cells: ['IP', 'DNS', 'QID', 'Title', 'Severity'], line: 5 });
    expect(rows(p)).toEqual([
      [['10.0.0.1', 'web1', '38170', 'SSL Certificate, expired', '3'], 6, 6],
      [['10.0.0.2', 'db1', '105943', 'EOL "legacy" OS', '5'], 7, 7],
    ]);
    expect(p.result.delimiter).toBe(',');
    expect(p.result.blankLines).toBe(0);
    expect(p.result.lines).toBe(7);
  });

  it('skips a fixed number of lines with skipLines', () => {
    const p = parse(qualys, { skipLines: 4 });
    expect(p.header?.line).toBe(5);
    expect(p.header?.cells[0]).toBe('IP');
    expect(p.records).toHaveLength(2);
  });

  it('applies skipLines before headerStartsWith, counting every kind of line break', () => {
    const text = 'x\r\n"IP",no\r"IP",yes\n1,2\n';
    const p = parse(text, { skipLines: 2, headerStartsWith: '"IP"' });
    expect(p.header).toEqual({ cells: ['IP', 'yes'], line: 3 });
    expect(rows(p)).toEqual([[['1', '2'], 4, 4]]);
  });

  it('does not let an open quote in the preamble leak into the table', () => {
    const p = parse('Title: "unbalanced\nh1,h2\n1,2\n', { skipLines: 1 });
    expect(p.header?.cells).toEqual(['h1', 'h2']);
    expect(p.records).toHaveLength(1);
  });
});

describe('chunk boundaries', () => {
  // Every feature at once: quotes with newlines and "" escapes, CR / LF / CRLF, blank lines, multi-byte
  // characters (2, 3 and 4 bytes in UTF-8), an empty quoted field, a stray quote, ragged rows.
  const text = [
    'meta line 1\r\n',
    'meta, "line" 2\n',
    '"id";"name";"note"\r\n',
    '1;"Zoë ""Z""";"a\r\nb"\n',
    '\n',
    '2;€uro;"😀;x"\r',
    '3;"";5" size\r\n',
    '\r\n',
    '4;"""";"multi\nline\n""field"""\n',
    '5;plain',
  ].join('');
  const options: CsvReadOptions = { skipLines: 2 };
  const expected = parse(text, options);

  it('has the expected records in memory', () => {
    expect(expected.header).toEqual({ cells: ['id', 'name', 'note'], line: 3 });
    expect(rows(expected)).toEqual([
      [['1', 'Zoë "Z"', 'a\r\nb'], 4, 5],
      [['2', '€uro', '😀;x'], 7, 7],
      [['3', '', '5" size'], 8, 8],
      [['4', '"', 'multi\nline\n"field"'], 10, 12],
      [['5', 'plain'], 13, 13],
    ]);
    expect(expected.result).toMatchObject({ delimiter: ';', records: 5, blankLines: 2, lines: 13 });
  });

  // With delimiter auto the first 64 KB are buffered for detection and tokenized in one piece, so
  // the chunk boundaries only reach the tokenizer when the delimiter is given: test both.
  const variants: [string, CsvReadOptions][] = [
    ['given delimiter', { ...options, delimiter: ';' }],
    ['detected delimiter', options],
  ];
  const sizes = [1, 2, 3, 7, 64, 1024 * 1024];
  const cases = variants.flatMap(([name, opts]) => sizes.map((size) => [name, size, opts] as const));

  it.each(cases)(
    'gives identical records with a %s and chunkSize %i (UTF-8 file)',
    async (_n, size, opts) => {
      const path = tempFile(Buffer.from(text, 'utf8'));
      const got = await parseFile(path, opts, size);
      expect(got.header).toEqual(expected.header);
      expect(got.records).toEqual(expected.records);
      expect({ ...got.result, bytes: 0 }).toEqual({ ...expected.result, bytes: 0 });
      expect(got.result.bytes).toBe(Buffer.byteLength(text));
    },
  );

  it.each(cases)(
    'gives identical records with a %s and chunkSize %i (UTF-16LE file)',
    async (_n, size, opts) => {
      const path = tempFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      const got = await parseFile(path, opts, size);
      expect(got.header).toEqual(expected.header);
      expect(got.records).toEqual(expected.records);
      expect(got.result.encoding).toBe('utf-16le');
    },
  );

  it('detects from the first 64 KB only, then streams the rest through the tokenizer', async () => {
    // ';' rows for well over 64 KB, then many more rows where ',' would win if they were counted.
    const head = 'a;b\n' + '1;"x\r\ny"\n'.repeat(10_000);
    const tail = 'p,q,r\n'.repeat(50_000);
    const path = tempFile(head + tail);
    for (const size of [61, 4096]) {
      const got = await parseFile(path, {}, size);
      expect(got.result.delimiter).toBe(';');
      expect(got.result.records).toBe(60_000);
      expect(got.records[9_999]).toEqual({
        cells: ['1', 'x\r\ny'],
        line: 20_000,
        endLine: 20_001,
        record: 10_000,
      });
      expect(got.records[10_000]).toEqual({
        cells: ['p,q,r'],
        line: 20_002,
        endLine: 20_002,
        record: 10_001,
      });
    }
  });

  it('handles a 5 MB quoted field spanning many chunks', async () => {
    const big = `${'x'.repeat(1_000_000)}\n""${'é,'.repeat(1_000_000)}\r\n${'y'.repeat(1_000_000)}`;
    const path = tempFile(`a,b,c\n1,"${big.replaceAll('"', '""')}",end\n2,small,z\n`);
    const got = await parseFile(path);
    expect(got.records).toHaveLength(2);
    const cell = got.records[0]?.cells[1] ?? '';
    expect(cell.length).toBe(big.length);
    expect(cell === big).toBe(true); // not toBe: a failure would print 5 MB
    expect(got.records[0]?.cells[2]).toBe('end');
    expect(got.records[0]).toMatchObject({ line: 2, endLine: 4 });
    expect(got.records[1]).toEqual({ cells: ['2', 'small', 'z'], line: 5, endLine: 5, record: 2 });
  });

  it('finds a headerStartsWith prefix split across chunks', async () => {
    const path = tempFile('junk\n"I"\n"IPX\n"IP","b"\n1,2\n');
    for (const size of [1, 2, 3, 5]) {
      const got = await parseFile(path, { headerStartsWith: '"IP"' }, size);
      expect(got.header).toEqual({ cells: ['IP', 'b'], line: 4 });
      expect(rows(got)).toEqual([[['1', '2'], 5, 5]]);
    }
  });

  it('property: any text tokenizes the same whatever the chunk size', async () => {
    const alphabet = fc.constantFrom(',', ';', '"', '\n', '\r', 'a', 'b', ' ', 'é', '€', '😀', '\u0000');
    await fc.assert(
      fc.asyncProperty(
        fc.array(alphabet, { maxLength: 80 }).map((chars) => `h1,h2\n${chars.join('')}`),
        fc.integer({ min: 1, max: 9 }),
        async (input, size) => {
          const memory = outcome(() => parse(input, { delimiter: ',' }));
          const got = await outcomeAsync(() => parseFile(tempFile(input), { delimiter: ',' }, size));
          if ('error' in memory || 'error' in got) {
            expect(got).toEqual(memory);
            return;
          }
          expect(got.header).toEqual(memory.header);
          expect(got.records).toEqual(memory.records);
          expect(got.result.problems).toEqual(memory.result.problems);
          expect(got.result.lines).toBe(memory.result.lines);
          expect(got.result.blankLines).toBe(memory.result.blankLines);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: a sink reading spans sees the same cells as one reading strings', async () => {
    const alphabet = fc.constantFrom(',', '"', '""', '\n', '\r', 'a', 'b', ' ', 'é', '😀');
    await fc.assert(
      fc.asyncProperty(
        fc.array(alphabet, { maxLength: 80 }).map((chars) => `h1,h2\n${chars.join('')}`),
        fc.integer({ min: 1, max: 9 }),
        async (input, size) => {
          const strings = await outcomeAsync(() => parseFile(tempFile(input), { delimiter: ',' }, size));
          // An unterminated quote stops both readers the same way (checked by the property above).
          if ('error' in strings) return;
          const records: Rec[] = [];
          const sink: CsvSink = {
            header() {},
            record() {
              throw new Error('record() must not be called when spans() exists');
            },
            spans(text, starts, ends, cells, count, line, endLine, record) {
              const got: string[] = [];
              for (let k = 0; k < count; k++)
                got.push(starts[k]! >= 0 ? text.slice(starts[k]!, ends[k]!) : cells[k]!);
              records.push({ cells: got, line, endLine, record });
            },
          };
          await readCsvFile(tempFile(input), 'test.csv', { delimiter: ',' }, sink, { chunkSize: size });
          expect(records).toEqual(strings.records);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('readCsvFile errors', () => {
  it('names the file in a missing-file error', async () => {
    const error = await readCsvFile(join(dir, 'nope.csv'), 'exports/nope.csv', {}, collector().sink).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IsmsKpiError);
    expect((error as IsmsKpiError).message).toBe('exports/nope.csv: file not found');
  });

  it('stops at the unterminated quote with the physical line in a file', async () => {
    const error = await parseFile(tempFile('a,b\r\n1,2\r\n\r\n3,"open\r\n4,5\r\n'), {}, 3).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IsmsKpiError);
    expect((error as IsmsKpiError).problems[0]).toMatchObject({
      code: 'unterminated-quote',
      location: { line: 4, record: 2 },
    });
  });
});
