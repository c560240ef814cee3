/**
 * Progress on stderr while big exports are read: one line per source, redrawn in place, with a bar when
 * the file size is known. Only on a terminal (never in CI logs or piped output) and never with --quiet.
 */
import type { SourceProgress } from '../engine/run.js';
import { plural } from '../report/numbers.js';
import { safeText } from '../text.js';
import type { Output } from './output.js';

export type ProgressHandler = (progress: SourceProgress) => void;

export function progressPrinter(
  stream: Output,
  isQuiet: boolean,
): { onProgress?: ProgressHandler; done(): void } {
  if (isQuiet || !stream.isTTY) return { done() {} };
  const states = new Map<string, SourceProgress>();
  let lastDraw = 0;
  let drawnLines = 0;
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const lines = [...states.values()].map(line);
    let text = drawnLines > 0 ? `\x1b[${drawnLines}A` : '';
    for (const l of lines) text += `\r\x1b[2K${l}\n`;
    drawnLines = lines.length;
    stream.write(text);
  };
  return {
    onProgress(progress) {
      states.set(progress.source, progress);
      draw(progress.isDone === true);
    },
    done() {
      if (drawnLines === 0) return;
      stream.write(`\x1b[${drawnLines}A\x1b[0J`);
      drawnLines = 0;
    },
  };
}

const WIDTH = 24;

function line(p: SourceProgress): string {
  const source = safeText(p.source);
  const rows = plural(p.rows, 'row');
  if (p.totalBytes <= 0) return `reading ${source}: ${rows}`;
  const fraction = Math.min(1, p.isDone ? 1 : p.bytes / p.totalBytes);
  const filled = Math.round(fraction * WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
  return `reading ${source.padEnd(14)} ${bar} ${String(Math.round(fraction * 100)).padStart(3)} %  ${rows}`;
}
