/**
 * The published community detections for AN1089, ported as in-process reference detectors
 * (`builtin:<id>`). Each file names its source, licence and every porting decision;
 * docs/published-detections.md is the user's page.
 */
// helpers for calibration tests (issue 5): the published constants and matchers, importable alone
export { bertjanpAzurehoundVolume, reconResourceOf } from './bertjanp-azurehound-volume.js';
export { chronicleMsGraphGraphrunnerGraphreconEnumeration } from './chronicle-ms-graph-graphrunner-graphrecon-enumeration.js';
export { chronicleMsGraphUserAndGroupEnumeration } from './chronicle-ms-graph-user-and-group-enumeration.js';
export { AZUREHOUND_SUFFIXES, cloudbrothersAzurehound } from './cloudbrothers-azurehound.js';
export { cloudbrothersAzurehoundUa } from './cloudbrothers-azurehound-ua.js';
export { cloudbrothersGraphrunner, GRAPHRUNNER_SUFFIXES } from './cloudbrothers-graphrunner.js';
export { normaliseRequestUri } from './cloudbrothers-normalise.js';
export { matchedSignature, minimumMatches } from './cloudbrothers-path-signature.js';
export { cloudbrothersPurpleknight, PURPLE_KNIGHT_SUFFIXES } from './cloudbrothers-purpleknight.js';
export { BLOODHOUND_UA, elasticBloodhoundUa } from './elastic-bloodhound-ua.js';
export { elasticGraphMultiCategoryRecon } from './elastic-graph-multi-category-recon.js';
export { elasticGraphSessionMultipleAddresses } from './elastic-graph-session-multiple-addresses.js';
export { elasticRoadreconAiohttp, roadreconBucket } from './elastic-roadrecon-aiohttp.js';
export { kqlHas } from './kql.js';
export { sigmaAzureAdAzurehoundDiscovery } from './sigma-azure-ad-azurehound-discovery.js';
export { splunkAzureAdServicePrincipalEnumeration } from './splunk-azure-ad-service-principal-enumeration.js';
