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
document:
  title: "</style><script>alert(4)</script>"
  classification: 'Secret" } body { display: none } @x { content: "'
  version: "1\\\\a"
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

/**
 * Text a terminal acts on: an OSC 52 clipboard write, a screen clear, a window title, a colour code that is
 * not ours (SGR 8 hides text), a C1 CSI (U+009B), and bidi overrides and isolates ("Trojan Source").
 */
export const EVIL =
  '\u001b]52;c;c2VjcmV0\u0007\u001b[2J\u001b]0;pwned\u0007\u001b[8m\u009b2J\u202egnp.exe\u2066x\u2069\r\u007f';

/** What no output may hold: control characters (but tab and line feed) and bidi overrides or isolates. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The raw control characters (but tab, line feed, and CR in CR LF) and bidi characters in `text`. */
export function rawControls(text: string): string[] {
  return text.replace(/\r\n/g, '\n').match(RAW) ?? [];
}

/** Where the hostile project's files are; the export's name, columns and values carry EVIL too. */
export const EVIL_EXPORT = `exports/users ${EVIL}.csv`;

/**
 * The hostile project of issue 15.9: every text of the catalogue (organisation, KPI name, description,
 * owner, area, unit, caveat, controls, tags, baseline period and note, source and field descriptions), the
 * export's file name, header names and values carry EVIL. One export row has a bad value, and an optional
 * column is missing, so validate quotes header names and values; KPI A-01 is segmented by a hostile value.
 */
export function writeEvilProject(): string {
  // YAML double-quoted, every character outside ASCII written as an escape (YAML refuses raw C1 controls).
  const q = (text: string) =>
    JSON.stringify(text).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  const catalogue = `organisation: ${q(`Org ${EVIL}`)}
timezone: UTC
document:
  title: ${q(`Title ${EVIL}`)}
  classification: ${q(`Class ${EVIL}`)}
  version: ${q(`V ${EVIL}`)}
  owner: ${q(`Doc owner ${EVIL}`)}
  approver: ${q(`Approver ${EVIL}`)}
  distribution: [${q(`Board ${EVIL}`)}]
sources:
  users:
    path: ${q(EVIL_EXPORT)}
    kind: events
    time_field: created
    description: ${q(`Source ${EVIL}`)}
    fields:
      created: { column: ${q(`created ${EVIL}`)}, type: datetime }
      dept: { column: ${q(`dept ${EVIL}`)}, description: ${q(`Field ${EVIL}`)} }
      score: { column: ${q(`score ${EVIL}`)}, type: number }
      gone: { column: ${q(`gone ${EVIL}`)} }
kpis:
  - id: A-01
    name: ${q(`Name ${EVIL}`)}
    description: ${q(`Description ${EVIL}`)}
    owner: ${q(`Owner ${EVIL}`)}
    area: ${q(`Area ${EVIL}`)}
    cadence: quarterly
    unit: ${q(`u ${EVIL}`)}
    caveat: ${q(`Caveat ${EVIL}`)}
    controls: [${q(`x:A.5.1 ${EVIL}`)}]
    information_need: ${q(`Need ${EVIL}`)}
    interpretation: ${q(`Read ${EVIL}`)}
    decision: { red: ${q(`Act ${EVIL}`)} }
    roles: { collector: ${q(`Collector ${EVIL}`)} }
    tags: [${q(`tag ${EVIL}`)}]
    formula: count(users, score > 1)
    thresholds: { green: ">= 1" }
    baseline: { value: 1, period: ${q(`P ${EVIL}`)}, note: ${q(`Note ${EVIL}`)} }
    segment_by: dept
  - id: A-02
    name: Missing data
    owner: o
    cadence: quarterly
    unit: count
    formula: count(users, dept == "none") / count(users, dept == "none")
`;
  const cell = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const header = [`created ${EVIL}`, `dept ${EVIL}`, `score ${EVIL}`].map(cell).join(',');
  const rows = [
    `2026-07-01T10:00:00Z,${cell(`IT ${EVIL}`)},2`,
    `2026-08-01T10:00:00Z,${cell(`HR ${EVIL}`)},${cell(`bad ${EVIL}`)}`,
    `2026-04-01T10:00:00Z,${cell(`IT ${EVIL}`)},3`,
  ];
  return writeProject({ 'metrics.yaml': catalogue, [EVIL_EXPORT]: `${header}\n${rows.join('\n')}\n` });
}
