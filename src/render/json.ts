/** The canonical saved report: stable key order (as built), two-space indent, values unrounded. */
import type { Report } from '../report/model.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
