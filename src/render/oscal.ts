/**
 * The report as an OSCAL 1.1.3 assessment-results document (JSON), for GRC tools that read OSCAL:
 * one result for the period, an observation per KPI, the Annex A controls the KPIs name as reviewed
 * controls, and (only when asked, --oscal-findings) a finding per control. docs/report-format.md
 * ("OSCAL assessment results") maps every field; tests/render/oscal.test.ts validates the output
 * against NIST's OSCAL complete JSON Schema 1.1.3.
 *
 * Decisions:
 * - Our facts (KPI id, value, status, numerator, denominator, definition hash, ...) are props in the
 *   isms-kpi namespace OSCAL_NS, an identifier (not a page to fetch), as OSCAL asks of props that are not
 *   its own.
 * - Annex A control ids are written the way OSCAL catalogues write theirs, in lower case: `A.5.15`
 *   becomes `a.5.15`; a finding targets the control's objective, `a.5.15_obj` (type objective-id), after
 *   the `<control>_obj` convention of NIST's catalogues. There is no OSCAL catalogue of ISO/IEC 27001
 *   (the standard is not free), so the ids are ours; the reviewed controls carry a prop saying so.
 * - Reproducible: every UUID is a version 5 UUID (src/util/uuid-v5.ts) of the catalogue's sha256, the
 *   period and the item's id; times are the period's (last-modified and collected: the period's end)
 *   unless the report was run with --timestamp. Two runs over the same inputs give identical bytes.
 * - No assessment plan exists: import-ap (required) points at a back-matter resource for the catalogue
 *   itself, with its sha256, since the catalogue is what plans the measurement.
 * - Evidence: with --evidence, each observation points at the pack's file of the KPI's rows and at the
 *   pack's manifest, with their SHA-256 in back-matter; without it, at the source exports the KPI read
 *   (a missing optional source is left out).
 *   Hrefs are relative to the folder of the document (the working folder for standard output).
 * - Status mapping of findings (annex-a-results.ts gives each control the worst status of its KPIs):
 *   green: satisfied (reason pass); red: not-satisfied (fail); amber, stale, no data, informational
 *   only: not-satisfied (other), since OSCAL has no state between and nothing that was not shown to meet
 *   its target is called satisfied. The status itself is a prop of the target.
 * - Text OSCAL declares as a string datatype (prop values, names) may not start or end with white space
 *   or hold a line break: such text is put on one line; a prop whose value would be empty is left out.
 */
import type { PackFile } from '../evidence/pack-manifest.js';
import type { KpiResult, Report, SourceManifest, Status } from '../report/model.js';
import { jsonText } from '../text.js';
import { UUID_NAMESPACE_URL, uuidV5 } from '../util/uuid-v5.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { annexAIds, annexAResults, type ControlResult } from './annex-a-results.js';
import { formatBands, reportTitle } from './format.js';

export const OSCAL_VERSION = '1.1.3';
/** The namespace of isms-kpi's props and of its ids for ISO/IEC 27001:2022 Annex A controls. */
export const OSCAL_NS = 'https://github.com/isms-kpi/ns/oscal';
/** The namespace of the document's version 5 UUIDs. */
const UUID_NS = uuidV5(OSCAL_NS, UUID_NAMESPACE_URL);

export interface OscalEvidence {
  /** The pack's folder relative to the document's folder, with `/` separators ('' or ending in '/'). */
  base: string;
  /** The sha256 of the pack's manifest.json. */
  manifestSha256: string;
  /** The pack's files, as its manifest lists them. */
  files: readonly PackFile[];
}

export interface OscalOptions {
  /** A finding per Annex A control (--oscal-findings). */
  findings?: boolean | undefined;
  /** The catalogue's folder relative to the document's folder, with `/` separators ('' or ending in '/'). */
  sourceBase?: string | undefined;
  /** The evidence pack written with the report (--evidence). */
  evidence?: OscalEvidence | undefined;
}

/** An OSCAL `control-id` for an Annex A id: `A.5.15` -> `a.5.15`. */
export function oscalControlId(id: string): string {
  return id.toLowerCase();
}

interface Prop {
  name: string;
  ns: string;
  value: string;
}

interface Resource {
  uuid: string;
  title: string;
  description: string;
  rlinks: { href: string; 'media-type': string; hashes?: { algorithm: 'SHA-256'; value: string }[] }[];
}

/** Text on one line without leading or trailing white space (OSCAL's string datatype). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** isms-kpi props: those whose value is empty (or absent) are left out. */
function props(entries: readonly [string, string | number | undefined][]): Prop[] {
  const out: Prop[] = [];
  for (const [name, value] of entries) {
    if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) continue;
    const text = oneLine(String(value));
    if (text !== '') out.push({ name, ns: OSCAL_NS, value: text });
  }
  return out;
}

/** A relative path as a URI reference: each segment percent-encoded. */
function href(base: string, file: string): string {
  return `${base}${file}`
    .split('/')
    .map((segment) => (segment === '..' || segment === '.' ? segment : encodeURIComponent(segment)))
    .join('/');
}

const MEDIA_TYPE: Record<string, string> = {
  csv: 'text/csv',
  json: 'application/json',
  jsonl: 'application/jsonl',
  yaml: 'application/yaml',
  yml: 'application/yaml',
};

function mediaType(file: string): string {
  const compressed = /\.gz$/i.test(file);
  const extension = /\.([a-z0-9]+)$/i.exec(file.replace(/\.gz$/i, ''))?.[1]?.toLowerCase() ?? '';
  return compressed ? 'application/gzip' : (MEDIA_TYPE[extension] ?? 'application/octet-stream');
}

/** The back-matter resources, once each, in the order first referenced. */
class Resources {
  private readonly byKey = new Map<string, Resource>();
  constructor(private readonly uuid: (name: string) => string) {}

  /** The `#uuid` href of a file resource, added on first use. */
  ref(key: string, title: string, description: string, link: string, sha256: string): string {
    let resource = this.byKey.get(key);
    if (!resource) {
      resource = {
        uuid: this.uuid(`resource/${key}`),
        title: oneLine(title) || key,
        description,
        rlinks: [
          {
            href: link,
            'media-type': mediaType(link),
            ...(sha256 !== '' ? { hashes: [{ algorithm: 'SHA-256' as const, value: sha256 }] } : {}),
          },
        ],
      };
      this.byKey.set(key, resource);
    }
    return `#${resource.uuid}`;
  }

  all(): Resource[] {
    return [...this.byKey.values()];
  }
}

/** The files a KPI's observation points at: the pack's, or the source exports'. */
function evidenceOf(
  kpi: KpiResult,
  report: Report,
  options: OscalOptions,
  resources: Resources,
): { href: string; description: string }[] {
  const pack = options.evidence;
  if (pack) {
    const files = pack.files.filter((f) => f.kind === 'kpi-rows' && f.kpi === kpi.id);
    const out = files.map((f) => ({
      href: resources.ref(
        `evidence/${f.path}`,
        `Evidence pack: ${f.path}`,
        `The rows behind ${kpi.id}, with the file and line of each (${f.rows} rows).`,
        href(pack.base, f.path),
        f.sha256,
      ),
      description: `The rows behind ${kpi.id} in the evidence pack, with file and line.`,
    }));
    out.push({
      href: resources.ref(
        'evidence/manifest.json',
        'Evidence pack: manifest.json',
        'The manifest of the evidence pack: every source export and every file of the pack with its sha256.',
        href(pack.base, 'manifest.json'),
        pack.manifestSha256,
      ),
      description:
        'The evidence pack manifest: the source exports and the files of the pack with their sha256.',
    });
    return out;
  }
  const base = options.sourceBase ?? '';
  const out: { href: string; description: string }[] = [];
  for (const name of kpi.sources) {
    // A missing optional source has no file to point at; the KPI's remarks say why it has no data.
    const source = report.sources.find((s) => s.name === name);
    if (!source || source.missing !== undefined) continue;
    for (const file of sourceFiles(source))
      out.push({
        href: resources.ref(
          `source/${file.file}`,
          `Source export ${source.name}: ${file.file}`,
          `The export of source ${source.name} as read for the report (${file.rowsRead} rows).`,
          href(base, file.file),
          file.sha256,
        ),
        description: `The export of source ${source.name} the KPI was computed from.`,
      });
  }
  return out;
}

function sourceFiles(source: SourceManifest): { file: string; sha256: string; rowsRead: number }[] {
  return source.files ?? [{ file: source.file, sha256: source.sha256, rowsRead: source.rowsRead }];
}

function observation(
  kpi: KpiResult,
  report: Report,
  options: OscalOptions,
  resources: Resources,
  uuid: (name: string) => string,
  collected: string,
): Record<string, unknown> {
  const evidence = evidenceOf(kpi, report, options, resources);
  return {
    uuid: uuid(`observation/${kpi.id}`),
    title: oneLine(`${kpi.id} ${kpi.name}`),
    description: kpi.description ?? kpi.name,
    props: props([
      ['kpi-id', kpi.id],
      ['value', kpi.value ?? undefined],
      ['unit', kpi.unit],
      ['status', kpi.status],
      ['judgement', kpi.judgement],
      ['numerator', kpi.numerator],
      ['denominator', kpi.denominator],
      ['thresholds', kpi.thresholds ? formatBands(kpi) : undefined],
      ['definition-hash', kpi.definitionHash],
      ['formula', kpi.formula],
      ['owner', kpi.owner],
      ['lifecycle', kpi.lifecycle],
      ...kpi.controls.map((c): [string, string] => ['control', c]),
      ...(kpi.exceptions ?? [])
        .filter((e) => e.state === 'accepted' && e.segment === undefined)
        .map((e): [string, string] => [
          'exception',
          `accepted by ${e.approver} until ${e.expires}: ${e.reason}`,
        ]),
    ]),
    methods: ['EXAMINE'],
    ...(evidence.length > 0 ? { 'relevant-evidence': evidence } : {}),
    collected,
    remarks: kpi.reason,
  };
}

const FINDING_STATE: Record<
  Status,
  { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other' }
> = {
  green: { state: 'satisfied', reason: 'pass' },
  red: { state: 'not-satisfied', reason: 'fail' },
  amber: { state: 'not-satisfied', reason: 'other' },
  stale: { state: 'not-satisfied', reason: 'other' },
  'no-data': { state: 'not-satisfied', reason: 'other' },
  info: { state: 'not-satisfied', reason: 'other' },
};

/** The target state (and reason) of a control's finding, from the worst status of its KPIs. */
export function findingState(status: Status): { state: 'satisfied' | 'not-satisfied'; reason: string } {
  return FINDING_STATE[status];
}

function finding(
  control: ControlResult & { status: Status },
  uuid: (name: string) => string,
): Record<string, unknown> {
  const id = oscalControlId(control.id);
  const { state, reason } = FINDING_STATE[control.status];
  const listed = control.kpis.map((k) => `${k.id} ${k.status}`).join(', ');
  return {
    uuid: uuid(`finding/${control.id}`),
    title: `${control.id} ${control.title}`,
    description: `${control.id} ${control.title}: the worst status of the KPIs that measure it is ${control.status} (${listed}).`,
    target: {
      type: 'objective-id',
      'target-id': `${id}_obj`,
      props: props([
        ['control', control.id],
        ['status', control.status],
      ]),
      status: { state, reason },
    },
    'related-observations': control.kpis.map((k) => ({ 'observation-uuid': uuid(`observation/${k.id}`) })),
  };
}

export function renderOscal(report: Report, options: OscalOptions = {}): string {
  const uuid = (name: string) => uuidV5(`${report.catalogue.sha256}/${report.period.label}/${name}`, UUID_NS);
  const resources = new Resources(uuid);
  const time = report.generatedAt ?? report.period.end;
  const catalogueRef = resources.ref(
    `catalogue/${report.catalogue.path}`,
    `KPI catalogue ${report.catalogue.path}`,
    'The isms-kpi catalogue: what is measured, from which exports, with which formula and thresholds. It stands in for an OSCAL assessment plan.',
    href(options.sourceBase ?? '', report.catalogue.path),
    report.catalogue.sha256,
  );
  const observations = report.kpis.map((k) => observation(k, report, options, resources, uuid, time));
  const controls = annexAResults(report);
  const reviewed = [...new Set(report.kpis.flatMap(annexAIds))];
  const ordered = controls.map((c) => c.id).filter((id) => reviewed.includes(id));
  const selection =
    ordered.length > 0
      ? { 'include-controls': ordered.map((id) => ({ 'control-id': oscalControlId(id) })) }
      : { description: 'No KPI of the report names an ISO/IEC 27001:2022 Annex A control.' };
  const findings = options.findings
    ? controls
        .filter((c): c is ControlResult & { status: Status } => c.status !== undefined)
        .map((c) => finding(c, uuid))
    : [];
  const title = `${reportTitle(report)}: ${report.organisation}, ${report.period.label}`;
  const document = {
    'assessment-results': {
      uuid: uuid('assessment-results'),
      metadata: {
        title: oneLine(title),
        'last-modified': time,
        version: oneLine(report.document?.version ?? '') || report.period.label,
        'oscal-version': OSCAL_VERSION,
        props: props([
          ['tool', `${TOOL_NAME} ${TOOL_VERSION}`],
          ['catalogue-sha256', report.catalogue.sha256],
          ['period', report.period.label],
          ['timezone', report.period.timezone],
          ['as-of', report.asOf],
          ['period-complete', report.period.complete === false ? 'false' : undefined],
          ['computed-on', report.period.computedOn],
          ['classification', report.document?.classification],
        ]),
        parties: [
          {
            uuid: uuid('party/organisation'),
            type: 'organization',
            name: oneLine(report.organisation) || 'organisation',
          },
        ],
      },
      'import-ap': {
        href: catalogueRef,
        remarks:
          'There is no OSCAL assessment plan: this points at the isms-kpi catalogue (metrics.yaml) that defines the measurements.',
      },
      results: [
        {
          uuid: uuid('result'),
          title: oneLine(`ISMS KPIs ${report.period.label}`),
          description: `${report.kpis.length} KPIs of ${report.organisation} for ${report.period.label}, computed by ${TOOL_NAME} ${TOOL_VERSION} from the exports of the organisation's tools.`,
          start: report.period.start,
          end: report.period.end,
          props: props([
            ['kpis', report.summary.total],
            ...(['green', 'amber', 'red', 'stale', 'no-data', 'info'] as const).map(
              (s): [string, number | undefined] => [`kpis-${s}`, report.summary[s] || undefined],
            ),
          ]),
          'reviewed-controls': {
            props: props([['control-catalog', 'ISO/IEC 27001:2022 Annex A']]),
            'control-selections': [selection],
          },
          ...(observations.length > 0 ? { observations } : {}),
          ...(findings.length > 0 ? { findings } : {}),
        },
      ],
      'back-matter': { resources: resources.all() },
    },
  };
  return jsonText(document);
}
