/**
 * Entra built-in directory roles with their role template ids (the `wids` claim and Graph
 * activity log `Wids` column carry these). Source, checked id by id: "Microsoft Entra built-in roles",
 * learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
 * (MicrosoftDocs/entra-docs@00fe95d, docs/identity/role-based-access-control/permissions-reference.md);
 * telemetry.md §5.
 */
export interface DirectoryRole {
  name: string;
  templateId: string;
  /** carries Microsoft's "privileged" label in the built-in roles reference */
  privileged: boolean;
  /** an administrative role held by a person (what `random-admin` picks from) */
  admin: boolean;
}

export const DIRECTORY_ROLES: readonly DirectoryRole[] = [
  { name: 'Global Administrator', templateId: '62e90394-69f5-4237-9190-012177145e10', privileged: true, admin: true },
  {
    name: 'Privileged Role Administrator',
    templateId: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
    privileged: true,
    admin: true,
  },
  {
    name: 'Exchange Administrator',
    templateId: '29232cdf-9323-42fd-ade2-1d097af3e4de',
    privileged: false,
    admin: true,
  },
  { name: 'User Administrator', templateId: 'fe930be7-5e62-47db-91af-98c3a49a38b1', privileged: true, admin: true },
  { name: 'Helpdesk Administrator', templateId: '729827e3-9c14-49f7-bb1b-9608f156bbb8', privileged: true, admin: true },
  { name: 'Groups Administrator', templateId: 'fdd7a751-b60b-444a-984c-02652fe8fa1c', privileged: false, admin: true },
  { name: 'Security Administrator', templateId: '194ae4cb-b126-40b2-bd5b-6091b380977d', privileged: true, admin: true },
  { name: 'Security Reader', templateId: '5d6b6bb7-de71-4623-b4af-96380a352509', privileged: true, admin: true },
  { name: 'Global Reader', templateId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', privileged: true, admin: true },
  { name: 'Directory Readers', templateId: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', privileged: false, admin: false },
  {
    name: 'Directory Synchronization Accounts',
    templateId: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
    privileged: false,
    admin: false,
  },
  {
    name: 'Application Administrator',
    templateId: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
    privileged: true,
    admin: true,
  },
  {
    name: 'Cloud Application Administrator',
    templateId: '158c047a-c907-4556-b7ef-446551a6b5f7',
    privileged: true,
    admin: true,
  },
  {
    name: 'Authentication Administrator',
    templateId: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
    privileged: true,
    admin: true,
  },
  {
    name: 'Privileged Authentication Administrator',
    templateId: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
    privileged: true,
    admin: true,
  },
  {
    name: 'SharePoint Administrator',
    templateId: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
    privileged: false,
    admin: true,
  },
  { name: 'Teams Administrator', templateId: '69091246-20e8-4a56-aa4d-066075b2a7a8', privileged: false, admin: true },
  { name: 'Intune Administrator', templateId: '3a2c62db-5318-420d-8d74-23affee5d9d5', privileged: true, admin: true },
  {
    name: 'Compliance Administrator',
    templateId: '17315797-102d-40b4-93e0-432062caca18',
    privileged: false,
    admin: true,
  },
  { name: 'License Administrator', templateId: '4d6ac14f-3453-41d0-bef9-a3e0c569773a', privileged: false, admin: true },
  { name: 'Billing Administrator', templateId: 'b0f54661-2d74-4c50-afa3-1ec803f12efe', privileged: false, admin: true },
  { name: 'Reports Reader', templateId: '4a5d8f65-41da-4de4-8968-e035b65339cf', privileged: false, admin: true },
];

/** The `wids` value every member user's token carries ("User", not a directory role). */
export const MEMBER_USER_WID = 'b79fbf4d-3ef9-4689-8143-76b194e85509';
/** The `wids` value of a guest user. */
export const GUEST_USER_WID = '10dae51f-b6af-4016-8d66-8c2a99b929b3';

const BY_NAME = new Map(DIRECTORY_ROLES.map((r) => [r.name.toLowerCase(), r]));

export function findRole(name: string): DirectoryRole | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

export const ROLE_NAMES: readonly string[] = DIRECTORY_ROLES.map((r) => r.name);

/**
 * The `wids` value of an app-only token: the service-principal directory role template every
 * app-only token carries (reference/telemetry.md §1b, a verbatim app-only Graph activity record).
 */
export const APP_ONLY_WIDS = '0997a1d0-0d1d-4acb-b408-d5ca73121e90';
