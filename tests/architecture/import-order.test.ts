/**
 * The layers of src/, lowest first: a module may import from its own folder and from folders of a
 * lower layer only (README, "Design"). Folders in one layer are peers and do not import each other.
 * This keeps the data flow one-way: intake -> catalogue -> engine -> outputs -> commands.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const LAYERS: readonly (readonly string[])[] = [
  ['.'], // problems.ts (the Problem model), version.ts
  ['util'], // small shared helpers (the errno -> Problem mapping uses the Problem model)
  ['time'],
  ['sources'],
  ['presets'],
  ['formula'],
  ['catalogue'],
  ['report'],
  ['engine'],
  ['diff', 'evidence', 'init'],
  ['render'],
  ['app'],
  ['cli'],
];

const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top folder of a file under src/ ('.' for files directly in src/). */
function folderOf(file: string): string {
  const relative = path.relative(SRC, file).split(path.sep);
  return relative.length === 1 ? '.' : relative[0]!;
}

function layerOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((spec) => path.resolve(path.dirname(file), spec));
}

describe('import order of src/', () => {
  const files = sourceFiles(SRC);

  it('every folder of src/ has a layer', () => {
    const unknown = [...new Set(files.map(folderOf))].filter((f) => layerOf(f) < 0);
    expect(unknown).toEqual([]);
  });

  it('no module imports from a higher layer or a peer folder (no cycle between folders)', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      // The package entry point (src/index.ts) re-exports the library's public parts from any layer.
      if (path.relative(SRC, file) === 'index.ts') continue;
      for (const target of imports(file)) {
        const to = folderOf(target);
        if (to === from) continue;
        if (!(layerOf(to) < layerOf(from)))
          violations.push(`${path.relative(SRC, file)} imports ${path.relative(SRC, target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the README Design section lists the layers in this order', () => {
    const readme = readFileSync(path.resolve(SRC, '../README.md'), 'utf8');
    const design = readme.slice(readme.indexOf('## Design'));
    // Each line that starts with folders names them (several on one line are peers).
    const order = [...design.matchAll(/^(?:src\/[a-z]+\/\s*)+/gm)].flatMap((line) =>
      [...line[0].matchAll(/src\/([a-z]+)\//g)].map((m) => m[1]!),
    );
    const expected = LAYERS.flat().filter((f) => f !== '.');
    expect(order).toEqual(expected);
  });
});
