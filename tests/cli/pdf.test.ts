/**
 * `report --output FILE.pdf` without a real browser: a stand-in program (a shell script) takes the place
 * of Chromium, records how it was started and writes a PDF, or fails, or hangs. What is checked: how the
 * browser is found (--browser, ISMS_KPI_BROWSER, PATH) and started (headless, a fresh profile in a
 * temporary folder that is removed afterwards, no network, no header and footer of its own, --no-sandbox
 * only as root), that the HTML it prints is the HTML report, and that every failure is one error line,
 * exit 2 and nothing written. The real print is checked in tests/browser/pdf.test.ts (npm run test:browser).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { printPdf } from '../../src/cli/pdf.js';
import { IsmsKpiError } from '../../src/problems.js';
import { runCli } from '../helpers/cli.js';
import { GOLDEN } from '../render/bundled.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-pdf-test-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const FAKE_PDF = '%PDF-1.7\n% a stand-in\n%%EOF\n';

/**
 * Writes an executable stand-in browser. It saves its arguments (one a line) and the page it was asked to
 * print next to itself, then runs `body` with $out set to the --print-to-pdf path.
 */
function fakeBrowser(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    `#!/bin/sh
here=$(dirname "$0")
: > "$here/args.txt"
for a in "$@"; do
  printf '%s\\n' "$a" >> "$here/args.txt"
  case "$a" in
    --print-to-pdf=*) out="\${a#--print-to-pdf=}" ;;
    --user-data-dir=*) mkdir -p "\${a#--user-data-dir=}" ;;
    file://*) page="\${a#file://}" ;;
  esac
done
cp "$page" "$here/page.html"
${body}
`,
    { mode: 0o755 },
  );
  return file;
}

const WRITES_PDF = `printf '${FAKE_PDF.replace(/\n/g, '\\n').replace(/%/g, '%%')}' > "$out"`;

function argsOf(): string[] {
  return fs.readFileSync(path.join(dir, 'args.txt'), 'utf8').trimEnd().split('\n');
}

describe('report --output FILE.pdf', () => {
  it('prints the HTML report with the browser named by --browser, and removes its temporary folder', async () => {
    const browser = fakeBrowser('my-chrome', WRITES_PDF);
    const target = path.join(dir, 'out', 'q3.pdf');
    fs.mkdirSync(path.dirname(target));
    const run = await runCli(['report', '--period', '2026-Q3', '--browser', browser, '--output', target]);
    expect(run.stderr).toBe(`wrote ${target} (pdf)\n`);
    expect(run.status).toBe(1); // red KPIs, as for every format
    expect(fs.readFileSync(target, 'utf8')).toBe(FAKE_PDF);
    expect(fs.readdirSync(path.dirname(target))).toEqual(['q3.pdf']);
    // The page printed is the HTML report, byte for byte.
    expect(fs.readFileSync(path.join(dir, 'page.html'), 'utf8')).toBe(
      fs.readFileSync(path.join(GOLDEN, '2026-Q3.html'), 'utf8'),
    );
    const args = argsOf();
    for (const flag of [
      '--headless',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-pdf-header-footer',
    ])
      expect(args).toContain(flag);
    expect(args.includes('--no-sandbox')).toBe(process.getuid?.() === 0);
    const profile = args.find((a) => a.startsWith('--user-data-dir='))!.slice('--user-data-dir='.length);
    const printed = args.find((a) => a.startsWith('--print-to-pdf='))!.slice('--print-to-pdf='.length);
    const page = fileURLToPath(args.at(-1)!);
    // One temporary folder held the profile, the page and the PDF; it is gone.
    expect(path.dirname(profile)).toBe(path.dirname(printed));
    expect(path.dirname(page)).toBe(path.dirname(printed));
    expect(path.dirname(profile).startsWith(os.tmpdir())).toBe(true);
    expect(fs.existsSync(path.dirname(profile))).toBe(false);
  });

  it('finds the browser through ISMS_KPI_BROWSER, else as chromium on PATH', async () => {
    const named = fakeBrowser('browser-from-env', WRITES_PDF);
    const target = path.join(dir, 'q3.pdf');
    const viaEnv = await runCli(['report', '--output', target, '--fail-on', 'never'], {
      env: { ISMS_KPI_BROWSER: named, PATH: dir },
    });
    expect(viaEnv.status).toBe(0);
    expect(fs.readFileSync(target, 'utf8')).toBe(FAKE_PDF);
    fs.rmSync(target);
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.renameSync(named, path.join(bin, 'chromium'));
    const viaPath = await runCli(['report', '--output', target, '--fail-on', 'never'], {
      env: { ISMS_KPI_BROWSER: undefined, PATH: [path.join(dir, 'none'), bin].join(path.delimiter) },
    });
    expect(viaPath.stderr).toBe(`wrote ${target} (pdf)\n`);
    expect(viaPath.status).toBe(0);
    expect(fs.readFileSync(target, 'utf8')).toBe(FAKE_PDF);
  });

  it('without a browser: one line naming --browser and ISMS_KPI_BROWSER, exit 2, nothing written', async () => {
    const json = path.join(dir, 'q3.json');
    const run = await runCli(['report', '--output', json, '--output', path.join(dir, 'q3.pdf')], {
      env: { ISMS_KPI_BROWSER: undefined, PATH: path.join(dir, 'empty') },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `error: ${path.join(dir, 'q3.pdf')}: no Chromium or Chrome found on PATH (chromium, chromium-browser, google-chrome, google-chrome-stable, chrome); install one, or name it with --browser PATH or ISMS_KPI_BROWSER\n`,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a --browser or ISMS_KPI_BROWSER that does not exist is named in the error', async () => {
    const target = path.join(dir, 'q3.pdf');
    const option = await runCli(['report', '--output', target, '--browser', './no/such/chrome']);
    expect(option.status).toBe(2);
    expect(option.stderr).toBe(
      `error: ${target}: --browser ./no/such/chrome: no such file; give the path of a Chromium or Chrome program\n`,
    );
    const env = await runCli(['report', '--output', target], {
      env: { ISMS_KPI_BROWSER: 'no-such-chrome', PATH: dir },
    });
    expect(env.status).toBe(2);
    expect(env.stderr).toBe(
      `error: ${target}: ISMS_KPI_BROWSER=no-such-chrome: not found on PATH; give the path of a Chromium or Chrome program\n`,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a browser that fails: its last line of stderr, exit 2, nothing written, no temporary folder left', async () => {
    const browser = fakeBrowser(
      'crashing',
      'echo "[1:1:ERROR:dbus/bus.cc] Failed to connect to the bus" >&2\necho "Cannot open display" >&2\nexit 3',
    );
    const json = path.join(dir, 'q3.json');
    const target = path.join(dir, 'q3.pdf');
    const run = await runCli(['report', '--browser', browser, '--output', json, '--output', target]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `error: ${target}: the browser (${browser}) failed (exit code 3): Cannot open display\n`,
    );
    expect(fs.existsSync(json)).toBe(false);
    expect(fs.existsSync(target)).toBe(false);
    const profile = argsOf()
      .find((a) => a.startsWith('--user-data-dir='))!
      .slice('--user-data-dir='.length);
    expect(fs.existsSync(path.dirname(profile))).toBe(false);
  });

  it('a browser that writes no PDF', async () => {
    const browser = fakeBrowser('silent', 'printf "<html>" > "$out"');
    const target = path.join(dir, 'q3.pdf');
    const run = await runCli(['report', '--browser', browser, '--output', target]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`error: ${target}: the browser (${browser}) wrote no PDF\n`);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('a browser that hangs is stopped after the timeout', async () => {
    const browser = fakeBrowser('hanging', 'exec sleep 30');
    const started = printPdf({ browser, html: '<p>x</p>', file: 'q3.pdf', timeoutMs: 300 });
    await expect(started).rejects.toThrow(IsmsKpiError);
    await expect(started).rejects.toThrow(
      `q3.pdf: the browser (${browser}) did not finish printing within 0.3 s and was stopped`,
    );
    const profile = argsOf()
      .find((a) => a.startsWith('--user-data-dir='))!
      .slice('--user-data-dir='.length);
    expect(fs.existsSync(path.dirname(profile))).toBe(false);
  });

  it('--format pdf is refused: a PDF is never written to standard output', async () => {
    const run = await runCli(['report', '--format', 'pdf']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: --format pdf: a PDF is not written to standard output (it is binary); write it to a file with --output report.pdf\n',
    );
  });

  it('--format offers (help, completion) only what stdout takes, and refuses other values with the choices', async () => {
    const help = await runCli(['report', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      '(choices: "table", "json", "csv", "markdown", "html", "junit", "oscal", "ciso-assistant")',
    );
    const run = await runCli(['report', '--format', 'docx']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      "argument 'docx' is invalid. Allowed choices are table, json, csv, markdown, html, junit, oscal, ciso-assistant.",
    );
  });
});

describe('review --output FILE.pdf', () => {
  it('prints the review document as HTML with the same browser machinery', async () => {
    const browser = fakeBrowser('my-chrome', WRITES_PDF);
    const target = path.join(dir, 'review.pdf');
    const args = ['review', '--period', '2026-Q3', '--history', 'fixtures/reports/2026-Q2.json'];
    const run = await runCli([...args, '--browser', browser, '--output', target]);
    expect([run.status, run.stderr]).toEqual([0, `wrote ${target} (pdf)\n`]);
    expect(fs.readFileSync(target, 'utf8')).toBe(FAKE_PDF);
    // The page printed is what --output review.html writes.
    const html = path.join(dir, 'review.html');
    await runCli([...args, '--output', html]);
    expect(fs.readFileSync(path.join(dir, 'page.html'), 'utf8')).toBe(fs.readFileSync(html, 'utf8'));
    expect(fs.readFileSync(html, 'utf8')).toContain('<h2>6. Decisions (9.3.3)</h2>');
  });
});
