/**
 * The status colours of the HTML report, read from its stylesheet: every pair of statuses stays apart for
 * normal vision and for the two red-green dichromacies, simulated with the matrices of Machado, Oliveira
 * and Fernandes (2009) at severity 1.0 over linear RGB; every text colour passes WCAG AA.
 *
 * The measure is CIEDE2000 in CIELAB (D65). About 2.3 is a just-noticeable difference; MIN_DISTANCE = 20
 * asks for colours that are told apart at a glance, not side by side. (The palette before issue 18 scored
 * 3.5 under deuteranopia, stale against info, and 7.5 under protanopia, amber against green.)
 */
import { describe, expect, it } from 'vitest';
import { HTML_STYLE } from '../../src/render/html-style.js';
import type { Status } from '../../src/report/model.js';
import {
  ciede2000,
  contrast,
  lab,
  linear,
  MACHADO_2009,
  parseHex,
  type Rgb,
  simulate,
} from '../helpers/colour.js';

const MIN_DISTANCE = 20;
const WCAG_AA_TEXT = 4.5;
const STATUSES: Status[] = ['red', 'amber', 'green', 'no-data', 'stale', 'info'];

/** `--name: #rrggbb` (or `#fff`) from the stylesheet's :root. */
function cssColour(name: string): Rgb {
  const match = new RegExp(`--${name}:\\s*(#[0-9a-f]{3,6})\\b`, 'i').exec(HTML_STYLE);
  if (!match) throw new Error(`--${name} is not in the stylesheet`);
  const hex = match[1]!;
  return parseHex(hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex);
}

const VIEWS = {
  'normal vision': (rgb: Rgb) => lab(linear(rgb)),
  deuteranopia: (rgb: Rgb) => lab(simulate(linear(rgb), MACHADO_2009.deuteranopia)),
  protanopia: (rgb: Rgb) => lab(simulate(linear(rgb), MACHADO_2009.protanopia)),
};

function pairs(): [Status, Status][] {
  return STATUSES.flatMap((a, i) => STATUSES.slice(i + 1).map((b) => [a, b] as [Status, Status]));
}

describe('status colours', () => {
  it('the colour science is right (CIEDE2000 test pair of Sharma et al.; simulation keeps grey grey)', () => {
    expect(ciede2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(ciede2000([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
    const grey = linear(parseHex('#777777'));
    for (const matrix of Object.values(MACHADO_2009))
      simulate(grey, matrix).forEach((c, i) => {
        expect(c).toBeCloseTo(grey[i]!, 2);
      });
  });

  it.each(Object.keys(VIEWS))(`every two statuses differ by CIEDE2000 >= ${MIN_DISTANCE} (%s)`, (view) => {
    const seen = VIEWS[view as keyof typeof VIEWS];
    const close = pairs()
      .map(([a, b]) => ({ pair: `${a}/${b}`, distance: ciede2000(seen(cssColour(a)), seen(cssColour(b))) }))
      .filter((p) => p.distance < MIN_DISTANCE)
      .map((p) => `${p.pair}: ${p.distance.toFixed(1)}`);
    expect(close).toEqual([]);
  });

  it('red, amber and green in particular stay far apart for both dichromacies', () => {
    for (const view of ['deuteranopia', 'protanopia'] as const)
      for (const [a, b] of [
        ['red', 'amber'],
        ['red', 'green'],
        ['amber', 'green'],
      ] as const) {
        const seen = VIEWS[view];
        expect(ciede2000(seen(cssColour(a)), seen(cssColour(b))), `${a}/${b} ${view}`).toBeGreaterThan(
          MIN_DISTANCE,
        );
      }
  });

  it.each(STATUSES)('%s: chip text, value text and muted text pass WCAG AA', (status) => {
    const ink = cssColour('ink');
    const muted = cssColour('muted');
    expect(contrast(cssColour(`on-${status}`), cssColour(status)), 'chip').toBeGreaterThanOrEqual(
      WCAG_AA_TEXT,
    );
    expect(contrast(cssColour(`${status}-fg`), cssColour(`${status}-bg`)), 'value').toBeGreaterThanOrEqual(
      WCAG_AA_TEXT,
    );
    expect(contrast(muted, cssColour(`${status}-bg`)), 'muted').toBeGreaterThanOrEqual(WCAG_AA_TEXT);
    expect(contrast(ink, cssColour(`${status}-bg`)), 'ink').toBeGreaterThanOrEqual(WCAG_AA_TEXT);
  });
});
