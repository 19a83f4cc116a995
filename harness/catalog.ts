/**
 * Builds the catalogue (plain data about every technique, profile and detector) from the explicit
 * registries. The scenario loader receives it as a parameter, so src/ never imports generators/.
 */

import { DETECTORS } from '../detectors/registry.js';
import { PROFILES, TECHNIQUES } from '../generators/registry.js';
import { OPERATORS_BY_KIND } from '../generators/world/networks.js';
import type { Catalog } from '../src/core/catalog.js';

export function buildCatalog(): Catalog {
  return {
    techniques: TECHNIQUES.map((t) => t.info),
    profiles: PROFILES.map((p) => p.info),
    detectors: DETECTORS.map((d) => d.info),
    networkCountries: Object.fromEntries(
      Object.entries(OPERATORS_BY_KIND).map(([kind, ops]) => [kind, [...new Set(ops.map((o) => o.country))].sort()]),
    ),
  };
}
