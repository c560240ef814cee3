/**
 * Reads metrics.yaml text into a validated catalogue, keeping every node's line and column so each
 * problem can point at the exact key. No I/O here: the caller passes the text in.
 */

import { createHash } from 'node:crypto';
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Scalar,
  visit,
} from 'yaml';
import type { z } from 'zod';
import { applyPreset, presetProblem } from '../presets/apply.js';
import { type Location, type Problem, problem } from '../problems.js';
import { FieldSchema, SourceObjectSchema } from '../sources/schema.js';
import { listOf, quote } from '../text.js';
import { closest } from '../util/closest.js';
import { type CatalogueConfig, CatalogueSchema, DocumentSchema, KpiSchema } from './schema.js';

/** Alias expansion is bounded so a "billion laughs" document cannot exhaust memory. */
const MAX_ALIAS_COUNT = 100;
export const MAX_CATALOGUE_BYTES = 5 * 1024 * 1024;

export interface CatalogueText {
  /** Path as shown to users. */
  file: string;
  text: string;
}

export interface ParsedCatalogue {
  file: string;
  sha256: string;
  config: CatalogueConfig;
  /** Resolves a path inside the document (e.g. ['kpis', 3, 'formula']) to its line and column. */
  locate(path: readonly (string | number)[]): Location;
  /**
   * Where a formula's text starts; with `index`, where the formula's character `index` is in the file
   * (`exact`), or the formula's start when that cannot be told (`exact: false`: a quoted formula with
   * escapes, an alias).
   */
  formulaStart(kpiIndex: number, index?: number): { line: number; col: number; exact: boolean };
}

export type ParseResult = { ok: true; catalogue: ParsedCatalogue } | { ok: false; problems: Problem[] };

/** A YAML document read with its positions: the data, and where each path of it is in the file. */
export interface YamlText {
  doc: Document;
  lineCounter: LineCounter;
  data: unknown;
}

/**
 * The YAML of a catalogue-like file (the catalogue, actions.yaml) read strictly: syntax errors, duplicate
 * keys and tabs located; `__proto__`-like source names refused; aliases bounded. `what` names the file in
 * the messages ("catalogue", "actions file").
 */
export function readYaml(
  { file, text }: CatalogueText,
  what = 'catalogue',
): { ok: true; yaml: YamlText } | { ok: false; problems: Problem[] } {
  const fail = (p: Problem) => ({ ok: false as const, problems: [p] });
  if (text.length > MAX_CATALOGUE_BYTES) {
    return fail(
      problem('file-too-large', `${what} is larger than ${MAX_CATALOGUE_BYTES / 1024 / 1024} MB`, { file }),
    );
  }
  if (text.trim() === '') return fail(problem('file-empty', `the ${what} is empty`, { file }));

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const syntax = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAB_AS_INDENT')];
  if (syntax.length > 0) {
    return {
      ok: false,
      problems: syntax.map((e) => {
        const pos = e.linePos?.[0] ?? (e.pos ? lineCounter.linePos(e.pos[0]) : undefined);
        const key = e.code === 'DUPLICATE_KEY' ? keyAt(doc, e.pos[0]) : undefined;
        return problem('catalogue-syntax', yamlMessage(e.code, e.message, key), {
          file,
          ...(pos ? { line: pos.line, col: pos.col } : {}),
        });
      }),
    };
  }

  // Before toJS(): it drops a `__proto__` key without a word.
  const reserved = reservedNames(doc, lineCounter, file);
  if (reserved.length > 0) return { ok: false, problems: reserved };

  try {
    return { ok: true, yaml: { doc, lineCounter, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) } };
  } catch (error) {
    const message =
      error instanceof Error && /alias/i.test(error.message)
        ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}): the document looks like an alias bomb`
        : `cannot read the YAML: ${error instanceof Error ? error.message : String(error)}`;
    return fail(problem('catalogue-syntax', message, { file }));
  }
}

/** Where a path of a YAML document read by readYaml is: its line and column in `file`. */
export function yamlLocator(
  { doc, lineCounter }: YamlText,
  file: string,
): (path: readonly (string | number)[], atKey?: boolean) => Location {
  return (path, atKey = false) => locateIn(doc, lineCounter, file, path, atKey);
}

export function parseCatalogue({ file, text }: CatalogueText): ParseResult {
  const read = readYaml({ file, text });
  if (!read.ok) return read;
  const { doc, lineCounter, data } = read.yaml;

  const locate = yamlLocator(read.yaml, file);
  const badPresets = expandPresets(data, locate);
  const parsed = CatalogueSchema.safeParse(data);
  if (!parsed.success || badPresets.problems.length > 0) {
    // A source whose preset could not be expanded lacks the keys the preset stands for: not news.
    const issues = (parsed.error?.issues ?? []).filter(
      (i) => !(i.path.length === 2 && i.path[0] === 'sources' && badPresets.sources.has(String(i.path[1]))),
    );
    return {
      ok: false,
      problems: [
        ...badPresets.problems,
        ...issues.flatMap((i) => exceptionsBranch(i, data)).map((i) => zodProblem(i, data, locate)),
      ],
    };
  }

  return {
    ok: true,
    catalogue: {
      file,
      sha256: createHash('sha256').update(text).digest('hex'),
      config: parsed.data,
      locate,
      formulaStart(kpiIndex, index = 0) {
        const written = doc.getIn(['kpis', kpiIndex, 'formula'], true) as Node | undefined;
        // `formula: *f`: the text is where the anchor `&f` is.
        const node = isAlias(written) ? written.resolve(doc) : written;
        const start = lineCounter.linePos(node?.range?.[0] ?? 0);
        const offset = isScalar(node) ? scalarOffset(text, node, index) : undefined;
        if (offset === undefined) return { ...start, exact: false };
        return { ...lineCounter.linePos(offset), exact: true };
      },
    },
  };
}

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

/** YAML's one-character escapes in double quotes, by the letter after the backslash. */
const YAML_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * The character the scalar's text at `j` stands for in its value, and how many characters of text it
 * takes: `\"` (2) and `\u00e9` (6) in double quotes, `''` (2) in single quotes, else the character
 * itself. An escaped line break stands for nothing (''). Undefined for an escape YAML does not have.
 */
function readChar(
  text: string,
  j: number,
  style: Scalar['type'],
): { ch: string; length: number } | undefined {
  const ch = text[j]!;
  if (style === 'QUOTE_SINGLE' && ch === "'" && text[j + 1] === "'") return { ch: "'", length: 2 };
  if (style !== 'QUOTE_DOUBLE' || ch !== '\\') return { ch, length: 1 };
  const letter = text[j + 1];
  if (letter === undefined) return undefined;
  if (letter === '\n' || letter === '\r') return { ch: '', length: 2 };
  const digits = HEX_DIGITS[letter];
  if (digits !== undefined) {
    const hex = text.slice(j + 2, j + 2 + digits);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
    return { ch: String.fromCodePoint(Number.parseInt(hex, 16)), length: 2 + digits };
  }
  const escaped = YAML_ESCAPES[letter];
  return escaped === undefined ? undefined : { ch: escaped, length: 2 };
}

/**
 * The offset in the file of character `index` of a scalar's value, found by walking the value and the
 * scalar's text side by side. Every character that is not white space is written in the text, in order:
 * as itself in a plain scalar and in a block scalar (`|`, `>-`: after its header line, whatever the
 * indentation and folding), as itself or an escape (`\"`, `\u00e9`, `''`) in a quoted one; only white
 * space differs (indentation, folded line breaks). An escape's offset is its backslash. Undefined when
 * the two do not line up (a tag, an alias).
 */
function scalarOffset(text: string, node: Scalar, index: number): number | undefined {
  const value = String(node.value);
  const range = node.range;
  if (!range) return undefined;
  const [from, to] = range;
  const style = node.type;
  let j: number;
  let end = to;
  switch (style) {
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL': {
      const header = text.indexOf('\n', from);
      if (header < 0 || header >= to) return undefined;
      j = header + 1;
      break;
    }
    case 'PLAIN':
      j = from;
      break;
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      j = from + 1;
      end = to - 1;
      break;
    default:
      return undefined;
  }
  // The first character that is not white space at or after `index` (an error points at a token).
  let target = Math.max(0, index);
  while (target < value.length && isSpace(value[target])) target++;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (isSpace(ch)) continue;
    // The next character of the text that stands for one that is not white space.
    let read = j < end ? readChar(text, j, style) : undefined;
    while (read && (read.ch === '' || isSpace(read.ch))) {
      j += read.length;
      read = j < end ? readChar(text, j, style) : undefined;
    }
    if (!read) return undefined;
    // A character outside the BMP is two UTF-16 units of the value, and one escape (\U) or two units.
    const unit = read.ch.length === 2 && read.length > 2 ? read.ch[0] : read.ch;
    if (unit !== ch) return undefined;
    if (i >= target) return j;
    if (read.ch.length === 2 && read.length > 2) i++;
    j += read.length;
  }
  // Past the last character (an error at the end of the formula): just after it.
  return j <= to ? j : undefined;
}

/**
 * Expands `preset: NAME` in each raw source into the keys the preset stands for (src/presets/apply.ts),
 * in place, before the schema sees them; a preset that cannot be expanded is reported at its key.
 */
function expandPresets(
  data: unknown,
  locate: (path: (string | number)[]) => Location,
): { problems: Problem[]; sources: Set<string> } {
  const problems: Problem[] = [];
  const sources = new Set<string>();
  const raw = (data as { sources?: unknown } | null)?.sources;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problems, sources };
  const entries = raw as Record<string, unknown>;
  for (const [name, source] of Object.entries(entries)) {
    if (typeof source !== 'object' || source === null || !('preset' in source)) continue;
    const at = source as Record<string, unknown>;
    if (typeof at.preset !== 'string') continue;
    const message = presetProblem(at);
    if (message) {
      sources.add(name);
      const path = ['sources', name, 'preset'];
      problems.push(problem('catalogue-schema', `source ${name}: preset: ${message}`, locate(path)));
    } else {
      entries[name] = applyPreset(at);
    }
  }
  return { problems, sources };
}

function yamlMessage(code: string, message: string, key?: string): string {
  const first = message.split(' at line ')[0] ?? message;
  if (code === 'DUPLICATE_KEY')
    return `duplicate key${key === undefined ? '' : ` ${quote(key)}`}: each key may appear once in a mapping`;
  if (code === 'TAB_AS_INDENT') return 'tabs are not allowed for indentation in YAML; indent with spaces';
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** The key of the mapping entry whose key starts at `offset` (a duplicate key the parser found there). */
function keyAt(doc: Document, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null;
      if (key?.range?.[0] !== offset) return undefined;
      found = isScalar(key) ? String(key.value) : String(key);
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Source and field names JavaScript objects give a meaning to (`__proto__`, `constructor`,
 * `prototype`, anything starting with `__`): refused where they are written. A `__proto__` key would
 * otherwise vanish when the YAML becomes an object, and formulas refuse all of them anyway. KPI ids
 * cannot start with `_` (the id rule) and are only ever kept in Maps and Sets.
 */
export function isReservedName(name: string): boolean {
  return name === 'constructor' || name === 'prototype' || name.startsWith('__');
}

function reservedNames(doc: Document, lineCounter: LineCounter, file: string): Problem[] {
  const problems: Problem[] = [];
  const at = (node: Node): Location => {
    const offset = node.range?.[0];
    return offset === undefined ? { file } : { file, ...lineCounter.linePos(offset) };
  };
  const reason = 'is reserved (JavaScript objects give it a meaning); choose another name';
  const sources = isMap(doc.contents) ? doc.contents.get('sources', true) : undefined;
  if (!isMap(sources)) return problems;
  for (const pair of sources.items) {
    if (!isScalar(pair.key)) continue;
    const name = String(pair.key.value);
    if (isReservedName(name))
      problems.push(problem('catalogue-schema', `source name "${name}" ${reason}`, at(pair.key)));
    const fields = isMap(pair.value) ? pair.value.get('fields', true) : undefined;
    if (!isMap(fields)) continue;
    for (const field of fields.items) {
      if (!isScalar(field.key) || !isReservedName(String(field.key.value))) continue;
      problems.push(
        problem(
          'catalogue-schema',
          `source ${name}: field name "${String(field.key.value)}" ${reason}`,
          at(field.key),
        ),
      );
    }
  }
  return problems;
}

function locateIn(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  path: readonly (string | number)[],
  atKey = false,
): Location {
  // Walk down as far as the path exists; report the deepest node found.
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(step));
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (!item) break;
      keyNode = undefined;
      node = item;
    } else {
      break;
    }
  }
  const target =
    atKey && keyNode ? keyNode : (node as Node | null | undefined)?.range ? (node as Node) : keyNode;
  const offset = target?.range?.[0];
  if (offset === undefined) return { file };
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, col };
}

/**
 * `exceptions:` (and `actions:`) is a list of entries or `{ file }`: a problem in either is reported as the problems of the
 * form written (a list's entry, or the mapping), not as "no form fits".
 */
function exceptionsBranch(issue: z.core.$ZodIssue, data: unknown): z.core.$ZodIssue[] {
  const key = issue.path[0];
  if (
    issue.code !== 'invalid_union' ||
    issue.path.length !== 1 ||
    !(key === 'exceptions' || key === 'actions')
  )
    return [issue];
  const written = (data as Record<string, unknown> | null)?.[key];
  if (typeof written !== 'object' || written === null)
    return [
      {
        ...issue,
        message:
          key === 'exceptions'
            ? 'expected a list of exceptions, or { file: FILE } to read them from an exceptions register'
            : 'expected a list of corrective actions, or { file: FILE } to read them from an actions file',
      },
    ];
  const branch = issue.errors[Array.isArray(written) ? 0 : 1] ?? [];
  return branch.length === 0 ? [issue] : branch.map((inner) => ({ ...inner, path: [key, ...inner.path] }));
}

/** A zod issue of the catalogue's (or the actions file's) schema as a located problem. */
export function zodProblem(
  issue: z.core.$ZodIssue,
  data: unknown,
  locate: (path: (string | number)[], atKey?: boolean) => Location,
): Problem {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let message = issue.message;
  let at = path;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys;
    message = `unknown key${keys.length > 1 ? 's' : ''} ${listOf(keys)}${suggestKey(path, keys)}`;
    at = [...path, keys[0]!];
  } else if (issue.code === 'invalid_value' && 'values' in issue) {
    message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    message = `missing required key "${String(path.at(-1))}"`;
  } else if (issue.code === 'invalid_union' && isSourcePath(path)) {
    message = 'expected a file path (a glob is allowed), or a list of paths';
  } else if (issue.code === 'too_small' && isSourcePath(path)) {
    message = 'a list of paths needs at least one path';
  } else if (issue.code === 'invalid_union' && (path[0] === 'exceptions' || path[0] === 'actions')) {
    message = issue.message;
  } else if (issue.code === 'invalid_union' && path.length === 1 && path[0] === 'significance') {
    message = 'expected a significance level like 0.05, or off';
  } else if (issue.code === 'invalid_union') {
    message = 'expected a column name or a field definition with column, type, ...';
  }
  const location = locate(at, issue.code === 'unrecognized_keys');
  const context = describeContext(path, data);
  return problem('catalogue-schema', `${context}${keyLabel(path, issue.code)}${message}`, location);
}

/** `sources.NAME.path`: one path, or a list of them. */
function isSourcePath(path: readonly (string | number)[]): boolean {
  return path.length === 3 && path[0] === 'sources' && path[2] === 'path';
}

/** `kpi IR-02: ` or `source incidents: ` so users see which entry a problem belongs to. */
function describeContext(path: (string | number)[], data: unknown): string {
  const root = data as { kpis?: { id?: unknown }[] } | null;
  if (path[0] === 'kpis' && typeof path[1] === 'number') {
    const id = root?.kpis?.[path[1]]?.id;
    return typeof id === 'string' ? `kpi ${id}: ` : `kpis[${path[1]}]: `;
  }
  if (path[0] === 'exceptions' && typeof path[1] === 'number') {
    const kpi = (data as { exceptions?: { kpi?: unknown }[] } | null)?.exceptions?.[path[1]]?.kpi;
    return typeof kpi === 'string' ? `exception ${path[1] + 1} (kpi ${kpi}): ` : `exceptions[${path[1]}]: `;
  }
  if (path[0] === 'manual' && typeof path[1] === 'number') {
    const m = (data as { manual?: { measure?: unknown }[] } | null)?.manual?.[path[1]]?.measure;
    return typeof m === 'string' ? `manual ${path[1] + 1} (measure ${m}): ` : `manual[${path[1]}]: `;
  }
  if (path[0] === 'objectives' && typeof path[1] === 'number') {
    const id = (data as { objectives?: { id?: unknown }[] } | null)?.objectives?.[path[1]]?.id;
    return typeof id === 'string' ? `objective ${id}: ` : `objectives[${path[1]}]: `;
  }
  if (path[0] === 'actions' && typeof path[1] === 'number') {
    const id = (data as { actions?: { id?: unknown }[] } | null)?.actions?.[path[1]]?.id;
    return typeof id === 'string' ? `action ${id}: ` : `actions[${path[1]}]: `;
  }
  if (path[0] === 'sources' && typeof path[1] === 'string') {
    return path[2] === 'fields' && typeof path[3] === 'string'
      ? `source ${path[1]}: field ${path[3]}: `
      : `source ${path[1]}: `;
  }
  return '';
}

function keyLabel(path: (string | number)[], _code: string): string {
  // An unknown key's path is the mapping it is in: `roles: unknown key "collecter"`.
  const inner =
    path[0] === 'kpis' ||
    path[0] === 'objectives' ||
    path[0] === 'exceptions' ||
    path[0] === 'manual' ||
    path[0] === 'actions'
      ? path.slice(2)
      : path[0] === 'sources'
        ? path.slice(path[2] === 'fields' ? 4 : 2)
        : path;
  const label = inner.filter((p) => typeof p === 'string').join('.');
  return label ? `${label}: ` : '';
}

/** The keys each kind of mapping may hold, from the schemas themselves (for "did you mean"). */
const KNOWN_KEYS: Record<string, string[]> = {
  kpi: Object.keys(KpiSchema.shape),
  source: Object.keys(SourceObjectSchema.shape),
  field: Object.keys(FieldSchema.shape),
  root: Object.keys(CatalogueSchema.shape),
  document: Object.keys(DocumentSchema.shape),
};

function suggestKey(path: (string | number)[], keys: string[]): string {
  const kind =
    path.length === 0
      ? 'root'
      : path[0] === 'kpis' && path.length === 2
        ? 'kpi'
        : path[0] === 'sources' && path.length === 2
          ? 'source'
          : path[0] === 'sources' && path[2] === 'fields' && path.length === 4
            ? 'field'
            : path[0] === 'document' && path.length === 1
              ? 'document'
              : undefined;
  const first = keys[0];
  if (!kind || !first) return '';
  const best = closest(first, KNOWN_KEYS[kind]!);
  return best ? ` (did you mean "${best}"?)` : '';
}
