/**
 * The published community detections for AN1089, ported as in-process reference detectors
 * (`builtin:<id>`). Each file names its source, licence and every porting decision;
 * docs/published-detections.md is the user's page.
 */
export { bertjanpAzurehoundVolume } from './bertjanp-azurehound-volume.js';
export { chronicleMsGraphGraphrunnerGraphreconEnumeration } from './chronicle-ms-graph-graphrunner-graphrecon-enumeration.js';
export { chronicleMsGraphUserAndGroupEnumeration } from './chronicle-ms-graph-user-and-group-enumeration.js';
export { cloudbrothersAzurehound } from './cloudbrothers-azurehound.js';
export { cloudbrothersAzurehoundUa } from './cloudbrothers-azurehound-ua.js';
export { cloudbrothersGraphrunner } from './cloudbrothers-graphrunner.js';
export { cloudbrothersPurpleknight } from './cloudbrothers-purpleknight.js';
export { elasticBloodhoundUa } from './elastic-bloodhound-ua.js';
export { elasticGraphMultiCategoryRecon } from './elastic-graph-multi-category-recon.js';
export { elasticGraphSessionMultipleAddresses } from './elastic-graph-session-multiple-addresses.js';
export { elasticRoadreconAiohttp } from './elastic-roadrecon-aiohttp.js';
export { sigmaAzureAdAzurehoundDiscovery } from './sigma-azure-ad-azurehound-discovery.js';
export { splunkAzureAdServicePrincipalEnumeration } from './splunk-azure-ad-service-principal-enumeration.js';
