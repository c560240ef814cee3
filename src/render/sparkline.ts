/**
 * An inline SVG sparkline: one point per cadence window of the period (or per saved report, where history
 * is given), gaps where there is no value, and the green threshold as a dashed line. Coordinates are
 * rounded to 0.1 so the markup is stable.
 */
import type { KpiResult } from '../report/model.js';
import { formatValue } from './format.js';
import { html, type SafeHtml } from './html-template.js';

export interface TrendPoint {
  label: string;
  value: number | null;
}

const WIDTH = 120;
const HEIGHT = 32;
const PAD = 4;

export function sparkline(kpi: KpiResult, points: readonly TrendPoint[]): SafeHtml | undefined {
  const known = points.filter((p): p is { label: string; value: number } => p.value !== null);
  if (points.length < 2 || known.length === 0) return undefined;
  const threshold = kpi.thresholds ? Number(/-?\d+(?:\.\d+)?/.exec(kpi.thresholds.green)?.[0]) : Number.NaN;
  const values = known.map((p) => p.value);
  if (Number.isFinite(threshold)) values.push(threshold);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  const xOf = (i: number) => PAD + (i * (WIDTH - 2 * PAD)) / (points.length - 1);
  const yOf = (v: number) => HEIGHT - PAD - ((v - lo) * (HEIGHT - 2 * PAD)) / (hi - lo);
  const r = (n: number) => (Math.round(n * 10) / 10).toFixed(1);
  const runs: string[][] = [];
  let run: string[] = [];
  points.forEach((p, i) => {
    if (p.value === null) {
      if (run.length > 0) runs.push(run);
      run = [];
      return;
    }
    run.push(`${r(xOf(i))},${r(yOf(p.value))}`);
  });
  if (run.length > 0) runs.push(run);
  const title = points.map((p) => `${p.label}: ${formatValue(kpi, p.value)}`).join(', ');
  const last = points.length - 1;
  const lastValue = points[last]!.value;
  return html`<svg class="spark" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${title}"><title>${title}</title>${
    Number.isFinite(threshold)
      ? html`<line class="spark-target" x1="${PAD}" x2="${WIDTH - PAD}" y1="${r(yOf(threshold))}" y2="${r(yOf(threshold))}"/>`
      : ''
  }${runs.map((pts) => (pts.length > 1 ? html`<polyline points="${pts.join(' ')}"/>` : ''))}${points.map(
    (p, i) =>
      p.value === null
        ? ''
        : html`<circle cx="${r(xOf(i))}" cy="${r(yOf(p.value))}" r="${i === last && lastValue !== null ? 2.6 : 1.6}"/>`,
  )}</svg>`;
}
