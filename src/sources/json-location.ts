/**
 * Where things are in a JSON text, so problems in JSON sources can be reported as `file:line` like CSV
 * ones: the physical line where each record of a JSON array starts (a single linear scan over the text,
 * tracking strings and depth), and the line of a syntax error JSON.parse reports by offset.
 */
import { type Problem, problem } from '../problems.js';
import { pointerSegments } from '../util/json-pointer.js';

export function locateJsonRecords(text: string, pointer: string, count: number): number[] {
  const path = pointerSegments(pointer);
  const lines: number[] = [];
  // Depth of the records array: each pointer step goes one object deeper.
  const targetDepth = path.length + 1;
  let depth = 0;
  let line = 1;
  let inString = false;
  // Keys seen at each depth, to follow the pointer path.
  const keyAt: (string | undefined)[] = [];
  let lastString = '';
  let stringStart = 0;
  let expectingValue = false;
  let onPath = path.length === 0;
  for (let i = 0; i < text.length && lines.length < count; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      continue;
    }
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) {
        inString = false;
        lastString = text.slice(stringStart, i);
      }
      continue;
    }
    if (c === 34) {
      if (onPath && depth === targetDepth && expectingValue) {
        lines.push(line);
        expectingValue = false;
      }
      inString = true;
      stringStart = i + 1;
      continue;
    }
    if (c === 58) {
      keyAt[depth] = lastString;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    if (c === 123 || c === 91) {
      if (onPath && depth === targetDepth && expectingValue) {
        lines.push(line);
        expectingValue = false;
      }
      depth++;
      onPath = isOnPath(keyAt, depth, path);
      if (c === 91 && depth === targetDepth && onPath) expectingValue = true;
      continue;
    }
    if (c === 125 || c === 93) {
      depth--;
      onPath = isOnPath(keyAt, depth, path);
      continue;
    }
    if (c === 44) {
      if (onPath && depth === targetDepth) expectingValue = true;
      continue;
    }
    if (onPath && depth === targetDepth && expectingValue) {
      lines.push(line);
      expectingValue = false;
    }
  }
  return lines;
}

function isOnPath(keyAt: (string | undefined)[], depth: number, path: string[]): boolean {
  for (let d = 1; d < depth && d <= path.length; d++) {
    if (keyAt[d] !== path[d - 1]) return false;
  }
  return true;
}

export function jsonErrorText(error: unknown): string {
  return error instanceof Error ? error.message.replace(/^JSON\.parse: /, '') : String(error);
}

export function jsonSyntaxProblem(error: unknown, text: string, file: string): Problem {
  const message = jsonErrorText(error);
  const position = /position (\d+)/.exec(message);
  if (position) {
    const offset = Number(position[1]);
    let line = 1;
    for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    return problem(
      'json-syntax',
      `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/ at position \d+.*$/, '')}`,
      { file, line },
    );
  }
  if (/Maximum call stack/i.test(message)) {
    return problem('json-too-deep', 'JSON is nested too deeply to read', { file });
  }
  return problem('json-syntax', `not valid JSON: ${message}`, { file });
}
