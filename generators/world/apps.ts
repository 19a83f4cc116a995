/**
 * Applications: Microsoft first-party client ids (what public clients and FOCI tools present),
 * first-party service apps (server-to-server Graph callers with no sign-in row of their own) and
 * resource apps. Ids: telemetry.md §3–5 (AzureHound, GraphRunner, TokenTactics, Elastic's allow
 * list) and the Exchange/AAD Graph resource ids in the UAL samples.
 */

export interface FirstPartyApp {
  appId: string;
  displayName: string;
  /** public client (ClientAuthMethod 0) that users sign in to */
  kind: 'client' | 'service';
}

export const APP = {
  azurePowerShell: {
    appId: '1950a258-227b-4e31-a9cf-717495945fc2',
    displayName: 'Microsoft Azure PowerShell',
    kind: 'client',
  },
  azureCli: { appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', displayName: 'Microsoft Azure CLI', kind: 'client' },
  office: { appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', displayName: 'Microsoft Office', kind: 'client' },
  graphPowerShell: {
    appId: '14d82eec-204b-4c2f-b7e8-296a70dab67e',
    displayName: 'Microsoft Graph Command Line Tools',
    kind: 'client',
  },
  exchangeRestPowerShell: {
    appId: 'fb78d390-0c51-40cd-8e17-fdbfab77341b',
    displayName: 'Microsoft Exchange REST API Based Powershell',
    kind: 'client',
  },
  azurePortal: { appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', displayName: 'Azure Portal', kind: 'client' },
  teams: { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', displayName: 'Microsoft Teams', kind: 'client' },
  officeHome: { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', displayName: 'OfficeHome', kind: 'client' },
  outlookMobile: { appId: '27922004-5251-4030-b22d-91ecd9a37ea4', displayName: 'Outlook Mobile', kind: 'client' },
  azureAdPowerShell: {
    appId: '1b730954-1685-4b74-9bfd-dac224a7b894',
    displayName: 'Azure Active Directory PowerShell',
    kind: 'client',
  },
  teamsServices: {
    appId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe',
    displayName: 'Microsoft Teams Services',
    kind: 'service',
  },
  officeSearch: {
    appId: '66a88757-258c-4c72-893c-3e8bed4d6899',
    displayName: 'Office 365 Search Service',
    kind: 'service',
  },
  peopleCards: {
    appId: '394866fc-eedb-4f01-8536-3ff84b16be2a',
    displayName: 'Microsoft People Cards Service',
    kind: 'service',
  },
  windowsSearch: { appId: '26a7ee05-5602-4d76-a7ba-eae8b7b67941', displayName: 'Windows Search', kind: 'service' },
  /**
   * The identity SharePoint Framework (SPFx) web parts get Graph tokens as, since Microsoft moved SPFx
   * off the per-tenant "SharePoint Online Client Extensibility Web Application Principal" (from March
   * 2025: devblogs.microsoft.com/microsoft365dev/changes-on-sharepoint-framework-spfx-permission-grants-in-microsoft-entra-id).
   * Its id is the one Microsoft's Teams-SSO docs list as an "Office on the web" client.
   */
  spfx: {
    appId: '08e18876-6177-487e-b8b5-cf950c1e598c',
    displayName: 'SharePoint Online Web Client Extensibility',
    kind: 'client',
  },
} as const satisfies Record<string, FirstPartyApp>;

export const FIRST_PARTY_APPS: readonly FirstPartyApp[] = Object.values(APP);

const BY_ID = new Map(FIRST_PARTY_APPS.map((a) => [a.appId, a]));

export function firstPartyApp(appId: string): FirstPartyApp | undefined {
  return BY_ID.get(appId.toLowerCase());
}

/** Resource apps (the `resourceId` of a sign-in, the `ObjectId`/Target of a UAL 15 record). */
export const RESOURCE = {
  msGraph: { id: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' },
  aadGraph: { id: '00000002-0000-0000-c000-000000000000', displayName: 'Windows Azure Active Directory' },
  exchange: { id: '00000002-0000-0ff1-ce00-000000000000', displayName: 'Office 365 Exchange Online' },
  sharePoint: { id: '00000003-0000-0ff1-ce00-000000000000', displayName: 'Office 365 SharePoint Online' },
  azureManagement: { id: '797f4846-ba00-4fd7-ba43-dac1f8f63013', displayName: 'Windows Azure Service Management API' },
  teamsService: { id: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', displayName: 'Microsoft Teams Services' },
} as const;

/** Microsoft's own tenant id: the `resourceTenantId` of first-party resources in sign-in rows. */
export const MICROSOFT_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/** Delegated scopes first-party clients carry for Graph (`scp`), space-separated as in the logs. */
export const SCOPES = {
  office:
    'AuditLog.Read.All Calendar.ReadWrite Calendars.Read.Shared Calendars.ReadWrite Contacts.ReadWrite DataLossPreventionPolicy.Evaluate Directory.AccessAsUser.All Directory.Read.All Files.Read Files.Read.All Files.ReadWrite.All Group.Read.All Group.ReadWrite.All Mail.ReadWrite Notes.Create People.Read People.Read.All Printer.Read.All Sites.ReadWrite.All Tasks.ReadWrite User.Read.All User.ReadBasic.All User.ReadWrite Users.Read',
  teams:
    'AppCatalog.Read.All Channel.ReadBasic.All Contacts.ReadWrite.Shared Files.ReadWrite.All Group.ReadWrite.All InformationProtectionPolicy.Read People.Read Presence.ReadWrite Sites.ReadWrite.All Team.ReadBasic.All User.Read.All User.ReadBasic.All',
  officeHome: 'Files.ReadWrite.All Group.Read.All Mail.Read People.Read Sites.Read.All User.Read User.ReadBasic.All',
  outlookMobile: 'Calendars.ReadWrite Contacts.ReadWrite EAS.AccessAsUser.All Mail.ReadWrite People.Read User.Read',
  azurePowerShell:
    'AuditLog.Read.All Directory.AccessAsUser.All email Group.ReadWrite.All openid profile User.ReadWrite.All',
  azureCli:
    'Application.ReadWrite.All AuditLog.Read.All Directory.AccessAsUser.All Group.ReadWrite.All User.ReadWrite.All',
  graphPowerShell: 'openid profile User.Read User.Read.All email',
  azurePortal: 'Directory.AccessAsUser.All User.Read',
  /** what intranet web parts typically have granted on the API access page [U: tenant-specific] */
  spfx: 'People.Read User.Read User.ReadBasic.All',
  service: 'User.Read.All People.Read.All Group.Read.All',
} as const;

export function scopesFor(appId: string): string {
  switch (appId) {
    case APP.office.appId:
      return SCOPES.office;
    case APP.teams.appId:
      return SCOPES.teams;
    case APP.officeHome.appId:
      return SCOPES.officeHome;
    case APP.outlookMobile.appId:
      return SCOPES.outlookMobile;
    case APP.azurePowerShell.appId:
      return SCOPES.azurePowerShell;
    case APP.azureCli.appId:
      return SCOPES.azureCli;
    case APP.graphPowerShell.appId:
      return SCOPES.graphPowerShell;
    case APP.azurePortal.appId:
      return SCOPES.azurePortal;
    case APP.spfx.appId:
      return SCOPES.spfx;
    default:
      return SCOPES.service;
  }
}

/** Names of well-known third-party app registrations a tenant has consented to (service principals). */
export const THIRD_PARTY_APP_NAMES = [
  'Veeam Backup for Microsoft 365',
  'AvePoint Cloud Backup',
  'SailPoint IdentityNow',
  'Saviynt Enterprise Identity Cloud',
  'Zoom for Microsoft 365',
  'Slack',
  'Salesforce',
  'ServiceNow',
  'DocuSign',
  'Adobe Acrobat',
  'Miro',
  'Atlassian Cloud',
  'Workday Inbound Provisioning',
  'Commvault Metallic',
] as const;
