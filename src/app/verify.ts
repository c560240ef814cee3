/**
 * `isms-kpi verify DIR...`: checks evidence packs (src/evidence/verify.ts) and prints the result; exit 0
 * when every pack (and with --chain every link) verifies, 1 when one fails, 2 when a pack cannot be
 * read or a key file is wrong (src/app/exit-policy.ts).
 */
import path from 'node:path';
import { verifyPacks } from '../evidence/verify.js';
import { IsmsKpiError, problem } from '../problems.js';
import { VERIFY_RENDERERS, type VerifyFormat } from '../render/verify.js';
import { readPublicKey } from './evidence-options.js';
import type { Io } from './io.js';
import type { CommandResult } from './result.js';

export interface VerifyCommandOptions {
  format: VerifyFormat;
  /** The public key (SPKI PEM) to check manifest.json.sig with. */
  key?: string | undefined;
  /** The folders are consecutive packs, oldest first. */
  chain?: boolean | undefined;
  /** The folder the source paths are relative to (the catalogue's); false: --no-sources. */
  sources: string | false;
  requireSources?: boolean | undefined;
}

export async function verify(
  dirs: readonly string[],
  options: VerifyCommandOptions,
  io: Io,
): Promise<CommandResult> {
  if (options.chain && dirs.length < 2)
    throw new IsmsKpiError(
      problem(
        'usage',
        '--chain needs the folders of two or more packs, oldest first: verify --chain Q2/ Q3/',
      ),
    );
  if (options.requireSources && options.sources === false)
    throw new IsmsKpiError(
      problem('usage', '--require-sources and --no-sources contradict each other; give one'),
    );
  const publicKey = options.key !== undefined ? await readPublicKey(io, options.key) : undefined;
  if (options.sources !== false) {
    const info = await io.stat(path.resolve(io.cwd, options.sources)).catch(() => undefined);
    if (!info?.isDirectory)
      throw new IsmsKpiError(
        problem(
          'usage',
          "--sources: not a folder; give the catalogue's folder (source paths are relative to it)",
          {
            file: options.sources,
          },
        ),
      );
  }
  const verification = await verifyPacks(
    dirs.map((dir) => ({ dir: path.resolve(io.cwd, dir), shown: dir })),
    {
      ...(options.sources !== false
        ? { sources: { root: path.resolve(io.cwd, options.sources), shown: options.sources } }
        : {}),
      requireSources: options.requireSources === true,
      publicKey,
      chain: options.chain === true,
    },
  );
  return {
    stdout: VERIFY_RENDERERS[options.format](verification),
    problems: [],
    outcome: { command: 'verify', ok: verification.ok },
  };
}
