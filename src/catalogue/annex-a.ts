/**
 * The controls of ISO/IEC 27001:2022 Annex A (the same list as ISO/IEC 27002:2022): 93 controls in four
 * themes (5 organisational, 6 people, 7 physical, 8 technological). A control reference in the
 * catalogue without a namespace (`A.5.24`) is checked against this list; a reference with one
 * (`nist-csf:PR.AA-01`, `iso27001-2013:A.12.6.1`) is another framework's and is not checked.
 *
 * Data only: ids and short titles, as the standard's table of controls names them.
 */

export type AnnexATheme = 'organisational' | 'people' | 'physical' | 'technological';

export interface AnnexAControl {
  id: string;
  title: string;
  theme: AnnexATheme;
}

const ORGANISATIONAL = [
  'Policies for information security',
  'Information security roles and responsibilities',
  'Segregation of duties',
  'Management responsibilities',
  'Contact with authorities',
  'Contact with special interest groups',
  'Threat intelligence',
  'Information security in project management',
  'Inventory of information and other associated assets',
  'Acceptable use of information and other associated assets',
  'Return of assets',
  'Classification of information',
  'Labelling of information',
  'Information transfer',
  'Access control',
  'Identity management',
  'Authentication information',
  'Access rights',
  'Information security in supplier relationships',
  'Addressing information security within supplier agreements',
  'Managing information security in the ICT supply chain',
  'Monitoring, review and change management of supplier services',
  'Information security for use of cloud services',
  'Information security incident management planning and preparation',
  'Assessment and decision on information security events',
  'Response to information security incidents',
  'Learning from information security incidents',
  'Collection of evidence',
  'Information security during disruption',
  'ICT readiness for business continuity',
  'Legal, statutory, regulatory and contractual requirements',
  'Intellectual property rights',
  'Protection of records',
  'Privacy and protection of PII',
  'Independent review of information security',
  'Compliance with policies, rules and standards for information security',
  'Documented operating procedures',
];

const PEOPLE = [
  'Screening',
  'Terms and conditions of employment',
  'Information security awareness, education and training',
  'Disciplinary process',
  'Responsibilities after termination or change of employment',
  'Confidentiality or non-disclosure agreements',
  'Remote working',
  'Information security event reporting',
];

const PHYSICAL = [
  'Physical security perimeters',
  'Physical entry',
  'Securing offices, rooms and facilities',
  'Physical security monitoring',
  'Protecting against physical and environmental threats',
  'Working in secure areas',
  'Clear desk and clear screen',
  'Equipment siting and protection',
  'Security of assets off-premises',
  'Storage media',
  'Supporting utilities',
  'Cabling security',
  'Equipment maintenance',
  'Secure disposal or re-use of equipment',
];

const TECHNOLOGICAL = [
  'User endpoint devices',
  'Privileged access rights',
  'Information access restriction',
  'Access to source code',
  'Secure authentication',
  'Capacity management',
  'Protection against malware',
  'Management of technical vulnerabilities',
  'Configuration management',
  'Information deletion',
  'Data masking',
  'Data leakage prevention',
  'Information backup',
  'Redundancy of information processing facilities',
  'Logging',
  'Monitoring activities',
  'Clock synchronization',
  'Use of privileged utility programs',
  'Installation of software on operational systems',
  'Networks security',
  'Security of network services',
  'Segregation of networks',
  'Web filtering',
  'Use of cryptography',
  'Secure development life cycle',
  'Application security requirements',
  'Secure system architecture and engineering principles',
  'Secure coding',
  'Security testing in development and acceptance',
  'Outsourced development',
  'Separation of development, test and production environments',
  'Change management',
  'Test information',
  'Protection of information systems during audit testing',
];

const theme = (clause: number, name: AnnexATheme, titles: string[]): AnnexAControl[] =>
  titles.map((title, i) => ({ id: `A.${clause}.${i + 1}`, title, theme: name }));

/** The 93 controls, in the standard's order. */
export const ANNEX_A_2022: readonly AnnexAControl[] = [
  ...theme(5, 'organisational', ORGANISATIONAL),
  ...theme(6, 'people', PEOPLE),
  ...theme(7, 'physical', PHYSICAL),
  ...theme(8, 'technological', TECHNOLOGICAL),
];

const BY_ID = new Map(ANNEX_A_2022.map((c) => [c.id, c]));

export function annexAControl(id: string): AnnexAControl | undefined {
  return BY_ID.get(id);
}

/** `nist-csf:PR.AA-01`: a namespace (letters, digits, `.`, `_`, `-`), a colon, a reference. */
const NAMESPACED = /^([A-Za-z][A-Za-z0-9._-]*):(.+)$/s;

/** A control reference split into its framework (undefined: ISO/IEC 27001:2022 Annex A) and its id. */
export function controlRef(text: string): { namespace?: string; id: string } {
  const m = NAMESPACED.exec(text);
  return m ? { namespace: m[1]!.toLowerCase(), id: m[2]! } : { id: text };
}
