/**
 * What `import … from 'enumbench'` gives a detector author: the types of the in-process detector
 * contract (docs/detectors.md "A module: detector in TypeScript"). Types only: the bench loads a
 * `module:` detector and calls it; the detector never calls the bench.
 */
export type { Alert } from './core/alerts.js';
export type { EpochMs } from './core/clock.js';
export type { DeliveredRecord, Detector, DetectorContext, DetectorFactory } from './core/detector.js';
export type { ConnectionType, IpNetwork, IpNetworkLookup } from './core/ip-networks.js';
export type { TelemetryRecord } from './core/records.js';
export type { SourceId } from './core/sources.js';
