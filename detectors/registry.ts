/**
 * The reference detectors shipped with enumbench (`builtin:<id>`). Each is written exactly as an
 * outside detector would be: it sees records, never the truth.
 */
import type { DetectorFactory, DetectorInfo } from '../src/core/index.js';
import { createVolumeDetector, volumeInfo } from './volume/index.js';

export interface DetectorModule {
  info: DetectorInfo;
  create: DetectorFactory;
}

export const DETECTORS: readonly DetectorModule[] = [{ info: volumeInfo, create: createVolumeDetector }];
