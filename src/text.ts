/**
 * User text in what isms-kpi prints: made inert for a terminal, and quoted short in messages. It sits
 * beside problems.ts, in the lowest layer, because formatProblem uses it.
 *
 * Decision (issue 15, items 9 and 11): catalogue texts, export header names and values, file names and the
 * contents of saved reports are not ours; printed raw, an ESC sequence in any of them drives the reader's
 * terminal (OSC 52 writes the clipboard, `ESC ]0;` sets the window title, `ESC [2J` clears the screen), a C1
 * control (U+0080-U+009F, e.g. U+009B, a one-character CSI) does the same on terminals that honour it, and
 * a bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069, "Trojan Source") reorders what is
 * shown. `safeText` makes each such character visible as its JSON escape (`\u001b`, `\t`, `\u202e`): the
 * notation `explain` already shows export values in (JSON.stringify), unambiguous and plain ASCII. It is
 * applied where such text is interpolated (formatProblem, the table layout, the Markdown escaper, the
 * renderers), and `terminalSafe` applies it once more to everything written to stdout, stderr or a report
 * file, keeping only line breaks, tabs and, where the output is coloured, our own colour codes (SGR).
 *
 * A message quotes at most QUOTE_MAX characters of a value (`quote`) and a few names of a list (`listOf`),
 * and formatProblem cuts a whole message at MESSAGE_MAX: a file whose first line is 1 MB (or a header of
 * 5,000 columns) cannot put its content, or a secret in it, into a CI log.
 */

/** Characters of a value a message quotes (then "..."). */
export const QUOTE_MAX = 100;
/** Names of a list a message shows (then "... and N more"). */
export const LIST_MAX = 8;
/** Characters of one message, whatever it quotes (then "... (N more characters)"). */
export const MESSAGE_MAX = 1000;

/**
 * C0 controls (U+0000-U+001F), DEL, C1 controls (U+0080-U+009F), and the bidirectional embeddings,
 * overrides and isolates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
const UNSAFE_KEEP_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The characters safeText replaces, as a regular-expression class, for escapers of other formats (HTML, XML). */
export const UNSAFE_CLASS = UNSAFE.source;

const SHORT: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/** One character as JSON escapes it: `\t`, `\n`, `\u001b`, `\u009b`, `\u202e`. */
export function escapeChar(ch: string): string {
  return SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * The text with every control character (C0 including tab, DEL, C1) and every bidirectional override or
 * isolate shown as its JSON escape; with `newlines`, line breaks are kept (a table cell, a block of lines).
 */
export function safeText(text: string, options: { newlines?: boolean } = {}): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(options.newlines ? UNSAFE_KEEP_NEWLINE : UNSAFE_ALL, escapeChar);
}

/** A colour code (SGR) as chalk writes it: ESC [ numbers m. */
const SGR = /\u001b\[[0-9;]*m/y;

/**
 * The last guard before text leaves isms-kpi (stdout, stderr, report files): every character safeText
 * replaces is replaced, except line breaks (LF, and CR in CR LF), tabs and, with `colour`, colour codes
 * (ESC [ ... m). Renderers sanitise what they interpolate; this catches what a new one forgets.
 * In JSON text (where JSON.stringify leaves DEL, C1 and bidi characters raw) the replacement is the
 * JSON escape of the same character, so a JSON report reads back unchanged.
 */
export function terminalSafe(text: string, options: { colour?: boolean } = {}): string {
  if (!UNSAFE.test(text)) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isUnsafe(code) || code === 0x0a || code === 0x09) continue;
    if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) continue;
    if (code === 0x1b && options.colour) {
      SGR.lastIndex = i;
      if (SGR.test(text)) {
        i = SGR.lastIndex - 1;
        continue;
      }
    }
    out += text.slice(from, i) + escapeChar(text[i]!);
    from = i + 1;
  }
  return out + text.slice(from);
}

function isUnsafe(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * The text, cut to `max` characters with "..." when longer (so a message never quotes a whole field); a
 * character outside the Basic Multilingual Plane is not cut in half.
 */
export function truncate(text: string, max = 80): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}...`;
}

/**
 * A value quoted for a message: in double quotes as JSON writes it (control characters escaped), cut to
 * `max` characters, bidirectional overrides shown as escapes too.
 */
export function quote(text: string, max = QUOTE_MAX): string {
  return safeText(JSON.stringify(truncate(text, max)));
}

/**
 * Names for a message: the first `max` (each quoted, cut to QUOTE_MAX characters), then "... and N more":
 * `"a", "b", ... and 4,992 more`.
 */
export function listOf(names: readonly string[], max = LIST_MAX): string {
  const shown = names.slice(0, max).map((name) => quote(name));
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')}, ... and ${more.toLocaleString('en-US')} more` : shown.join(', ');
}

/** A whole message cut to MESSAGE_MAX characters, saying how much was left out. */
export function capMessage(text: string, max = MESSAGE_MAX): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}... (${(text.length - end).toLocaleString('en-US')} more characters)`;
}

/**
 * `value` as JSON with a two-space indent and a final line break, with no raw control character or bidi
 * override: JSON.stringify escapes C0 controls but leaves DEL, C1 and bidi characters raw; they get the
 * JSON escape too (`\u009b`), so the text is inert and parses to the same value.
 */
export function jsonText(value: unknown): string {
  return `${terminalSafe(JSON.stringify(value, null, 2))}\n`;
}
