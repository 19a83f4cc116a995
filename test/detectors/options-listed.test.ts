/**
 * `enumbench list detectors` shows every builtin detector's options with their defaults (issue #18
 * item 6): each builtin declares its options, each option has a default, and each detector accepts
 * every listed option at its listed default (so a listed name or default type cannot drift from
 * what the factory reads).
 */
import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../detectors/registry.js';

describe('builtin detector options', () => {
  it.each(DETECTORS.map((d) => [d.info.id, d] as const))('%s lists its options, each with a default', async (_, d) => {
    const options = d.info.options ?? {};
    expect(Object.keys(options).length).toBeGreaterThan(0);
    for (const [name, spec] of Object.entries(options)) {
      expect(spec.default, name).toBeDefined();
      if (name.includes('.')) continue; // a nested option (baseline's weights.*): its parent object is read whole
      const det = await d.create({ [name]: spec.default });
      expect(det.name).toBeTypeOf('string');
    }
  });
});
