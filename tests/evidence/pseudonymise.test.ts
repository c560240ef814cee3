/**
 * `report --evidence DIR --pseudonymise` and `reveal`: a pseudonymised pack of the example holds none of
 * the people of fixtures/acme (every name, login and e-mail address in their person columns), the same
 * key gives the same bytes and another key other pseudonyms, the pseudonyms are the same across quarters,
 * and `reveal` maps each pseudonym back to the value the plain pack has in the same cell.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySink } from '../../src/evidence/build-pack.js';
import {
  canonicalIdentifier,
  PSEUDONYM_PATTERN,
  Pseudonymiser,
  parseKey,
} from '../../src/evidence/pseudonymise.js';
import { writeEvidencePack } from '../../src/evidence/write-pack.js';
import { IsmsKpiError } from '../../src/problems.js';
import { readCsvText } from '../../src/sources/csv-reader.js';
import { REPO, runCli } from '../helpers/cli.js';
import { runBundled } from '../render/bundled.js';
import { parseCsv } from '../render/csv-parse.js';

const KEY = 'b3f1c0de-test-key-0000-000000000001';
const OTHER_KEY = 'b3f1c0de-test-key-0000-000000000002';
const NO_KEY = { ISMS_KPI_PSEUDONYM_KEY: undefined };

let dir: string;
let keyFile: string;
let plain: string;
let pseudo: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-pseudo-'));
  keyFile = path.join(dir, 'pseudonym.key');
  fs.writeFileSync(keyFile, `${KEY}\n`);
  plain = path.join(dir, 'plain');
  pseudo = path.join(dir, 'pseudo');
  expect((await report('--evidence', plain)).status).toBe(0);
  expect((await report('--evidence', pseudo, '--pseudonymise', '--pseudonym-key-file', keyFile)).status).toBe(
    0,
  );
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function report(...args: string[]) {
  return runCli(['report', '--period', '2026-Q3', '--fail-on', 'never', '--quiet', ...args], { env: NO_KEY });
}

/** Every file under a folder with its text, by relative path. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out[p] = fs.readFileSync(path.join(root, p), 'utf8');
    }
  };
  walk('');
  return out;
}

/** The cells of the named columns of a fixture export, read with its own delimiter. */
function columnValues(file: string, columns: string[]): string[] {
  const text = fs.readFileSync(path.join(REPO, 'fixtures/acme', file), 'utf8');
  let at: number[] = [];
  const values: string[] = [];
  readCsvText(
    text,
    file,
    {},
    {
      header: (cells) => {
        at = cells.flatMap((c, i) => (columns.includes(c.trim()) ? [i] : []));
      },
      record: (cells) => {
        for (const i of at) if (cells[i]?.trim()) values.push(cells[i]!.trim());
      },
    },
  );
  expect(values.length, `${file}: ${columns.join(', ')}`).toBeGreaterThan(0);
  return values;
}

/** The `user` objects of the KnowBe4 recipients export (several JSON answers, one after the other). */
function knowbe4Users(): { id: number; first_name: string; last_name: string; email: string }[] {
  const text = fs.readFileSync(path.join(REPO, 'fixtures/acme/knowbe4-phishing-recipients.json'), 'utf8');
  const users = [...text.matchAll(/"user":(\{[^{}]*\})/g)].map((m) => JSON.parse(m[1]!));
  expect(users.length).toBeGreaterThan(100);
  return users;
}

/**
 * The people of fixtures/acme, per fixture file: names, logins and e-mail addresses from every person
 * column (`texts`, found anywhere in a file), and short identifiers (employee ids, KnowBe4 user ids,
 * first and last names on their own) that are only looked for as whole CSV cells.
 */
function fixtureIdentifiers(): {
  groups: Record<string, string[]>;
  texts: string[];
  cells: string[];
} {
  const quarters = ['2026-Q2', '2026-Q3'];
  const users = knowbe4Users();
  const groups: Record<string, string[]> = {
    jira: columnValues('jira-incidents.csv', ['Assignee', 'Reporter', 'Creator', 'Project lead', 'Watchers']),
    entra: quarters.flatMap((q) =>
      columnValues(`entra-users-${q}.csv`, [
        'userPrincipalName',
        'displayName',
        'mail',
        'alternateEmailAddress',
      ]),
    ),
    // AWS's fixed name of the root user is no person (and the AC-09 formula quotes it).
    iam: quarters
      .flatMap((q) => columnValues(`aws-iam-credential-report-${q}.csv`, ['user']))
      .filter((t) => t !== '<root_account>'),
    leavers: columnValues('hr-leavers.csv', ['upn', 'full_name']),
    reviews: columnValues('access-reviews.csv', ['reviewer']),
    restores: columnValues('restore-tests.csv', ['tester']),
    training: quarters.flatMap((q) => columnValues(`training-${q}.csv`, ['user', 'email'])),
    phishing: users.flatMap((u) => [u.email, `${u.first_name} ${u.last_name}`]),
    // The suppliers' own staff log in with personal accounts (ext-<supplier>-NN).
    remote_sessions: columnValues('remote-access-sessions.csv', ['user', 'approved_by']),
    suppliers: quarters.flatMap((q) => columnValues(`supplier-register-${q}.csv`, ['owner'])),
    assets: quarters.flatMap((q) => columnValues(`asset-inventory-${q}.csv`, ['owner'])),
  };
  const cells = [
    ...columnValues('hr-leavers.csv', ['employee_id']),
    ...users.map((u) => String(u.id)),
    // A service mailbox's "first name" is a system's (`MES`), which other columns name too.
    ...users.filter((u) => !u.email.startsWith('svc-')).flatMap((u) => [u.first_name, u.last_name]),
  ];
  return {
    groups,
    texts: [...new Set(Object.values(groups).flat())],
    cells: [...new Set(cells)],
  };
}

/** The cells of every CSV file of a pack. */
function csvCells(files: Record<string, string>): Set<string> {
  return new Set(
    Object.entries(files)
      .filter(([file]) => file.endsWith('.csv'))
      .flatMap(([, content]) => parseCsv(content).flat()),
  );
}

describe('report --evidence --pseudonymise', () => {
  it('writes no identifier of the fixture into any file of the pack', () => {
    const { groups, texts, cells } = fixtureIdentifiers();
    expect(texts.length).toBeGreaterThan(100);
    const files = snapshot(pseudo);
    const plainFiles = snapshot(plain);
    // The plain pack does hold them (so the test would see a leak): people of every source the pack
    // shows records of (the restore testers are no mapped field), and the short identifiers as cells.
    const inPlain = (t: string) =>
      Object.values(plainFiles).some((c) => c.toLowerCase().includes(t.toLowerCase()));
    expect(texts.filter(inPlain).length).toBeGreaterThan(50);
    for (const [source, values] of Object.entries(groups)) {
      if (source !== 'restores') expect(values.filter(inPlain).length, source).toBeGreaterThan(0);
    }
    const plainCells = csvCells(plainFiles);
    expect(cells.filter((c) => plainCells.has(c)).length).toBeGreaterThan(50);
    for (const [file, content] of Object.entries(files)) {
      const lower = content.toLowerCase();
      const leaked = texts.filter((t) => lower.includes(t.toLowerCase()));
      expect(leaked, file).toEqual([]);
      if (file.endsWith('.csv')) {
        const fileCells = csvCells({ [file]: content });
        expect(
          cells.filter((c) => fileCells.has(c)),
          file,
        ).toEqual([]);
      }
    }
    expect(Object.keys(files).sort()).toEqual(Object.keys(plainFiles).sort());
  });

  it('replaces the personal fields with pseudonyms, row for row, and keeps every other cell', () => {
    const plainRows = parseCsv(fs.readFileSync(path.join(plain, 'kpis/AC-01.csv'), 'utf8'));
    const rows = parseCsv(fs.readFileSync(path.join(pseudo, 'kpis/AC-01.csv'), 'utf8'));
    expect(rows).toHaveLength(plainRows.length);
    const header = rows[0]!;
    expect(header).toEqual(plainRows[0]);
    const personal = ['employee_id', 'person'].map((f) => header.indexOf(f));
    const pseudonymiser = new Pseudonymiser(Buffer.from(KEY));
    for (const [r, row] of rows.entries()) {
      if (r === 0) continue;
      row.forEach((cell, c) => {
        if (personal.includes(c)) {
          expect(cell).toMatch(PSEUDONYM_PATTERN);
          expect(cell).toBe(pseudonymiser.pseudonym(plainRows[r]![c]!));
        } else expect(cell).toBe(plainRows[r]![c]);
      });
    }
  });

  it('lists the method, the key fingerprint and the fields per source in the manifest, never the key', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pseudo, 'manifest.json'), 'utf8'));
    expect(manifest.pseudonymisation.fields).toEqual({
      assets: ['owner'],
      entra: ['upn', 'display_name'],
      // Registers name a person as owner or approver in real life (the example writes roles there).
      exceptions_register: ['approver'],
      iam: ['id', 'arn'],
      leavers: ['employee_id', 'person'],
      phishing: ['email', 'user_id', 'first_name', 'last_name'],
      remote_sessions: ['user', 'approved_by'],
      reviews: ['reviewer'],
      risks: ['owner', 'treatment_owner'],
      risks_previous: ['owner', 'treatment_owner'],
      soa: ['owner'],
      suppliers: ['owner'],
      training: ['user', 'email'],
    });
    expect(manifest.pseudonymisation.keyFingerprint).toBe(new Pseudonymiser(Buffer.from(KEY)).fingerprint);
    expect(manifest.pseudonymisation.method).toMatch(/HMAC-SHA-256/);
    for (const content of Object.values(snapshot(pseudo))) expect(content).not.toContain(KEY);
    const plainManifest = JSON.parse(fs.readFileSync(path.join(plain, 'manifest.json'), 'utf8'));
    expect(plainManifest.pseudonymisation).toBeUndefined();
  });

  it('keeps only mapped columns of rejected rows and withholds other values quoted in the reasons', () => {
    const rows = parseCsv(fs.readFileSync(path.join(pseudo, 'rejected/incidents.csv'), 'utf8'));
    expect(rows[0]).not.toContain('Assignee');
    expect(rows[0]).toContain('Issue key');
    const plainRows = parseCsv(fs.readFileSync(path.join(plain, 'rejected/incidents.csv'), 'utf8'));
    expect(rows).toHaveLength(plainRows.length);
    const extraCell = rows.find((r) => r[5]!.includes('extra cell'))!;
    expect(extraCell[5]).toContain('not empty ("(withheld)")');
    // A value of a mapped, non-personal column stays quoted as it was.
    expect(rows.some((r) => r[5]!.includes('got "Severe"'))).toBe(true);
  });

  it('gives the same bytes for the same key (from a file or the environment), other pseudonyms for another key', async () => {
    const again = path.join(dir, 'again');
    const fromEnv = await runCli(
      [
        'report',
        '--period',
        '2026-Q3',
        '--fail-on',
        'never',
        '--quiet',
        '--evidence',
        again,
        '--pseudonymise',
      ],
      { env: { ISMS_KPI_PSEUDONYM_KEY: KEY } },
    );
    expect(fromEnv.status).toBe(0);
    expect(snapshot(again)).toEqual(snapshot(pseudo));

    const other = path.join(dir, 'other');
    const otherKey = path.join(dir, 'other.key');
    fs.writeFileSync(otherKey, OTHER_KEY);
    expect(
      (await report('--evidence', other, '--pseudonymise', '--pseudonym-key-file', otherKey)).status,
    ).toBe(0);
    const a = parseCsv(fs.readFileSync(path.join(pseudo, 'kpis/AC-07.csv'), 'utf8'));
    const b = parseCsv(fs.readFileSync(path.join(other, 'kpis/AC-07.csv'), 'utf8'));
    const upn = a[0]!.indexOf('upn');
    expect(a.length).toBe(b.length);
    for (let r = 1; r < a.length; r++) {
      expect(b[r]![upn]).toMatch(PSEUDONYM_PATTERN);
      expect(b[r]![upn]).not.toBe(a[r]![upn]);
    }
  });

  it('gives a person the same pseudonym in another quarter and in another source', async () => {
    const q2 = path.join(dir, 'q2');
    const run = await runCli(
      ['report', '--period', '2026-Q2', '--fail-on', 'never', '--quiet', '--evidence', q2, '--pseudonymise'],
      { env: { ISMS_KPI_PSEUDONYM_KEY: KEY } },
    );
    expect(run.status).toBe(0);
    const p = new Pseudonymiser(Buffer.from(KEY)).pseudonym('adm-henrik.gerdes@acme-precision.example');
    for (const pack of [q2, pseudo])
      expect(fs.readFileSync(path.join(pack, 'kpis/AC-07.csv'), 'utf8')).toContain(p);
    // The HR export's person and the IAM user name are the same login: one pseudonym in both sources.
    const leaver = new Pseudonymiser(Buffer.from(KEY)).pseudonym('dennis.pieper@acme-precision.example');
    expect(fs.readFileSync(path.join(pseudo, 'kpis/AC-02.csv'), 'utf8')).toContain(leaver);
    expect(fs.readFileSync(path.join(pseudo, 'kpis/AC-05.csv'), 'utf8')).toContain(leaver);
  });

  it('is written piece by piece like a plain pack: the same bytes for any piece size, the rows of the CLI pack', async () => {
    const result = await runBundled({ trace: true });
    const input = {
      report: result.report,
      catalogue: result.catalogue,
      sources: result.sources,
      traces: result.evaluation.traces,
      pseudonymiser: new Pseudonymiser(Buffer.from(KEY)),
    };
    const texts = async (chunkRows?: number) => {
      const sink = new MemorySink();
      await writeEvidencePack(input, sink, chunkRows === undefined ? {} : { chunkRows });
      return Object.fromEntries(
        [...sink.files].map(([p, chunks]) => [p, Buffer.concat(chunks).toString('utf8')]),
      );
    };
    const whole = await texts();
    expect(await texts(7)).toEqual(whole);
    for (const kpi of ['AC-01', 'AC-03', 'AC-07'])
      expect(whole[`kpis/${kpi}.csv`]).toBe(fs.readFileSync(path.join(pseudo, `kpis/${kpi}.csv`), 'utf8'));
  });

  it('stops with exit 2 and writes nothing without a key, with too short a key, or without --evidence', async () => {
    const target = path.join(dir, 'never');
    const noKey = await report('--evidence', target, '--pseudonymise');
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toBe(
      'error: --pseudonymise needs a pseudonym key: --pseudonym-key-file FILE, or the environment variable ISMS_KPI_PSEUDONYM_KEY (make a key with: openssl rand -hex 32, and keep it away from the packs)\n',
    );
    const short = path.join(dir, 'short.key');
    fs.writeFileSync(short, 'secret\n');
    const tooShort = await report('--evidence', target, '--pseudonymise', '--pseudonym-key-file', short);
    expect(tooShort.status).toBe(2);
    expect(tooShort.stderr).toMatch(
      /short\.key: the key file holds too short a key: a pseudonym key needs 16 characters/,
    );
    expect(tooShort.stderr).not.toContain('secret');
    const missing = await report('--evidence', target, '--pseudonymise', '--pseudonym-key-file', 'nope.key');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.key: --pseudonym-key-file: not found/);
    const noEvidence = await report('--pseudonymise', '--pseudonym-key-file', keyFile);
    expect(noEvidence.status).toBe(2);
    expect(noEvidence.stderr).toMatch(/--pseudonymise applies to the evidence pack; add --evidence DIR/);
    const keyOnly = await report('--evidence', target, '--pseudonym-key-file', keyFile);
    expect(keyOnly.status).toBe(2);
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe('pseudonyms', () => {
  const p = new Pseudonymiser(Buffer.from(KEY));
  it('are p- and 16 hex digits of the HMAC of the canonical value', () => {
    expect(p.pseudonym('Anna.Berg@x.example')).toMatch(PSEUDONYM_PATTERN);
    expect(p.pseudonym(' anna.berg@X.example ')).toBe(p.pseudonym('Anna.Berg@x.example'));
    expect(canonicalIdentifier(' Ondr\u030Cej ')).toBe('ondřej');
    expect(p.pseudonym('Ondr\u030Cej')).toBe(p.pseudonym('Ondřej'));
    expect(p.pseudonym('anna')).not.toBe(p.pseudonym('anne'));
    expect(p.pseudonym('  ')).toBe('  ');
    expect(new Pseudonymiser(Buffer.from(OTHER_KEY)).pseudonym('anna')).not.toBe(p.pseudonym('anna'));
    expect(new Pseudonymiser(Buffer.from(OTHER_KEY)).fingerprint).not.toBe(p.fingerprint);
  });

  it('refuse a key shorter than 16 characters, naming where it came from but not the key', () => {
    expect(() => parseKey('  short  ', { env: 'ISMS_KPI_PSEUDONYM_KEY' })).toThrow(IsmsKpiError);
    expect(() => parseKey('  short  ', { env: 'ISMS_KPI_PSEUDONYM_KEY' })).toThrow(
      /the environment variable ISMS_KPI_PSEUDONYM_KEY holds too short a key/,
    );
    expect(parseKey(` ${KEY}\n`, { file: 'k' }).toString('utf8')).toBe(KEY);
  });
});

describe('reveal', () => {
  const reveal = (...args: string[]) => runCli(['reveal', ...args], { env: NO_KEY });

  it('maps every pseudonym of a column back to the value the plain pack has in the same cell', async () => {
    const run = await reveal(
      pseudo,
      '--candidates',
      'fixtures/acme/hr-leavers.csv',
      '--pseudonym-key-file',
      keyFile,
      '--format',
      'json',
    );
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(
      /^revealed \d+ of \d+ pseudonyms from \d+ candidate values; nothing was written\n$/,
    );
    const revealed = JSON.parse(run.stdout) as { pseudonyms: { pseudonym: string; identifiers: string[] }[] };
    const identifierOf = new Map(revealed.pseudonyms.map((p) => [p.pseudonym, p.identifiers]));
    const plainRows = parseCsv(fs.readFileSync(path.join(plain, 'kpis/AC-01.csv'), 'utf8'));
    const rows = parseCsv(fs.readFileSync(path.join(pseudo, 'kpis/AC-01.csv'), 'utf8'));
    let checked = 0;
    for (const column of ['person', 'employee_id']) {
      const c = rows[0]!.indexOf(column);
      for (let r = 1; r < rows.length; r++) {
        expect(identifierOf.get(rows[r]![c]!)).toEqual([plainRows[r]![c]]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    // Nothing was written into the pack.
    expect(snapshot(pseudo)).toEqual(snapshot(path.join(dir, 'again')));
  });

  it('takes one column with --field, and one CSV of the pack', async () => {
    const run = await reveal(
      path.join(pseudo, 'kpis/AC-07.csv'),
      '--candidates',
      'fixtures/acme/entra-users-2026-Q3.csv',
      '--field',
      'userPrincipalName',
      '--format',
      'csv',
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^error: reveal needs a pseudonym key: --pseudonym-key-file FILE, or the environment variable/,
    );
    // The key from the environment.
    const withKey = await runCli(
      [
        'reveal',
        path.join(pseudo, 'kpis/AC-07.csv'),
        '--candidates',
        'fixtures/acme/entra-users-2026-Q3.csv',
        '--field',
        'userPrincipalName',
        '--format',
        'csv',
      ],
      { env: { ISMS_KPI_PSEUDONYM_KEY: KEY } },
    );
    expect(withKey.status).toBe(0);
    const rows = parseCsv(withKey.stdout);
    expect(rows[0]).toEqual(['pseudonym', 'identifier', 'columns', 'occurrences']);
    const upns = rows.filter((r) => r[2] === 'upn');
    expect(upns.length).toBeGreaterThan(3);
    for (const r of upns) expect(r[1]).toMatch(/^adm-.*@acme-precision\.example$/);
    // Display names are pseudonymised too, but not among the UPN candidates.
    expect(rows.filter((r) => r[2] === 'display_name').every((r) => r[1] === '')).toBe(true);
  });

  it('reads candidates from a JSON file, every string or the key path --field', async () => {
    const candidates = path.join(dir, 'users.json');
    fs.writeFileSync(
      candidates,
      JSON.stringify([
        {
          id: '00u1',
          profile: {
            login: 'ANNE.FISCHER@acme-precision.example',
            title: 'nadine.petersen@acme-precision.example',
          },
        },
        { id: '00u2', profile: { login: 'nadine.petersen@acme-precision.example' } },
      ]),
    );
    const byPath = await reveal(
      pseudo,
      '--candidates',
      candidates,
      '--field',
      'profile.login',
      '--pseudonym-key-file',
      keyFile,
      '--format',
      'json',
    );
    expect(byPath.status).toBe(0);
    const found = (JSON.parse(byPath.stdout).pseudonyms as { identifiers: string[] }[]).flatMap(
      (p) => p.identifiers,
    );
    expect(found).toEqual(['nadine.petersen@acme-precision.example']);
    const unknown = await reveal(
      pseudo,
      '--candidates',
      candidates,
      '--field',
      'profile.mail',
      '--pseudonym-key-file',
      keyFile,
    );
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--field "profile\.mail": no record of the candidates has this key/);
  });

  it('refuses another key, a plain pack, and an unknown --field', async () => {
    const otherKey = path.join(dir, 'other.key');
    const wrong = await reveal(
      pseudo,
      '--candidates',
      'fixtures/acme/hr-leavers.csv',
      '--pseudonym-key-file',
      otherKey,
    );
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/manifest\.json: the key is not the one the pack was pseudonymised with/);
    expect(wrong.stdout).toBe('');
    const notPseudo = await reveal(
      plain,
      '--candidates',
      'fixtures/acme/hr-leavers.csv',
      '--pseudonym-key-file',
      keyFile,
    );
    expect(notPseudo.status).toBe(2);
    expect(notPseudo.stderr).toMatch(/the evidence pack is not pseudonymised/);
    const field = await reveal(
      pseudo,
      '--candidates',
      'fixtures/acme/hr-leavers.csv',
      '--field',
      'login',
      '--pseudonym-key-file',
      keyFile,
    );
    expect(field.status).toBe(2);
    expect(field.stderr).toMatch(
      /--field "login": the candidates have no such column \(they have "employee_id", "upn"/,
    );
  });
});
