import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { TEST_CATALOG } from '../fixtures/catalog.js';

/** A JSON Schema document walked by key in these tests. */
// biome-ignore lint/suspicious/noExplicitAny: the generated schema is plain JSON, walked by key
type Json = any;

describe('scenario JSON Schema', () => {
  const schema: Json = scenarioJsonSchema(TEST_CATALOG);

  it('is strict: unknown keys are not allowed at the top level and in nested objects', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.tenant.additionalProperties).toBe(false);
    expect(schema.properties.attacks.items.additionalProperties).toBe(false);
  });

  it('enumerates technique and profile ids from the catalogue', () => {
    expect(schema.properties.attacks.items.properties.technique.enum).toEqual(['azurehound', 'graph-user-listing']);
    expect(schema.properties.activity.items.properties.profile.enum).toContain('workforce');
  });

  it('gives each technique its own options schema', () => {
    const rule = schema.properties.attacks.items.allOf.find(
      (r: Json) => r.if.properties.technique.const === 'azurehound',
    );
    const opts = rule.then.properties.options;
    expect(opts.additionalProperties).toBe(false);
    expect(opts.properties.streams.default).toBe(25);
    expect(opts.properties.collect.anyOf[0].items.enum).toContain('servicePrincipals');
  });

  it('does not mark defaulted keys as required', () => {
    expect(schema.required).toEqual(['name']);
  });
});
