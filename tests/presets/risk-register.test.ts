/**
 * The risk register presets: the generic layout (`risk-register`) and CISO Assistant's risk scenario export
 * (`ciso-assistant-risk-scenarios`), read from their samples in fixtures/presets, with KPI values worked out
 * by hand from the sample rows.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPreset, PRESET_FIXTURES, presetKpiValues, variantWriter } from './load-preset.js';

const variant = variantWriter('isms-risk-');

describe('preset risk-register', () => {
  it('reads the documented layout: enums in any letter case, empty and n/a cells as no value', async () => {
    const { rows, problems } = await loadPreset('risk-register', 'risk-register.csv');
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.id)).toEqual(['R-01', 'R-02', 'R-03', 'R-04', 'R-05', 'R-06', 'R-07', 'R-08']);
    expect(rows[0]).toEqual({
      id: 'R-01',
      title: 'Ransomware encrypts file servers',
      owner: 'CISO',
      category: 'Cyber attack',
      inherent_likelihood: 4,
      inherent_impact: 5,
      inherent_score: 20,
      residual_likelihood: 2,
      residual_impact: 4,
      residual_score: 8,
      level: 'medium',
      treatment: 'mitigate',
      treatment_owner: 'IT operations lead',
      treatment_status: 'implemented',
      treatment_due: Date.parse('2026-06-30T00:00:00Z'),
      last_review: Date.parse('2026-09-15T00:00:00Z'),
      status: 'open',
    });
    // "Not Started" and "Critical" are stored with the spelling of the preset's values.
    expect(rows[2]).toMatchObject({ treatment_status: 'not started' });
    expect(rows[5]).toMatchObject({ level: 'critical', treatment_status: 'planned' });
    // A transfer has no due date; "n/a" is no value; a quoted title keeps its comma.
    expect(rows[3]).toMatchObject({ treatment: 'transfer', treatment_due: null });
    expect(rows[7]).toMatchObject({
      title: 'Key person dependency, OT engineering',
      treatment_owner: null,
      last_review: null,
    });
  });

  it('gives the hand-computed KPI values', async () => {
    const values = await presetKpiValues(
      { source: 'risks', preset: 'risk-register', file: 'risk-register.csv' },
      {
        // Open and high or critical.
        HIGH: 'count(risks, level in ["high", "critical"] and status != "closed")',
        // Not implemented and due before 2026-10-01: R-02 (31 Aug), R-03 (15 Jul); R-06 is due 31 Oct.
        OVERDUE:
          'count(risks, status != "closed" and treatment_status != "implemented" and treatment_due < period_end())',
        // Open with inherent score >= 12; in progress or implemented.
        COVERAGE:
          'pct(count(risks, status != "closed" and inherent_score >= 12 and treatment_status in ["in progress", "implemented"]), count(risks, status != "closed" and inherent_score >= 12))',
        // (8 + 16 + 12 + 12 + 6 + 20 + 4 + 6) / 8
        MEAN: 'mean(risks, residual_score)',
        UNREVIEWED: 'count(risks, last_review == null)',
        ACCEPTED: 'count(risks, treatment == "accept")',
      },
    );
    expect(values).toEqual({ HIGH: 4, OVERDUE: 2, COVERAGE: 60, MEAN: 10.5, UNREVIEWED: 1, ACCEPTED: 2 });
  });

  it('rejects a treatment word outside the documented ones, at its line', async () => {
    const file = await variant(
      'words.csv',
      ['id,level,treatment,treatment_status', 'R-1,high,reduce,planned', 'R-2,low,accept,implemented'].join(
        '\n',
      ),
    );
    const { rows, problems } = await loadPreset('risk-register', file);
    expect(rows.map((r) => r.id)).toEqual(['R-2']);
    const invalid = problems.filter((p) => !p.includes('is not in the header'));
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatch(/:2: .*"reduce"/);
  });
});

describe('preset ciso-assistant-risk-scenarios', () => {
  it('reads the export as CISO Assistant writes it: BOM, ";" between columns, "|" lists, unrated as \'--', async () => {
    const raw = await readFile(path.join(PRESET_FIXTURES, 'ciso-assistant-risk-scenarios.csv'));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { rows, problems } = await loadPreset(
      'ciso-assistant-risk-scenarios',
      'ciso-assistant-risk-scenarios.csv',
    );
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.ref_id)).toEqual(['R.1', 'R.2', 'R.3', 'R.4', 'R.5']);
    expect(rows[0]).toMatchObject({
      id: '3f6c1a52-8e0b-4f5e-9a51-2b7d0c4e9a11',
      title: 'Ransomware on the office network',
      treatment: 'mitigate',
      inherent_level: 'Very High',
      current_level: 'High',
      residual_likelihood: 'Low',
      residual_level: 'Medium',
      owners: ['ciso@example.com', 'it-ops@example.com'],
      threats: ['Ransomware', 'Phishing'],
      applied_controls: ['EDR rollout', 'Offline backups'],
      labels: null,
    });
    // Not yet rated: every level of R.3 is "'--", no value.
    expect(rows[2]).toMatchObject({
      treatment: 'open',
      current_level: null,
      residual_likelihood: null,
      residual_level: null,
      owners: null,
    });
    expect(rows[1]).toMatchObject({ labels: ['OT'], justification: 'Line migration in 2027' });
  });

  it('gives the hand-computed KPI values', async () => {
    const values = await presetKpiValues(
      {
        source: 'scenarios',
        preset: 'ciso-assistant-risk-scenarios',
        file: 'ciso-assistant-risk-scenarios.csv',
      },
      {
        // Residual High or Very High: R.2 only (R.1 and R.4 Medium, R.5 Low, R.3 not rated).
        RESIDUAL_HIGH: 'count(scenarios, matches(residual_level, "high", "i"))',
        // Current High: R.1, R.2, R.4.
        CURRENT_HIGH: 'count(scenarios, matches(current_level, "high", "i"))',
        NOT_RATED: 'count(scenarios, residual_level == null)',
        // Inherent High or Very High and not cancelled: R.1, R.2, R.3, R.4.
        INHERENT_HIGH: 'count(scenarios, treatment != "cancelled" and matches(inherent_level, "high", "i"))',
        TWO_OWNERS: 'count(scenarios, len(owners) == 2)',
        BACKUPS: 'count(scenarios, contains(applied_controls, "Offline backups"))',
        UNTREATED: 'pct(count(scenarios, treatment == "open"), count(scenarios, treatment != "cancelled"))',
      },
    );
    expect(values).toEqual({
      RESIDUAL_HIGH: 1,
      CURRENT_HIGH: 3,
      NOT_RATED: 1,
      INHERENT_HIGH: 4,
      TWO_OWNERS: 1,
      BACKUPS: 1,
      UNTREATED: 25,
    });
  });

  it('reads the older per-assessment export (current_risk, residual_risk, no internal_id)', async () => {
    const file = await variant(
      'assessment.csv',
      [
        'ref_id;assets;threats;name;description;existing_applied_controls;current_impact;current_proba;current_risk;additional_controls;residual_impact;residual_proba;residual_risk;treatment;strength_of_knowledge',
        'R.7;ERP;Ransomware;ERP outage;;Backups;4 - high;3 - likely;4 - high;DR site;3 - medium;2 - rather unlikely;2 - low;mitigate;Medium',
      ].join('\r\n'),
    );
    const { rows } = await loadPreset('ciso-assistant-risk-scenarios', file);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: 'R.7',
      ref_id: 'R.7',
      current_level: '4 - high',
      residual_level: '2 - low',
      residual_likelihood: '2 - rather unlikely',
      treatment: 'mitigate',
      applied_controls: ['DR site'],
    });
  });
});
