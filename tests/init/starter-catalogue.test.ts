/**
 * The starter catalogue as text, from detection results (no files read): source names, paths, the
 * placeholders a reviewer must see, comments for files that were not recognised, and a catalogue that
 * compiles as written.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileCatalogue } from '../../src/catalogue/compile.js';
import { parseCatalogue } from '../../src/catalogue/parse.js';
import {
  OWNER_PLACEHOLDER,
  PLACEHOLDER_THRESHOLD,
  type StarterFile,
  starterCatalogue,
} from '../../src/init/starter-catalogue.js';
import type { DetectResult } from '../../src/presets/detect.js';
import { formatProblem } from '../../src/problems.js';

function detected(
  file: string,
  preset: string,
  format: 'csv' | 'json',
  missing: string[] = [],
): DetectResult {
  const best = { preset, format, confidence: missing.length > 0 ? 0.6 : 0.97, missing, extra: [] };
  // No header: every field of the preset counts as present (a real header leaves out the absent ones).
  return { file, format, header: [], matches: [best], best };
}

const FILES: StarterFile[] = [
  { path: 'exports/nessus-q3.csv', detection: detected('nessus-q3.csv', 'nessus', 'csv') },
  { path: 'exports/nessus-dmz.csv', detection: detected('nessus-dmz.csv', 'nessus', 'csv') },
  { path: 'exports/okta.txt', detection: detected('okta.txt', 'okta-users', 'json') },
  { path: 'exports/hr.csv', detection: detected('hr.csv', 'hr-joiners-leavers', 'csv', ['upn']) },
  {
    path: 'exports/notes.csv',
    detection: { file: 'notes.csv', format: 'csv', header: ['when', 'what'], matches: [] },
  },
  {
    path: 'exports/budget.xlsx',
    detection: {
      file: 'budget.xlsx',
      format: 'unknown',
      header: [],
      matches: [],
      problem: 'the file is a ZIP archive',
    },
  },
];

const starter = starterCatalogue(FILES, 'exports');
const config = parse(starter.text) as {
  organisation: string;
  timezone: string;
  sources: Record<string, Record<string, unknown>>;
  kpis: { id: string; name: string; owner: string; formula: string; thresholds?: unknown }[];
};

describe('starterCatalogue', () => {
  it('declares each recognised file as a source named after its preset, numbered when repeated', () => {
    expect(starter.sources.map((s) => [s.name, s.preset, s.path])).toEqual([
      ['nessus', 'nessus', 'exports/nessus-q3.csv'],
      ['nessus_2', 'nessus', 'exports/nessus-dmz.csv'],
      ['okta_users', 'okta-users', 'exports/okta.txt'],
    ]);
    expect(config.sources.nessus).toMatchObject({ preset: 'nessus', path: 'exports/nessus-q3.csv' });
    // The extension would say CSV: the detected format is written down.
    expect(config.sources.okta_users).toMatchObject({ preset: 'okta-users', format: 'json' });
    expect(config.sources.nessus).not.toHaveProperty('format');
  });

  it('lists files no preset reads completely as comments, with the reason', () => {
    expect(starter.text).toContain('# not recognised: exports/notes.csv (header: when, what)');
    expect(starter.text).toContain('# not recognised: exports/budget.xlsx (the file is a ZIP archive)');
    expect(starter.text).toMatch(
      /# not recognised: exports\/hr\.csv \(closest preset hr-joiners-leavers \(60 %\) lacks upn/,
    );
    expect(Object.keys(config.sources)).not.toContain('jml_events');
  });

  it('marks the organisation, every owner and every threshold as placeholders', () => {
    expect(config.organisation).toMatch(/^TODO:/);
    expect(config.timezone).toBe('UTC');
    expect(starter.text).toMatch(/^# .*zone.*\n.*\ntimezone: UTC$/m);
    for (const kpi of config.kpis) expect(kpi.owner.startsWith(OWNER_PLACEHOLDER), kpi.id).toBe(true);
    const thresholdLines = starter.text.split('\n').filter((l) => l.trimStart().startsWith('thresholds:'));
    expect(thresholdLines.length).toBe(config.kpis.filter((k) => k.thresholds).length);
    expect(thresholdLines.length).toBeGreaterThan(0);
    for (const line of thresholdLines) expect(line.endsWith(PLACEHOLDER_THRESHOLD)).toBe(true);
    expect(
      starter.text.startsWith('# Starter KPI catalogue written by `isms-kpi init --from exports`.'),
    ).toBe(true);
  });

  it('writes a KPI once when two sources of one preset could feed it, and says so (issue 17)', () => {
    const vm01 = config.kpis.filter((k) => k.id.startsWith('VM-01'));
    expect(vm01.map((k) => [k.id, k.name])).toEqual([['VM-01', 'Open critical vulnerabilities']]);
    expect(vm01[0]!.formula).toBe('count_distinct(nessus, plugin_id + "@" + asset, severity == "Critical")');
    expect(starter.repeats).toContainEqual({ id: 'VM-01', source: 'nessus_2', sameAs: 'nessus' });
    expect(starter.kpis.filter((k) => k.source === 'nessus_2')).toEqual([]);
    const ids = config.kpis.map((k) => k.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(starter.kpis.map((k) => k.id)).toEqual(ids);
  });

  it('gives a KPI fed by sources of two presets an id and a name per source', () => {
    const two = starterCatalogue(
      [
        { path: 'exports/nessus.csv', detection: detected('nessus.csv', 'nessus', 'csv') },
        { path: 'exports/tenable.csv', detection: detected('tenable.csv', 'tenable-sc', 'csv') },
      ],
      'exports',
    );
    const names = (parse(two.text) as typeof config).kpis
      .filter((k) => k.id.startsWith('VM-01'))
      .map((k) => [k.id, k.name]);
    expect(names).toEqual([
      ['VM-01', 'Open critical vulnerabilities — nessus'],
      ['VM-01.2', 'Open critical vulnerabilities — tenable_sc'],
    ]);
    expect(two.repeats).toEqual([]);
  });

  it('compiles as written', () => {
    const parsed = parseCatalogue({ file: 'metrics.yaml', text: starter.text });
    expect(parsed.ok ? [] : parsed.problems.map(formatProblem)).toEqual([]);
    if (!parsed.ok) return;
    const compiled = compileCatalogue(parsed.catalogue, '/tmp');
    expect(compiled.ok ? [] : compiled.problems.map(formatProblem)).toEqual([]);
  });

  it('is deterministic', () => {
    expect(starterCatalogue(FILES, 'exports').text).toBe(starter.text);
  });

  it('says when each snapshot was taken: the date in its file name, else its file date to review', () => {
    const taken = Date.UTC(2026, 8, 30, 17, 5);
    const files: StarterFile[] = [
      { path: 'exports/nessus-20260929.csv', detection: detected('n.csv', 'nessus', 'csv'), modified: taken },
      { path: 'exports/nessus.csv', detection: detected('n.csv', 'nessus', 'csv'), modified: taken },
      { path: 'exports/nessus-copy.csv', detection: detected('n.csv', 'nessus', 'csv') },
      { path: 'exports/hr.csv', detection: detected('hr.csv', 'hr-joiners-leavers', 'csv'), modified: taken },
    ];
    const text = starterCatalogue(files, 'exports').text;
    const block = (name: string) =>
      text.slice(text.indexOf(`  ${name}:\n`), text.indexOf('\n\n', text.indexOf(`  ${name}:\n`)));
    expect(block('nessus')).toContain('    # as of 2026-09-29, the date in the file name');
    expect(block('nessus')).not.toContain('as_of');
    expect(block('nessus_2')).toContain(
      "    as_of: 2026-09-30   # review: the file's modification date; confirm the day the export was taken",
    );
    expect(block('nessus_3')).toContain('    # as_of: YYYY-MM-DD   # review: the day the export was taken');
    // Events sources place each row in time themselves.
    expect(block('jml_events')).not.toMatch(/as.of/);
    const parsed = parse(text) as { sources: Record<string, { as_of?: unknown }> };
    expect(parsed.sources.nessus_2!.as_of).toBe('2026-09-30');
  });

  it('writes no KPI when nothing was recognised', () => {
    const none = starterCatalogue([FILES[4]!], 'exports');
    expect(none.sources).toEqual([]);
    expect(none.kpis).toEqual([]);
  });
});

describe('file names that YAML or the path template would misread', () => {
  const names = [
    'exports/two\nlines.csv',
    'exports/{period}.csv',
    'exports/{q3}.csv',
    'exports/"quoted": x.csv',
    // an escape sequence, a C1 CSI, a bidi override (issue 15.9)
    'exports/evil\u001b]0;title\u0007\u009b2J\u202e.csv',
  ];
  const starter = starterCatalogue(
    names.map((path) => ({ path, detection: detected(path.slice(8), 'nessus', 'csv') })),
    'exports',
  );

  it('writes a catalogue that parses, with each path exactly as the file is named', () => {
    const parsed = parseCatalogue({ file: 'metrics.yaml', text: starter.text });
    expect(parsed.ok, parsed.ok ? '' : parsed.problems.map(formatProblem).join('\n')).toBe(true);
    if (!parsed.ok) return;
    expect(Object.values(parsed.catalogue.config.sources).map((s) => s.path)).toEqual([
      'exports/two\nlines.csv',
      'exports/{q3}.csv',
      'exports/"quoted": x.csv',
      'exports/evil\u001b]0;title\u0007\u009b2J\u202e.csv',
    ]);
    // ... written as escapes: no control character or bidi override in the file itself
    expect(starter.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(starter.text).toContain('path: "exports/evil\\u001b]0;title\\u0007\\u009b2J\\u202e.csv"');
  });

  it('comments stay one line: a file that is not recognised and extra columns with line breaks or escapes', () => {
    const evil = 'x\n  injected: true\u001b]0;t\u0007';
    const withExtra = detected('n.csv', 'nessus', 'csv');
    withExtra.best!.extra = [`col ${evil}`, 'y'.repeat(1000)];
    const text = starterCatalogue(
      [
        { path: 'exports/n.csv', detection: withExtra },
        {
          path: `exports/${evil}.csv`,
          detection: { file: `${evil}.csv`, format: 'csv', header: [], matches: [] },
        },
      ],
      'exports',
    ).text;
    const parsed = parseCatalogue({ file: 'metrics.yaml', text });
    expect(parsed.ok, parsed.ok ? '' : parsed.problems.map(formatProblem).join('\n')).toBe(true);
    expect(text).not.toMatch(/^\s*injected:/m);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain(
      '# columns the preset does not read: col x\\n  injected: true\\u001b]0;t\\u0007, yyyy',
    );
    expect(text).not.toContain('y'.repeat(200));
    expect(text).toContain('# not recognised: exports/x\\n  injected: true\\u001b]0;t\\u0007.csv');
  });

  it('skips a file whose name holds {period} (a source path reads it as the period label), with the reason', () => {
    expect(starter.skipped).toEqual([
      {
        path: 'exports/{period}.csv',
        reason:
          'its name contains text in braces like a period token ("{period}", "{quarter}", ...), which a source path fills in; rename the file',
      },
    ]);
  });
});
