/**
 * Most test files share a module cache (vitest.config.ts, isolate: false). A file that mocks a module
 * or changes the process's environment or working directory would leak into the others, so such files
 * must be listed in the config's ISOLATED project.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? testFiles(full) : e.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('test isolation', () => {
  it('every test file that mocks modules or changes process state runs in the isolated project', () => {
    const config = readFileSync(path.join(ROOT, 'vitest.config.ts'), 'utf8');
    const leaky =
      /\bvi\.(mock|doMock|stubEnv|stubGlobal)\(|process\.chdir\(|process\.env\.[A-Za-z_]+\s*=[^=]/;
    const self = path.relative(ROOT, import.meta.filename);
    const offenders = testFiles(path.join(ROOT, 'tests'))
      .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
      .filter((f) => f !== self && leaky.test(readFileSync(path.join(ROOT, f), 'utf8')))
      .filter((f) => !config.includes(`'${f}'`));
    expect(offenders).toEqual([]);
  });
});
