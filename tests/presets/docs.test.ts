/**
 * docs/presets.md is generated from the preset registry; this fails when a preset changed and the page
 * was not regenerated, and checks that the page says what a compliance manager needs from it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/presets/index.js';
import { anchor, cell, presetsMarkdown } from '../../src/render/presets-doc.js';

const DOC = path.resolve(import.meta.dirname, '../../docs/presets.md');
const generated = presetsMarkdown(Object.values(PRESETS));

describe('docs/presets.md', () => {
  it('is up to date with the registry', async () => {
    const committed = await readFile(DOC, 'utf8').catch(() => '');
    const isCurrent = committed === generated;
    expect(
      isCurrent,
      'docs/presets.md is out of date with src/presets/: regenerate it with `npm run docs:presets`',
    ).toBe(true);
  });

  it('has a linked section, a field table and the notes of every preset', () => {
    for (const preset of Object.values(PRESETS)) {
      expect(generated).toContain(`[\`${preset.name}\`](#${anchor(preset.name)})`);
      expect(generated).toContain(`\n## ${preset.name}\n`);
      for (const note of preset.notes) expect(generated).toContain(`- ${note}`);
    }
    expect(generated).toMatch(/\| Field \| Vendor column \| Type \| Notes \|/);
  });

  it('explains preset:, overriding and dropping a field, and detect', () => {
    expect(generated).toContain('preset: nessus');
    expect(generated).toContain('summary: ~');
    expect(generated).toContain('isms-kpi detect');
  });

  it('keeps table cells on one line with pipes escaped', () => {
    expect(cell('a|b\nc')).toBe('a\\|b c');
    expect(anchor('aws-iam-credential-report')).toBe('aws-iam-credential-report');
  });

  it('does not depend on the registry order', () => {
    expect(presetsMarkdown([...Object.values(PRESETS)].reverse())).toBe(generated);
  });
});
