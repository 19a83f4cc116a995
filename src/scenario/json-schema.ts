/**
 * JSON Schema for editors (yaml-language-server), generated from the zod schema and the
 * catalogue: technique and profile ids become enums, and each module's options get their own
 * schema. The file `scenarios/scenario.schema.json` is written by harness/scripts/gen-schema.ts;
 * a test fails when it is stale.
 */
import { z } from 'zod';
import type { Catalog, ModuleInfo, OptionSpec } from '../core/catalog.js';
import { DURATION_PATTERN, RATE_PATTERN, ScenarioInput } from './schema.js';

type Json = Record<string, unknown>;

function optionSchema(spec: OptionSpec): Json {
  const base: Json = { description: spec.description };
  if (spec.default !== undefined) base.default = spec.default;
  const range = (pattern: string) => ({ type: 'string', pattern });
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const n: Json = { type: spec.type };
      if (spec.min !== undefined) n.minimum = spec.min;
      if (spec.max !== undefined) n.maximum = spec.max;
      return spec.rangeable ? { ...base, anyOf: [n, range('^-?[0-9.]+\\s*\\.\\.\\s*-?[0-9.]+$')] } : { ...base, ...n };
    }
    case 'duration':
      return spec.rangeable
        ? {
            ...base,
            type: 'string',
            pattern: `^(${DURATION_PATTERN.slice(1, -1)})(\\.\\.(${DURATION_PATTERN.slice(1, -1)}))?$`,
          }
        : { ...base, type: 'string', pattern: DURATION_PATTERN };
    case 'rate':
      return spec.rangeable
        ? {
            ...base,
            type: 'string',
            pattern: `^(${RATE_PATTERN.slice(1, -1)})(\\s*\\.\\.\\s*(${RATE_PATTERN.slice(1, -1)}))?$`,
          }
        : { ...base, type: 'string', pattern: RATE_PATTERN };
    case 'string':
      return { ...base, type: 'string' };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'enum':
      return { ...base, type: 'string', enum: [...spec.values] };
    case 'list': {
      const items: Json = spec.values ? { type: 'string', enum: [...spec.values] } : { type: 'string' };
      return { ...base, anyOf: [{ type: 'array', items }, items] };
    }
  }
}

function optionsFor(mod: ModuleInfo): Json {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(mod.options).map(([k, v]) => [k, optionSchema(v)])),
  };
}

function conditional(key: 'technique' | 'profile', mods: readonly ModuleInfo[]): Json[] {
  return mods.map((m) => ({
    if: { properties: { [key]: { const: m.id } }, required: [key] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
    then: { properties: { options: optionsFor(m) } },
  }));
}

export function scenarioJsonSchema(catalog: Catalog): Json {
  const schema = z.toJSONSchema(ScenarioInput, { io: 'input', unrepresentable: 'any' }) as Json;
  const props = schema.properties as Record<string, Json>;
  const attackItem = (props.attacks as Json).items as Json;
  const activityItem = (props.activity as Json).items as Json;
  const techIds = catalog.techniques.map((t) => t.id);
  const profileIds = catalog.profiles.map((p) => p.id);
  const attackProps = attackItem.properties as Record<string, Json>;
  const activityProps = activityItem.properties as Record<string, Json>;
  if (techIds.length) attackProps.technique = { ...attackProps.technique, enum: techIds };
  if (profileIds.length) activityProps.profile = { ...activityProps.profile, enum: profileIds };
  const tc = conditional('technique', catalog.techniques);
  const pc = conditional('profile', catalog.profiles);
  if (tc.length) attackItem.allOf = tc;
  if (pc.length) activityItem.allOf = pc;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:enumbench:scenario:v1',
    title: 'enumbench scenario (version 1)',
    ...schema,
  };
}
