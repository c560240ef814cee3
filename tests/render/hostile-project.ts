/**
 * A small catalogue over the real Entra export of fixtures/acme, which carries `=HYPERLINK("http://x","y")`
 * in a department and `<script>alert(1)</script>` in a display name. Both become segment keys here, and the
 * catalogue's own texts (organisation, KPI name, owner, area, caveat) carry markup and formulas too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeProject } from '../formula/harness.js';
import { type RunResult, run } from '../helpers/run.js';
import { REPO } from './bundled.js';

export const HYPERLINK = '=HYPERLINK("http://x","y")';
export const SCRIPT = '<script>alert(1)</script>';

const CATALOGUE = `organisation: "Evil <script>alert('org')</script> & Co"
timezone: Europe/Berlin
sources:
  entra:
    path: entra.csv
    kind: snapshot
    fields:
      upn: { column: userPrincipalName, required: true }
      display_name: displayName
      department: department
      enabled: { column: accountEnabled, type: boolean }
kpis:
  - id: INJ-01
    name: '=HYPERLINK("http://evil","KPI") <script>alert(2)</script>'
    area: "<b>Area</b> | pipes"
    owner: "@owner"
    cadence: quarterly
    unit: count
    formula: count(entra, enabled)
    thresholds: { green: "<= 1000" }
    segment_by: department
  - id: INJ-02
    name: Accounts by display name
    owner: "+49 owner"
    cadence: quarterly
    unit: count
    caveat: "<img src=x onerror=alert(3)>"
    formula: count(entra)
    segment_by: display_name
`;

export function runHostile(): Promise<RunResult> {
  return withHostile(async (result) => result);
}

/** Runs the hostile project and hands the result to `use` while its files still exist. */
export async function withHostile<T>(use: (result: RunResult) => Promise<T>): Promise<T> {
  const dir = writeProject({
    'metrics.yaml': CATALOGUE,
    'entra.csv': fs.readFileSync(path.join(REPO, 'fixtures', 'acme', 'entra-users-2026-Q3.csv'), 'utf8'),
  });
  try {
    return await use(
      await run({
        catalogue: 'metrics.yaml',
        cwd: dir,
        period: '2026-Q3',
        trace: true,
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
