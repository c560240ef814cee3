/**
 * The package as users get it: `npm pack`, `npm install -g` into a temporary prefix, and the installed
 * binary run end to end in an empty folder, far from the repository and its node_modules. Also checks
 * that the tarball holds what the tool needs and nothing of the development tree.
 *
 * The build comes from `npm test` (which builds first); packing skips the lifecycle scripts so that it
 * does not rebuild dist/ under the other tests. Dependencies are installed from npm's cache, which
 * `npm ci` has just filled, so no network is needed beyond it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};
const IS_WINDOWS = process.platform === 'win32';
const NPM = IS_WINDOWS ? 'npm.cmd' : 'npm';
const HAS_NPM = spawnSync(NPM, ['--version'], { encoding: 'utf8', shell: IS_WINDOWS }).status === 0;

/** The environment of the child processes: our node first on PATH, no colour, no npm chatter. */
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
  NO_COLOR: '1',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

function run(command: string, args: string[], cwd: string, timeout = 120_000) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout, shell: IS_WINDOWS });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface PackResult {
  filename: string;
  size: number;
  entryCount: number;
  files: { path: string }[];
}

let temp: string;
let packed: PackResult;
let files: string[];
let bin: string;
let work: string;

const isms = (args: string[]) => run(bin, args, work);

if (!HAS_NPM)
  it.skip('the npm package: skipped because npm is not on PATH, so it cannot be packed', () => {});

describe.skipIf(!HAS_NPM)('the npm package, installed globally', () => {
  beforeAll(() => {
    if (!existsSync(path.join(REPO, 'dist', 'cli', 'main.js')))
      throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    temp = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-pack-'));
    const pack = run(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', temp], REPO);
    expect(pack.code, pack.stderr).toBe(0);
    // npm prints the JSON after any notices; it is the last top-level array in stdout.
    packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[\n'))) as PackResult[])[0]!;
    files = packed.files.map((f) => f.path).sort();

    const prefix = path.join(temp, 'prefix');
    const install = run(
      NPM,
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        path.join(temp, packed.filename),
      ],
      temp,
    );
    expect(install.code, install.stderr).toBe(0);
    bin = IS_WINDOWS ? path.join(prefix, 'isms-kpi.cmd') : path.join(prefix, 'bin', 'isms-kpi');
    // An empty folder outside the repository: nothing to find but what the package brings.
    work = path.join(temp, 'my-isms');
    mkdirSync(work);
  }, 150_000);

  afterAll(() => {
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  describe('the tarball', () => {
    it('is named after the package and version, and stays small', () => {
      expect(packed.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
      expect(packed.size).toBeLessThan(2_000_000);
    });

    it('holds the binary, the built code with its types, the README and the package.json', () => {
      for (const file of ['package.json', 'README.md', 'CHANGELOG.md', ...Object.values(pkg.bin)])
        expect(files).toContain(file.replace(/^\.\//, ''));
      expect(files).toContain('dist/cli/main.js');
      expect(files).toContain('dist/index.js');
      expect(files).toContain('dist/index.d.ts');
      const licence = readdirSync(REPO).find((f) => /^licen[cs]e(\.|$)/i.test(f));
      if (licence) expect(files).toContain(licence);
    });

    it('holds the example catalogue and every export it reads', () => {
      expect(files).toContain('metrics.yaml');
      const catalogue = parse(readFileSync(path.join(REPO, 'metrics.yaml'), 'utf8')) as {
        sources: Record<string, { path: string; optional?: boolean }>;
      };
      for (const [name, source] of Object.entries(catalogue.sources)) {
        const pattern = new RegExp(
          `^${source.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{period\}/g, '.+')}$`,
        );
        const present = files.some((f) => pattern.test(f));
        if (!source.optional) expect(present, `source ${name}: ${source.path}`).toBe(true);
      }
    });

    it('holds the documentation the README links to', () => {
      const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
      const linked = [...readme.matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]!);
      expect(linked.length).toBeGreaterThan(0);
      for (const doc of linked) expect(files, doc).toContain(doc);
    });

    it('leaves out tests, TypeScript sources, benchmarks, broken fixtures, CI files and the screenshots of the docs', () => {
      const forbidden = files.filter(
        (f) =>
          /^(tests|src|bench|node_modules|\.ci|\.github)\//.test(f) ||
          f.startsWith('fixtures/bad/') ||
          f.startsWith('docs/images/') ||
          (f.endsWith('.ts') && !f.endsWith('.d.ts')) ||
          /(^|\/)(tsconfig[^/]*\.json|vitest\.config\.[a-z]+|biome\.json|package-lock\.json)$/.test(f) ||
          f.endsWith('.tgz') ||
          f.endsWith('.tmp'),
      );
      expect(forbidden).toEqual([]);
    });
  });

  describe('the installed isms-kpi, outside the repository', () => {
    it('is installed as a command', () => {
      expect(statSync(bin).isFile()).toBe(true);
    });

    it('--version prints the package version', () => {
      const { code, stdout } = isms(['--version']);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(pkg.version);
    });

    it('--help lists the commands, with examples', () => {
      const { code, stdout } = isms(['--help']);
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: isms-kpi');
      for (const command of ['report', 'validate', 'init', 'completion'])
        expect(stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
      expect(stdout).toContain('Examples:');
    });

    it('init writes the example catalogue and exports into an empty folder, and report runs on them', () => {
      const init = isms(['init']);
      expect(init.code, init.stderr).toBe(0);
      expect(existsSync(path.join(work, 'metrics.yaml'))).toBe(true);
      expect(readdirSync(path.join(work, 'exports')).length).toBeGreaterThan(0);

      const table = isms(['report']);
      expect(table.stderr).not.toMatch(/^error:/m);
      // 0: nothing is red; 1: some KPIs are red (the example has some). 2 would be a broken setup.
      expect([0, 1]).toContain(table.code);
      expect(table.stdout).toMatch(/\b(green|amber|red)\b/i);

      const json = isms(['report', '--format', 'json', '--fail-on', 'never']);
      expect(json.code, json.stderr).toBe(0);
      const report = JSON.parse(json.stdout) as {
        tool: { name: string; version: string };
        kpis: { id: string }[];
      };
      expect(report.tool).toEqual({ name: pkg.name, version: pkg.version });
      expect(report.kpis.length).toBeGreaterThan(0);
      // three process starts of the installed package: generous for a loaded shared machine
    }, 120_000);

    it('completion bash prints a script', () => {
      const { code, stdout } = isms(['completion', 'bash']);
      expect(code).toBe(0);
      expect(stdout).toContain('complete -F _isms_kpi isms-kpi');
    });
  });
});
