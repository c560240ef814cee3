/**
 * `verify` and the samples `isms-kpi sample` writes into a pack (issue 21). The pack's manifest cannot
 * list them (its hash seeds the draw, and the pack is written before any sample), so each sample carries
 * its own manifest, `samples/<name>.json`, naming the pack's manifest sha256 and its CSV's sha256.
 *
 * Decisions:
 * - A file under samples/ is a sample file, not `added`, when a sample manifest there names it (the
 *   manifest itself, and the CSV at its `file.path`). Anything else under samples/ (a CSV no sample
 *   manifest names, a JSON that is not a sample manifest) stays `added`.
 * - A sample is `ok` when it names this pack's manifest sha256, its KPI file's sha256 is the one this
 *   pack's manifest lists, and its CSV has the recorded sha256. It is `foreign` when it names another
 *   pack's manifest (copied from another pack, or the pack was written again after the sample was
 *   drawn), `changed` when its CSV has other bytes or is not a regular file (or the sample manifest no
 *   longer agrees with the pack's manifest), and `missing` when its CSV is gone. Every state but `ok` is
 *   a failure of the pack: the sample is not what was drawn from this pack.
 * - The sample manifest itself is checked for agreement only: nothing records its hash.
 */
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** The folder of a pack that `isms-kpi sample` writes into. */
export const SAMPLES_FOLDER = 'samples';

/** The largest sample manifest read (it lists the strata and a few hashes). */
const MAX_SAMPLE_MANIFEST_BYTES = 16 * 1024 * 1024;

export type SampleState = 'ok' | 'changed' | 'missing' | 'foreign';

export interface SampleCheck {
  /** The sample manifest, `samples/<name>.json`. */
  manifest: string;
  kpi: string;
  /** The sample's CSV, as the sample manifest names it. */
  file: string;
  state: SampleState;
  /** The CSV's sha256 in the sample manifest. */
  recorded: string;
  /** The CSV's sha256 as it is (absent when missing or not read). */
  actual?: string;
  /** The manifest sha256 of the pack the sample was drawn from, as the sample manifest names it. */
  drawnFrom: string;
  /** Why the sample is not ok, in words. */
  reason?: string;
}

const sampleManifestSchema = z.object({
  sample: z.number(),
  tool: z.object({ name: z.literal('isms-kpi') }),
  kpi: z.string(),
  evidencePack: z.object({ manifestSha256: z.string(), kpiFile: z.string(), kpiFileSha256: z.string() }),
  file: z.object({ path: z.string(), sha256: z.string() }),
});

type SampleManifest = z.infer<typeof sampleManifestSchema>;

async function readSampleManifest(file: string): Promise<SampleManifest | undefined> {
  const info = await lstat(file).catch(() => undefined);
  if (!info?.isFile() || info.size > MAX_SAMPLE_MANIFEST_BYTES) return undefined;
  try {
    const parsed = sampleManifestSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A sample's CSV: a plain name in samples/, so it can never point into the pack or out of it. */
const isSampleCsvPath = (relative: string): boolean =>
  relative.startsWith(`${SAMPLES_FOLDER}/`) &&
  /^[^/\\\0]+\.csv$/.test(relative.slice(SAMPLES_FOLDER.length + 1));

/**
 * The samples among the files of a pack its manifest does not list (`unlisted`: relative paths, `/`
 * separators), checked against the pack's manifest (its sha256 and its files with their sha256).
 * `claimed` holds the paths that belong to a sample (reported here, not as added).
 */
export async function checkSamples(
  dir: string,
  unlisted: readonly string[],
  pack: { manifestSha256: string; files: readonly { path: string; sha256: string }[] },
  hashOf: (file: string) => Promise<string>,
): Promise<{ samples: SampleCheck[]; claimed: Set<string> }> {
  const samples: SampleCheck[] = [];
  const claimed = new Set<string>();
  const present = new Set(unlisted);
  const candidates = unlisted
    .filter((p) => p.startsWith(`${SAMPLES_FOLDER}/`) && p.endsWith('.json') && p.split('/').length === 2)
    .sort();
  for (const at of candidates) {
    const m = await readSampleManifest(path.join(dir, ...at.split('/')));
    if (!m || !isSampleCsvPath(m.file.path)) continue;
    claimed.add(at);
    const csv = m.file.path;
    if (present.has(csv)) claimed.add(csv);
    const base = {
      manifest: at,
      kpi: m.kpi,
      file: csv,
      recorded: m.file.sha256,
      drawnFrom: m.evidencePack.manifestSha256,
    };
    if (m.evidencePack.manifestSha256 !== pack.manifestSha256) {
      samples.push({
        ...base,
        state: 'foreign',
        reason: `drawn from another evidence pack (manifest sha256 ${m.evidencePack.manifestSha256.slice(0, 12)}), not from this one`,
      });
      continue;
    }
    const kpiFile = pack.files.find((f) => f.path === m.evidencePack.kpiFile);
    if (kpiFile?.sha256 !== m.evidencePack.kpiFileSha256) {
      samples.push({
        ...base,
        state: 'changed',
        reason: `${at} names ${m.evidencePack.kpiFile} with another sha256 than the pack's manifest lists: the sample manifest was changed`,
      });
      continue;
    }
    const info = await lstat(path.join(dir, ...csv.split('/'))).catch(() => undefined);
    if (!info) {
      samples.push({ ...base, state: 'missing', reason: `${csv}, named by ${at}, is missing` });
      continue;
    }
    if (!info.isFile()) {
      samples.push({ ...base, state: 'changed', reason: `${csv} is not a regular file` });
      continue;
    }
    const actual = await hashOf(path.join(dir, ...csv.split('/')));
    samples.push(
      actual === m.file.sha256
        ? { ...base, state: 'ok', actual }
        : {
            ...base,
            state: 'changed',
            actual,
            reason: `${csv} has sha256 ${actual.slice(0, 12)}, ${at} records ${m.file.sha256.slice(0, 12)}`,
          },
    );
  }
  return { samples, claimed };
}
