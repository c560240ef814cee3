/**
 * Control references outside ISO/IEC 27001:2022 Annex A (merge of issue 19): a catalogue that names a
 * 2013-style `A.12.6.1` or a misspelt control without a namespace still loads. The reference is a located
 * warning: validate lists it and passes (exit 0, as for its other non-data warnings), audit-catalogue
 * lists it as a `control-not-annex-a` finding (exit 1), report works and says it once on standard error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-control-warnings-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Line 16 holds the controls of EV-01 (`    controls: [...]`, the list starts at column 15). */
function catalogue(controls: string): string {
  return `organisation: Test GmbH
timezone: UTC
period: 2026-Q3
sources:
  events:
    path: data/events.csv
    kind: events
    time_field: opened
    fields:
      opened: { column: opened, type: datetime }
kpis:
  - id: EV-01
    name: Events
    owner: Tester
    cadence: quarterly
    controls: ${controls}
    unit: count
    formula: count(events)
`;
}

let count = 0;
function project(controls: string): string {
  const dir = path.join(tmp, `p${++count}`);
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'metrics.yaml'), catalogue(controls));
  writeFileSync(path.join(dir, 'data', 'events.csv'), 'opened\n2026-07-01\n2026-08-01\n');
  return dir;
}

const WARNING_2013 =
  'warning: metrics.yaml:16:23: kpi EV-01: controls: "A.12.6.1" is not an ISO/IEC 27001:2022 Annex A control (A.5.1-A.5.37, A.6.1-A.6.8, A.7.1-A.7.14, A.8.1-A.8.34); 2013 numbering? see docs/catalogue.md 3.6; or use a namespace such as "iso27001-2013:A.12.6.1"';

describe('control references outside Annex A 2022', { timeout: 60_000 }, () => {
  it('validate lists a located warning and passes (exit 0)', async () => {
    const dir = project('[A.8.8, A.12.6.1]');
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('catalogue metrics.yaml: 1 KPIs, 1 sources, formulas OK; 1 warning\n');
    expect(r.stdout).toContain(`problems (1):\n${WARNING_2013}\n`);
    expect(r.stdout).toContain('\nvalidation passed\n');
    const json = JSON.parse((await runCli(['validate', '--format', 'json'], { cwd: dir })).stdout);
    expect(json.verdict).toBe('valid');
    expect(json.counts).toMatchObject({ errors: 0, warnings: 1 });
    expect(json.catalogue.problems[0]).toMatchObject({
      severity: 'warning',
      location: { file: 'metrics.yaml', line: 16, col: 23 },
    });
    const github = await runCli(['validate', '--format', 'github'], { cwd: dir });
    expect(github.status).toBe(0);
    expect(github.stdout).toContain(
      '::warning file=metrics.yaml,line=16,col=23::kpi EV-01: controls: "A.12.6.1"',
    );
  });

  it('a misspelt reference gets the suggestion; a namespaced one no warning', async () => {
    const misspelt = await runCli(['validate', '--catalogue-only'], { cwd: project('[A8.8]') });
    expect(misspelt.status).toBe(0);
    expect(misspelt.stdout).toContain(
      'warning: metrics.yaml:16:16: kpi EV-01: controls: "A8.8" is not an ISO/IEC 27001:2022 Annex A control (A.5.1-A.5.37, A.6.1-A.6.8, A.7.1-A.7.14, A.8.1-A.8.34); did you mean "A.8.8"? 2013 numbering?',
    );
    const namespaced = await runCli(['validate', '--catalogue-only'], {
      cwd: project('[A.8.8, "iso27001-2013:A.12.6.1"]'),
    });
    expect(namespaced.status).toBe(0);
    expect(namespaced.stdout).not.toContain('warning');
  });

  it('report still works and mentions the references once on standard error', async () => {
    const dir = project('[A.12.6.1, A.99.1, A.8.8]');
    const r = await runCli(['report', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).kpis[0]).toMatchObject({
      id: 'EV-01',
      value: 2,
      controls: ['A.12.6.1', 'A.99.1', 'A.8.8'],
    });
    const lines = r.stderr.split('\n').filter((l) => l.includes('Annex A'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: metrics\.yaml:16:16: kpi EV-01: controls: "A\.12\.6\.1" is not/);
    expect(lines[0]).toContain('(and 1 more control reference like it; isms-kpi validate lists them)');
  });

  it('audit-catalogue lists each as a control-not-annex-a finding and exits 1', async () => {
    const dir = project('[A.12.6.1, A.99.1]');
    const r = await runCli(['audit-catalogue', '--format', 'json', '--today', '2026-10-15'], { cwd: dir });
    expect(r.status).toBe(1);
    const findings = JSON.parse(r.stdout).findings.filter(
      (f: { code: string }) => f.code === 'control-not-annex-a',
    );
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({ severity: 'warning', file: 'metrics.yaml', line: 16, col: 16 });
    expect(findings[1].message).toMatch(/^metrics\.yaml:16:26: kpi EV-01: controls: "A\.99\.1" is not/);
    const clean = await runCli(['audit-catalogue', '--format', 'json', '--today', '2026-10-15'], {
      cwd: project('[A.8.8]'),
    });
    expect(JSON.parse(clean.stdout).findings.map((f: { code: string }) => f.code)).not.toContain(
      'control-not-annex-a',
    );
  });
});
