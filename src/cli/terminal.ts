/**
 * What the terminal can show: colours and width. Decided here, from the Io's environment and stdout,
 * and passed down as options (nothing below src/cli/ reads process.* or the environment for this).
 *
 * Decisions (issue 18):
 * - Colours: `--no-color` wins; then `NO_COLOR` (any non-empty value, no-color.org); then `FORCE_COLOR`
 *   (`0` or `false`: none; any other value, even empty: colours, also into a pipe, as chalk reads it);
 *   then `TERM=dumb` (none); else colours only on a terminal.
 * - Width of the table: --width, else the terminal's columns, else `COLUMNS` from the environment (a
 *   pipe into `less`), else the renderer's default (120). Below MIN_WIDTH nothing useful fits.
 * - `TERM=dumb` also turns the progress display off (it redraws lines with cursor movements).
 */
import type { Io } from '../app/io.js';
import type { Output } from './output.js';

export const MIN_WIDTH = 40;

export function isColorTerminal(env: Io['env'], isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

/** The width to lay the table out for, when the terminal or the environment gives one. */
export function terminalWidth(env: Io['env'], stdout: Pick<Output, 'isTTY' | 'columns'>): number | undefined {
  if (stdout.isTTY && stdout.columns !== undefined && stdout.columns > 0)
    return Math.max(MIN_WIDTH, stdout.columns);
  const fromEnv = Number(env.COLUMNS);
  if (env.COLUMNS !== undefined && Number.isInteger(fromEnv) && fromEnv > 0)
    return Math.max(MIN_WIDTH, fromEnv);
  return undefined;
}
