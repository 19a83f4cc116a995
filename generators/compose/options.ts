/**
 * Resolve a module's options: defaults from its OptionSpecs, values from the scenario, ranges drawn
 * with the actor's seeded stream (each seed of a `--seeds N` run draws anew).
 */
import type { OptionSpecs } from '../../src/core/catalog.js';
import type { Rng } from '../../src/core/rng.js';
import type { OptionValue, Rate } from '../../src/scenario/types.js';
import { parseDuration, parseRate } from '../../src/scenario/units.js';

export type ResolvedOption = number | string | boolean | readonly string[] | Rate;

function isRange(v: unknown): v is { range: { min: unknown; max: unknown }; unit: string } {
  return typeof v === 'object' && v !== null && 'range' in v;
}

export function resolveOptions(
  specs: OptionSpecs,
  given: Readonly<Record<string, OptionValue>>,
  rng: Rng,
): Record<string, ResolvedOption> {
  const out: Record<string, ResolvedOption> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const v: unknown = given[name] ?? spec.default;
    if (v === undefined) continue;
    const r = rng.fork(name);
    if (isRange(v)) {
      if (v.unit === 'rate') {
        const lo = v.range.min as Rate;
        const hi = v.range.max as Rate;
        const a = lo.count / lo.perMs;
        const b = hi.count / hi.perMs;
        // log-uniform between the two rates, expressed per minute
        const perMs = Math.exp(Math.log(a) + r.float() * (Math.log(b) - Math.log(a)));
        out[name] = { count: perMs * 60_000, perMs: 60_000 };
      } else {
        const lo = v.range.min as number;
        const hi = v.range.max as number;
        out[name] = v.unit === 'integer' ? r.int(lo, hi) : lo + r.float() * (hi - lo);
        if (v.unit === 'duration') out[name] = Math.round(out[name] as number);
      }
      continue;
    }
    if (spec.type === 'rate' && typeof v === 'string') {
      const p = parseRate(v);
      if (p.ok) out[name] = p.value;
      continue;
    }
    if (spec.type === 'duration' && typeof v === 'string') {
      const p = parseDuration(v);
      if (p.ok) out[name] = p.value;
      continue;
    }
    out[name] = v as ResolvedOption;
  }
  return out;
}

export function optionsForTruth(o: Record<string, ResolvedOption>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'object' && v !== null && 'perMs' in v)
      out[k] = `${+(v.count * (60_000 / v.perMs)).toFixed(4)}/min`;
    else out[k] = v;
  }
  return out;
}
