/**
 * Telemetry sources: what a tenant may collect, where each one is delivered and the file it is
 * written to in a dataset (CONTRACTS.md §3). Facts: ../shared/reference/telemetry.md and
 * management-activity-api.md.
 */

export const SOURCE_IDS = ['ual', 'graphActivity', 'signIns', 'aadGraphActivity', 'endpointPowerShell'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

export interface SourceInfo {
  id: SourceId;
  title: string;
  /** the dataset file holding this source's records, in event-time order */
  file: string;
  /** how a collector receives it */
  delivery: 'management-activity-api' | 'diagnostic-settings' | 'endpoint';
  /**
   * the field holding the record's identifier (what an alert cites as evidence); for endpoint 4104
   * events the identifier is `Computer:EventRecordID` (see `recordIdOf`)
   */
  idField: string;
  description: string;
}

export const SOURCES: Readonly<Record<SourceId, SourceInfo>> = {
  ual: {
    id: 'ual',
    title: 'Unified Audit Log',
    file: 'ual.jsonl',
    delivery: 'management-activity-api',
    idField: 'Id',
    description:
      'Office 365 Management Activity API content (Audit.AzureActiveDirectory, Audit.Exchange, Audit.General): RecordType 15 sign-ins, 8 directory changes, 1 Exchange admin cmdlets that change state.',
  },
  graphActivity: {
    id: 'graphActivity',
    title: 'Microsoft Graph activity logs',
    file: 'graph-activity.jsonl',
    delivery: 'diagnostic-settings',
    idField: 'properties.requestId',
    description:
      'MicrosoftGraphActivityLogs: every HTTP request Microsoft Graph received, via Entra diagnostic settings (needs Entra ID P1/P2 and a diagnostic setting).',
  },
  signIns: {
    id: 'signIns',
    title: 'Entra sign-in logs',
    file: 'signins.jsonl',
    delivery: 'diagnostic-settings',
    idField: 'properties.id',
    description:
      'SignInLogs, NonInteractiveUserSignInLogs and ServicePrincipalSignInLogs via Entra diagnostic settings: sessions, tokens, networks, risk.',
  },
  aadGraphActivity: {
    id: 'aadGraphActivity',
    title: 'Azure AD Graph activity logs',
    file: 'aad-graph-activity.jsonl',
    delivery: 'diagnostic-settings',
    idField: 'properties.requestId',
    description: 'AzureADGraphActivityLogs: requests to graph.windows.net (ROADrecon, legacy tools).',
  },
  endpointPowerShell: {
    id: 'endpointPowerShell',
    title: 'Endpoint PowerShell script-block logging',
    file: 'endpoint-powershell.jsonl',
    delivery: 'endpoint',
    idField: 'EventRecordID',
    description:
      'Windows PowerShell 4104 script-block events on admin hosts, where Defender for Endpoint or script-block logging is on.',
  },
};

/**
 * The diagnostic-settings categories (the `category` of a record, the `insights-logs-<category>`
 * container it is archived in) of each source delivered that way.
 */
export const DIAGNOSTIC_CATEGORIES: Readonly<Partial<Record<SourceId, readonly string[]>>> = {
  graphActivity: ['MicrosoftGraphActivityLogs'],
  signIns: ['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs'],
  aadGraphActivity: ['AzureADGraphActivityLogs'],
};

/** The source of a diagnostic-settings record by its `category` (case-insensitive, as containers are lower-case). */
export function sourceOfCategory(category: string): SourceId | undefined {
  const c = category.toLowerCase();
  for (const [source, cats] of Object.entries(DIAGNOSTIC_CATEGORIES)) {
    if (cats.some((x) => x.toLowerCase() === c)) return source as SourceId;
  }
  return undefined;
}

function fieldAt(record: unknown, path: string): unknown {
  let cur: unknown = record;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/**
 * The identifier of a record — what labels.jsonl and delivery.jsonl key on and what an alert cites
 * as evidence. For every source it is the `idField`, except endpoint PowerShell 4104 events, whose
 * EventRecordID counts per host: their identifier is `Computer:EventRecordID`.
 */
export function recordIdOf(source: SourceId, record: unknown): string | undefined {
  const id = fieldAt(record, SOURCES[source].idField);
  if (source === 'endpointPowerShell') {
    const computer = fieldAt(record, 'Computer');
    if (typeof computer !== 'string' || (typeof id !== 'number' && typeof id !== 'string') || id === '')
      return undefined;
    return `${computer}:${id}`;
  }
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * `telemetry.collection` presets: what a tenant collects, by licence and configuration.
 * Graph activity logs need Entra ID P1/P2 and a diagnostic setting; endpoint PowerShell needs
 * Defender for Endpoint or script-block logging (telemetry.md §1, DESIGN.md).
 */
export interface CollectionPreset {
  id: string;
  description: string;
  sources: readonly SourceId[];
}

export const COLLECTION_PRESETS: readonly CollectionPreset[] = [
  {
    id: 'ual-only',
    description:
      'Only the Office 365 Management Activity API (e.g. E3 without Entra P1 diagnostic settings): UAL sign-ins, directory changes and Exchange admin changes. Graph listings are invisible.',
    sources: ['ual'],
  },
  {
    id: 'ual-signins',
    description:
      'The UAL plus Entra sign-in logs exported by a diagnostic setting, but no Graph activity logs (a common cost-saving configuration).',
    sources: ['ual', 'signIns'],
  },
  {
    id: 'e5-diagnostics',
    description:
      'The UAL plus every Entra diagnostic category that matters here: sign-in logs, Microsoft Graph activity logs and Azure AD Graph activity logs. The default.',
    sources: ['ual', 'signIns', 'graphActivity', 'aadGraphActivity'],
  },
  {
    id: 'e5-endpoint',
    description: 'e5-diagnostics plus PowerShell script-block events (4104) from admin hosts.',
    sources: ['ual', 'signIns', 'graphActivity', 'aadGraphActivity', 'endpointPowerShell'],
  },
];

export const DEFAULT_COLLECTION = 'e5-diagnostics';

/**
 * Hypotheses: telemetry an analytic assumes but Microsoft does not emit. Switched on by name in
 * `telemetry.hypotheses`; flagged in the manifest and every report, never inside records.
 */
export interface HypothesisInfo {
  id: string;
  title: string;
  description: string;
  source: string;
}

export const HYPOTHESES: readonly HypothesisInfo[] = [
  {
    id: 'exo-get-cmdlets-audited',
    title: 'Exchange Online Get-* cmdlets are audited',
    description:
      'Pretend Exchange Online writes RecordType 1 (ExchangeAdmin) records for Get-Mailbox, Get-Recipient and Get-User, as AN1089 assumes. The real service does not: "Cmdlets that begin with the verbs Get-, Search-, or Test- aren\'t logged in the audit log."',
    source: 'https://learn.microsoft.com/en-us/purview/audit-log-activities#exchange-admin-activities',
  },
];
