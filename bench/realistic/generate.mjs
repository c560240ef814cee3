#!/usr/bin/env node
// Deterministic generator of the exports of the benchmark's `realistic` profile, in the vendor layouts
// the presets read (nothing large is committed).
//
//   node bench/realistic/generate.mjs 100000 [--force] [--out DIR]
//
// Writes (into DIR, by default) bench/.data/realistic/<N>/{jira-issues,aws-credential-report,nessus}.csv (N data records each)
// and manifest.json (generator version, seed, each file's size and sha256); a later call for the same N
// reuses the files while they match. All randomness comes from seeded mulberry32 streams and every date
// is computed from integers, so the same N gives byte-identical files on every machine.
//
// jira-issues.csv (preset jira-issues), about 640 bytes a record:
//   UTF-8 BOM, CRLF line ends, the columns of a Jira Cloud issue export with repeated `Labels` (4),
//   `Watchers` and `Watchers Id` (3 each), `Component/s` (2), `Attachment` (2) and `Comment` (3)
//   columns, filled from the left; four `Custom field (...)` columns (Severity, Root cause, Affected
//   user, Affected host). Quoted only where needed. Summaries are unique per row (templates in English,
//   German, French, Polish and Japanese, filled with names, places, hosts, accounts and numbers; emoji
//   now and then); descriptions and comments are multi-line (LF or CRLF inside the quotes, `""`
//   escapes), lognormal in length (median about 160 characters, long tail to 8,000), mixing the five
//   languages. Dates are Jira's `dd/MMM/yy h:mm a` in local time (Europe/Berlin, no offset; the hour
//   02:00-02:59 of the days the clocks change is never written, so every local time names one instant
//   in both engines; see bench/realistic/duckdb.mjs). Issues are created from June to October 2026, so
//   about 60 % fall in 2026-Q3.
// aws-credential-report.csv (preset aws-iam-credential-report), about 300 bytes a record:
//   the 22 columns; `<root_account>` first, then N - 1 users (console users, service and CI accounts);
//   `N/A`, `no_information`, `not_supported` as the real report writes them; booleans lowercase with a
//   few `TRUE`/`FALSE`.
// nessus.csv (preset nessus), about 480 bytes a record:
//   every field quoted; one row per CVE (a finding of a plugin with three CVEs on a host is three rows
//   that differ only in `CVE`); about 3 % of findings are written twice in a row (all their rows, exact
//   duplicates: scan results merged from two scanners), which the catalogue drops with
//   `duplicates: drop-exact`; Description, Solution and Plugin Output span lines.
//
// Cross-source names: Jira's `Custom field (Affected user)` names IAM users (sometimes in another case,
// with a trailing space, or an outside e-mail address), `Custom field (Affected host)` names scanned
// hosts (and some that were never scanned).

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFiles, mulberry32, sourceHash, weighted } from '../lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const DATA_ROOT = join(HERE, '..', '.data', 'realistic');
export const SEED = 20261116;
export const FILES = ['jira-issues.csv', 'aws-credential-report.csv', 'nessus.csv'];
const GENERATOR_HASH = sourceHash(fileURLToPath(import.meta.url), join(HERE, '..', 'lib.mjs'));

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------
const pick = (rnd, values) => values[Math.floor(rnd() * values.length)];
/** A standard normal number (Box-Muller). */
const normal = (rnd) => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
/** A lognormal number with the given median and spread (sigma of the logarithm). */
const lognormal = (rnd, median, sigma) => median * Math.exp(sigma * normal(rnd));
/** A count picked with the given weights for 0, 1, 2, ... */
const counts = (weights) => weighted([...weights.keys()], weights);
const hex = (rnd, digits) => {
  let s = '';
  for (let i = 0; i < digits; i++) s += '0123456789abcdef'[Math.floor(rnd() * 16)];
  return s;
};
/** A CSV cell as Jira writes it: quoted only when it must be. */
const cell = (s) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
/** A CSV cell as Nessus writes it: always quoted. */
const quoted = (s) => `"${s.includes('"') ? s.replaceAll('"', '""') : s}"`;

// --- dates, from integer seconds --------------------------------------------------------------
const DAY_S = 86_400;
const P2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const BASE_DAY = Date.UTC(2010, 0, 1) / 1000 / DAY_S;
/** Calendar fields of every day from 2010-01-01 to 2029. */
const DAYS = Array.from({ length: 20 * 366 }, (_, i) => {
  const d = new Date((BASE_DAY + i) * DAY_S * 1000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate(), dow: d.getUTCDay() };
});
const seconds = (y, m, d, h = 0, min = 0) => Date.UTC(y, m - 1, d, h, min) / 1000;
const dayOf = (s) => DAYS[Math.floor(s / DAY_S) - BASE_DAY];

/**
 * The days on which Europe/Berlin changes its clocks (last Sunday of March and of October): on them the
 * local hour 02:00-02:59 does not exist (March) or exists twice (October).
 */
const DST_DAYS = new Set();
for (let y = 2010; y < 2030; y++)
  for (const m of [3, 10]) {
    const last = new Date(Date.UTC(y, m, 0));
    DST_DAYS.add(Date.UTC(y, m - 1, last.getUTCDate() - last.getUTCDay()) / 1000 / DAY_S);
  }
/** Local seconds moved out of the hour the clocks change in, so that they name exactly one instant. */
function unambiguous(local) {
  const day = Math.floor(local / DAY_S);
  if (DST_DAYS.has(day) && Math.floor((local - day * DAY_S) / 3600) === 2) return local + 3600;
  return local;
}
/** Jira: local seconds -> `dd/MMM/yy h:mm a`, e.g. `09/Jan/24 3:54 PM`. */
function jiraDate(local) {
  const { y, m, d } = dayOf(local);
  const r = local - Math.floor(local / DAY_S) * DAY_S;
  const h = Math.floor(r / 3600);
  const min = Math.floor((r - h * 3600) / 60);
  return `${P2[d]}/${MONTHS[m]}/${P2[y % 100]} ${h % 12 === 0 ? 12 : h % 12}:${P2[min]} ${h < 12 ? 'AM' : 'PM'}`;
}
/** AWS: UTC seconds -> `2017-06-10T02:35:07+00:00`. */
function awsDate(s) {
  const { y, m, d } = dayOf(s);
  const r = s - Math.floor(s / DAY_S) * DAY_S;
  const h = Math.floor(r / 3600);
  const min = Math.floor((r - h * 3600) / 60);
  return `${y}-${P2[m + 1]}-${P2[d]}T${P2[h]}:${P2[min]}:${P2[r % 60]}+00:00`;
}
/** Nessus: seconds -> `yyyy/MM/dd`. */
function nessusDate(s) {
  const { y, m, d } = dayOf(s);
  return `${y}/${P2[m + 1]}/${P2[d]}`;
}

// ---------------------------------------------------------------------------------------------
// Words, names and places (German, French, Polish, Japanese, English)
// ---------------------------------------------------------------------------------------------
const GIVEN = {
  de: ['Jürgen', 'Lena', 'Jörg', 'Mareike', 'Björn', 'Anneliese', 'Lukas', 'Sören', 'Käthe', 'Matthias'],
  fr: ['Zoë', 'Élodie', 'François', 'Hélène', 'Jérôme', 'Noël', 'Gaëlle', 'Loïc', 'Cécile', 'Benoît'],
  pl: [
    'Łukasz',
    'Małgorzata',
    'Paweł',
    'Zofia',
    'Wojciech',
    'Agnieszka',
    'Michał',
    'Jędrzej',
    'Ewa',
    'Bożena',
  ],
  ja: ['さくら', '翔太', '陽菜', '蓮', '美咲', '大輔', '結衣', '健', '由美', '拓海'],
  en: ['Daniel', 'Mira', 'Tomás', 'Ines', 'Yuki', 'Marta', 'Oliver', 'Priya', 'Samuel', 'Grace'],
};
const FAMILY = {
  de: ['Müller', 'Groß', 'Schröder', 'Weiß', 'Hoffmann', 'Köhler', 'Bäcker', 'Fuß', 'Schäfer', 'Krüger'],
  fr: [
    'Lefèvre',
    'Dubois',
    'Bérénger',
    'Mercier',
    'Lemaître',
    'Girard',
    'Fournier',
    'Chevalier',
    'Rivière',
    'Gauthier',
  ],
  pl: [
    'Wiśniewski',
    'Kowalczyk',
    'Wójcik',
    'Zieliński',
    'Dąbrowska',
    'Łuczak',
    'Woźniak',
    'Kamińska',
    'Szymański',
    'Żak',
  ],
  ja: ['渡辺', '佐藤', '鈴木', '高橋', '田中', '伊藤', '山本', '中村', '小林', '加藤'],
  en: ['Osei', 'Carvalho', 'Lindqvist', 'Okafor', 'Tanaka', 'Hoffman', 'Nguyen', 'Patel', 'Brennan', 'Walsh'],
};
const LANGS = ['de', 'fr', 'pl', 'ja', 'en'];
const LANG = weighted(LANGS, [0.3, 0.15, 0.15, 0.1, 0.3]);
/** ASCII spellings, for IAM user names (IAM allows only ASCII). */
const ASCII = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  é: 'e',
  è: 'e',
  ê: 'e',
  ë: 'e',
  ï: 'i',
  î: 'i',
  ô: 'o',
  ç: 'c',
  ł: 'l',
  ą: 'a',
  ę: 'e',
  ś: 's',
  ź: 'z',
  ż: 'z',
  ń: 'n',
  ó: 'o',
  ć: 'c',
  á: 'a',
};
const asciiName = (s) => s.toLowerCase().replace(/[^a-z]/g, (c) => ASCII[c] ?? '');

const DEPARTMENTS = [
  'Buchhaltung',
  'Einkauf',
  'Personalabteilung',
  'Comptabilité',
  'Ressources humaines',
  'Ventes',
  'Księgowość',
  'Dział kadr',
  'Logistyka',
  '経理部',
  '人事部',
  '営業部',
  'Finance',
  'Legal',
  'Customer Support',
  'R&D',
];
const PLACES = [
  'München',
  'Köln',
  'Düsseldorf',
  'Zürich',
  'Besançon',
  'Genève',
  'Orléans',
  'Kraków',
  'Łódź',
  'Gdańsk',
  'Wrocław',
  '大阪',
  '東京',
  '名古屋',
  'Lisbon',
  'Austin',
];
const COUNTRIES = [
  'Deutschland',
  'Österreich',
  'France',
  'Polska',
  '日本',
  'Brazil',
  'Nigeria',
  'Vietnam',
  'Russia',
  'United States',
  'Türkiye',
  'Česko',
];
const APPS = [
  'SAP ERP',
  'SharePoint',
  'Salesforce',
  'Workday',
  'Confluence',
  'GitLab',
  'Jenkins',
  'Okta',
  'Entra ID',
  'AWS Console',
  'DATEV',
  'Lohnbuchhaltung',
  'Intranet',
  'MES',
  'Webshop',
];
const MALWARE = [
  'Emotet',
  'Qakbot',
  'AgentTesla',
  'Cobalt Strike beacon',
  'RedLine stealer',
  'LockBit 3.0',
  'Mimikatz',
  'njRAT',
];
const JOBS = [
  'BJ-Fileserver-daily',
  'BJ-SAP-HANA',
  'BJ-Exchange',
  'BJ-SQL-nightly',
  'BJ-NAS-weekly',
  'BJ-VDI',
];

const SUMMARY = {
  en: [
    (f) => `Phishing email impersonating ${f.person} reported by ${f.dept}`,
    (f) => `Suspicious sign-in for ${f.user} from ${f.country}`,
    (f) => `EDR alert: ${f.malware} blocked on ${f.host}`,
    (f) => `Lost laptop ${f.asset} (${f.place}, encrypted)`,
    (f) => `MFA reset requested for ${f.user} (ticket ${f.n})`,
    (f) => `Certificate for ${f.host} expires in ${f.n % 30} days`,
    (f) => `Access request: ${f.app} for ${f.person}`,
    (f) => `${f.cve} on ${f.host}: patch before ${(f.n % 28) + 1} Oct`,
    (f) => `Data sent to the wrong recipient (${f.dept}, ${f.n} records)`,
    (f) => `Backup job ${f.job} failed on ${f.host}`,
  ],
  de: [
    (f) => `Phishing-Mail an ${f.dept} weitergeleitet (${f.n} Empfänger)`,
    (f) => `Verdächtige Anmeldung von ${f.user} aus ${f.country}`,
    (f) => `Zugriff auf ${f.app} für ${f.person} beantragt`,
    (f) => `Laptop ${f.asset} in ${f.place} verloren`,
    (f) => `Störung: ${f.app} seit ${f.n % 24} Uhr nicht erreichbar`,
    (f) => `Zertifikat für ${f.host} läuft in ${f.n % 30} Tagen ab`,
    (f) => `Überprüfung der Berechtigungen: ${f.dept} (${f.n})`,
    (f) => `Schadsoftware ${f.malware} auf ${f.host} gefunden`,
  ],
  fr: [
    (f) => `Hameçonnage : courriel frauduleux reçu par ${f.dept} (${f.n})`,
    (f) => `Connexion suspecte de ${f.user} depuis ${f.country}`,
    (f) => `Perte du poste ${f.asset} à ${f.place}`,
    (f) => `Demande d'accès à ${f.app} pour ${f.person}`,
    (f) => `Échec de la sauvegarde ${f.job} sur ${f.host}`,
    (f) => `Certificat expiré pour ${f.host} (réf. ${f.n})`,
  ],
  pl: [
    (f) => `Podejrzany e-mail (phishing) w dziale ${f.dept}, ${f.n} odbiorców`,
    (f) => `Zgłoszenie: utrata laptopa ${f.asset} (${f.place})`,
    (f) => `Błąd kopii zapasowej ${f.job} na ${f.host}`,
    (f) => `Wniosek o dostęp do ${f.app} dla ${f.person}`,
    (f) => `Podejrzane logowanie użytkownika ${f.user} z kraju ${f.country}`,
  ],
  ja: [
    (f) => `フィッシングメールの報告（${f.dept}、${f.n}件）`,
    (f) => `${f.user} の不審なログイン（${f.country}）`,
    (f) => `ノートPC ${f.asset} の紛失（${f.place}）`,
    (f) => `${f.app} へのアクセス申請：${f.person}`,
    (f) => `${f.host} でバックアップ ${f.job} が失敗`,
    (f) => `証明書の期限切れ：${f.host}`,
  ],
};
/** The first template of each language is about phishing. */
const PHISHING_TEMPLATE = 0;

const WORDS = {
  de: 'der die das und nicht mit Zugriff Passwort Störung Überprüfung Sicherheitsvorfall Benutzerkonto gesperrt Rechenzentrum Verschlüsselung Datenschutz Mitarbeiter Anhang verdächtig Weiterleitung Größe Prüfung Außendienst Lieferant Zertifikat abgelaufen bitte prüfen erledigt heute morgen Rückmeldung Kollegin Freigabe Änderung Maßnahme'.split(
    ' ',
  ),
  fr: "le la les et ne pas avec accès mot de passe incident sécurité hameçonnage pièce jointe réseau échec sauvegarde déjà vérification fournisseur données personnelles poste travail élevé coupure certificat expiré traiter merci d'avance réponse équipe été mesure prévue".split(
    ' ',
  ),
  pl: 'i nie z w na dostęp hasło zgłoszenie wyłudzenie załącznik sieć błąd kopia zapasowa użytkownik zablokowane podejrzany dział księgowości żądanie środowisko ścieżka proszę sprawdzić dziękuję zmiana wdrożenie serwer pilne zamknięte'.split(
    ' ',
  ),
  ja: '不正アクセス パスワード 添付ファイル ネットワーク 障害 バックアップ 確認済み 利用者 ロック 証明書 期限切れ 対応中 経理部 セキュリティ 調査 報告 再発防止 完了 お願いします 承認 変更 サーバー'.split(
    ' ',
  ),
  en: 'the user reported a suspicious login from unknown device and the mailbox rule was removed after reset of password MFA token VPN endpoint isolated firewall rule ticket escalated no impact confirmed by SOC analyst please check logs attached screenshot follow-up root cause remediation'.split(
    ' ',
  ),
};
const SNIPPETS = [
  (f) => `Sender domain: examp1e-${f.n % 97}.com (look-alike).`,
  (f) => `User: ""I only noticed at the office"" (${f.person}).`,
  (f) => `Host ${f.host} isolated at ${f.n % 24}:${P2[f.n % 60]}.`,
  (f) => `Affected account: ${f.user}`,
  (f) => `Siehe auch ${f.cve} (CVSS ${(f.n % 100) / 10}).`,
  (f) => `Ticket lié : INC${String(f.n).padStart(7, '0')}`,
  (f) => `> Original message from ${f.person} <${asciiName(f.person).slice(0, 12)}@example.de>`,
];
const EMOJI = ['🔥', '⚠️', '🙏', '✅', '🚨', '😅', '👍', '🛡️'];

const LABELS =
  'phishing malware ransomware vpn mfa access-request iso27001 A.5.24 A.8.8 gdpr dsgvo rgpd rodo lost-device backup certificate vulnerability patching firewall edr siem awareness supplier cloud aws azure m365 okta sap ot usb privacy insider ddos dns email web endpoint server network urgent customer audit-finding nonconformity risk exception sécurité bezpieczeństwo セキュリティ störung'.split(
    ' ',
  );
const COMPONENTS = [
  'Active Directory',
  'Entra ID',
  'E-Mail',
  'VPN',
  'SAP ERP',
  'Zahlungsverkehr',
  'Réseau',
  'Księgowość',
  'Webshop',
  'Rechenzentrum Nord',
  'Poste de travail',
  'Serwery',
  'クラウド基盤',
  'Firewall',
  'Backup',
  'Okta',
  'AWS',
  'Jira',
  'Confluence',
  'OT / SCADA',
  'Drucker',
  'Téléphonie',
  'HR-Portal',
  'MES',
  'Mobile Geräte',
];
const ROOT_CAUSES = [
  'Social engineering',
  'Human error',
  'Misconfiguration',
  'Fehlkonfiguration',
  'Erreur humaine',
  'Błąd ludzki',
  '設定ミス',
  'Unpatched software',
  'Third party',
  'Unknown',
];
const FILES_ATTACHED = [
  'headers.eml',
  'screenshot.png',
  'Rechnung_März.pdf',
  "capture d'écran.png",
  'zrzut_ekranu_łącze.jpg',
  'スクリーンショット.png',
  'firewall-export.csv',
  'EDR-report.pdf',
];

/** Project key, name, lead index. */
const PROJECTS = [
  ['SEC', 'Security Operations', 'Information security incidents and requests (ISMS A.5.24-A.5.28)'],
  ['ITOPS', 'IT-Betrieb', 'Störungen und Anfragen des IT-Betriebs'],
  ['GRC', 'Gouvernance, risques et conformité', 'Risques, exceptions et constats d’audit'],
  ['IAM', 'Identity & Access', 'Zarządzanie dostępem i kontami'],
  ['SOC', 'SOC 24/7', 'Alerts from EDR, SIEM and the mail gateway'],
  ['NET', 'Netzwerk', 'Firewall changes, VPN and network incidents'],
];
const PROJECT = weighted([0, 1, 2, 3, 4, 5], [0.3, 0.2, 0.1, 0.1, 0.2, 0.1]);
const ISSUE_TYPE = weighted(
  ['Incident', 'Task', 'Bug', 'Service Request', 'Problem'],
  [0.45, 0.25, 0.1, 0.15, 0.05],
);
const PRIORITY = weighted(['Highest', 'High', 'Medium', 'Low', 'Lowest'], [0.04, 0.16, 0.5, 0.25, 0.05]);
/** Median hours to resolve, by priority. */
const RESOLVE_H = { Highest: 8, High: 24, Medium: 72, Low: 200, Lowest: 400 };
const SEVERITY = weighted(['1 - Critical', '2 - High', '3 - Medium', '4 - Low'], [0.05, 0.15, 0.45, 0.35]);
const RESOLUTION = weighted(
  ['Done', 'Fixed', "Won't Do", 'Duplicate', 'Cannot Reproduce'],
  [0.7, 0.15, 0.07, 0.05, 0.03],
);
const DONE_STATUS = weighted(['Done', 'Closed', 'Resolved'], [0.6, 0.25, 0.15]);
const OPEN_STATUS = weighted(
  [
    ['Open', 'To Do'],
    ['To Do', 'To Do'],
    ['In Progress', 'In Progress'],
    ['Waiting for support', 'In Progress'],
    ['Pending', 'In Progress'],
  ],
  [0.2, 0.2, 0.35, 0.15, 0.1],
);
const LABEL_COUNT = counts([0.25, 0.35, 0.25, 0.1, 0.05]);
const WATCHER_COUNT = counts([0.3, 0.4, 0.2, 0.1]);
const COMPONENT_COUNT = counts([0.3, 0.55, 0.15]);
const ATTACHMENT_COUNT = counts([0.85, 0.12, 0.03]);
const COMMENT_COUNT = counts([0.5, 0.3, 0.15, 0.05]);

// ---------------------------------------------------------------------------------------------
// People, IAM users and hosts: pure functions of an index, so every file names the same ones
// ---------------------------------------------------------------------------------------------
const PEOPLE = (() => {
  const rnd = mulberry32(SEED ^ 0x5151);
  return Array.from({ length: 3000 }, () => {
    const lang = LANG(rnd());
    const given = pick(rnd, GIVEN[lang]);
    const family = pick(rnd, FAMILY[lang]);
    const name = lang === 'ja' ? `${family} ${given}` : `${given} ${family}`;
    const id =
      rnd() < 0.7
        ? `712020:${hex(rnd, 8)}-${hex(rnd, 4)}-${hex(rnd, 4)}-${hex(rnd, 4)}-${hex(rnd, 12)}`
        : hex(rnd, 24);
    return { name, id };
  });
})();
const BOT = { name: 'Service Desk Bot', id: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077' };
/** A person, skewed: a few analysts handle most issues. */
const person = (rnd, pool = 400) => PEOPLE[Math.floor(pool * rnd() ** 2)];

const ROMAN_GIVEN = [
  'lukasz',
  'malgorzata',
  'jurgen',
  'lena',
  'zoe',
  'elodie',
  'francois',
  'yuki',
  'sakura',
  'shota',
  'daniel',
  'mira',
  'tomas',
  'ines',
  'pawel',
  'zofia',
  'bjorn',
  'helene',
  'jerome',
  'priya',
];
const ROMAN_FAMILY = [
  'wisniewski',
  'kowalczyk',
  'mueller',
  'gross',
  'lefevre',
  'dubois',
  'watanabe',
  'sato',
  'tanaka',
  'osei',
  'carvalho',
  'lindqvist',
  'okafor',
  'schroeder',
  'mercier',
  'wozniak',
  'nguyen',
  'patel',
  'koehler',
  'girard',
];
const USER_PREFIX = ['dev', 'ops', 'fin', 'hr', 'sec', 'data', 'sales', 'it'];
const SERVICE_PREFIX = ['svc', 'ci', 'app', 'backup', 'etl'];
const COMBOS = ROMAN_GIVEN.length * ROMAN_FAMILY.length * USER_PREFIX.length;
/** IAM user k (k >= 1): `dev-lukasz.wisniewski`, `ops-zoe.dubois7`, `svc-etl-48213`, ... all distinct. */
function iamUser(k) {
  if (k % 10 === 3)
    return `${SERVICE_PREFIX[(k >> 4) % SERVICE_PREFIX.length]}-${APPS[k % APPS.length].toLowerCase().replace(/[^a-z]/g, '')}-${k}`;
  const c = (k * 7919) % COMBOS;
  const round = Math.floor(k / COMBOS);
  const given = ROMAN_GIVEN[c % ROMAN_GIVEN.length];
  const family = ROMAN_FAMILY[Math.floor(c / ROMAN_GIVEN.length) % ROMAN_FAMILY.length];
  const prefix = USER_PREFIX[Math.floor(c / (ROMAN_GIVEN.length * ROMAN_FAMILY.length))];
  return `${prefix}-${given}.${family}${round === 0 ? '' : round}`;
}
const isServiceUser = (k) => k % 10 === 3;

const SITES = ['fra', 'muc', 'waw', 'par', 'osa', 'lis'];
const ROLES = ['app', 'db', 'web', 'dc', 'file', 'sap', 'k8s', 'mail'];
/** Scanned host k: an IP address or a host name. */
function host(k) {
  if (k % 5 < 2) return `10.${(k >> 14) & 255}.${(k >> 6) & 255}.${(k & 63) + 10}`;
  return `${ROLES[k % ROLES.length]}${String(k).padStart(5, '0')}.${SITES[(k >> 3) % SITES.length]}.corp.example.com`;
}
const hostCount = (n) => Math.max(20, Math.round(n / 40));
const cve = (rnd) => `CVE-${2014 + Math.floor(rnd() * 13)}-${1000 + Math.floor(rnd() * 60000)}`;

// ---------------------------------------------------------------------------------------------
// Free text
// ---------------------------------------------------------------------------------------------
/** Placeholders for the templates: fresh values for one row. */
function fillers(rnd, n) {
  return {
    person: person(rnd, PEOPLE.length).name,
    dept: pick(rnd, DEPARTMENTS),
    user: iamUser(1 + Math.floor(rnd() * Math.max(1, n - 1))),
    country: pick(rnd, COUNTRIES),
    malware: pick(rnd, MALWARE),
    host: host(Math.floor(rnd() * hostCount(n))),
    asset: `LT-${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`,
    place: pick(rnd, PLACES),
    app: pick(rnd, APPS),
    job: pick(rnd, JOBS),
    cve: cve(rnd),
    n: Math.floor(rnd() * 100000),
  };
}

/** One sentence in `lang`. */
function sentence(rnd, lang) {
  const words = WORDS[lang];
  const count = 4 + Math.floor(rnd() * 14);
  const parts = [];
  for (let i = 0; i < count; i++) parts.push(words[Math.floor(rnd() * words.length)]);
  if (lang === 'ja') return `${parts.join('')}。`;
  const s = parts.join(' ');
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
}

/** Free text of about `length` characters: sentences in `lang` (and some English), snippets, lines. */
function text(rnd, lang, length, f) {
  const eol = rnd() < 0.3 ? '\r\n' : '\n';
  let out = '';
  let line = '';
  while (out.length + line.length < length) {
    const u = rnd();
    const piece =
      u < 0.08 ? pick(rnd, SNIPPETS)(f) : u < 0.1 ? pick(rnd, EMOJI) : sentence(rnd, u < 0.3 ? 'en' : lang);
    line = line === '' ? piece : `${line}${lang === 'ja' ? '' : ' '}${piece}`;
    if (rnd() < 0.25) {
      out += line + (rnd() < 0.15 ? eol + eol : eol);
      line = '';
    }
  }
  return (out + line).trimEnd();
}

// ---------------------------------------------------------------------------------------------
// jira-issues.csv
// ---------------------------------------------------------------------------------------------
export const JIRA_HEADER = [
  'Summary',
  'Issue key',
  'Issue id',
  'Issue Type',
  'Status',
  'Project key',
  'Project name',
  'Project type',
  'Project lead',
  'Project lead id',
  'Project description',
  'Priority',
  'Resolution',
  'Assignee',
  'Assignee Id',
  'Reporter',
  'Reporter Id',
  'Creator',
  'Creator Id',
  'Created',
  'Updated',
  'Last Viewed',
  'Resolved',
  'Due date',
  'Votes',
  'Labels',
  'Labels',
  'Labels',
  'Labels',
  'Description',
  'Environment',
  'Watchers',
  'Watchers',
  'Watchers',
  'Watchers Id',
  'Watchers Id',
  'Watchers Id',
  'Original estimate',
  'Remaining Estimate',
  'Time Spent',
  'Work Ratio',
  'Component/s',
  'Component/s',
  'Security Level',
  'Attachment',
  'Attachment',
  'Custom field (Severity)',
  'Custom field (Root cause)',
  'Custom field (Affected user)',
  'Custom field (Affected host)',
  'Comment',
  'Comment',
  'Comment',
  'Status Category',
  'Status Category Changed',
];
/** Issues are created (local time) from 2026-06-01 to 2026-11-01; the export is taken on 2026-11-03. */
const CREATED_FROM = seconds(2026, 6, 1);
const CREATED_TO = seconds(2026, 11, 1);
const EXPORTED = seconds(2026, 11, 3, 9, 0);

/** `count` cells from `values` (distinct), filled from the left, padded with empty cells to `width`. */
function repeated(rnd, values, count, width) {
  const chosen = [];
  while (chosen.length < count) {
    const v = pick(rnd, values);
    if (!chosen.includes(v)) chosen.push(v);
  }
  const cells = chosen.map(cell);
  while (cells.length < width) cells.push('');
  return cells;
}

function jira(n, out) {
  const rnd = mulberry32(SEED ^ 0x1111);
  const hosts = hostCount(n);
  out.write(`\ufeff${JIRA_HEADER.join(',')}\r\n`);
  const keys = PROJECTS.map(() => 100);
  for (let i = 0; i < n; i++) {
    const f = fillers(rnd, n);
    const p = PROJECT(rnd());
    const [projectKey, projectName, projectDescription] = PROJECTS[p];
    const lead = PEOPLE[p * 7];
    const type = ISSUE_TYPE(rnd());
    const priority = PRIORITY(rnd());
    const lang = LANG(rnd());
    const templates = SUMMARY[lang];
    // Phishing is over-represented among incidents, as in a real security desk.
    const t = type === 'Incident' && rnd() < 0.12 ? PHISHING_TEMPLATE : Math.floor(rnd() * templates.length);
    const u = rnd();
    const summary = `${u < 0.01 ? `${pick(rnd, EMOJI)} ` : u < 0.03 ? '[URGENT] ' : ''}${templates[t](f)}`;

    // Created: weekdays in office hours mostly; local time, never in the hour the clocks change.
    let created = CREATED_FROM + Math.floor(rnd() * ((CREATED_TO - CREATED_FROM) / 60)) * 60;
    if (rnd() < 0.75) {
      const day = Math.floor(created / DAY_S);
      created = day * DAY_S + (7 * 3600 + Math.floor(rnd() * 11 * 60) * 60);
    }
    created = unambiguous(created);
    let resolved = -1;
    if (rnd() > 0.08) {
      const r = created + Math.max(60, Math.round(lognormal(rnd, RESOLVE_H[priority], 1.2) * 60) * 60);
      if (r < EXPORTED) resolved = unambiguous(r);
    }
    const updated = unambiguous(
      Math.min(EXPORTED, (resolved > 0 ? resolved : created) + Math.floor((rnd() * 3 * DAY_S) / 60) * 60),
    );
    const viewed =
      rnd() < 0.6
        ? jiraDate(unambiguous(Math.min(EXPORTED, updated + Math.floor((rnd() * 5 * DAY_S) / 60) * 60)))
        : '';
    const due = rnd() < 0.4 ? jiraDate(Math.floor(created / DAY_S + 3 + rnd() * 30) * DAY_S) : '';
    let status;
    let category;
    let resolution = '';
    if (resolved > 0) {
      status = DONE_STATUS(rnd());
      category = 'Done';
      resolution = RESOLUTION(rnd());
    } else [status, category] = OPEN_STATUS(rnd());

    const assignee = rnd() < 0.1 ? null : person(rnd);
    const reporter = rnd() < 0.15 ? BOT : person(rnd, PEOPLE.length);
    const labelCount = LABEL_COUNT(rnd());
    const labels = repeated(rnd, LABELS, labelCount, 4);
    if (t === PHISHING_TEMPLATE && rnd() < 0.7 && !labels.includes('phishing')) {
      labels.pop();
      labels.unshift('phishing');
    }
    const description = text(rnd, lang, Math.min(8000, lognormal(rnd, 60, 1.1)), f);
    const watchers = [];
    for (let w = WATCHER_COUNT(rnd()); w > 0; w--) {
      const who = person(rnd, PEOPLE.length);
      if (!watchers.includes(who)) watchers.push(who);
    }
    const estimate = rnd() < 0.4 ? String(900 * (1 + Math.floor(rnd() * 32))) : '';
    const spent = rnd() < 0.5 ? String(300 * (1 + Math.floor(rnd() * 96))) : '';
    const components = repeated(rnd, COMPONENTS, COMPONENT_COUNT(rnd()), 2);
    const security = rnd() < 0.7 ? '' : rnd() < 0.67 ? 'Internal' : 'Confidential';
    const attachments = [];
    for (let a = ATTACHMENT_COUNT(rnd()); a > 0; a--) {
      const file = pick(rnd, FILES_ATTACHED);
      const id = 20000 + Math.floor(rnd() * 900000);
      attachments.push(
        cell(
          `${jiraDate(unambiguous(created + 600))};${person(rnd).id};${file};https://jira.example.com/secure/attachment/${id}/${encodeURIComponent(file)}`,
        ),
      );
    }
    while (attachments.length < 2) attachments.push('');
    const severity = rnd() < (type === 'Incident' ? 0.85 : 0.2) ? SEVERITY(rnd()) : '';
    const rootCause = rnd() < 0.3 ? pick(rnd, ROOT_CAUSES) : '';
    let affectedUser = '';
    if (rnd() < (type === 'Incident' ? 0.5 : 0.15)) {
      const v = rnd();
      const k = 1 + Math.floor(rnd() * Math.max(1, n - 1));
      const name = iamUser(k);
      affectedUser =
        v < 0.03
          ? `${PEOPLE[Math.floor(rnd() * 200)].name.replace(' ', '.')}@Partner.example.de`
          : v < 0.08
            ? name.toUpperCase()
            : v < 0.11
              ? name[0].toUpperCase() + name.slice(1)
              : v < 0.12
                ? `${name} `
                : name;
    }
    const affectedHost =
      rnd() < 0.05
        ? rnd() < 0.85
          ? host(Math.floor(rnd() * hosts))
          : `ws-${String(Math.floor(rnd() * 50000)).padStart(5, '0')}.corp.example.com`
        : '';
    const comments = [];
    let at = created;
    for (let c = COMMENT_COUNT(rnd()); c > 0; c--) {
      at = unambiguous(at + Math.floor((rnd() * 2 * DAY_S) / 60) * 60);
      comments.push(
        cell(
          `${jiraDate(at)};${person(rnd).id};${text(rnd, lang, Math.min(4000, lognormal(rnd, 30, 0.9)), f)}`,
        ),
      );
    }
    while (comments.length < 3) comments.push('');
    keys[p] += 1 + (rnd() < 0.05 ? 1 : 0);

    const row = [
      cell(summary),
      `${projectKey}-${keys[p]}`,
      String(10000 + i),
      type,
      status,
      projectKey,
      cell(projectName),
      'software',
      lead.name,
      lead.id,
      cell(projectDescription),
      priority,
      resolution,
      assignee ? assignee.name : '',
      assignee ? assignee.id : '',
      reporter.name,
      reporter.id,
      reporter.name,
      reporter.id,
      jiraDate(created),
      jiraDate(updated),
      viewed,
      resolved > 0 ? jiraDate(resolved) : '',
      due,
      rnd() < 0.9 ? '0' : String(1 + Math.floor(rnd() * 3)),
      ...labels,
      cell(description),
      rnd() < 0.9 ? '' : cell(`Windows 11 23H2, ${pick(rnd, ['Edge 129', 'Chrome 130', 'Firefox 131'])}`),
      ...[0, 1, 2].map((w) => watchers[w]?.name ?? ''),
      ...[0, 1, 2].map((w) => watchers[w]?.id ?? ''),
      estimate,
      estimate === '' ? '' : '0',
      spent,
      estimate !== '' && spent !== '' ? `${Math.round((100 * Number(spent)) / Number(estimate))}%` : '',
      ...components,
      security,
      ...attachments,
      severity,
      rootCause,
      cell(affectedUser),
      affectedHost,
      ...comments,
      category,
      jiraDate(resolved > 0 ? resolved : updated),
    ];
    out.write(`${row.join(',')}\r\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// aws-credential-report.csv
// ---------------------------------------------------------------------------------------------
const AWS_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const ACCOUNT = '210987654321';
const REGIONS = ['eu-central-1', 'eu-west-1', 'us-east-1', 'ap-northeast-1', 'eu-north-1'];
const SERVICES = ['s3', 'sts', 'ec2', 'iam', 'cloudformation', 'lambda', 'dynamodb', 'ecr', 'secretsmanager'];
/** The report is generated on 2026-09-30 (UTC); every timestamp is before it. */
const REPORT_AT = seconds(2026, 9, 30, 6, 0);

function aws(n, out) {
  const rnd = mulberry32(SEED ^ 0x2222);
  out.write(`${AWS_HEADER}\n`);
  out.write(
    `<root_account>,arn:aws:iam::${ACCOUNT}:root,2016-03-04T08:12:45+00:00,not_supported,${awsDate(REPORT_AT - 86_400 * 20)},not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`,
  );
  const since = seconds(2015, 1, 1);
  const bool = (b) => {
    const s = b ? 'true' : 'false';
    return rnd() < 0.005 ? s.toUpperCase() : s;
  };
  const before = (from) => from + Math.floor(rnd() * (REPORT_AT - from));
  for (let k = 1; k < n; k++) {
    const name = iamUser(k);
    const service = isServiceUser(k);
    const path = service ? 'service' : name.slice(0, name.indexOf('-'));
    const created = before(since);
    const hasConsole = !service && rnd() < 0.8;
    let pwUsed = 'N/A';
    let pwChanged = 'N/A';
    let pwNext = 'N/A';
    if (hasConsole) {
      pwUsed = rnd() < 0.1 ? 'no_information' : awsDate(before(created));
      const changed = before(created);
      pwChanged = awsDate(changed);
      if (rnd() < 0.3) pwNext = awsDate(changed + 90 * 86_400);
    }
    const mfa = hasConsole && rnd() < 0.75;
    const key = () => {
      if (rnd() < (service ? 0.05 : 0.45)) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
      const active = rnd() < 0.85;
      const rotated = before(created);
      const used = rnd() < 0.2 ? null : before(rotated);
      return [
        bool(active),
        awsDate(rotated),
        used === null ? 'N/A' : awsDate(used),
        used === null ? 'N/A' : pick(rnd, REGIONS),
        used === null ? 'N/A' : pick(rnd, SERVICES),
      ];
    };
    const key1 = key();
    const key2 = rnd() < 0.12 ? key() : ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
    out.write(
      `${name},arn:aws:iam::${ACCOUNT}:user/${path}/${name},${awsDate(created)},${bool(hasConsole)},${pwUsed},${pwChanged},${pwNext},${bool(mfa)},${key1.join(',')},${key2.join(',')},false,N/A,false,N/A\n`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// nessus.csv
// ---------------------------------------------------------------------------------------------
const NESSUS_HEADER = [
  'Plugin ID',
  'CVE',
  'CVSS v2.0 Base Score',
  'Risk',
  'Host',
  'Protocol',
  'Port',
  'Name',
  'Synopsis',
  'Description',
  'Solution',
  'See Also',
  'Plugin Output',
  'CVSS v3.0 Base Score',
  'VPR Score',
  'Risk Factor',
  'Plugin Publication Date',
];
const RISK = weighted(['None', 'Low', 'Medium', 'High', 'Critical'], [0.3, 0.1, 0.3, 0.2, 0.1]);
const CVSS = { None: [0, 0], Low: [0.1, 3.9], Medium: [4, 6.9], High: [7, 8.9], Critical: [9, 10] };
const PRODUCTS = [
  'Apache Log4j',
  'OpenSSL',
  'OpenSSH',
  'Apache httpd',
  'nginx',
  'Microsoft Windows',
  'Microsoft Exchange',
  'VMware vCenter',
  'PHP',
  'Oracle Java SE',
  'Samba',
  'PostgreSQL',
  'Jenkins',
  'Citrix ADC',
  'Fortinet FortiOS',
];
const FLAWS = [
  'Multiple Vulnerabilities',
  'Remote Code Execution',
  'Denial of Service',
  'Information Disclosure',
  'Privilege Escalation',
  'Authentication Bypass',
];
const INFO_NAMES = [
  'Nessus Scan Information',
  'OS Identification',
  'Service Detection',
  'SSL Certificate Information',
  'Traceroute Information',
  'Open Port Re-check',
  'Host Fully Qualified Domain Name (FQDN) Resolution',
  'Common Platform Enumeration (CPE)',
];
const CVE_COUNT = counts([0.15, 0.45, 0.15, 0.1, 0.05, 0.04, 0.03, 0.02, 0.01]);
const PLUGIN_TEXT =
  'the remote host is affected by a vulnerability in the installed version which allows an unauthenticated remote attacker to execute arbitrary code cause a denial of service or disclose sensitive information via crafted requests note that Nessus has not tested for these issues but has instead relied only on the application self-reported version number'.split(
    ' ',
  );

/** The plugin pool: the same for every N. */
const PLUGINS = (() => {
  const rnd = mulberry32(SEED ^ 0x4444);
  const ids = new Set();
  return Array.from({ length: 2500 }, (_, i) => {
    let id;
    do id = 10000 + Math.floor(rnd() * 190000);
    while (ids.has(id));
    ids.add(id);
    const risk = i < 40 ? 'None' : RISK(rnd());
    const product = pick(rnd, PRODUCTS);
    const version = `${1 + Math.floor(rnd() * 9)}.${Math.floor(rnd() * 20)}.${Math.floor(rnd() * 30)}`;
    const name =
      risk === 'None'
        ? i < INFO_NAMES.length
          ? INFO_NAMES[i]
          : `${product} Detection (${i})`
        : `${product} < ${version} ${pick(rnd, FLAWS)}`;
    const sentenceOf = (len) => {
      const words = [];
      for (let w = 0; w < len; w++) words.push(pick(rnd, PLUGIN_TEXT));
      return words.join(' ');
    };
    const lines = [];
    const target = Math.min(2000, lognormal(rnd, 40, 0.7));
    let length = 0;
    while (length < target) {
      const line = `${rnd() < 0.3 ? '  - ' : ''}${sentenceOf(5 + Math.floor(rnd() * 12))}${rnd() < 0.05 ? ' (""Log4Shell"")' : ''}.`;
      lines.push(line);
      length += line.length;
    }
    const [lo, hi] = CVSS[risk];
    const score = () => (lo + Math.floor(rnd() * ((hi - lo) * 10 + 1)) / 10).toFixed(1);
    return {
      id: String(id),
      risk,
      name,
      synopsis:
        risk === 'None'
          ? `This plugin reports ${name.toLowerCase()}.`
          : `The remote host is affected by ${pick(rnd, FLAWS).toLowerCase()}.`,
      description: lines.join(rnd() < 0.5 ? '\n' : '\n\n'),
      solution:
        risk === 'None'
          ? 'n/a'
          : `Upgrade to ${product} version ${version.replace(/\d+$/, (d) => String(Number(d) + 1))} or later.`,
      seeAlso: risk === 'None' || rnd() < 0.3 ? '' : `https://www.tenable.com/plugins/nessus/${id}`,
      cvss2: risk === 'None' ? '' : score(),
      cvss3: risk === 'None' || rnd() < 0.2 ? '' : score(),
      vpr: risk === 'Critical' || risk === 'High' ? (5 + rnd() * 5).toFixed(1) : '',
      cves: risk === 'None' ? [] : Array.from({ length: CVE_COUNT(rnd()) }, () => cve(rnd)),
      published: nessusDate(seconds(2010, 1, 1) + Math.floor(rnd() * 16 * 365) * DAY_S),
      product,
      version,
    };
  });
})();
/** Plugins by how often scans hit them: a few (the info plugins) on every host, a long tail. */
const plugin = (rnd) => PLUGINS[Math.floor(PLUGINS.length * rnd() ** 2.5)];
const PORTS = ['0', '22', '80', '443', '445', '3389', '8080', '8443', '1433', '5432'];

function pluginOutput(rnd, p, port, k) {
  const u = rnd();
  if (p.risk === 'None' && u < 0.5) return `\nPort ${port}/tcp was found to be open\n`;
  if (u < 0.15) return '';
  if (u < 0.7)
    return `\n  Path              : /opt/${p.product.toLowerCase().replace(/[^a-z]+/g, '-')}/lib-${k}/\n  Installed version : ${p.version}\n  Fixed version     : ${p.version.replace(/\d+$/, (d) => String(Number(d) + 1))}\n`;
  if (u < 0.85)
    return `\nThe following certificate was found :\n  Subject : CN=${host(k)}\n  Not After : ${nessusDate(seconds(2026, 10, 1) + Math.floor(rnd() * 400) * DAY_S)}\n`;
  return `\n  - KB${5000000 + Math.floor(rnd() * 99999)}\n\nCurrent build : 10.0.${17763 + Math.floor(rnd() * 9000)}.${Math.floor(rnd() * 5000)}\n`;
}

function nessus(n, out) {
  const rnd = mulberry32(SEED ^ 0x3333);
  const hosts = hostCount(n);
  out.write(`${NESSUS_HEADER.map(quoted).join(',')}\n`);
  let written = 0;
  while (written < n) {
    const k = Math.floor(rnd() * hosts);
    const p = plugin(rnd);
    const port = p.risk === 'None' ? pick(rnd, PORTS) : rnd() < 0.4 ? '0' : pick(rnd, PORTS);
    const tail = [
      quoted(p.cvss2),
      quoted(p.risk),
      quoted(host(k)),
      quoted(rnd() < 0.95 ? 'tcp' : 'udp'),
      quoted(port),
      quoted(p.name),
      quoted(p.synopsis),
      quoted(p.description),
      quoted(p.solution),
      quoted(p.seeAlso),
      quoted(pluginOutput(rnd, p, port, k)),
      quoted(p.cvss3),
      quoted(p.vpr),
      quoted(p.risk),
      quoted(p.published),
    ].join(',');
    const rows = (p.cves.length === 0 ? [''] : p.cves).map((c) => `${quoted(p.id)},${quoted(c)},${tail}\n`);
    const times = rnd() < 0.03 ? 2 : 1;
    for (let t = 0; t < times; t++)
      for (const row of rows) {
        if (written === n) break;
        out.write(row);
        written++;
      }
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------
export function dataDir(n) {
  return join(DATA_ROOT, String(n));
}

/** Generates the files for N rows unless they already exist; returns the directory and the manifest. */
export function ensureData(n, { force = false, log = () => {}, dir = dataDir(n) } = {}) {
  return ensureFiles({
    dir,
    generator: GENERATOR_HASH,
    seed: SEED,
    rows: n,
    writers: [
      ['jira-issues.csv', jira],
      ['aws-credential-report.csv', aws],
      ['nessus.csv', nessus],
    ],
    force,
    log,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const out = args.indexOf('--out');
  const n = Number(args.find((a, i) => !a.startsWith('--') && (out < 0 || i !== out + 1)) ?? 10000);
  if (!Number.isInteger(n) || n < 2 || (out >= 0 && !args[out + 1])) {
    console.error('usage: node bench/realistic/generate.mjs N [--force] [--out DIR]   (N >= 2)');
    process.exit(2);
  }
  const { dir, generated } = ensureData(n, {
    force: args.includes('--force'),
    log: console.log,
    ...(out >= 0 ? { dir: args[out + 1] } : {}),
  });
  if (!generated) console.log(`${dir}: up to date`);
}
