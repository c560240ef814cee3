/**
 * The pseudonym key of `report --pseudonymise` and `reveal`: from `--pseudonym-key-file FILE` (the option
 * wins), else from the environment variable ISMS_KPI_PSEUDONYM_KEY. The key is never printed, never
 * written into the pack, and never part of a message (only where it came from).
 */
import path from 'node:path';
import { type KeyOrigin, Pseudonymiser, parseKey } from '../evidence/pseudonymise.js';
import { IsmsKpiError, problem } from '../problems.js';
import { fileProblem } from '../util/file-problem.js';
import type { Io } from './io.js';

export const PSEUDONYM_KEY_ENV = 'ISMS_KPI_PSEUDONYM_KEY';
/** A key file is a few dozen characters; anything this large is the wrong file. */
const MAX_KEY_FILE_BYTES = 4096;

export interface PseudonymKeyOptions {
  pseudonymKeyFile?: string | undefined;
}

/** The key's pseudonymiser, and where the key came from. */
export async function readPseudonymKey(
  options: PseudonymKeyOptions,
  io: Io,
  use: string,
): Promise<{ pseudonymiser: Pseudonymiser; origin: KeyOrigin }> {
  const file = options.pseudonymKeyFile;
  if (file !== undefined) {
    const text = await io.readText(path.resolve(io.cwd, file), MAX_KEY_FILE_BYTES).catch((error: unknown) => {
      const p = fileProblem(error, file, {
        missing: '--pseudonym-key-file: not found',
        tooLarge: `--pseudonym-key-file: larger than ${MAX_KEY_FILE_BYTES} bytes; a key file holds one key (openssl rand -hex 32)`,
      });
      throw new IsmsKpiError(
        p.message.startsWith('--pseudonym-key-file')
          ? p
          : { ...p, message: `--pseudonym-key-file: ${p.message}` },
      );
    });
    const origin = { file };
    return { pseudonymiser: new Pseudonymiser(parseKey(text, origin)), origin };
  }
  const value = io.env[PSEUDONYM_KEY_ENV];
  if (value === undefined || value === '')
    throw new IsmsKpiError(
      problem(
        'usage',
        `${use} needs a pseudonym key: --pseudonym-key-file FILE, or the environment variable ${PSEUDONYM_KEY_ENV} (make a key with: openssl rand -hex 32, and keep it away from the packs)`,
      ),
    );
  const origin = { env: PSEUDONYM_KEY_ENV };
  return { pseudonymiser: new Pseudonymiser(parseKey(value, origin)), origin };
}
