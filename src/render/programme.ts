/**
 * The measurement programme in a report's words: exceptions of a KPI ("accepted until 2026-12-31") for
 * the table, Markdown and HTML renderers. Plain text; each renderer makes it safe for its format.
 */
import type { KpiResult } from '../report/model.js';

type Exception = NonNullable<KpiResult['exceptions']>[number];

/** `accepted until 2026-12-31` or `exception expired 2026-06-30`, with the segment when it has one. */
export function exceptionHead(e: Exception): string {
  const what = e.segment === undefined ? '' : `segment ${e.segment} `;
  return e.state === 'accepted'
    ? `${what}accepted until ${e.expires}`
    : `${what}exception expired ${e.expires}`;
}

/** The whole note: head, approver and risk reference, reason; an expired one says it no longer counts. */
export function exceptionText(e: Exception): string {
  const by = [`approved by ${e.approver}`, ...(e.risk !== undefined ? [`risk ${e.risk}`] : [])].join(', ');
  const counts = e.state === 'expired' ? '; it no longer counts' : '';
  return `${exceptionHead(e)} (${by}): ${e.reason}${counts}`;
}

/** One note per exception of the KPI: `VM-01 accepted until 2026-12-31 (approved by CISO, ...): ...`. */
export function exceptionNotes(kpi: KpiResult): string[] {
  return (kpi.exceptions ?? []).map((e) => `${kpi.id} ${exceptionText(e)}`);
}
