/**
 * The registry of presets: every preset the catalogue's `preset:` key accepts, by name. Adding a preset
 * means writing its file beside this one and listing it here; docs/presets.md and `isms-kpi detect`
 * read this table.
 */
import { assetInventory } from './assets.js';
import { auditFindings } from './audit-findings.js';
import { awsIamCredentialReport } from './aws.js';
import { correctiveActions } from './corrective-actions.js';
import { defenderVulnerabilities } from './defender.js';
import { dependabotAlerts } from './dependabot.js';
import { entraUsers } from './entra.js';
import { exceptionsRegister } from './exceptions-register.js';
import { hrJoinersLeavers } from './hr.js';
import { jiraIssues } from './jira.js';
import { knowbe4PhishingRecipients, knowbe4TrainingEnrollments } from './knowbe4.js';
import { lmsTraining } from './lms.js';
import { nessus } from './nessus.js';
import { oktaPasswordHealth, oktaUsers } from './okta.js';
import { qualysScan } from './qualys.js';
import { resticSnapshots } from './restic.js';
import { cisoAssistantRiskScenarios, riskRegister } from './risk-register.js';
import { servicenowChange, servicenowIncident } from './servicenow.js';
import { servicenowCmdbCi } from './servicenow-cmdb.js';
import { soa } from './soa.js';
import { remoteAccessSessions, supplierRegister } from './supplier.js';
import { tenableSc } from './tenable.js';
import type { Preset } from './types.js';
import { veeamEmSessions, veeamSessions } from './veeam.js';

const ALL = [
  awsIamCredentialReport,
  jiraIssues,
  entraUsers,
  oktaUsers,
  oktaPasswordHealth,
  hrJoinersLeavers,
  nessus,
  tenableSc,
  qualysScan,
  defenderVulnerabilities,
  servicenowIncident,
  servicenowChange,
  veeamSessions,
  veeamEmSessions,
  resticSnapshots,
  dependabotAlerts,
  // Registers of suppliers and assets (issue 22).
  supplierRegister,
  remoteAccessSessions,
  assetInventory,
  servicenowCmdbCi,
  lmsTraining,
  knowbe4TrainingEnrollments,
  knowbe4PhishingRecipients,
  riskRegister,
  cisoAssistantRiskScenarios,
  soa,
  exceptionsRegister,
  auditFindings,
  correctiveActions,
] as const satisfies readonly Preset[];

export const PRESETS: Readonly<Record<string, Preset>> = Object.freeze(
  Object.fromEntries(ALL.map((preset) => [preset.name, preset])),
);

export const PRESET_NAMES = ALL.map((preset) => preset.name) as [string, ...string[]];

export type { Preset, PresetField, PresetVariant } from './types.js';
