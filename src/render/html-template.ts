/**
 * An `html` template tag that escapes every interpolated value unless it is already markup made by this tag
 * (or passed through `raw`), so forgetting to escape is not possible by accident.
 */
import { UNSAFE_CLASS } from '../text.js';

export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** What escapeHtml replaces by U+FFFD: safeText's characters (src/text.ts) other than tab and line breaks. */
const HTML_UNSAFE = new RegExp(`(?![\\t\\n])${UNSAFE_CLASS}`, 'g');

/**
 * Escapes text for an HTML element or a quoted attribute. A carriage return becomes a line feed (as an
 * HTML parser reads it anyway); other control characters (C0 but tab and line feed, DEL, C1) and bidi
 * overrides and isolates become U+FFFD, so neither a browser nor a terminal showing the file acts on them.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replace(/\r\n?/g, '\n')
    .replace(HTML_UNSAFE, '\uFFFD');
}

function interpolate(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += interpolate(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Markup this module did not build but vouches for (the stylesheet); never use it for report values. */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}
