/** How `preset:` expands into catalogue keys, before the source is validated (pure; no files read). */
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../src/catalogue/parse.js';
import { applyPreset } from '../../src/presets/apply.js';
import { PRESETS } from '../../src/presets/index.js';
import { SourceSchema } from '../../src/sources/schema.js';

type Expanded = Record<string, unknown> & { fields: Record<string, Record<string, unknown> | undefined> };
const expand = (raw: Record<string, unknown>) => applyPreset(raw) as Expanded;

describe('applyPreset', () => {
  it('fills in the kind, record type and fields, and the user wins key by key', () => {
    const out = expand({ preset: 'aws-iam-credential-report', path: 'iam.csv', description: 'AWS' });
    expect(out).toMatchObject({
      format: 'csv',
      kind: 'snapshot',
      record_type: 'account',
      description: 'AWS',
    });
    expect(out.fields.mfa).toEqual({ column: 'mfa_active', type: 'boolean' });
    const parsed = SourceSchema.safeParse(out);
    expect(parsed.success).toBe(true);
  });

  it('a bare name overrides the column of a CSV field and the key path of a JSON field', () => {
    const csv = expand({ preset: 'aws-iam-credential-report', path: 'iam.csv', fields: { mfa: 'MFA' } });
    expect(csv.fields.mfa).toEqual({ column: 'MFA', type: 'boolean' });
    const json = expand({
      preset: 'dependabot-alerts',
      path: 'alerts.json',
      fields: { created: 'createdAt' },
    });
    expect(json.fields.created).toMatchObject({ path: 'createdAt', type: 'datetime' });
    expect(json.fields.created?.column).toBeUndefined();
  });

  it('reads JSON Lines with the JSON variant, without the envelope pointer', () => {
    const out = expand({ preset: 'defender-vulnerabilities', path: 'vulns.jsonl' });
    expect(out.format).toBe('jsonl');
    expect(out.json).toBeUndefined();
    expect(out.fields.asset).toBeDefined();
    expect(SourceSchema.safeParse(out).success).toBe(true);
  });

  it('the catalogue loader names an unknown preset or a format the preset lacks, at the preset key', () => {
    const load = (source: string) =>
      parseCatalogue({
        file: 'metrics.yaml',
        text: `organisation: X\nsources:\n  scan:\n${source}\nkpis:\n  - { id: A, name: A, owner: O, cadence: monthly, unit: n, formula: count(scan) }\n`,
      });
    const unknown = load('    preset: nesus\n    path: scan.csv');
    expect(unknown.ok).toBe(false);
    if (unknown.ok) return;
    expect(unknown.problems.map((p) => [p.location.line, p.message])).toEqual([
      [4, expect.stringContaining('source scan: preset: unknown preset "nesus" (did you mean "nessus"?)')],
    ]);
    const wrongFormat = load('    preset: aws-iam-credential-report\n    path: iam.json');
    expect(wrongFormat.ok).toBe(false);
    if (wrongFormat.ok) return;
    expect(wrongFormat.problems.map((p) => p.message)).toEqual([
      'source scan: preset: aws-iam-credential-report reads csv exports only; set format: or give the file that extension',
    ]);
  });

  it("gives the source the preset's key; the user's key wins; dropping a key field drops the key", () => {
    expect(expand({ preset: 'jira-issues', path: 'jira.csv' }).key).toBe('id');
    expect(expand({ preset: 'nessus', path: 'scan.csv' }).key).toEqual(['plugin_id', 'asset']);
    expect(expand({ preset: 'nessus', path: 'scan.csv', key: 'cve' }).key).toBe('cve');
    const dropped = expand({ preset: 'nessus', path: 'scan.csv', fields: { plugin_id: null } });
    expect(dropped.key).toBeUndefined();
    expect(SourceSchema.safeParse(dropped).success).toBe(true);
    // veeam's session export has no id of its own: no key
    expect(expand({ preset: 'veeam-sessions', path: 'veeam.csv' }).key).toBeUndefined();
  });

  it('every preset key names fields of its own variant', () => {
    let keys = 0;
    for (const preset of Object.values(PRESETS))
      for (const variant of Object.values(preset.formats)) {
        if (variant.key === undefined) continue;
        for (const name of [variant.key].flat())
          expect(Object.keys(variant.fields), preset.name).toContain(name);
        keys++;
      }
    expect(keys).toBeGreaterThanOrEqual(16);
  });

  it('a snapshot override drops the events time field; a field set to null is left out', () => {
    const out = expand({
      preset: 'jira-issues',
      path: 'jira.csv',
      kind: 'snapshot',
      fields: { summary: null },
    });
    expect(out.kind).toBe('snapshot');
    expect(out.time_field).toBeUndefined();
    expect(out.fields.summary).toBeUndefined();
    expect(SourceSchema.safeParse(out).success).toBe(true);
  });
});
