/** `isms-kpi detect FILE...`: recognise vendor exports; files that cannot be read are problems, not a stop. */
import path from 'node:path';
import { detectFile } from '../presets/detect.js';
import { problem } from '../problems.js';
import { DETECT_RENDERERS, type DetectFormat } from '../render/detect.js';
import type { Io } from './io.js';
import type { CommandResult } from './result.js';

export async function detect(
  files: readonly string[],
  options: { format: DetectFormat },
  io: Io,
): Promise<CommandResult> {
  const results = [];
  for (const file of files) results.push(await detectFile(path.resolve(io.cwd, file), file));
  const unreadable = results.filter((r) => r.problem !== undefined);
  return {
    stdout: DETECT_RENDERERS[options.format](results),
    problems: unreadable.map((r) =>
      problem(r.problemCode ?? 'file-unreadable', r.problem ?? '', { file: r.file }),
    ),
    outcome: {
      command: 'detect',
      unreadable: unreadable.length,
      unmatched: results.filter((r) => r.problem === undefined && r.best === undefined).length,
    },
  };
}
