/**
 * builtin:cloudbrothers-azurehound — "AzureHound reconnaissance detected" (Sentinel scheduled rule,
 * id bd676415-d309-41e0-87f7-4a9e52d81c14) by Fabian Bader: f-bader/AzSentinelQueries
 * AnalyticsRules/AzureHoundReconnaissanceDetected.yaml, https://cloudbrothers.info/en/detect-threats-microsoft-graph-logs-part-1/.
 * No licence upstream: logic re-implemented from its description, cited here. The list is the
 * f-bader one; the m4nbat mirror's `version groups` typo (a space for a slash, never matches) is not
 * reproduced. Fires at ≥ 11 of the 14 paths (10/14 rounds to 0.7).
 */
import { pathSignatureModule } from './cloudbrothers-path-signature.js';

export const AZUREHOUND_SUFFIXES = [
  '/servicePrincipals/<UUID>/owners',
  '/groups/<UUID>/members',
  '/groups/<UUID>/owners',
  '/servicePrincipals/<UUID>/appRoleAssignedTo',
  '/roleManagement/directory/roleAssignments',
  '/applications/<UUID>/owners',
  '/devices/<UUID>/registeredOwners',
  '/organization',
  '/groups',
  '/servicePrincipals',
  '/applications',
  '/roleManagement/directory/roleDefinitions',
  '/devices',
  '/users',
] as const;

export const cloudbrothersAzurehound = pathSignatureModule(
  {
    id: 'cloudbrothers-azurehound',
    suffixes: AZUREHOUND_SUFFIXES,
    severity: 'medium',
    technique: 'T1087.004',
    published: {
      ruleId: 'bd676415-d309-41e0-87f7-4a9e52d81c14',
      file: 'f-bader/AzSentinelQueries AnalyticsRules/AzureHoundReconnaissanceDetected.yaml',
      techniques: ['T1595', 'T1589', 'T1591', 'T1078'],
    },
  },
  'Cloudbrothers (Sentinel): one identity calls >= 11 of the 14 normalised AzureHound Graph paths within a 35-min ingestion window (every 30 min)',
);
