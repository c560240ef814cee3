/** The renderers, keyed by format name. Adding a format means adding it here, and the CLI offers it. */
import type { FailOn } from '../engine/status.js';
import type { Report } from '../report/model.js';
import { renderCisoAssistant } from './ciso-assistant.js';
import { renderCsv } from './csv.js';
import type { History } from './history.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { type OscalOptions, renderOscal } from './oscal.js';
import { renderTable } from './table.js';

export interface RenderOptions {
  color: boolean;
  /**
   * The --fail-on level (default red): the JUnit failures and the Markdown summary's verdict count the
   * KPIs that fail the run at this level, as the exit code does.
   */
  failOn?: FailOn;
  /** Earlier periods' values by KPI id, for the HTML trend lines. */
  history?: History;
  /** Characters per line of the table format (default DEFAULT_WIDTH, src/render/table.ts). */
  width?: number | undefined;
  /** The OSCAL document's findings, hrefs and evidence pack (src/render/oscal.ts). */
  oscal?: OscalOptions | undefined;
  /** --intervals: values with their confidence intervals in the table, Markdown and HTML. */
  intervals?: boolean | undefined;
}

export const RENDERERS = {
  table: (report: Report, options: RenderOptions) => renderTable(report, options),
  json: (report: Report) => renderJson(report),
  csv: (report: Report) => renderCsv(report),
  markdown: (report: Report, options: RenderOptions) =>
    renderMarkdown(report, options.failOn ?? 'red', options.intervals === true),
  html: (report: Report, options: RenderOptions) =>
    renderHtml(report, {
      ...(options.history ? { history: options.history } : {}),
      ...(options.intervals ? { intervals: true } : {}),
    }),
  junit: (report: Report, options: RenderOptions) => renderJunit(report, options.failOn ?? 'red'),
  oscal: (report: Report, options: RenderOptions) => renderOscal(report, options.oscal),
  'ciso-assistant': (report: Report) => renderCisoAssistant(report),
} satisfies Record<string, (report: Report, options: RenderOptions) => string>;

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as Format[];

/**
 * File extensions per format; the first is the one suggested in messages. A longer extension wins over
 * its tail: `q3.oscal.json` is OSCAL, `q3.json` the JSON report.
 */
export const FORMAT_EXTENSIONS: Record<Format, readonly string[]> = {
  table: ['.txt'],
  json: ['.json'],
  csv: ['.csv'],
  markdown: ['.md', '.markdown'],
  html: ['.html', '.htm'],
  junit: ['.xml'],
  oscal: ['.oscal.json'],
  'ciso-assistant': ['.ciso-assistant.csv'],
};

export function formatForFile(file: string): Format | undefined {
  const name = file.toLowerCase();
  let best: { format: Format; length: number } | undefined;
  for (const format of FORMATS)
    for (const extension of FORMAT_EXTENSIONS[format])
      if (
        name.endsWith(extension) &&
        name.length > extension.length &&
        extension.length > (best?.length ?? 0)
      )
        best = { format, length: extension.length };
  return best?.format;
}
