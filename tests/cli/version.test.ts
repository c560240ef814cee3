/**
 * One version everywhere: package.json, `isms-kpi --version`, the JSON report's `tool.version` (which
 * `diff` and auditors read), the evidence pack's manifest, the HTML and markdown footers, and the
 * CHANGELOG. Runs the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

function cli(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(REPO, 'bin', 'isms-kpi.js'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// One KPI keeps the runs short; the tool block does not depend on which KPIs are reported.
const ONE_KPI = ['--kpi', 'IR-02', '--fail-on', 'never'];

describe('the version', () => {
  it('is semantic versioning', () => {
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/);
  });

  it('--version and -V print the package.json version', () => {
    for (const flag of ['--version', '-V']) {
      const { code, stdout } = cli([flag]);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(pkg.version);
    }
  });

  it("the JSON report's tool is the package's name and version", () => {
    const { code, stdout } = cli(['report', '--format', 'json', ...ONE_KPI]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { tool: { name: string; version: string } };
    expect(report.tool).toEqual({ name: pkg.name, version: pkg.version });
    expect(cli(['--version']).stdout.trim()).toBe(report.tool.version);
  });

  it("the evidence pack's manifest names the same tool and version", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-version-'));
    try {
      const pack = path.join(dir, 'evidence');
      const { code, stderr } = cli(['report', '--evidence', pack, '--quiet', ...ONE_KPI]);
      expect(code, stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(pack, 'manifest.json'), 'utf8')) as {
        tool: { name: string; version: string };
      };
      expect(manifest.tool).toEqual({ name: pkg.name, version: pkg.version });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the HTML and markdown reports name the same version', () => {
    const html = cli(['report', '--format', 'html', ...ONE_KPI]).stdout;
    expect(html).toContain(`<meta name="generator" content="${pkg.name} ${pkg.version}">`);
    const markdown = cli(['report', '--format', 'markdown', ...ONE_KPI]).stdout;
    expect(markdown).toContain(`${pkg.name} ${pkg.version}`);
  });

  it('the CHANGELOG has an Unreleased section and names the version', () => {
    const changelog = readFileSync(path.join(REPO, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(/^## \[Unreleased\]/m);
    // Either a released heading `## [X.Y.Z] - date` or the Unreleased section saying what it will be.
    const escaped = pkg.version.replaceAll('.', '\\.');
    expect(changelog).toMatch(new RegExp(`## \\[${escaped}\\]|to be published as ${escaped}\\b`));
  });
});
