// The benchmark's profiles: which data, catalogue and DuckDB twin a run uses, which commands it times
// by default, and the targets it checks. bench/run.mjs and bench/profile.mjs pick one with --profile.
//
// - realistic (the default; the targets of issue 16): a Jira issue export, an AWS IAM credential report
//   and a Nessus CSV in their vendor layouts, read through the real presets, with high-cardinality
//   multi-line non-ASCII text, list fields, duplicate removal and local-time dates
//   (bench/realistic/). Times `report`, `validate` and `report --evidence DIR`.
// - synthetic: the original profile (bench/generate.mjs, bench/catalogue.yaml, bench/duckdb.mjs):
//   narrow ASCII exports with typed columns and short phrases, no lists, no duplicates. Times `report`.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as synthetic from './generate.mjs';
import * as realistic from './realistic/generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

export const PROFILES = {
  realistic: {
    name: 'realistic',
    ensureData: realistic.ensureData,
    files: realistic.FILES,
    catalogue: join(HERE, 'realistic', 'catalogue.yaml'),
    duckdb: join(HERE, 'realistic', 'duckdb.mjs'),
    kpiCount: 20,
    sizes: [100_000, 1_000_000, 5_000_000],
    commands: ['report', 'validate', 'evidence'],
    /** Every source is clean by construction: a rejected row or a warning is a bug of one side. */
    cleanData: true,
    targets: {
      ratioAt1M: 1.5,
      stretchRatioAt1M: 1.0,
      rssAt1MMb: 1024,
      rssAt5MMb: 3072,
      timeGrowth5MOver1M: 5.5,
      evidenceRssAt1MMb: 2048,
      evidenceOverReportAt1M: 2,
      validateOverReportAt1M: 1,
    },
  },
  synthetic: {
    name: 'synthetic',
    ensureData: synthetic.ensureData,
    files: synthetic.FILES,
    catalogue: join(HERE, 'catalogue.yaml'),
    duckdb: join(HERE, 'duckdb.mjs'),
    kpiCount: 20,
    sizes: [100_000, 1_000_000, 2_000_000],
    commands: ['report'],
    cleanData: false,
    targets: {
      ratioAt1M: 1.5,
      stretchRatioAt1M: 1.0,
      rssAt1MMb: 1024,
      rssLinear2M: true,
      timeGrowth2MOver1M: 2.2,
    },
  },
};

export const DEFAULT_PROFILE = 'realistic';

export function profileNamed(name) {
  const profile = PROFILES[name];
  if (!profile)
    throw new Error(`--profile: "${name}" is not a profile (${Object.keys(PROFILES).join(', ')})`);
  return profile;
}
