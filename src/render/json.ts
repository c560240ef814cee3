/**
 * The canonical saved report: stable key order (as built), two-space indent, values unrounded. Text is
 * JSON text with no raw control character or bidi override (jsonText): it reads back unchanged.
 */
import type { Report } from '../report/model.js';
import { jsonText } from '../text.js';

export function renderJson(report: Report): string {
  return jsonText(report);
}
