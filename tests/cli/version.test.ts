/**
 * One version everywhere: package.json, `isms-kpi --version`, the JSON report's `tool.version` (which
 * `diff` and auditors read), the evidence pack's manifest, the HTML and markdown footers, and the
 * CHANGELOG. Runs the CLI in-process (tests/cli/end-to-end.test.ts checks --version of the built binary).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

async function cli(args: string[]) {
  const { status, stdout, stderr } = await runCli(args);
  return { code: status, stdout, stderr };
}

// One KPI keeps the runs short; the tool block does not depend on which KPIs are reported.
const ONE_KPI = ['--kpi', 'IR-02', '--fail-on', 'never'];

describe('the version', () => {
  it('is semantic versioning', async () => {
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/);
  });

  it('--version and -V print the package.json version', async () => {
    for (const flag of ['--version', '-V']) {
      const { code, stdout } = await cli([flag]);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(pkg.version);
    }
  });

  it("the JSON report's tool is the package's name and version", async () => {
    const { code, stdout } = await cli(['report', '--format', 'json', ...ONE_KPI]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { tool: { name: string; version: string } };
    expect(report.tool).toEqual({ name: pkg.name, version: pkg.version });
    expect((await cli(['--version'])).stdout.trim()).toBe(report.tool.version);
  });

  it("the evidence pack's manifest names the same tool and version", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-version-'));
    try {
      const pack = path.join(dir, 'evidence');
      const { code, stderr } = await cli(['report', '--evidence', pack, '--quiet', ...ONE_KPI]);
      expect(code, stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(pack, 'manifest.json'), 'utf8')) as {
        tool: { name: string; version: string };
      };
      expect(manifest.tool).toEqual({ name: pkg.name, version: pkg.version });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the HTML and markdown reports name the same version', async () => {
    const html = (await cli(['report', '--format', 'html', ...ONE_KPI])).stdout;
    expect(html).toContain(`<meta name="generator" content="${pkg.name} ${pkg.version}">`);
    const markdown = (await cli(['report', '--format', 'markdown', ...ONE_KPI])).stdout;
    expect(markdown).toContain(`${pkg.name} ${pkg.version}`);
  });

  it('the CHANGELOG has an Unreleased section and names the version', async () => {
    const changelog = readFileSync(path.join(REPO, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(/^## \[Unreleased\]/m);
    // Either a released heading `## [X.Y.Z] - date` or the Unreleased section saying what it will be.
    const escaped = pkg.version.replaceAll('.', '\\.');
    expect(changelog).toMatch(new RegExp(`## \\[${escaped}\\]|to be published as ${escaped}\\b`));
  });
});
