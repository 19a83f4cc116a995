/**
 * The reference detectors shipped with enumbench (`builtin:<id>`). Each is written exactly as an
 * outside detector would be: it sees records, never the truth.
 */
import type { DetectorFactory, DetectorInfo } from '../src/core/index.js';
import { baselineInfo, createBaselineDetector } from './baseline/index.js';
import {
  bertjanpAzurehoundVolume,
  chronicleMsGraphGraphrunnerGraphreconEnumeration,
  chronicleMsGraphUserAndGroupEnumeration,
  cloudbrothersAzurehound,
  cloudbrothersAzurehoundUa,
  cloudbrothersGraphrunner,
  cloudbrothersPurpleknight,
  elasticBloodhoundUa,
  elasticGraphMultiCategoryRecon,
  elasticGraphSessionMultipleAddresses,
  elasticRoadreconAiohttp,
  sigmaAzureAdAzurehoundDiscovery,
  splunkAzureAdServicePrincipalEnumeration,
} from './published/index.js';
import { createVolumeDetector, volumeInfo } from './volume/index.js';

export interface DetectorModule {
  info: DetectorInfo;
  create: DetectorFactory;
}

export const DETECTORS: readonly DetectorModule[] = [
  // enumbench's own simple reference detector (detectors/volume/, docs/scoring.md)
  { info: volumeInfo, create: createVolumeDetector },
  // session-aware baselines (detectors/baseline/, docs/baseline.md)
  { info: baselineInfo, create: createBaselineDetector },
  // published community detections (detectors/published/, docs/published-detections.md)
  cloudbrothersAzurehound,
  cloudbrothersPurpleknight,
  cloudbrothersGraphrunner,
  cloudbrothersAzurehoundUa,
  bertjanpAzurehoundVolume,
  elasticRoadreconAiohttp,
  elasticBloodhoundUa,
  elasticGraphMultiCategoryRecon,
  elasticGraphSessionMultipleAddresses,
  chronicleMsGraphUserAndGroupEnumeration,
  chronicleMsGraphGraphrunnerGraphreconEnumeration,
  splunkAzureAdServicePrincipalEnumeration,
  sigmaAzureAdAzurehoundDiscovery,
];
