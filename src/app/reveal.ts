/**
 * `isms-kpi reveal PACK_OR_CSV --candidates FILE`: the key holder re-identifies the pseudonyms of a
 * pseudonymised evidence pack. An HMAC cannot be reversed, so reveal computes the pseudonym of every
 * candidate identifier (each cell of an HR export, of the original source, or of a list of names; one
 * column with --field) with the key, and prints the pseudonyms found in the pack with the candidates
 * whose pseudonym they are. Nothing is written: the mapping exists only on the key holder's screen.
 *
 * A pack's manifest records the key's fingerprint; a key with another fingerprint is refused (exit 2),
 * since every pseudonym would stay unrevealed.
 */
import path from 'node:path';
import { MANIFEST_FILE } from '../evidence/pack-manifest.js';
import { canonicalIdentifier, PSEUDONYMS_IN_TEXT } from '../evidence/pseudonymise.js';
import { IsmsKpiError, problem } from '../problems.js';
import { type RevealedPseudonym, type RevealFormat, renderReveal } from '../render/reveal.js';
import { readCsvFile } from '../sources/csv-reader.js';
import { quote } from '../text.js';
import { fileProblem } from '../util/file-problem.js';
import { readPackManifest } from './evidence-pack.js';
import type { Io } from './io.js';
import { readPseudonymKey } from './pseudonym-key.js';
import type { CommandResult } from './result.js';

export interface RevealOptions {
  candidates: string;
  field?: string | undefined;
  pseudonymKeyFile?: string | undefined;
  format: RevealFormat;
}

const MAX_JSON_CANDIDATES_BYTES = 256 * 1024 * 1024;

interface Found {
  columns: Set<string>;
  occurrences: number;
}

export async function reveal(target: string, options: RevealOptions, io: Io): Promise<CommandResult> {
  const { pseudonymiser } = await readPseudonymKey(options, io, 'reveal');
  const absolute = path.resolve(io.cwd, target);
  const info = await io.stat(absolute).catch((error: unknown) => {
    throw new IsmsKpiError(
      fileProblem(error, target, { missing: 'not found: give an evidence pack folder or a CSV file of one' }),
    );
  });
  const found = new Map<string, Found>();
  if (info.isDirectory) {
    const { manifest } = await readPackManifest(io, target);
    const block = manifest.pseudonymisation;
    if (!block)
      throw new IsmsKpiError(
        problem(
          'usage',
          'the evidence pack is not pseudonymised (its manifest has no pseudonymisation block): nothing to reveal',
          {
            file: path.join(target, MANIFEST_FILE),
          },
        ),
      );
    if (block.keyFingerprint !== pseudonymiser.fingerprint)
      throw new IsmsKpiError(
        problem(
          'usage',
          `the key is not the one the pack was pseudonymised with (its fingerprint is ${pseudonymiser.fingerprint}, the pack's ${block.keyFingerprint})`,
          { file: path.join(target, MANIFEST_FILE) },
        ),
      );
    for (const file of manifest.files)
      await scanCsv(path.join(absolute, ...file.path.split('/')), `${target}/${file.path}`, found);
  } else {
    await scanCsv(absolute, target, found);
  }

  const { values, count } = await readCandidates(io, options.candidates, options.field);
  const identifiersOf = new Map<string, Map<string, string>>();
  for (const value of values) {
    const p = pseudonymiser.pseudonym(value);
    if (!found.has(p)) continue;
    const byCanonical = identifiersOf.get(p) ?? new Map<string, string>();
    const canonical = canonicalIdentifier(value);
    if (!byCanonical.has(canonical)) byCanonical.set(canonical, value.trim());
    identifiersOf.set(p, byCanonical);
  }
  const pseudonyms: RevealedPseudonym[] = [...found].map(([pseudonym, f]) => ({
    pseudonym,
    identifiers: [...(identifiersOf.get(pseudonym)?.values() ?? [])],
    columns: [...f.columns],
    occurrences: f.occurrences,
  }));
  const revealed = pseudonyms.filter((p) => p.identifiers.length > 0).length;
  const notes = [
    `revealed ${revealed} of ${pseudonyms.length} pseudonyms from ${count} candidate values; nothing was written`,
  ];
  if (pseudonyms.length === 0) notes.push(`no pseudonym (p- and 16 hex digits) in ${target}`);
  return {
    stdout: renderReveal(
      { target, candidates: options.candidates, candidateCount: count, pseudonyms },
      options.format,
    ),
    problems: [],
    notes,
    outcome: { command: 'done' },
  };
}

/** Every pseudonym in a CSV, with the columns that hold it. */
async function scanCsv(file: string, shown: string, found: Map<string, Found>): Promise<void> {
  let header: string[] = [];
  await readCsvFile(
    file,
    shown,
    {},
    {
      header: (cells) => {
        header = [...cells];
      },
      record: (cells) => {
        cells.forEach((cell, i) => {
          if (!cell.includes('p-')) return;
          for (const match of cell.matchAll(PSEUDONYMS_IN_TEXT)) {
            const entry = found.get(match[0]) ?? { columns: new Set<string>(), occurrences: 0 };
            entry.columns.add(header[i] ?? `column ${i + 1}`);
            entry.occurrences++;
            found.set(match[0], entry);
          }
        });
      },
    },
  ).catch((error: unknown) => {
    if (error instanceof IsmsKpiError) throw error;
    throw new IsmsKpiError(fileProblem(error, shown));
  });
}

/**
 * The candidate identifiers: every cell of a CSV (of its column `field`), or every string of a JSON
 * document (at the key or dotted path `field` of its records).
 */
async function readCandidates(
  io: Io,
  file: string,
  field: string | undefined,
): Promise<{ values: Set<string>; count: number }> {
  const absolute = path.resolve(io.cwd, file);
  const wording = { missing: '--candidates: not found' };
  await io.stat(absolute).catch((error: unknown) => {
    throw new IsmsKpiError(fileProblem(error, file, wording));
  });
  const values = new Set<string>();
  let count = 0;
  const add = (value: string) => {
    if (value.trim() === '') return;
    count++;
    values.add(value);
  };
  if (/\.json$/i.test(file)) {
    const text = await io.readText(absolute, MAX_JSON_CANDIDATES_BYTES).catch((error: unknown) => {
      throw new IsmsKpiError(fileProblem(error, file, wording));
    });
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new IsmsKpiError(problem('file-unreadable', '--candidates: is not valid JSON', { file }));
    }
    const matched = { any: false };
    walkJson(data, [], field?.split('.'), add, matched);
    if (field !== undefined && !matched.any)
      throw new IsmsKpiError(
        problem(
          'usage',
          `--field ${quote(field)}: no record of the candidates has this key (a dotted path like profile.login)`,
          { file },
        ),
      );
    return { values, count };
  }
  let column = -1;
  let header: string[] = [];
  await readCsvFile(
    absolute,
    file,
    {},
    {
      header: (cells) => {
        header = cells.map((c) => c.trim());
        if (field === undefined) return;
        column = header.findIndex((c) => c.toLowerCase() === field.trim().toLowerCase());
        if (column < 0)
          throw new IsmsKpiError(
            problem(
              'usage',
              `--field ${quote(field)}: the candidates have no such column (they have ${header.map((h) => quote(h)).join(', ')})`,
              {
                file,
              },
            ),
          );
      },
      record: (cells) => {
        if (column >= 0) add(cells[column] ?? '');
        else for (const cell of cells) add(cell);
      },
    },
  ).catch((error: unknown) => {
    if (error instanceof IsmsKpiError) throw error;
    throw new IsmsKpiError(fileProblem(error, file, wording));
  });
  // Without --field the header's names are candidates too (a list of names without a header).
  if (field === undefined) for (const name of header) add(name);
  return { values, count };
}

function walkJson(
  value: unknown,
  at: string[],
  field: string[] | undefined,
  add: (value: string) => void,
  matched: { any: boolean },
): void {
  if (Array.isArray(value)) {
    for (const item of value) walkJson(item, at, field, add, matched);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) walkJson(inner, [...at, key], field, add, matched);
    return;
  }
  if (typeof value !== 'string' && typeof value !== 'number') return;
  if (field !== undefined) {
    // The path's tail: `profile.login` matches the key profile.login of the records, wherever they are.
    if (at.length < field.length || field.some((k, i) => at[at.length - field.length + i] !== k)) return;
    matched.any = true;
  }
  add(String(value));
}
