/**
 * Threshold bands of a KPI (`green: ">= 95"`, `amber: ">= 85"`): parsed once when the catalogue loads,
 * checked to point the same way, and tested against a value by the status policy.
 */
import { quote } from '../text.js';
import { THRESHOLD_PATTERN } from './schema.js';

export type BandOp = '>=' | '>' | '<=' | '<' | '==';
export interface Band {
  op: BandOp;
  value: number;
  text: string;
}
export interface Thresholds {
  green: Band;
  amber?: Band;
  /** `>=`/`>` bands: higher is better; `<=`/`<`: lower is better; `==`: on target. */
  direction: 'higher' | 'lower' | 'target';
}

export function compileThresholds(config: {
  green: string;
  amber?: string | undefined;
}): Thresholds | string {
  const green = parseBand(config.green);
  const amber = config.amber === undefined ? undefined : parseBand(config.amber);
  if (!green)
    return `green: ${quote(config.green)} is not a comparison with a number; write one like ">= 95"`;
  if (config.amber !== undefined && !amber)
    return `amber: ${quote(config.amber)} is not a comparison with a number; write one like ">= 85"`;
  // "== 0" with an amber band of "<= 2" reads as lower-is-better with zero as the goal.
  const direction = green.op === '==' && amber ? bandDirection(amber.op) : bandDirection(green.op);
  if (amber) {
    if (
      bandDirection(amber.op) === 'target' ||
      (green.op !== '==' && bandDirection(amber.op) !== direction)
    ) {
      return `green "${green.text}" and amber "${amber.text}" must point the same way (both >= for higher-is-better, both <= for lower-is-better)`;
    }
    const isStricter =
      green.op === '=='
        ? !satisfies(amber, green.value)
        : direction === 'higher'
          ? amber.value > green.value
          : amber.value < green.value;
    if (isStricter) {
      return `amber "${amber.text}" is stricter than green "${green.text}"; amber is the band just short of green`;
    }
  }
  return amber ? { green, amber, direction } : { green, direction };
}

function parseBand(text: string): Band | undefined {
  const match = THRESHOLD_PATTERN.exec(text);
  if (!match) return undefined;
  return { op: match[1] as BandOp, value: Number(match[2]), text: `${match[1]} ${match[2]}` };
}

function bandDirection(op: BandOp): Thresholds['direction'] {
  return op === '>=' || op === '>' ? 'higher' : op === '==' ? 'target' : 'lower';
}

export function satisfies(band: Band, value: number): boolean {
  switch (band.op) {
    case '>=':
      return value >= band.value;
    case '>':
      return value > band.value;
    case '<=':
      return value <= band.value;
    case '<':
      return value < band.value;
    case '==':
      return value === band.value;
  }
}
