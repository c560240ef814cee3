import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPreset, PRESET_FIXTURES } from './load-preset.js';

describe('preset dependabot-alerts', () => {
  it('reads the alerts: repository as asset, capitalised severity, states and datetimes', async () => {
    const { rows, problems, loaded } = await loadPreset('dependabot-alerts', 'dependabot-alerts.json');
    expect(problems).toEqual([]);
    expect(loaded.source.config.record_type).toBe('finding');
    expect(rows.map((r) => `${r.asset}#${r.id} ${r.severity} ${r.state}`)).toEqual([
      'example-org/customer-portal#42 Critical open',
      'example-org/customer-portal#41 High fixed',
      'example-org/customer-portal#40 Medium dismissed',
      'example-org/billing-api#17 Medium auto_dismissed',
      'example-org/billing-api#16 High open',
      'example-org/billing-api#15 High open',
      'example-org/infra-tooling#3 Low fixed',
      'example-org/infra-tooling#2 High dismissed',
    ]);
    const [next, axios, esbuild, jinja, , ecdsa, xnet, changedFiles] = rows;
    expect(next).toEqual({
      asset: 'example-org/customer-portal',
      severity: 'Critical',
      id: 42,
      state: 'open',
      ghsa_id: 'GHSA-f82v-jwr5-mffw',
      cve: 'CVE-2026-29927',
      name: 'Authorization bypass in Next.js middleware',
      cvss: 9.1,
      ecosystem: 'npm',
      package: 'next',
      manifest_path: 'package-lock.json',
      scope: 'runtime',
      vulnerable_versions: '>= 15.0.0, < 15.2.3',
      patched_version: '15.2.3',
      url: 'https://github.com/example-org/customer-portal/security/dependabot/42',
      created: Date.parse('2026-07-14T08:02:51Z'),
      first_seen: Date.parse('2026-07-14T08:02:51Z'),
      updated: Date.parse('2026-07-14T08:02:51Z'),
      fixed: null,
      dismissed: null,
      dismissed_reason: null,
      dismissed_comment: null,
      dismissed_by: null,
      auto_dismissed: null,
    });
    expect(axios).toMatchObject({
      created: Date.parse('2026-06-02T11:40:07Z'),
      fixed: Date.parse('2026-06-09T15:21:33Z'),
      dismissed: null,
    });
    // No CVE (GHSA only), dismissed with a reason and a comment.
    expect(esbuild).toMatchObject({
      cve: null,
      scope: 'development',
      dismissed: Date.parse('2026-05-21T10:02:00Z'),
      dismissed_reason: 'not_used',
      dismissed_comment: 'Dev server is never exposed; see ADR-17.',
      dismissed_by: 'mira-lindqvist',
    });
    expect(jinja).toMatchObject({ auto_dismissed: Date.parse('2026-07-01T13:00:12Z'), fixed: null });
    // No patched version yet: first_patched_version is null.
    expect(ecdsa).toMatchObject({ patched_version: null, vulnerable_versions: '>= 0', cvss: 7.4 });
    // Older alerts have no auto_dismissed_at key at all.
    expect(xnet).toMatchObject({ auto_dismissed: null, fixed: Date.parse('2026-04-28T08:30:00Z') });
    expect(changedFiles).toMatchObject({
      scope: null,
      dismissed_reason: 'fix_started',
      dismissed_comment: null,
      dismissed_by: 'tomas-okafor',
    });
  });

  it('falls back to security_vulnerability.severity and rejects alerts without a repository', async () => {
    const alerts = JSON.parse(
      await readFile(path.join(PRESET_FIXTURES, 'dependabot-alerts.json'), 'utf8'),
    ) as Record<string, Record<string, unknown>>[];
    delete alerts[0]!.security_advisory!.severity;
    delete alerts[1]!.repository;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'isms-dependabot-'));
    try {
      const file = path.join(dir, 'alerts.json');
      await writeFile(file, JSON.stringify(alerts));
      const { rows, problems } = await loadPreset('dependabot-alerts', 'dependabot-alerts.json', {
        path: file,
      });
      expect(rows[0]).toMatchObject({ id: 42, severity: 'Critical' });
      expect(rows).toHaveLength(7);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('repository.full_name');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
