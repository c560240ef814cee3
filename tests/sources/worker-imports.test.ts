/**
 * The intake stays light and keeps its file access in one place.
 *
 * Worker threads start load-worker.js for every large export, so what it imports is paid per worker:
 * its module graph (followed through the built dist/, as the workers run it) must not reach yaml, zod
 * or date-fns. time/parse-datetime.js loads date-fns/parse lazily through createRequire, only for a
 * format its own parser lacks; that is the one require() allowed on the graph.
 *
 * Of src/sources, only load-source.ts (the file-reading module, which the workers run) and decode.ts
 * (the byte reader under it and csv-reader.ts) touch the file system; the intake modules get text.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const HEAVY = ['yaml', 'zod', 'date-fns'];

interface Graph {
  /** Modules of the package reached, relative to dist/. */
  modules: Set<string>;
  /** Packages imported (import/export ... from, import(), bare import), with the module importing each. */
  packages: Map<string, string[]>;
  /** require('...') calls, as "module: specifier". */
  requires: string[];
}

/** Follows every static import, re-export and dynamic import() with a literal specifier. */
function importGraph(entry: string): Graph {
  const graph: Graph = { modules: new Set(), packages: new Map(), requires: [] };
  const pending = [path.join(DIST, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    const name = path.relative(DIST, file);
    if (graph.modules.has(name)) continue;
    graph.modules.add(name);
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
      ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
      ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1]!);
    for (const spec of specifiers) {
      if (spec.startsWith('.')) pending.push(path.resolve(path.dirname(file), spec));
      else graph.packages.set(spec, [...(graph.packages.get(spec) ?? []), name]);
    }
    for (const m of text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g))
      graph.requires.push(`${name}: ${m[1]}`);
  }
  return graph;
}

function isHeavy(specifier: string): boolean {
  return HEAVY.some((p) => specifier === p || specifier.startsWith(`${p}/`));
}

describe('the worker thread entry', () => {
  it('is built (run npm run build first)', () => {
    expect(existsSync(path.join(DIST, 'sources/load-worker.js'))).toBe(true);
  });

  it('does not reach yaml, zod or date-fns', () => {
    const graph = importGraph('sources/load-worker.js');
    // The walk follows the intake: the loader, every reader, the converters and the date parser.
    for (const module of [
      'sources/load-source.js',
      'sources/span-intake.js',
      'sources/row-intake.js',
      'sources/json-intake.js',
      'sources/csv-reader.js',
      'sources/convert.js',
      'time/parse-datetime.js',
    ]) {
      expect(graph.modules).toContain(module);
    }
    const heavy = [...graph.packages].filter(([spec]) => isHeavy(spec));
    expect(heavy).toEqual([]);
    expect(graph.requires.sort()).toEqual([
      'time/parse-datetime.js: date-fns/isValid',
      'time/parse-datetime.js: date-fns/parse',
    ]);
    // The lazy require sits inside a function (indented), not in the module's top-level code.
    const parser = readFileSync(path.join(DIST, 'time/parse-datetime.js'), 'utf8');
    expect(parser).toMatch(/^\s+.*\brequire\('date-fns\/parse'\)/m);
    expect(parser).not.toMatch(/^\S.*\brequire\(/m);
  });

  it('the same walk does find them where they are used (the check is not vacuous)', () => {
    const graph = importGraph('catalogue/parse.js');
    const heavy = [...graph.packages.keys()].filter(isHeavy).sort();
    expect(heavy).toEqual(['yaml', 'zod']);
  });
});

describe('file access in src/sources', () => {
  it('only the byte reader decode.ts touches the file system (load-source.ts and the workers read through it)', () => {
    const dir = path.join(ROOT, 'src/sources');
    const touching = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .filter((name) =>
        /from ['"](?:node:)?fs(?:\/promises)?['"]/.test(readFileSync(path.join(dir, name), 'utf8')),
      )
      .sort();
    expect(touching).toEqual(['decode.ts']);
  });
});
