/**
 * src/text.ts: user text made inert (safeText, terminalSafe, jsonText) and quoted short (quote, listOf,
 * capMessage), and the escapers of the other formats on the same characters (issue 15, items 9 and 11).
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/render/html-template.js';
import { escapeXml } from '../../src/render/junit.js';
import { escapeMarkdown } from '../../src/render/markdown.js';
import {
  capMessage,
  jsonText,
  LIST_MAX,
  listOf,
  MESSAGE_MAX,
  QUOTE_MAX,
  quote,
  safeText,
  terminalSafe,
  truncate,
} from '../../src/text.js';

/** Every character safeText replaces: C0, DEL, C1, bidi embeddings, overrides and isolates. */
const UNSAFE = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e,
  0x2066,
  0x2067,
  0x2068,
  0x2069,
].map((code) => String.fromCharCode(code));

const OSC52 = '\u001b]52;c;c2VjcmV0\u0007';

describe('safeText', () => {
  it('shows every control character and bidi override as its JSON escape', () => {
    expect(safeText(`a${OSC52}b`)).toBe('a\\u001b]52;c;c2VjcmV0\\u0007b');
    expect(safeText('\u009b2J \u202egnp.exe\u2066')).toBe('\\u009b2J \\u202egnp.exe\\u2066');
    expect(safeText('tab\there\r\nnew\u007f')).toBe('tab\\there\\r\\nnew\\u007f');
    for (const ch of UNSAFE) expect(safeText(`x${ch}y`), JSON.stringify(ch)).toMatch(/^x\\[a-z0-9]+y$/);
  });

  it('keeps line breaks when asked (a table cell), and text without such characters as it is', () => {
    expect(safeText('one\ntwo\u001b', { newlines: true })).toBe('one\ntwo\\u001b');
    const plain = 'Störung — 中文 😀 <b> "quoted" \\ back';
    expect(safeText(plain)).toBe(plain);
  });

  it('leaves nothing a terminal acts on: every unsafe character, in any mix, comes out as ASCII escapes', () => {
    const all = UNSAFE.join('');
    expect(safeText(all)).toMatch(/^[\x20-\x7e]+$/);
    expect(safeText(all, { newlines: true }).replace(/\n/g, '')).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('terminalSafe (the last guard of every output)', () => {
  it('keeps line feeds, tabs and CR LF; escapes a lone CR and everything else', () => {
    expect(terminalSafe('a\tb\r\nc\rd\ne')).toBe('a\tb\r\nc\\rd\ne');
    expect(terminalSafe(`x${OSC52}\u009b2J`)).toBe('x\\u001b]52;c;c2VjcmV0\\u0007\\u009b2J');
  });

  it('keeps colour codes (SGR) only with colour, and no other escape sequence even then', () => {
    const text = `\u001b[31m✖ red\u001b[39m \u001b[2J${OSC52}`;
    expect(terminalSafe(text, { colour: true })).toBe(
      '\u001b[31m✖ red\u001b[39m \\u001b[2J\\u001b]52;c;c2VjcmV0\\u0007',
    );
    expect(terminalSafe(text)).toBe('\\u001b[31m✖ red\\u001b[39m \\u001b[2J\\u001b]52;c;c2VjcmV0\\u0007');
  });
});

describe('jsonText', () => {
  it('escapes what JSON.stringify leaves raw (DEL, C1, bidi), and reads back unchanged', () => {
    const value = { name: `a${OSC52}\u007f\u009b\u202eb`, list: ['\u2066x\u2069'] };
    const text = jsonText(value);
    expect(text).toMatch(/^[\x20-\x7e\n]+$/);
    expect(text).toContain('\\u009b');
    expect(JSON.parse(text)).toEqual(value);
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('quoting in messages', () => {
  it('quote: JSON quotes, escapes, at most QUOTE_MAX characters', () => {
    expect(quote('Created')).toBe('"Created"');
    expect(quote(`x${OSC52}`)).toBe('"x\\u001b]52;c;c2VjcmV0\\u0007"');
    const long = quote('k'.repeat(1024 * 1024));
    expect(long).toBe(`"${'k'.repeat(QUOTE_MAX)}..."`);
    expect(quote('abcdef', 3)).toBe('"abc..."');
  });

  it('truncate does not cut a character outside the BMP in half', () => {
    expect(truncate('ab😀cd', 3)).toBe('ab...');
    expect(truncate('ab😀cd', 4)).toBe('ab😀...');
  });

  it('listOf: the first names, then "... and N more"', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `col${i}`);
    expect(listOf(names)).toBe(
      `${names
        .slice(0, LIST_MAX)
        .map((n) => `"${n}"`)
        .join(', ')}, ... and 4,992 more`,
    );
    expect(listOf(['a', 'b'])).toBe('"a", "b"');
    expect(listOf(['x'.repeat(5000)]).length).toBe(QUOTE_MAX + 5);
  });

  it('capMessage: at most MESSAGE_MAX characters and a note of how many more', () => {
    expect(capMessage('short')).toBe('short');
    const capped = capMessage('m'.repeat(1024 * 1024));
    expect(capped).toBe(`${'m'.repeat(MESSAGE_MAX)}... (1,047,576 more characters)`);
  });
});

describe('the escapers of other formats handle the same characters', () => {
  const hostile = `a${OSC52}\u007f\u009b2J\u202eb\u2066c\rd`;

  it('HTML: U+FFFD for controls and bidi characters, CR as a line feed', () => {
    expect(escapeHtml(hostile)).toBe('a\uFFFD]52;c;c2VjcmV0\uFFFD\uFFFD\uFFFD2J\uFFFDb\uFFFDc\nd');
    expect(escapeHtml('tab\tand\nline')).toBe('tab\tand\nline');
  });

  it('XML (JUnit): U+FFFD for controls and bidi characters; tab and line breaks as references', () => {
    expect(escapeXml(hostile)).toBe('a\uFFFD]52;c;c2VjcmV0\uFFFD\uFFFD\uFFFD2J\uFFFDb\uFFFDc&#13;d');
  });

  it('Markdown: escapes, and no line break', () => {
    expect(escapeMarkdown(hostile)).toBe(
      'a\\\\u001b\\]52;c;c2VjcmV0\\\\u0007\\\\u007f\\\\u009b2J\\\\u202eb\\\\u2066c d',
    );
  });
});
