/**
 * The `--faults` option of `serve` and `run`: "error=0.05,throttle=0.02,slow=0.1:500ms,…" parsed
 * into the mock's fault settings (harness/mock/faults.ts), and written back in the same form for the
 * replay line (`formatFaults(parseFaults(s))` parses to the same settings).
 */
import { userError } from '../../src/core/errors.js';
import { formatDuration, parseDuration } from '../../src/scenario/units.js';
import type { FaultConfig } from './faults.js';

/** Fault kinds: the rate's field and, for those that take one (`kind=rate:duration`), the duration's. */
const FAULT_KINDS = {
  error: { rate: 'errorRate' },
  throttle: { rate: 'throttleRate' },
  slow: { rate: 'slowRate', duration: 'slowMs', example: 'slow=0.1:500ms' },
  truncate: { rate: 'truncateRate' },
  reset: { rate: 'resetRate' },
  late: { rate: 'lateBlobRate', duration: 'lateMs', example: 'late=0.05:30m' },
  expired: { rate: 'expiredRate' },
} as const satisfies Record<string, { rate: keyof FaultConfig; duration?: keyof FaultConfig; example?: string }>;
type FaultName = keyof typeof FAULT_KINDS;

export type FaultSettings = Partial<Omit<FaultConfig, 'seed' | 'maxConsecutive'>>;

/** A rate 0..1, written as JavaScript writes numbers (0.05, 1e-7) */
const RATE = /^\d+(?:\.\d+)?(?:e-?\d+)?$/i;

function positiveDuration(s: string, part: string): number {
  const d = parseDuration(s);
  if (!d.ok || d.value <= 0) {
    throw userError(
      'E_FAULTS',
      `fault "${part}": invalid duration "${s}"`,
      'a positive duration with a unit: 500ms, 30s, 30m, 2h',
    );
  }
  return d.value;
}

/** "error=0.05,throttle=0.02,slow=0.1:500ms,truncate=0.02,reset=0.01,late=0.05:30m,expired=0.01" */
export function parseFaults(spec: string): FaultSettings {
  const out: FaultSettings = {};
  const seen = new Set<string>();
  const kinds = Object.keys(FAULT_KINDS).join(', ');
  for (const part of spec.split(',').filter((p) => p.trim() !== '')) {
    const m = /^\s*([a-z]+)=([^:]*)(?::(.*))?$/.exec(part.trim());
    const kind = m?.[1] as FaultName | undefined;
    const info = kind !== undefined && Object.hasOwn(FAULT_KINDS, kind) ? FAULT_KINDS[kind] : undefined;
    if (!m || !info || kind === undefined) {
      throw userError('E_FAULTS', `invalid fault "${part}"`, `write kind=rate, kind one of ${kinds}`);
    }
    const rate = RATE.test((m[2] as string).trim()) ? Number(m[2]) : Number.NaN;
    if (!(rate >= 0 && rate <= 1)) {
      throw userError('E_FAULTS', `invalid fault "${part}": the rate must be a number 0..1`, `e.g. ${kind}=0.05`);
    }
    if (seen.has(kind)) throw userError('E_FAULTS', `invalid faults: ${kind} is given twice`, 'give each kind once');
    seen.add(kind);
    const duration = m[3];
    if ('duration' in info && duration === undefined) {
      throw userError('E_FAULTS', `invalid fault "${part}": ${kind} needs a duration`, `write it as ${info.example}`);
    }
    if (!('duration' in info) && duration !== undefined) {
      throw userError('E_FAULTS', `invalid fault "${part}": ${kind} takes no duration`, `write ${kind}=${m[2]}`);
    }
    out[info.rate] = rate;
    if ('duration' in info) out[info.duration] = positiveDuration(duration as string, part);
  }
  return out;
}

/** The `--faults` text of parsed settings, kinds in a fixed order. */
export function formatFaults(f: FaultSettings): string {
  const parts: string[] = [];
  for (const [kind, info] of Object.entries(FAULT_KINDS)) {
    const rate = f[info.rate];
    if (rate === undefined) continue;
    const ms = 'duration' in info ? f[info.duration] : undefined;
    parts.push(`${kind}=${rate}${ms !== undefined ? `:${formatDuration(ms)}` : ''}`);
  }
  return parts.join(',');
}
