/**
 * `isms-kpi reveal`: the pseudonyms found in a pack (or one CSV of it) with the candidate identifiers
 * whose pseudonym they are, as a table, CSV or JSON. Printed to standard output only: no mapping file
 * is ever written (docs/evidence-privacy.md).
 */

import { jsonText, safeText } from '../text.js';
import { csvDocument } from '../util/csv-writer.js';
import { layoutTable } from './layout.js';

export const REVEAL_FORMATS = ['table', 'csv', 'json'] as const;
export type RevealFormat = (typeof REVEAL_FORMATS)[number];

export interface RevealedPseudonym {
  pseudonym: string;
  /** The candidate identifiers with this pseudonym (more than one only when they differ in case or spaces, or collide). */
  identifiers: string[];
  /** Where the pack holds it: the columns (fields) of its files, in order of appearance. */
  columns: string[];
  /** Cells of the pack that hold it. */
  occurrences: number;
}

export interface Revealed {
  /** The pack's folder or the CSV read. */
  target: string;
  candidates: string;
  /** Candidate values read (after --field). */
  candidateCount: number;
  pseudonyms: RevealedPseudonym[];
}

export function renderReveal(revealed: Revealed, format: RevealFormat): string {
  if (format === 'json') return jsonText(revealed);
  if (format === 'csv')
    return csvDocument([
      ['pseudonym', 'identifier', 'columns', 'occurrences'],
      ...revealed.pseudonyms.map((p) => [
        p.pseudonym,
        p.identifiers.join('; '),
        p.columns.join('; '),
        p.occurrences,
      ]),
    ]);
  const found = revealed.pseudonyms.filter((p) => p.identifiers.length > 0).length;
  const table = layoutTable(
    revealed.pseudonyms.map((p) => [
      p.pseudonym,
      p.identifiers.length > 0 ? p.identifiers.join('; ') : '(no candidate)',
      p.columns.join(', '),
      String(p.occurrences),
    ]),
    { head: ['Pseudonym', 'Identifier', 'Columns', 'Cells'], widths: [null, 48, 30, null] },
  );
  const heading = safeText(
    `${revealed.target}: ${found} of ${revealed.pseudonyms.length} pseudonyms revealed from ${revealed.candidates}`,
  );
  return `${heading}\n\n${table}\n`;
}
