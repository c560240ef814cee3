/**
 * The measure behind a KPI (ISO/IEC 27004: information need, type, method, interpretation, decision,
 * roles, review, lifecycle) in words, for `explain` and `list`. Only what the catalogue gives is shown;
 * a KPI without these fields gets no lines. Catalogue texts are made one inert line each (safeText).
 */
import type { KpiResult } from '../report/model.js';
import { safeText } from '../text.js';

export type MeasureFacts = Pick<
  KpiResult,
  | 'informationNeed'
  | 'objective'
  | 'measureType'
  | 'method'
  | 'interpretation'
  | 'decision'
  | 'roles'
  | 'reviewEvery'
  | 'lastReviewed'
  | 'lifecycle'
>;

/** `red: corrective action within 10 days; amber: ...`, in the catalogue's order. */
export function decisionText(decision: MeasureFacts['decision']): string | undefined {
  const entries = Object.entries(decision ?? {}).filter(([, v]) => v !== undefined);
  return entries.length === 0
    ? undefined
    : entries.map(([status, action]) => `${status}: ${action}`).join('; ');
}

/** `collector Jira admin, customer CISO, reviewer ISMS manager`. */
export function rolesText(roles: MeasureFacts['roles']): string | undefined {
  const entries = Object.entries(roles ?? {}).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : entries.map(([role, who]) => `${role} ${who}`).join(', ');
}

/** `annual, last reviewed 2026-03-02`; `annual, never reviewed`; `last reviewed 2026-03-02`. */
export function reviewText(m: MeasureFacts): string | undefined {
  if (!m.reviewEvery && !m.lastReviewed) return undefined;
  const last = m.lastReviewed ? `last reviewed ${m.lastReviewed}` : 'never reviewed';
  return m.reviewEvery ? `${m.reviewEvery}, ${last}` : last;
}

/** One line per field the KPI has, as `label: text`, indented by `indent`. */
export function measureLines(m: MeasureFacts, indent = ''): string[] {
  const kind = [
    m.measureType ? `${m.measureType} measure` : undefined,
    m.method ? `${m.method} method` : undefined,
  ]
    .filter((p) => p !== undefined)
    .join(', ');
  const rows: [string, string | undefined][] = [
    ['lifecycle', m.lifecycle && m.lifecycle !== 'active' ? m.lifecycle : undefined],
    ['objective', m.objective],
    ['information need', m.informationNeed],
    ['measure', kind || undefined],
    ['interpretation', m.interpretation],
    ['decision', decisionText(m.decision)],
    ['roles', rolesText(m.roles)],
    ['review', reviewText(m)],
  ];
  return rows.flatMap(([label, text]) =>
    text === undefined ? [] : [safeText(`${indent}${label}: ${text}`)],
  );
}
