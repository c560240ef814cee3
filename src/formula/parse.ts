/**
 * Formula syntax. jsep does the parsing (it only parses; nothing is ever evaluated by JavaScript);
 * we configure its operator table once and record where each node starts and ends so errors can put a
 * caret under the offending part.
 */
import jsepModule from 'jsep';

const jsep = jsepModule;

export interface Span {
  start: number;
  end: number;
}

export type Ast =
  | ({ type: 'Literal'; value: string | number | boolean | null; raw: string } & Span)
  | ({ type: 'Identifier'; name: string } & Span)
  | ({ type: 'MemberExpression'; object: Ast; property: Ast; computed: boolean } & Span)
  | ({ type: 'CallExpression'; callee: Ast; arguments: Ast[] } & Span)
  | ({ type: 'UnaryExpression'; operator: string; argument: Ast } & Span)
  | ({ type: 'BinaryExpression'; operator: string; left: Ast; right: Ast } & Span)
  | ({ type: 'ConditionalExpression'; test: Ast; consequent: Ast; alternate: Ast } & Span)
  | ({ type: 'ArrayExpression'; elements: (Ast | null)[] } & Span)
  | ({ type: 'Other'; kind: string } & Span);

export interface SyntaxFailure {
  message: string;
  index: number;
  /** End of the offending part, when known (else one character). */
  end?: number;
}

let isConfigured = false;

function configure(): void {
  if (isConfigured) return;
  isConfigured = true;
  // Only the operators the language documents; bitwise and strict-equality operators are refused.
  for (const op of ['|', '^', '&', '<<', '>>', '>>>', '===', '!==', '??']) jsep.removeBinaryOp(op);
  jsep.removeUnaryOp('~');
  jsep.addBinaryOp('or', 1);
  jsep.addBinaryOp('and', 2);
  jsep.addBinaryOp('in', 7);
  jsep.addUnaryOp('not');
  jsep.removeIdentifierChar('$');

  // Record source spans: every token passes through gobbleToken, identifiers through gobbleIdentifier.
  const proto = (jsep as unknown as { Jsep: { prototype: unknown } }).Jsep.prototype as unknown as Record<
    string,
    (...args: unknown[]) => unknown
  > & {
    index: number;
    gobbleSpaces(): void;
  };
  const withSpan = (name: string) => {
    const original = proto[name]!;
    proto[name] = function (this: typeof proto, ...args: unknown[]) {
      this.gobbleSpaces();
      const start = this.index;
      const node = original.apply(this, args) as Record<string, unknown> | false | undefined;
      if (node && typeof node === 'object' && node.start === undefined) {
        node.start = start;
        node.end = this.index;
      }
      return node;
    };
  };
  withSpan('gobbleToken');
  withSpan('gobbleIdentifier');
}

/** Parses a formula; returns the tree or the message and character index of the syntax error. */
export function parseFormula(text: string): { ok: true; ast: Ast } | { ok: false; error: SyntaxFailure } {
  configure();
  const tooManyBrackets = bracketDepthProblem(text);
  if (tooManyBrackets) return { ok: false, error: tooManyBrackets };
  try {
    const tree = jsep(text);
    return { ok: true, ast: normalise(tree, text, 0) };
  } catch (error) {
    if (error instanceof RangeError || error instanceof TooDeep) {
      const message = `formula is nested more than ${MAX_PARSE_DEPTH} levels deep`;
      if (error instanceof TooDeep)
        return { ok: false, error: { message, index: error.index, end: error.end } };
      return { ok: false, error: { message, index: 0 } };
    }
    const e = error as Error & { index?: number; description?: string };
    return { ok: false, error: { message: friendlySyntax(e.description ?? e.message), index: e.index ?? 0 } };
  }
}

/** Deeper trees are refused while converting, before any recursive checking runs. */
export const MAX_PARSE_DEPTH = 64;

/**
 * Brackets open at once, round or square (a call's own included). Brackets add no level of nesting, but
 * jsep parses each one by recursion: thousands of them (`((((x))))`) overflowed the stack, and the run
 * said "nested more than 64 levels" at the formula's start, a limit the docs say brackets do not count
 * toward. They have their own limit, checked by a linear scan before jsep runs, with the bracket that
 * goes past it located. It is four times the nesting limit, so a formula within that limit (64 nested
 * calls, each with its bracket) keeps room for brackets that only group; jsep parses over 1,000 nested
 * brackets without trouble (measured on Node 20).
 */
export const MAX_BRACKET_DEPTH = 256;

/** The first bracket that opens more than MAX_BRACKET_DEPTH at once (outside string literals), if any. */
function bracketDepthProblem(text: string): SyntaxFailure | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') {
      if (++depth > MAX_BRACKET_DEPTH)
        return { message: `more than ${MAX_BRACKET_DEPTH} brackets are open at once`, index: i, end: i + 1 };
    } else if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
  }
  return undefined;
}
class TooDeep extends Error {
  constructor(
    readonly index: number,
    readonly end: number,
  ) {
    super('too deep');
  }
}

function friendlySyntax(message: string): string {
  return message
    .replace(/ at character \d+$/, '')
    .replace(/^Unexpected "(.*)"$/, 'unexpected "$1"')
    .replace(/^./, (c) => c.toLowerCase());
}

/** Converts jsep's tree into our closed union, filling spans for nodes jsep built without a token. */
function normalise(node: unknown, text: string, depth: number): Ast {
  const n = node as Record<string, unknown> & { type: string };
  // Names and literals end a branch; only operators and calls add a level.
  const isLeaf = n.type === 'Identifier' || n.type === 'Literal';
  if (depth >= MAX_PARSE_DEPTH && !isLeaf)
    throw new TooDeep(
      typeof n.start === 'number' ? n.start : 0,
      typeof n.end === 'number' ? n.end : text.length,
    );
  const kids = (key: string) => normalise(n[key], text, depth + 1);
  // A callee or member name is part of its node, not a level of nesting.
  const same = (key: string) => normalise(n[key], text, depth);
  let ast: Ast;
  switch (n.type) {
    case 'Literal':
      ast = {
        type: 'Literal',
        value: n.value as string | number | boolean | null,
        raw: String(n.raw),
        start: 0,
        end: 0,
      };
      break;
    case 'Identifier':
      ast = { type: 'Identifier', name: String(n.name), start: 0, end: 0 };
      break;
    case 'MemberExpression':
      ast = {
        type: 'MemberExpression',
        object: same('object'),
        property: same('property'),
        computed: Boolean(n.computed),
        start: 0,
        end: 0,
      };
      break;
    case 'CallExpression':
      ast = {
        type: 'CallExpression',
        callee: same('callee'),
        arguments: (n.arguments as unknown[]).map((a) => normalise(a, text, depth + 1)),
        start: 0,
        end: 0,
      };
      break;
    case 'UnaryExpression':
      ast = {
        type: 'UnaryExpression',
        operator: String(n.operator),
        argument: kids('argument'),
        start: 0,
        end: 0,
      };
      break;
    case 'BinaryExpression':
      ast = {
        type: 'BinaryExpression',
        operator: String(n.operator),
        left: kids('left'),
        right: kids('right'),
        start: 0,
        end: 0,
      };
      break;
    case 'ConditionalExpression':
      ast = {
        type: 'ConditionalExpression',
        test: kids('test'),
        consequent: kids('consequent'),
        alternate: kids('alternate'),
        start: 0,
        end: 0,
      };
      break;
    case 'ArrayExpression':
      ast = {
        type: 'ArrayExpression',
        elements: (n.elements as unknown[]).map((e) => (e ? normalise(e, text, depth + 1) : null)),
        start: 0,
        end: 0,
      };
      break;
    default:
      ast = { type: 'Other', kind: n.type, start: 0, end: 0 };
  }
  const start = typeof n.start === 'number' ? n.start : undefined;
  const end = typeof n.end === 'number' ? n.end : undefined;
  const first = firstSpan(ast);
  const last = lastSpan(ast);
  ast.start = start ?? first?.start ?? 0;
  ast.end = end ?? last?.end ?? text.length;
  if (ast.type === 'BinaryExpression') {
    ast.start = Math.min(ast.start, ast.left.start);
    ast.end = Math.max(ast.end, ast.right.end);
  }
  return ast;
}

function firstSpan(ast: Ast): Span | undefined {
  switch (ast.type) {
    case 'BinaryExpression':
      return ast.left;
    case 'MemberExpression':
      return ast.object;
    case 'CallExpression':
      return ast.callee;
    default:
      return undefined;
  }
}

function lastSpan(ast: Ast): Span | undefined {
  switch (ast.type) {
    case 'BinaryExpression':
      return ast.right;
    case 'MemberExpression':
      return ast.property;
    case 'UnaryExpression':
      return ast.argument;
    default:
      return undefined;
  }
}
