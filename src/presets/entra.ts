import type { Preset } from './types.js';

/** Header of the current "Download users" CSV (Entra admin center, Users > Download users). */
const ENTRA_COLUMNS = [
  'userPrincipalName',
  'displayName',
  'surname',
  'mail',
  'givenName',
  'id',
  'userType',
  'jobTitle',
  'department',
  'accountEnabled',
  'usageLocation',
  'streetAddress',
  'state',
  'country',
  'officeLocation',
  'city',
  'postalCode',
  'telephoneNumber',
  'mobilePhone',
  'alternateEmailAddress',
  'ageGroup',
  'consentProvidedForMinor',
  'legalAgeGroupClassification',
  'companyName',
  'creationType',
  'directorySynced',
  'invitationState',
  'identityIssuer',
  'createdDateTime',
];

/** Names used by older (Azure AD portal) downloads for the same columns. */
const ENTRA_LEGACY_COLUMNS = ['objectId', 'mobile', 'physicalDeliveryOfficeName'];

export const entraUsers: Preset = {
  name: 'entra-users',
  title: 'Microsoft Entra ID "Download users" (CSV)',
  notes: [
    'The download has no last sign-in column, so it cannot show inactive or stale accounts; use the Entra sign-in logs or a Graph export with `signInActivity` for that.',
    '`createdDateTime` is written in the browser locale without a time zone (`8/19/2021 3:02:10 PM` in US English); it is read in the catalogue time zone, and the 24-hour UK (`19/08/2021 15:02:10`) and German (`19.08.2021 15:02:10`) spellings are accepted too.',
    'Older downloads name the columns `objectId`, `mobile` and `physicalDeliveryOfficeName`; both spellings are read. `accountEnabled` (`True`/`False`) becomes the `enabled` field.',
    'Guests have `userType` Guest and `#EXT#` in their user principal name, so `user_type == "Guest"` selects them.',
    'Values are not quoted and formulas are not escaped: a cell like `=HYPERLINK(...)` or `+49 30 ...` is read as plain text, never evaluated, and neutralised when written back out. A comma inside a value cannot be told apart from a column break, so such a row shifts and is rejected; a quote inside a value gives a `stray-quote` warning (the value is read as written).',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      key: 'upn',
      record_type: 'account',
      fields: {
        id: {
          column: ['id', 'objectId'],
          required: true,
          description: 'Entra object id (GUID); `objectId` in older downloads',
        },
        upn: { column: 'userPrincipalName', type: 'string', personal: true },
        display_name: { column: 'displayName', type: 'string', personal: true },
        given_name: { column: 'givenName', type: 'string', personal: true },
        surname: { column: 'surname', type: 'string', personal: true },
        mail: { column: 'mail', type: 'string', personal: true },
        user_type: { column: 'userType', type: 'enum', values: ['Member', 'Guest'] },
        enabled: { column: 'accountEnabled', type: 'boolean' },
        job_title: { column: 'jobTitle', type: 'string' },
        department: { column: 'department', type: 'string' },
        company: { column: 'companyName', type: 'string' },
        office: { column: ['officeLocation', 'physicalDeliveryOfficeName'], type: 'string' },
        country: { column: 'country', type: 'string' },
        usage_location: { column: 'usageLocation', type: 'string' },
        phone: { column: 'telephoneNumber', type: 'string', personal: true },
        mobile: { column: ['mobilePhone', 'mobile'], type: 'string', personal: true },
        creation_type: { column: 'creationType', type: 'string' },
        directory_synced: {
          column: 'directorySynced',
          type: 'boolean',
          description: 'True for accounts synchronised from on-premises AD; empty for cloud-only ones',
        },
        invitation_state: { column: 'invitationState', type: 'string' },
        identity_issuer: { column: 'identityIssuer', type: 'string' },
        created: {
          column: 'createdDateTime',
          type: 'datetime',
          format: ['M/d/yyyy h:mm:ss a', 'M/d/yyyy H:mm', 'dd/MM/yyyy HH:mm:ss', 'dd.MM.yyyy HH:mm:ss'],
        },
      },
      signature: {
        required: ['userPrincipalName', 'displayName', 'userType', 'accountEnabled'],
        optional: [...ENTRA_COLUMNS, ...ENTRA_LEGACY_COLUMNS],
      },
    },
  },
};
