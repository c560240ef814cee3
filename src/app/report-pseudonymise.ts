/**
 * `report --evidence DIR --pseudonymise`: the options checked and the key read before any export is, so
 * a missing key stops the run at once (exit 2) rather than after the evaluation.
 */
import type { Pseudonymiser } from '../evidence/pseudonymise.js';
import { IsmsKpiError, problem } from '../problems.js';
import type { Io } from './io.js';
import { readPseudonymKey } from './pseudonym-key.js';

export async function evidencePseudonymiser(
  options: {
    evidence?: string | undefined;
    pseudonymise?: boolean | undefined;
    pseudonymKeyFile?: string | undefined;
  },
  io: Io,
): Promise<Pseudonymiser | undefined> {
  if (!options.pseudonymise) {
    if (options.pseudonymKeyFile !== undefined)
      throw new IsmsKpiError(
        problem(
          'usage',
          '--pseudonym-key-file is the key of --pseudonymise; add --pseudonymise (and --evidence DIR)',
        ),
      );
    return undefined;
  }
  if (options.evidence === undefined)
    throw new IsmsKpiError(
      problem(
        'usage',
        '--pseudonymise applies to the evidence pack; add --evidence DIR (the report itself lists no rows)',
      ),
    );
  return (await readPseudonymKey(options, io, '--pseudonymise')).pseudonymiser;
}
