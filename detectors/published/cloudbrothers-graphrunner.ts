/**
 * builtin:cloudbrothers-graphrunner — "GraphRunner reconnaissance detected" (Sentinel scheduled rule,
 * id c1d23904-a136-4794-b6fb-d5b3fc98e2d4): f-bader/AzSentinelQueries
 * AnalyticsRules/GraphRunnerReconnaissanceDetected.yaml. Same machinery as the AzureHound rule; 12
 * paths, fires at ≥ 9 (8/12 rounds to 0.7). No licence upstream: re-implemented, cited.
 */
import { pathSignatureModule } from './cloudbrothers-path-signature.js';

export const GRAPHRUNNER_SUFFIXES = [
  '/groups/<UUID>/members',
  '/users/<UUID>',
  '/users',
  '/users/',
  '/search/query',
  "/servicePrincipals(appId='<UUID>')/appRoleAssignedTo",
  '/servicePrincipals',
  '/servicePrincipals/<UUID>',
  '/organization',
  '/groups',
  '/applications',
  '/policies/authorizationPolicy',
] as const;

export const cloudbrothersGraphrunner = pathSignatureModule(
  {
    id: 'cloudbrothers-graphrunner',
    suffixes: GRAPHRUNNER_SUFFIXES,
    severity: 'medium',
    technique: 'T1087.004',
    published: {
      ruleId: 'c1d23904-a136-4794-b6fb-d5b3fc98e2d4',
      file: 'f-bader/AzSentinelQueries AnalyticsRules/GraphRunnerReconnaissanceDetected.yaml',
      techniques: ['T1595', 'T1589', 'T1591', 'T1078'],
    },
  },
  'Cloudbrothers (Sentinel): one identity calls >= 9 of the 12 normalised GraphRunner Graph paths within a 35-min ingestion window',
);
