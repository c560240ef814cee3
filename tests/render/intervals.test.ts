/**
 * --intervals (issue 20): values with their confidence intervals in the table, Markdown and HTML; off by
 * default (the goldens stay as they were), and none with --significance off.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const BASE = ['report', '--period', '2026-Q3', '--fail-on', 'never'];

describe('report --intervals', () => {
  it('IR-02 (7 of 8) reads 87.5 % [52.9-97.8]; a count its Poisson interval; a percentile its n', async () => {
    const table = (await runCli([...BASE, '--intervals', '--width', '140'])).stdout;
    expect(table).toMatch(/│ IR-02 │.*│ 87\.5 % \[52\.9-97\.8\] +│/);
    // BK-05: 0 restores with integrity issues, 95 % upper bound 3.7 (-ln 0.025)
    expect(table).toMatch(/│ BK-05 │.*│ 0 \[0\.0-3\.7\] +│/);
    expect(table).toMatch(/│ IR-09 │.*│ 30\.6 h \(n = 22\) +│/);
    const markdown = (await runCli([...BASE, '--intervals', '--format', 'markdown'])).stdout;
    // brackets escaped, so that Markdown does not read a link
    expect(markdown).toContain(
      '| IR-02 | Critical incidents contained within 4 h | 87.5 % \\[52.9-97.8\\] |',
    );
    const html = (await runCli([...BASE, '--intervals', '--format', 'html'])).stdout;
    expect(html).toContain('<div class="value">87.5 % [52.9-97.8]</div>');
  });

  it('is off by default, and shows nothing with --significance off', async () => {
    expect((await runCli([...BASE, '--width', '140'])).stdout).not.toContain('[52.9-97.8]');
    const off = await runCli([...BASE, '--intervals', '--significance', 'off', '--width', '140']);
    expect(off.stdout).toMatch(/│ IR-02 │.*│ 87\.5 % +│/);
    expect(off.stdout).not.toContain('not significant');
  });
});
