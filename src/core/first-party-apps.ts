/**
 * Application ids of Microsoft first-party clients. Thousands of ordinary users sign in through
 * them every day (Office, Teams, Outlook, Azure PowerShell, Azure CLI…), and attack tools borrow
 * them (AzureHound forces Azure PowerShell's id; GraphRunner and TokenTactics the Office client's),
 * so an alert that names one of these as its principal names nobody in particular: scoring never
 * matches a campaign on a first-party app id (DESIGN.md "Scoring").
 *
 * Sources:
 * - Microsoft Learn, "Verify first-party Microsoft applications in sign-in reports"
 *   (https://learn.microsoft.com/troubleshoot/azure/entra/entra-id/governance/verify-first-party-apps-sign-in),
 *   mirrored as data by merill/microsoft-info (_info/MicrosoftApps.json);
 * - ../shared/reference/telemetry.md §3 (tool table: the client ids AzureHound, ROADrecon, GraphRunner,
 *   AADInternals, TeamFiltration, TokenTactics and EXO PowerShell use) and §4 (benign first-party traffic);
 * - ../shared/reference/published-detections.md §3b: the first-party app ids Elastic's rule
 *   `initial_access_entra_id_graph_single_session_from_multiple_addresses` excludes
 *   (elastic/detection-rules@14cf530; Zoom, which that list also excludes, is not Microsoft's and is left out).
 */

export interface FirstPartyApp {
  appId: string;
  name: string;
}

export const FIRST_PARTY_APPS: readonly FirstPartyApp[] = [
  // public clients that tools borrow (telemetry.md §3, §5 "FOCI swap")
  { appId: '1950a258-227b-4e31-a9cf-717495945fc2', name: 'Microsoft Azure PowerShell' },
  { appId: '1b730954-1685-4b74-9bfd-dac224a7b894', name: 'Azure Active Directory PowerShell' },
  { appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', name: 'Microsoft Office' },
  { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Microsoft Teams' },
  { appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', name: 'Microsoft Azure CLI' },
  { appId: '14d82eec-204b-4c2f-b7e8-296a70dab67e', name: 'Microsoft Graph Command Line Tools (Graph PowerShell)' },
  { appId: 'fb78d390-0c51-40cd-8e17-fdbfab77341b', name: 'Microsoft Exchange REST API Based Powershell' },
  { appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', name: 'Azure Portal' },
  { appId: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' },
  { appId: '00000002-0000-0000-c000-000000000000', name: 'Windows Azure Active Directory (Azure AD Graph)' },
  { appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
  // Elastic's first-party exclusions (published-detections.md §3b)
  { appId: '4354e225-50c9-4423-9ece-2d5afd904870', name: 'Augmentation Loop' },
  { appId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', name: 'Microsoft Teams Services' },
  { appId: 'ecd6b820-32c2-49b6-98a6-444530e5a77a', name: 'Microsoft Edge' },
  { appId: 'e8be65d6-d430-4289-a665-51bf2a194bda', name: 'Microsoft 365 App Catalog Services' },
  { appId: 'ab9b8c07-8f02-4f72-87fa-80105867a763', name: 'OneDrive SyncEngine' },
  { appId: '394866fc-eedb-4f01-8536-3ff84b16be2a', name: 'Microsoft People Cards Service' },
  { appId: '66a88757-258c-4c72-893c-3e8bed4d6899', name: 'Office 365 Search Service' },
  { appId: '9ea1ad79-fdb6-4f9a-8bc3-2b70f96e34c7', name: 'Bing' },
  { appId: 'd7b530a4-7680-4c23-a8bf-c52c121d2e87', name: 'Microsoft Edge Enterprise New Tab Page' },
  { appId: '6f7e0f60-9401-4f5b-98e2-cf15bd5fd5e3', name: 'Microsoft Application Command Service' },
  { appId: '52c2e0b5-c7b6-4d11-a89c-21e42bcec444', name: 'Graph Files Manager' },
  { appId: '27922004-5251-4030-b22d-91ecd9a37ea4', name: 'Outlook Mobile' },
  { appId: 'bb893c22-978d-4cd4-a6f7-bb6cc0d6e6ce', name: 'Olympus' },
  { appId: '26a7ee05-5602-4d76-a7ba-eae8b7b67941', name: 'Windows Search' },
  { appId: '00000007-0000-0000-c000-000000000000', name: 'Dataverse' },
  { appId: '6bc3b958-689b-49f5-9006-36d165f30e00', name: 'Teams CMD Services Artifacts' },
  { appId: '0ec893e0-5785-4de6-99da-4ed124e5296c', name: 'Office UWP PWA' },
  { appId: '01fc33a7-78ba-4d2f-a4b7-768e336e890e', name: 'MS PIM' },
  { appId: '7ab7862c-4c57-491e-8a45-d52a7e023983', name: 'Power Automate Graph Connector' },
  // ordinary workforce clients the generators use (merill/microsoft-info MicrosoftApps.json)
  { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' },
  // SPFx web parts' Graph identity since March 2025 (devblogs.microsoft.com/microsoft365dev,
  // "Changes on SharePoint Framework (SPFx) permission grants in Microsoft Entra ID")
  { appId: '08e18876-6177-487e-b8b5-cf950c1e598c', name: 'SharePoint Online Web Client Extensibility' },
];

const IDS: ReadonlySet<string> = new Set(FIRST_PARTY_APPS.map((a) => a.appId.toLowerCase()));

/** Whether `id` (any case, surrounding blanks ignored) is a Microsoft first-party app id. */
export function isFirstPartyAppId(id: string): boolean {
  return IDS.has(id.trim().toLowerCase());
}
