/**
 * Rounding half away from zero on the decimal as written (src/util/round.ts), as round() and every
 * renderer use it, and the display of finite values too large to multiply.
 */
import { describe, expect, it } from 'vitest';
import { formatNumber, formatValue } from '../../src/render/format.js';
import { roundHalfAway } from '../../src/util/round.js';

describe('roundHalfAway', () => {
  it.each([
    [1.005, 2, 1.01],
    [1.015, 2, 1.02],
    [2.675, 2, 2.68],
    [-1.005, 2, -1.01],
    [-2.675, 2, -2.68],
    [0.045, 2, 0.05],
    [1.45, 1, 1.5],
    [9.995, 2, 10],
    [2.5, 0, 3],
    [-2.5, 0, -3],
    [0.5, 0, 1],
    [1e-7, 2, 0],
    [1e-7, 7, 1e-7],
    [4.9e-8, 7, 0],
    [5e-8, 7, 1e-7],
    [1234.5, -2, 1200],
    [1250, -2, 1300],
    [123456789.125, 2, 123456789.13],
    [1.7e308, 1, 1.7e308],
    [Number.MAX_VALUE, 2, Number.MAX_VALUE],
    [12345678901234567000, 2, 12345678901234567000],
  ])('%s to %s decimals is %s', (value, decimals, expected) => {
    expect(roundHalfAway(value, decimals)).toBe(expected);
  });

  it('leaves no value as it is', () => {
    expect(roundHalfAway(Number.NaN, 2)).toBeNaN();
    expect(roundHalfAway(Number.POSITIVE_INFINITY, 2)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('displayed values', () => {
  it('a finite 1.7e308 is shown as a number, never "Infinity"', () => {
    expect(formatNumber(1.7e308, 1)).toBe('1.7e+308');
    expect(formatValue({ unit: 'EUR' }, 1.7e308)).toBe('1.7e+308 EUR');
    expect(formatValue({ unit: 'count' }, -Number.MAX_VALUE)).not.toMatch(/Infinity/);
  });

  it('rounds half away from zero as written', () => {
    expect(formatNumber(1.005, 2)).toBe('1.01');
    expect(formatNumber(2.675, 2)).toBe('2.68');
    expect(formatNumber(-1.005, 2)).toBe('-1.01');
    expect(formatNumber(-0.001, 2)).toBe('0.00');
    expect(formatValue({ unit: '%' }, 87.45)).toBe('87.5 %');
  });
});
