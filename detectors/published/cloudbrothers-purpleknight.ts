/**
 * builtin:cloudbrothers-purpleknight — "Purple Knight reconnaissance detected" (Sentinel scheduled rule,
 * id 0833c2f0-036c-479b-90c4-59bd98f8c698): f-bader/AzSentinelQueries
 * AnalyticsRules/PurpleKnightReconnaissanceDetected.yaml. Same machinery as the AzureHound rule
 * (cloudbrothers-path-signature.ts); 23 paths, fires at ≥ 18 (17/23 rounds to 0.7). No licence
 * upstream: re-implemented, cited.
 */
import { pathSignatureModule } from './cloudbrothers-path-signature.js';

export const PURPLE_KNIGHT_SUFFIXES = [
  '/servicePrincipals/<UUID>/appRoleAssignments',
  '/roleManagement/directory/roleEligibilityScheduleInstances',
  '/servicePrincipals/',
  '/roleManagement/directory/roleAssignments',
  '/users/<UUID>/memberOf',
  '/directoryRoles/roleTemplateId=<UUID>/members',
  '/directoryObjects/<UUID>',
  '/identity/conditionalAccess/policies',
  '/policies/authorizationPolicy',
  '/policies/identitySecurityDefaultsEnforcementPolicy',
  '/organization',
  '/users',
  '/reports/credentialUserRegistrationDetails',
  '/directoryRoles',
  '/identity/conditionalAccess/namedLocations',
  '/auditLogs/signIns',
  '/$batch',
  '/roleManagement/directory/roleAssignmentScheduleRequests',
  '/directory/administrativeUnits',
  '/settings',
  '/applications',
  '/authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator',
  '/servicePrincipals',
] as const;

export const cloudbrothersPurpleknight = pathSignatureModule(
  {
    id: 'cloudbrothers-purpleknight',
    suffixes: PURPLE_KNIGHT_SUFFIXES,
    severity: 'medium',
    technique: 'T1087.004',
    published: {
      ruleId: '0833c2f0-036c-479b-90c4-59bd98f8c698',
      file: 'f-bader/AzSentinelQueries AnalyticsRules/PurpleKnightReconnaissanceDetected.yaml',
      techniques: ['T1595', 'T1589', 'T1591', 'T1078'],
    },
  },
  'Cloudbrothers (Sentinel): one identity calls >= 18 of the 23 normalised Purple Knight Graph paths within a 35-min ingestion window',
);
