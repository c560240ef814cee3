/** The renderers, keyed by format name. Adding a format means adding it here, and the CLI offers it. */
import type { Report } from '../engine/report-model.js';
import { renderJson } from './json.js';
import { renderTable } from './table.js';

export interface RenderOptions {
  color: boolean;
}

export const RENDERERS = {
  table: (report: Report, options: RenderOptions) => renderTable(report, options),
  json: (report: Report) => renderJson(report),
} satisfies Record<string, (report: Report, options: RenderOptions) => string>;

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as Format[];

const EXTENSIONS: Record<string, Format> = { '.json': 'json', '.txt': 'table' };

export function formatForFile(file: string): Format | undefined {
  const match = /\.[^./\\]+$/.exec(file.toLowerCase());
  return match ? EXTENSIONS[match[0]] : undefined;
}
