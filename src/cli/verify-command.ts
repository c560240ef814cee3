/** `isms-kpi verify DIR...` and its options (wired into the program by commands.ts). */
import { type Command, Option } from 'commander';
import { verify } from '../app/verify.js';
import { VERIFY_FORMATS } from '../render/verify.js';
import type { Context } from './commands.js';

export function verifyCommand(program: Command, { io, run }: Context): void {
  program
    .command('verify')
    .argument('<dir...>', 'evidence pack folders (written by report --evidence); with --chain, oldest first')
    .description(
      'check evidence packs: re-hash every file the manifest lists (and the source exports where still found), list changed, missing and added files, check the signature and, with --chain, the link between consecutive packs',
    )
    .option(
      '--chain',
      'the folders are consecutive packs, oldest first: check that each records the one before it',
    )
    .option(
      '--key <public.pem>',
      "the signer's Ed25519 public key (PEM, SPKI): check manifest.json.sig with it",
    )
    .option(
      '--sources <dir>',
      "the folder the manifest's source paths are relative to: the catalogue's folder (default: the current folder)",
    )
    .option('--no-sources', 'check only the files of the pack, not the source exports')
    .option(
      '--require-sources',
      'a source export that is not found fails the verification (default: not checked)',
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(VERIFY_FORMATS).default('table'))
    .addHelpText(
      'after',
      `\nExamples:\n  $ isms-kpi verify audit/2026-Q3\n  $ isms-kpi verify audit/2026-Q3 --key isms-kpi-signing.pub.pem\n  $ isms-kpi verify --chain audit/2026-Q1 audit/2026-Q2 audit/2026-Q3\n  $ isms-kpi verify audit/2026-Q3 --sources . --require-sources --format json\n\nExit codes:\n  0  every pack verified (and with --chain every link)\n  1  a file changed, is missing or was added; a source export changed (or, with --require-sources,\n     was not found); the signature is invalid, or missing with --key; a link of the chain is broken\n  2  a folder is not an evidence pack, a key file is wrong, or a usage error`,
    )
    .action((dirs: string[], options) =>
      run(() =>
        verify(
          dirs,
          {
            format: options.format,
            key: options.key,
            chain: options.chain,
            sources: options.sources === false ? false : (options.sources ?? '.'),
            requireSources: options.requireSources,
          },
          io,
        ),
      ),
    );
}
