/**
 * JSON documents read as a stream, one record at a time, in memory bounded by the largest record: for
 * exports larger than MAX_JSON_BYTES, and for files that hold several JSON documents one after another
 * (API pages: `gh api --paginate` writes one array per page, ServiceNow and Jira one `{"result": [...]}`
 * or `{"issues": [...]}` envelope per page). Each top-level value is a page; the records are the elements
 * of the array at the source's `json.records` pointer in every page, read in file order as one table.
 *
 * A scanner walks the structure outside records (validating it, following the pointer); each record's
 * text is cut out as it is scanned (strings skipped with indexOf) and parsed by JSON.parse, which
 * validates it. Lines are counted as json-location.ts counts them (line feeds), so a record's line is the
 * line of its first character, as for a document read whole.
 */
import { IsmsKpiError, problem } from '../problems.js';
import { quote } from '../text.js';
import { pointerSegments } from '../util/json-pointer.js';
import type { JsonIntake } from './json-intake.js';
import { jsonErrorText } from './json-location.js';

/** The longest record held while it is read (as MAX_JSON_LINE_CHARS for a JSON Lines line). */
export const MAX_JSON_RECORD_CHARS = 256 * 1024 * 1024;

const ST_VALUE = 0; // a value is expected (after '[' , ':' or ',' in an array; or at the top)
const ST_VALUE_OR_END = 1; // after '[': a value or ']'
const ST_COMMA_OR_END = 2; // after a value in a container
const ST_KEY = 3; // after ',' in an object
const ST_KEY_OR_END = 4; // after '{'
const ST_COLON = 5; // after a key

interface Frame {
  isArray: boolean;
  state: number;
  /** This container is the value at the pointer's first `depth` segments. */
  onPath: boolean;
  /** The elements of this array are the records. */
  isTarget: boolean;
  /** The key whose value comes next (objects). */
  key: string;
}

/** What a page held, for the message when it has no records array at the pointer. */
interface PageInfo {
  line: number;
  kind: string;
  keys: string[];
  arrayKey: string | undefined;
  /** What was found at the pointer (when not an array). */
  atPointer: string | undefined;
  hasTarget: boolean;
}

export class JsonRecordStream {
  private readonly path: string[];
  private readonly stack: Frame[] = [];
  private line = 1;
  /** Characters before the current chunk, and where the current line starts (both absolute). */
  private base = 0;
  private lineStart = 0;
  /** A token (string, number or literal) outside records, cut by the end of a chunk. */
  private token = '';
  private tokenKind: 0 | 1 | 2 = 0; // 0 none, 1 string, 2 number/literal
  private tokenIsKey = false;
  private tokenLine = 1;
  /** The record being read: its text so far, its line, its nesting depth, whether inside a string. */
  private record: string[] | undefined;
  private recordChars = 0;
  private recordLine = 0;
  private recordDepth = 0;
  private recordInString = false;
  private recordScalar = false;
  private records = 0;
  private pages = 0;
  private page: PageInfo | undefined;

  constructor(
    pointer: string,
    private readonly intake: JsonIntake,
    private readonly file: string,
    private readonly maxRecordChars = MAX_JSON_RECORD_CHARS,
  ) {
    this.path = pointerSegments(pointer);
  }

  get pageCount(): number {
    return this.pages;
  }

  push(chunk: string): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.record) i = this.scanRecord(chunk, i, n);
      else if (this.tokenKind !== 0) i = this.scanToken(chunk, i, n);
      else i = this.scanStructure(chunk, i, n);
    }
    this.base += n;
  }

  end(): void {
    if (this.record) {
      if (this.recordScalar && !this.recordInString) this.finishRecord('');
      else this.fail(this.recordLine, 'the file ends inside a record (cut off?)');
    }
    if (this.tokenKind === 2) this.finishToken('');
    if (this.tokenKind === 1) this.fail(this.tokenLine, 'the file ends inside a string (cut off?)');
    if (this.stack.length > 0)
      this.fail(
        this.line,
        `the file ends inside ${this.stack[this.stack.length - 1]!.isArray ? 'an array' : 'an object'} (cut off?)`,
      );
    if (this.pages === 0) this.fail(this.line, 'the file holds no JSON value');
  }

  // -------------------------------------------------------------------------------------------------

  private scanStructure(s: string, i: number, n: number): number {
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 10) {
        this.line++;
        this.lineStart = this.base + i + 1;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) continue;
      const top = this.stack[this.stack.length - 1];
      const state = top ? top.state : ST_VALUE;
      if (top?.isTarget && (state === ST_VALUE || (state === ST_VALUE_OR_END && c !== 93))) {
        if (c === 44 || c === 93 || c === 125 || c === 58) this.unexpected(s, i);
        top.state = ST_COMMA_OR_END;
        this.startRecord(c);
        return i;
      }
      switch (state) {
        case ST_COMMA_OR_END:
          if (c === 44) top!.state = top!.isArray ? ST_VALUE : ST_KEY;
          else if ((c === 93 && top!.isArray) || (c === 125 && !top!.isArray)) this.close();
          else this.unexpected(s, i);
          continue;
        case ST_KEY:
        case ST_KEY_OR_END:
          if (c === 34) {
            this.startToken(1, true);
            return i + 1;
          }
          if (c === 125 && state === ST_KEY_OR_END) this.close();
          else this.unexpected(s, i);
          continue;
        case ST_COLON:
          if (c === 58) top!.state = ST_VALUE;
          else this.unexpected(s, i);
          continue;
        default:
          if (c === 93 && state === ST_VALUE_OR_END) {
            this.close();
            continue;
          }
          this.startValue(s, i, c);
          if (c === 34) {
            this.startToken(1, false);
            return i + 1;
          }
          if (c !== 123 && c !== 91) {
            this.startToken(2, false);
            return i;
          }
      }
    }
    return i;
  }

  /** A value starts at the top, or in a container outside the records. */
  private startValue(s: string, i: number, c: number): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.state = ST_COMMA_OR_END;
    else this.startPage();
    const depth = this.stack.length;
    const onPath =
      depth === 0 || (top!.onPath && depth <= this.path.length && top!.key === this.path[depth - 1]);
    const atPointer = onPath && depth === this.path.length;
    if (c === 123 || c === 91) {
      const isArray = c === 91;
      if (atPointer && isArray) this.page!.hasTarget = true;
      else if (atPointer) this.page!.atPointer = 'an object';
      if (depth === 1 && isArray && !this.page!.arrayKey) this.page!.arrayKey = top!.key;
      if (depth === 0) this.page!.kind = isArray ? 'an array' : 'an object';
      this.stack.push({
        isArray,
        state: isArray ? ST_VALUE_OR_END : ST_KEY_OR_END,
        onPath,
        isTarget: atPointer && isArray,
        key: '',
      });
      return;
    }
    if (c !== 34 && c !== 45 && !(c >= 48 && c <= 57) && c !== 116 && c !== 102 && c !== 110)
      this.unexpected(s, i);
    const kind =
      c === 34 ? 'a string' : c === 116 || c === 102 ? 'a boolean' : c === 110 ? 'null' : 'a number';
    if (atPointer) this.page!.atPointer = kind;
    if (depth === 0) this.page!.kind = kind;
  }

  private startPage(): void {
    this.pages++;
    this.page = {
      line: this.line,
      kind: '',
      keys: [],
      arrayKey: undefined,
      atPointer: undefined,
      hasTarget: false,
    };
  }

  private close(): void {
    this.stack.pop();
    if (this.stack.length === 0) this.endPage();
  }

  private endPage(): void {
    const page = this.page!;
    if (page.hasTarget) return;
    const pointer =
      this.path.length === 0 ? 'the top level' : quote(`/${this.path.map(escapeSegment).join('/')}`);
    const found = this.path.length === 0 ? page.kind : (page.atPointer ?? 'nothing');
    const keys =
      page.kind === 'an object'
        ? page.keys.length === 0
          ? ' (an object with no keys)'
          : ` (a page with keys ${page.keys
              .slice(0, 5)
              .map((k) => quote(k, 40))
              .join(', ')}${page.keys.length > 5 ? ` and ${page.keys.length - 5} more` : ''})`
        : '';
    const hint =
      this.path.length === 0 && page.arrayKey !== undefined
        ? `; set json.records to the pointer of the array, e.g. ${JSON.stringify(`/${escapeSegment(page.arrayKey)}`)}`
        : '';
    const which =
      this.pages > 1 ? `page ${this.pages} (the JSON value starting on line ${page.line})` : 'the file';
    throw new IsmsKpiError(
      problem(
        'json-not-array',
        `${which}: expected an array of records at ${pointer}, found ${found}${keys}${hint}`,
        {
          file: this.file,
          line: page.line,
        },
      ),
    );
  }

  // Tokens outside records: keys (followed for the pointer), strings, numbers and literals (checked).

  private startToken(kind: 1 | 2, isKey: boolean): void {
    this.tokenKind = kind;
    this.tokenIsKey = isKey;
    this.token = '';
    this.tokenLine = this.line;
  }

  private scanToken(s: string, i: number, n: number): number {
    if (this.tokenKind === 1) {
      let j = i;
      for (;;) {
        const q = s.indexOf('"', j);
        if (q < 0) {
          this.addToken(s.slice(i, n));
          return n;
        }
        if (!escapedAt(this.token, s, i, q)) {
          this.addToken(s.slice(i, q));
          this.finishToken('"');
          return q + 1;
        }
        j = q + 1;
      }
    }
    let j = i;
    while (j < n && isScalarChar(s.charCodeAt(j))) j++;
    this.addToken(s.slice(i, j));
    if (j < n) this.finishToken('');
    return j;
  }

  private addToken(text: string): void {
    if (this.token.length + text.length > 1024 * 1024 && (this.tokenIsKey || this.tokenKind === 2))
      this.fail(this.tokenLine, 'a key or value outside the records is longer than 1M characters');
    // Long strings outside records (not keys) need not be kept: only checked.
    this.token += text;
  }

  private finishToken(_closing: string): void {
    const kind = this.tokenKind;
    const text = this.token;
    this.tokenKind = 0;
    this.token = '';
    let value: unknown;
    try {
      value = JSON.parse(kind === 1 ? `"${text}"` : text);
    } catch {
      this.fail(this.tokenLine, `${kind === 1 ? 'a string' : `${quote(text, 40)}`} is not valid JSON`);
    }
    const top = this.stack[this.stack.length - 1];
    if (this.tokenIsKey) {
      top!.key = value as string;
      top!.state = ST_COLON;
      if (this.stack.length === 1) this.page!.keys.push(value as string);
      return;
    }
    if (!top) this.endPage();
  }

  // Records: cut out as they are scanned, then parsed whole.

  private startRecord(c: number): void {
    this.record = [];
    this.recordChars = 0;
    this.recordLine = this.line;
    this.recordDepth = 0;
    this.recordInString = false;
    this.recordScalar = c !== 123 && c !== 91;
  }

  private scanRecord(s: string, i: number, n: number): number {
    const from = i;
    let depth = this.recordDepth;
    let inString = this.recordInString;
    const scalar = this.recordScalar;
    while (i < n) {
      if (inString) {
        const q = s.indexOf('"', i);
        if (q < 0) {
          i = n;
          break;
        }
        i = q + 1;
        if (!escapedBefore(this.record!, s, from, q)) {
          inString = false;
          if (scalar && depth === 0) {
            this.recordInString = false;
            this.finishRecord(s.slice(from, i));
            return i;
          }
        }
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === 34) {
        inString = true;
        i++;
        continue;
      }
      if (scalar) {
        // A number or literal ends at the first character that cannot be part of it.
        if (!isScalarChar(c)) {
          this.finishRecord(s.slice(from, i));
          return i;
        }
      } else if (c === 10) {
        this.line++;
        this.lineStart = this.base + i + 1;
      } else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) {
          this.finishRecord(s.slice(from, i + 1));
          return i + 1;
        }
      }
      i++;
    }
    this.recordDepth = depth;
    this.recordInString = inString;
    this.recordChars += n - from;
    if (this.recordChars > this.maxRecordChars)
      this.fail(this.recordLine, `a record is longer than ${this.maxRecordChars} characters`);
    this.record!.push(from === 0 ? s : s.slice(from));
    return n;
  }

  private finishRecord(last: string): void {
    const pieces = this.record!;
    this.record = undefined;
    const text = pieces.length === 0 ? last : pieces.join('') + last;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = jsonErrorText(error);
      const position = /position (\d+)/.exec(message);
      let line = this.recordLine;
      if (position)
        for (let k = 0; k < Number(position[1]) && k < text.length; k++)
          if (text.charCodeAt(k) === 10) line++;
      this.fail(line, message.replace(/ in JSON at position \d+.*$/, '').replace(/ at position \d+.*$/, ''));
    }
    this.records++;
    if (this.records === 1 && value && typeof value === 'object')
      this.intake.setJsonHeader(Object.keys(value));
    this.intake.jsonRecord(value, this.recordLine, this.records);
  }

  private unexpected(s: string, i: number): never {
    const col = this.base + i - this.lineStart + 1;
    return this.fail(this.line, `unexpected ${quote(s.charAt(i))} at column ${col}`);
  }

  private fail(line: number, message: string): never {
    throw new IsmsKpiError(problem('json-syntax', `not valid JSON: ${message}`, { file: this.file, line }));
  }
}

/** Characters of a number or a literal (true, false, null). */
function isScalarChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 43 || c === 46
  );
}

/** Whether the quote at s[q] is escaped: an odd run of backslashes before it (in s from `from`, then in `before`). */
function escapedAt(before: string, s: string, from: number, q: number): boolean {
  let count = 0;
  let k = q - 1;
  while (k >= from && s.charCodeAt(k) === 92) {
    count++;
    k--;
  }
  if (k < from) for (let m = before.length - 1; m >= 0 && before.charCodeAt(m) === 92; m--) count++;
  return count % 2 === 1;
}

function escapedBefore(pieces: string[], s: string, from: number, q: number): boolean {
  let count = 0;
  let k = q - 1;
  while (k >= from && s.charCodeAt(k) === 92) {
    count++;
    k--;
  }
  if (k < from) {
    outer: for (let p = pieces.length - 1; p >= 0; p--) {
      const piece = pieces[p]!;
      for (let m = piece.length - 1; m >= 0; m--) {
        if (piece.charCodeAt(m) !== 92) break outer;
        count++;
      }
    }
  }
  return count % 2 === 1;
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Reads a JSON text of one or more pages as a stream (see the module comment). */
export async function readJsonStream(
  chunks: AsyncIterable<string>,
  pointer: string,
  intake: JsonIntake,
  file: string,
): Promise<number> {
  const reader = new JsonRecordStream(pointer, intake, file);
  for await (const chunk of chunks) reader.push(chunk);
  reader.end();
  return reader.pageCount;
}
