/**
 * `detectFile` recognises every sample export in fixtures/presets as the preset it was written for, and
 * reports bad or unknown files as data. The expected preset of a sample is the longest preset name that
 * prefixes its file name (`nessus-subset.csv` -> nessus, `veeam-em-sessions.csv` -> veeam-em-sessions).
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFile, flattenKeys, matchColumns } from '../../src/presets/detect.js';
import { PRESET_NAMES, PRESETS } from '../../src/presets/index.js';
import { expectedPreset, PRESET_FIXTURES } from './load-preset.js';

const fixtures = (await readdir(PRESET_FIXTURES)).filter((f) => /\.(csv|json)$/i.test(f)).sort();

/** Samples that deliberately lack columns (a column-subset export, an older spelling). */
const isPartialSample = (file: string) => /-(subset|legacy|minimal|old)\b/i.test(file);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'isms-detect-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function detectText(name: string, content: string | Buffer) {
  const file = path.join(tmp, name);
  await writeFile(file, content);
  return detectFile(file, name);
}

describe('every sample in fixtures/presets', () => {
  it('has a registered preset, and every preset has a sample', () => {
    expect(fixtures.filter((f) => expectedPreset(f) === undefined)).toEqual([]);
    const covered = new Set(fixtures.map(expectedPreset));
    expect(PRESET_NAMES.filter((name) => !covered.has(name))).toEqual([]);
    for (const name of PRESET_NAMES) {
      const formats = Object.keys(PRESETS[name]!.formats);
      for (const format of formats) {
        const hasSample = fixtures.some(
          (f) => expectedPreset(f) === name && f.toLowerCase().endsWith(`.${format}`),
        );
        expect(hasSample, `${name} has a ${format} variant but no ${name}*.${format} sample`).toBe(true);
      }
    }
  });

  it.each(fixtures)('%s is recognised as its preset', async (file) => {
    const result = await detectFile(path.join(PRESET_FIXTURES, file), file);
    const expected = expectedPreset(file)!;
    expect(result.problem).toBeUndefined();
    expect(result.best?.preset, `matches: ${JSON.stringify(result.matches)}`).toBe(expected);
    expect(result.best?.format).toBe(file.toLowerCase().endsWith('.json') ? 'json' : 'csv');
    expect(result.best!.confidence).toBeGreaterThanOrEqual(0.9);
    if (!isPartialSample(file)) expect(result.best!.missing).toEqual([]);
    // A runner-up never ties the expected preset.
    const second = result.matches[1];
    if (second) expect(second.confidence).toBeLessThan(result.best!.confidence);
    expect(result.header.length).toBeGreaterThan(0);
  });
});

describe('matchColumns', () => {
  const variants = PRESET_NAMES.flatMap((name) =>
    Object.entries(PRESETS[name]!.formats).map(([format, variant]) => ({
      name,
      format: format as 'csv' | 'json',
      variant: variant!,
    })),
  );
  const label = (v: (typeof variants)[number]) => `${v.name} (${v.format})`;

  it.each(variants.map((v) => [label(v), v] as const))(
    'recognises a full %s export, and one with only the identifying columns, as that preset',
    (_, { name, format, variant }) => {
      const full = [...variant.signature.required.flat(), ...(variant.signature.optional ?? [])];
      const [fullBest, fullSecond] = matchColumns(full, format);
      expect(fullBest).toMatchObject({ preset: name, format, missing: [], extra: [] });
      expect(fullBest!.confidence).toBe(1);
      if (fullSecond) expect(fullSecond.confidence).toBeLessThan(0.9);
      // The identifying columns: the signature's, plus one name of each required field.
      const requiredFields = Object.entries(variant.fields).flatMap(([field, spec]) => {
        if (typeof spec === 'string' || !spec.required) return [];
        if (format === 'json' && spec.path) return [spec.path];
        return [Array.isArray(spec.column) ? spec.column[0]! : (spec.column ?? field)];
      });
      const identifying = variant.signature.required.map((names) =>
        Array.isArray(names) ? names[0]! : names,
      );
      const [bare] = matchColumns([...identifying, ...requiredFields], format);
      expect(bare).toMatchObject({ preset: name, missing: [], extra: [] });
      expect(bare!.confidence).toBeGreaterThanOrEqual(0.9);
    },
  );

  it('is case-insensitive and trims, and lists missing and extra columns', () => {
    const aws = PRESETS['aws-iam-credential-report']!.formats.csv!;
    const header = aws.signature.required.flat().map((c) => ` ${c.toUpperCase()} `);
    const [best] = matchColumns([...header, 'my_note'], 'csv');
    expect(best).toMatchObject({
      preset: 'aws-iam-credential-report',
      format: 'csv',
      missing: [],
      extra: ['my_note'],
    });
    expect(best!.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('ranks a header missing a required column below 0.9 and names the column', () => {
    const aws = PRESETS['aws-iam-credential-report']!.formats.csv!;
    const [dropped, ...rest] = aws.signature.optional!.filter((c) => aws.signature.required.includes(c));
    const [best] = matchColumns([...rest, ...aws.signature.optional!.filter((c) => c !== dropped)], 'csv');
    expect(best?.preset).toBe('aws-iam-credential-report');
    expect(best!.missing).toEqual([dropped]);
    expect(best!.confidence).toBeLessThan(0.9);
    expect(best!.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('gives more confidence to a full export than to a bare one, both above 0.9', () => {
    const aws = PRESETS['aws-iam-credential-report']!.formats.csv!;
    const [bare] = matchColumns(aws.signature.required.flat(), 'csv');
    const [full] = matchColumns(aws.signature.optional!, 'csv');
    expect(bare!.confidence).toBeGreaterThanOrEqual(0.9);
    expect(full!.confidence).toBeGreaterThan(bare!.confidence);
  });

  it('matches nothing for an unrelated header, or no columns', () => {
    expect(matchColumns(['colour', 'flavour', 'price', 'weight'], 'csv')).toEqual([]);
    expect(matchColumns([], 'csv')).toEqual([]);
    expect(matchColumns([], 'json')).toEqual([]);
  });

  it('treats a JSON parent with no keys (null) as holding the paths below it', () => {
    expect(flattenKeys({ a: 1, b: { c: null, d: { e: 2 } }, f: [1], g: {}, h: null })).toEqual([
      'a',
      'b.c',
      'b.d.e',
      'f',
      'g',
      'h',
    ]);
  });
});

describe('detectFile on files that match nothing or cannot be read', () => {
  it('shows the header of an unrelated CSV', async () => {
    const result = await detectText('fruit.csv', 'colour;flavour;price\nred;sweet;1,20\n');
    expect(result).toEqual({
      file: 'fruit.csv',
      format: 'csv',
      header: ['colour', 'flavour', 'price'],
      matches: [],
    });
  });

  it('reports an empty file, a blank one, a missing one and a folder as problems', async () => {
    expect((await detectText('empty.csv', '')).problem).toMatch(/empty/);
    expect((await detectText('blank.csv', '\n\n  \n')).problem).toMatch(/empty/);
    expect((await detectFile(path.join(tmp, 'nope.csv'), 'nope.csv')).problem).toBe('no such file');
    expect((await detectFile(tmp, 'dir')).problem).toMatch(/directory/);
  });

  it('reports binary files and Excel workbooks', async () => {
    const xlsx = await detectText('book.xlsx', Buffer.from([0x50, 0x4b, 3, 4, 0x14, 0, 6, 0, 0xff, 0x80]));
    expect(xlsx.problem).toMatch(/Excel workbook/);
    expect((await detectText('blob.bin', Buffer.from([1, 2, 0, 0, 5, 6]))).problem).toMatch(/binary/);
  });

  it('shows the keys of a JSON object that holds no array of records', async () => {
    const result = await detectText('config.json', JSON.stringify({ name: 'x', settings: { a: 1 } }));
    expect(result).toMatchObject({ format: 'json', header: ['name', 'settings'], matches: [] });
    expect(result.best).toBeUndefined();
    expect(result.problem).toBeUndefined();
  });

  it('reports invalid JSON', async () => {
    const result = await detectText('broken.json', '[{"id": 1,');
    expect(result.problem).toMatch(/not valid JSON/);
  });

  it('reads a Windows-1252 CSV and a UTF-16 one with a byte order mark', async () => {
    const aws = PRESETS['aws-iam-credential-report']!.formats.csv!;
    const text = `${aws.signature.optional!.join(',')}\nJürgen,arn\n`;
    const latin = await detectText('latin.csv', Buffer.from(text.replace('ü', '\u00fc'), 'latin1'));
    expect(latin.best?.preset).toBe('aws-iam-credential-report');
    const utf16 = await detectText(
      'utf16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    expect(utf16.best?.preset).toBe('aws-iam-credential-report');
  });
});

describe('detectFile finds the header behind a preamble and the records inside an envelope', () => {
  it('finds the Qualys header after its metadata preamble', async () => {
    const result = await detectFile(path.join(PRESET_FIXTURES, 'qualys-scan.csv'), 'qualys-scan.csv');
    expect(result.best?.preset).toBe('qualys-scan');
    const text = await readFile(path.join(PRESET_FIXTURES, 'qualys-scan.csv'), 'utf8');
    const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]!;
    // The header reported is the one after the preamble, not the first line of the file.
    expect(result.header.join(',')).not.toBe(firstLine.replaceAll('"', ''));
    expect(result.header.length).toBeGreaterThan(5);
  });

  it('finds a header below a preamble no preset expects, and says how many lines to skip', async () => {
    const aws = await readFile(path.join(PRESET_FIXTURES, 'aws-iam-credential-report.csv'), 'utf8');
    const result = await detectText('titled.csv', `Credential report\nGenerated 2026-09-30\n\n${aws}`);
    expect(result.best).toMatchObject({
      preset: 'aws-iam-credential-report',
      missing: [],
      csv: { skip_lines: 2 },
    });
    expect(result.header[0]).toBe('user');
    // Without a preamble nothing needs skipping, and a match carries no header of its own.
    const plain = await detectFile(path.join(PRESET_FIXTURES, 'aws-iam-credential-report.csv'), 'aws.csv');
    expect(Object.keys(plain.best!).sort()).toEqual(['confidence', 'extra', 'format', 'missing', 'preset']);
  });

  it('finds the Qualys header when the preamble was removed', async () => {
    const text = (await readFile(path.join(PRESET_FIXTURES, 'qualys-scan.csv'), 'utf8')).replace(
      /^\uFEFF/,
      '',
    );
    const lines = text.split(/\r?\n/);
    const headerAt = lines.findIndex((line) => line.startsWith('"IP",'));
    expect(headerAt).toBeGreaterThan(0);
    const result = await detectText('bare-qualys.csv', lines.slice(headerAt).join('\n'));
    expect(result.best?.preset).toBe('qualys-scan');
  });

  it('reads the first record of a JSON Lines file', async () => {
    const records = JSON.parse(
      await readFile(path.join(PRESET_FIXTURES, 'okta-users.json'), 'utf8'),
    ) as unknown[];
    const result = await detectText('okta.jsonl', records.map((r) => JSON.stringify(r)).join('\n'));
    expect(result.format).toBe('jsonl');
    expect(result.best?.preset).toBe('okta-users');
  });

  it('recognises a JSON file larger than 64 MB from its head', async () => {
    const sample = JSON.parse(
      await readFile(path.join(PRESET_FIXTURES, 'defender-vulnerabilities.json'), 'utf8'),
    ) as { value: unknown[] };
    const record = JSON.stringify(sample.value[0]);
    const copies = Math.ceil((65 * 1024 * 1024) / record.length);
    const big = `{"@odata.context":"x","value":[${Array.from({ length: copies }, () => record).join(',')}]}`;
    const result = await detectText('big-defender.json', big);
    expect(result.problem).toBeUndefined();
    expect(result.best?.preset).toBe('defender-vulnerabilities');
  });

  it('recognises `gh api --paginate` output (arrays one after another) and a .gz export (issue 17)', async () => {
    const text = await readFile(path.join(PRESET_FIXTURES, 'dependabot-alerts.json'), 'utf8');
    const records = JSON.parse(text) as unknown[];
    const pages = `${JSON.stringify(records.slice(0, 1))}\n${JSON.stringify(records.slice(1))}\n`;
    const paged = await detectText('alerts-pages.json', pages);
    expect(paged.problem).toBeUndefined();
    expect(paged.best?.preset).toBe('dependabot-alerts');
    const packed = await detectText('alerts.json.gz', gzipSync(text));
    expect(packed.problem).toBeUndefined();
    expect(packed.best?.preset).toBe('dependabot-alerts');
  });
});
