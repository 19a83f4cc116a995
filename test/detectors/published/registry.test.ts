import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../../detectors/registry.js';

const PUBLISHED_IDS = [
  'cloudbrothers-azurehound',
  'cloudbrothers-purpleknight',
  'cloudbrothers-graphrunner',
  'cloudbrothers-azurehound-ua',
  'bertjanp-azurehound-volume',
  'elastic-roadrecon-aiohttp',
  'elastic-bloodhound-ua',
  'elastic-graph-multi-category-recon',
  'elastic-graph-session-multiple-addresses',
  'chronicle-ms-graph-user-and-group-enumeration',
  'chronicle-ms-graph-graphrunner-graphrecon-enumeration',
  'splunk-azure-ad-service-principal-enumeration',
  'sigma-azure-ad-azurehound-discovery',
];

describe('published detectors in the registry', () => {
  it('are all registered, with unique ids and a one-line summary', () => {
    const ids = DETECTORS.map((d) => d.info.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of PUBLISHED_IDS) expect(ids).toContain(id);
    for (const d of DETECTORS) {
      expect(d.info.summary.length).toBeGreaterThan(10);
      expect(d.info.summary).not.toContain('\n');
    }
  });

  it('create detectors named after their id, and reject a bad maxEvidence', async () => {
    for (const d of DETECTORS.filter((x) => PUBLISHED_IDS.includes(x.info.id))) {
      const det = await d.create({});
      expect(det.name).toBe(d.info.id);
      expect(() => d.create({ maxEvidence: 0 })).toThrow(/maxEvidence/);
    }
  });

  it('are documented in docs/published-detections.md', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'published-detections.md'), 'utf8');
    for (const id of PUBLISHED_IDS) expect(doc).toContain(`builtin:${id}`);
  });
});
