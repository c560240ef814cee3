/**
 * The built-in KPI library against the real presets: every template compiles on every preset variant it
 * fits (formula names, types, enum literals, segment fields), and the vendor-specific variants go to
 * the exports they were written for.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileCatalogue } from '../../src/catalogue/compile.js';
import { parseCatalogue } from '../../src/catalogue/parse.js';
import { fitTemplate, KPI_LIBRARY, type KpiTemplate } from '../../src/init/kpi-library.js';
import { PRESETS } from '../../src/presets/index.js';
import { formatProblem } from '../../src/problems.js';
import { presetKpiValues } from '../presets/load-preset.js';

const VARIANTS = Object.values(PRESETS).flatMap((preset) =>
  Object.entries(preset.formats).map(([format, variant]) => ({
    preset: preset.name,
    format: format as 'csv' | 'json',
    variant: variant!,
  })),
);

function fits(template: KpiTemplate) {
  return VARIANTS.flatMap((v) => {
    const fit = fitTemplate(template, v.preset, v.variant, 'src');
    return fit ? [{ ...v, formula: fit.formula }] : [];
  });
}

/** Compiles a one-source, one-KPI catalogue the way `isms-kpi validate` would, without reading data. */
function compile(template: KpiTemplate, preset: string, format: 'csv' | 'json', formula: string): string[] {
  const kpi = {
    id: template.id,
    name: template.name,
    owner: 'QA',
    cadence: template.cadence,
    unit: template.unit,
    controls: [...template.controls],
    formula,
    ...(template.thresholds ? { thresholds: template.thresholds } : {}),
    ...(template.segment_by ? { segment_by: template.segment_by } : {}),
    ...(template.decimals !== undefined ? { decimals: template.decimals } : {}),
  };
  const text = stringify({
    organisation: 'Library test',
    sources: { src: { preset, path: `export.${format}` } },
    kpis: [kpi],
  });
  const parsed = parseCatalogue({ file: 'metrics.yaml', text });
  if (!parsed.ok) return parsed.problems.map(formatProblem);
  const compiled = compileCatalogue(parsed.catalogue, '/tmp');
  return compiled.ok ? [] : compiled.problems.map(formatProblem);
}

const formulaFor = (id: string, preset: string, format?: 'csv' | 'json') => {
  const template = KPI_LIBRARY.find((t) => t.id === id)!;
  return fits(template).find((f) => f.preset === preset && (format === undefined || f.format === format))
    ?.formula;
};

describe('the KPI library', () => {
  it('has 20 to 60 templates with unique ids, Annex A controls and no owner of their own', () => {
    expect(KPI_LIBRARY.length).toBeGreaterThanOrEqual(20);
    expect(KPI_LIBRARY.length).toBeLessThanOrEqual(60);
    expect(new Set(KPI_LIBRARY.map((t) => t.id)).size).toBe(KPI_LIBRARY.length);
    for (const t of KPI_LIBRARY) {
      expect(t.controls.length, t.id).toBeGreaterThan(0);
      // Annex A controls, or clauses of the standard for the KPIs on the ISMS itself (risk treatment).
      for (const c of t.controls) expect(c, t.id).toMatch(/^(A\.[5-8]\.\d+|iso27001:\d+(\.\d+)*)$/);
    }
  });

  it('every template fits at least one preset', () => {
    const unused = KPI_LIBRARY.filter((t) => fits(t).length === 0).map((t) => t.id);
    expect(unused).toEqual([]);
  });

  it.each(KPI_LIBRARY.map((t) => [t.id, t] as const))(
    '%s compiles on every preset it fits',
    (_id, template) => {
      const failures = fits(template).flatMap((f) =>
        compile(template, f.preset, f.format, f.formula).map((p) => `${f.preset} (${f.format}): ${p}`),
      );
      expect(failures).toEqual([]);
    },
  );

  it('counts Dependabot alerts open at the end of the period, not at the export instant (issue 17)', async () => {
    // The sample, exported in Q3: at the end of Q2, #15 and #16 (high, opened in April) were open; #41
    // (high) was fixed on 9 June; #42 (critical) was opened on 14 July, after Q2. state == "open" would
    // count #15, #16 and #42 for Q2.
    const values = await presetKpiValues(
      { source: 'src', preset: 'dependabot-alerts', file: 'dependabot-alerts.json', period: '2026-Q2' },
      {
        critical: formulaFor('VM-01', 'dependabot-alerts')!,
        high: formulaFor('VM-02', 'dependabot-alerts')!,
      },
    );
    expect(values).toEqual({ critical: 0, high: 2 });
    const q3 = await presetKpiValues(
      { source: 'src', preset: 'dependabot-alerts', file: 'dependabot-alerts.json', period: '2026-Q3' },
      { critical: formulaFor('VM-01', 'dependabot-alerts')! },
    );
    expect(q3).toEqual({ critical: 1 });
  });

  it('computes the training and awareness KPIs of the samples (2026-Q3, UTC, counted by hand)', async () => {
    // lms-training.csv: due in Q3 are Marek's course (done 2026-09-15) and Inês's (not done); completed
    // within 365 days of 2026-10-01: Lena, Marek and Inês of five people (Hannah's is from 2025-06-20).
    expect(
      await presetKpiValues(
        { source: 'src', preset: 'lms-training', file: 'lms-training.csv' },
        { tr01: formulaFor('TR-01', 'lms-training')!, tr02: formulaFor('TR-02', 'lms-training')! },
      ),
    ).toEqual({ tr01: 50, tr02: 60 });
    // knowbe4-training-enrollments.json has no due date: enrolled in Q3 are 5501310 and 5501420 (both
    // completed) and 5501311 (not); completed within 365 days: Lena and Hannah of five people.
    const kb4 = 'knowbe4-training-enrollments';
    expect(
      await presetKpiValues(
        { source: 'src', preset: kb4, file: `${kb4}.json` },
        { tr01: formulaFor('TR-01', kb4)!, tr02: formulaFor('TR-02', kb4)! },
      ),
    ).toEqual({ tr01: 200 / 3, tr02: 40 });
    // knowbe4-phishing-recipients.json: 4 delivered in Q3, 2 clicked, 3 reported.
    const pst = 'knowbe4-phishing-recipients';
    expect(
      await presetKpiValues(
        { source: 'src', preset: pst, file: `${pst}.json` },
        { aw01: formulaFor('AW-01', pst)!, aw02: formulaFor('AW-02', pst)! },
      ),
    ).toEqual({ aw01: 50, aw02: 75 });
    expect(fits(KPI_LIBRARY.find((t) => t.id === 'AW-01')!).map((f) => f.preset)).toEqual([pst]);
  });

  it('the compile check rejects a formula the preset cannot compute (so the test above can fail)', () => {
    const template = KPI_LIBRARY.find((t) => t.id === 'VM-01')!;
    expect(compile(template, 'qualys-scan', 'csv', 'count(src, severity == "High")')).not.toEqual([]);
    expect(compile(template, 'jira-issues', 'csv', 'mean(src, cvss)')).not.toEqual([]);
  });

  it('writes enum comparisons in the spelling of the preset and text comparisons case-insensitively', () => {
    // Dependabot's severity enum is capitalised; open means open at the period's end (issue 17), not
    // the state at the export instant.
    expect(formulaFor('VM-01', 'dependabot-alerts')).toBe(
      'count(src, severity == "Critical" and created < period_end() and (least(fixed, dismissed, auto_dismissed) == null or least(fixed, dismissed, auto_dismissed) >= period_end()))',
    );
    // ServiceNow's change type is text: "Emergency" in the CSV, "emergency" in the JSON.
    expect(formulaFor('CH-02', 'servicenow-change', 'json')).toBe(
      'pct(count(src, lower(type) == "emergency"), count(src))',
    );
    expect(formulaFor('JML-01', 'hr-joiners-leavers')).toContain('event == "leaver"');
  });

  it('counts only issues of type Incident in a Jira export, in every aggregate', () => {
    expect(formulaFor('IR-01', 'jira-issues')).toBe('count(src, lower(type) == "incident")');
    expect(formulaFor('IR-04', 'jira-issues')).toBe(
      'pct(count(src, hours(opened, resolved) <= 120 and lower(type) == "incident"), count(src, lower(type) == "incident"))',
    );
    expect(formulaFor('IR-05', 'jira-issues')).toBe(
      'count(src, (resolved == null or resolved >= period_end()) and lower(type) == "incident")',
    );
    expect(formulaFor('IR-01', 'servicenow-incident')).toBe('count(src)');
  });

  it('uses the Qualys severity scale (5 Urgent, 4 Critical) and only confirmed vulnerabilities', () => {
    expect(formulaFor('VM-01', 'qualys-scan')).toBe(
      'count_distinct(src, qid + "@" + asset, severity == "Urgent" and type == "Vuln")',
    );
    expect(formulaFor('VM-02', 'qualys-scan')).toContain('severity in ["Urgent", "Critical"]');
  });

  it('counts a Nessus plugin on a host once, although Nessus writes a row per CVE', () => {
    expect(formulaFor('VM-01', 'nessus')).toBe(
      'count_distinct(src, plugin_id + "@" + asset, severity == "Critical")',
    );
    expect(formulaFor('VM-04', 'nessus')).toBe('mean(src, coalesce(cvss3, cvss))');
  });

  it('keeps vendor-specific KPIs to their vendor', () => {
    const presetsOf = (id: string) =>
      [...new Set(fits(KPI_LIBRARY.find((t) => t.id === id)!).map((f) => f.preset))].sort();
    expect(presetsOf('AC-02')).toEqual(['aws-iam-credential-report']);
    expect(presetsOf('AC-08')).toEqual(['entra-users']);
    expect(presetsOf('BK-04')).toEqual(['restic-snapshots']);
    expect(presetsOf('AC-09')).toEqual(['okta-password-health', 'okta-users']);
    // A backup success rate needs a status: restic only records completed snapshots.
    expect(presetsOf('BK-01')).toEqual(['veeam-em-sessions', 'veeam-sessions']);
    // Defender's rows carry a status; fixed ones are not open.
    expect(formulaFor('VM-01', 'defender-vulnerabilities')).toBe(
      'count(src, severity == "Critical" and (status == null or lower(status) != "fixed"))',
    );
  });

  it('never fits a field of the wrong type: Qualys CVSS is text, so it gets no mean CVSS', () => {
    expect(formulaFor('VM-04', 'qualys-scan')).toBeUndefined();
  });
});

describe('the governance registers (issue 22)', () => {
  it('proposes each governance KPI for its register only', () => {
    const presetsOf = (id: string) => [
      ...new Set(fits(KPI_LIBRARY.find((t) => t.id === id)!).map((f) => f.preset)),
    ];
    expect(presetsOf('GV-11')).toEqual(['risk-register', 'ciso-assistant-risk-scenarios']);
    expect(presetsOf('GV-12')).toEqual(['risk-register']);
    expect(presetsOf('GV-13')).toEqual(['soa']);
    expect(presetsOf('GV-14')).toEqual(['exceptions-register']);
  });

  it('computes the values worked out by hand from the sample registers (2026-Q3, UTC)', async () => {
    const value = async (id: string, preset: string, file: string) =>
      (await presetKpiValues({ source: 'src', preset, file }, { [id]: formulaFor(id, preset)! }))[id];
    // risk-register.csv: open with inherent score >= 12; under way.
    expect(await value('GV-11', 'risk-register', 'risk-register.csv')).toBe(60);
    // ciso-assistant-risk-scenarios.csv: 4 not cancelled, of which R.3 is still open.
    expect(await value('GV-11', 'ciso-assistant-risk-scenarios', 'ciso-assistant-risk-scenarios.csv')).toBe(
      75,
    );
    // R-02 (due 31 Aug, in progress) and R-03 (due 15 Jul, not started).
    expect(await value('GV-12', 'risk-register', 'risk-register.csv')).toBe(2);
    expect(await value('GV-13', 'soa', 'soa.csv')).toBeCloseTo((100 * 4) / 7, 10);
    // EXC-06 is approved after the quarter; of the other five, EXC-04 has no expiry date.
    expect(await value('GV-14', 'exceptions-register', 'exceptions-register.csv')).toBe(80);
  });
});
