/**
 * `builtin:baseline`'s options: every weight and threshold, with its default and what it means
 * (docs/baseline.md). `enumbench list detectors` prints them from BASELINE_OPTION_SPECS.
 */
import type { OptionSpecs } from '../../src/core/catalog.js';
import { duration as volumeDuration } from '../volume/index.js';

export interface BaselineWeights {
  newAsn: number;
  newCountry: number;
  hosting: number;
  vpn: number;
  tor: number;
  deviceCode: number;
  passwordOnly: number;
  multiNetworkSession: number;
  riskySignIn: number;
  appOnlyNewNetwork: number;
  noSignIn: number;
}

export interface BaselineOptions {
  windowMs: number;
  minObjects: number;
  ratio: number;
  strongRatio: number;
  threshold: number;
  settleMs: number;
  newForMs: number;
  sessionTtlMs: number;
  cooldownMs: number;
  evidenceCap: number;
  maxNetworks: number;
  weights: BaselineWeights;
}

export const BASELINE_DEFAULTS: BaselineOptions = {
  windowMs: 60 * 60_000,
  minObjects: 200,
  ratio: 3,
  strongRatio: 10,
  threshold: 2.5,
  settleMs: 10 * 60_000,
  newForMs: 7 * 24 * 60 * 60_000,
  sessionTtlMs: 24 * 60 * 60_000,
  cooldownMs: 60 * 60_000,
  evidenceCap: 200,
  maxNetworks: 64,
  weights: {
    newAsn: 1,
    newCountry: 1,
    hosting: 1,
    vpn: 0.5,
    tor: 1.5,
    deviceCode: 1.5,
    passwordOnly: 0.5,
    multiNetworkSession: 1,
    riskySignIn: 1,
    appOnlyNewNetwork: 2,
    noSignIn: 1,
  },
};

const W = BASELINE_DEFAULTS.weights;
const weight = (what: string, d: number) => ({ type: 'number' as const, min: 0, default: d, description: what });

/** the options as `list detectors` shows them; durations as "1h", weights under their signal's name */
export const BASELINE_OPTION_SPECS: OptionSpecs = {
  window: {
    type: 'duration',
    default: '1h',
    description: 'sliding window of event time over which objects read are summed',
  },
  minObjects: {
    type: 'integer',
    min: 1,
    default: BASELINE_DEFAULTS.minObjects,
    description: 'objects a principal must read in one window before anything is judged (bulk)',
  },
  ratio: {
    type: 'number',
    min: 1,
    default: BASELINE_DEFAULTS.ratio,
    description: "bulk is abnormal above ratio × the principal's own peak window (and the app's, for volume alone)",
  },
  strongRatio: {
    type: 'number',
    min: 1,
    default: BASELINE_DEFAULTS.strongRatio,
    description:
      'above strongRatio × max(peak, minObjects), an account that is not automation alerts on volume alone (the insider)',
  },
  threshold: {
    type: 'number',
    min: 0,
    default: BASELINE_DEFAULTS.threshold,
    description: 'the session-context score (sum of the signal weights) abnormal bulk needs to alert',
  },
  settle: {
    type: 'duration',
    default: '10m',
    description: 'a network seen within this time of a principal’s first record is part of its baseline, never new',
  },
  newFor: {
    type: 'duration',
    default: '7d',
    description: 'a network first seen this recently for the principal is new',
  },
  sessionTtl: {
    type: 'duration',
    default: '24h',
    description: 'session and token state is dropped after this idle time',
  },
  cooldown: { type: 'duration', default: '1h', description: 'no second alert for the same principal within this time' },
  evidenceCap: {
    type: 'integer',
    min: 1,
    default: BASELINE_DEFAULTS.evidenceCap,
    description: 'record ids an alert cites',
  },
  maxNetworks: {
    type: 'integer',
    min: 1,
    default: BASELINE_DEFAULTS.maxNetworks,
    description: 'networks (ASNs, countries) remembered per principal; the oldest is forgotten first',
  },
  'weights.newAsn': weight('the session uses an ASN new for the account', W.newAsn),
  'weights.newCountry': weight('the session uses a country new for the account', W.newCountry),
  'weights.hosting': weight('the session egresses from a hosting/VPS network (not Microsoft’s)', W.hosting),
  'weights.vpn': weight('… from a network flagged VPN', W.vpn),
  'weights.tor': weight('… from a Tor exit network', W.tor),
  'weights.deviceCode': weight('the session was signed in with the device-code flow', W.deviceCode),
  'weights.passwordOnly': weight('the session was signed in interactively with a single factor', W.passwordOnly),
  'weights.multiNetworkSession': weight(
    'one session used from two or more ASNs (Microsoft’s excluded)',
    W.multiNetworkSession,
  ),
  'weights.riskySignIn': weight('a sign-in of the session with medium or high risk', W.riskySignIn),
  'weights.appOnlyNewNetwork': weight('an app-only token used from an ASN new for the app', W.appOnlyNewNetwork),
  'weights.noSignIn': weight(
    'delegated reads from outside Microsoft whose session and token match no sign-in (sign-ins collected)',
    W.noSignIn,
  ),
};

const duration = (v: unknown, name: string) => volumeDuration(v, name, 'builtin:baseline');

function num(v: unknown, name: string, min: number, integer = false): number {
  if (typeof v === 'number' && Number.isFinite(v) && v >= min && (!integer || Number.isInteger(v))) return v;
  throw new Error(
    `builtin:baseline: option ${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, not ${JSON.stringify(v)}`,
  );
}

/** Read the options (unknown names refused with the list); weights as `{weights: {hosting: 2}}` or `"weights.hosting": 2`. */
export function baselineOptions(raw: Record<string, unknown>): BaselineOptions {
  const o: BaselineOptions = { ...BASELINE_DEFAULTS, weights: { ...BASELINE_DEFAULTS.weights } };
  const flat: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'weights' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [w, x] of Object.entries(v)) flat[`weights.${w}`] = x;
    } else flat[k] = v;
  }
  for (const [k, v] of Object.entries(flat)) {
    if (!(k in BASELINE_OPTION_SPECS)) {
      throw new Error(
        `builtin:baseline: unknown option "${k}" (options: ${Object.keys(BASELINE_OPTION_SPECS).join(', ')})`,
      );
    }
    if (k.startsWith('weights.')) {
      (o.weights as unknown as Record<string, number>)[k.slice(8)] = num(v, k, 0);
      continue;
    }
    switch (k) {
      case 'window':
        o.windowMs = duration(v, k);
        break;
      case 'settle':
        o.settleMs = duration(v, k);
        break;
      case 'newFor':
        o.newForMs = duration(v, k);
        break;
      case 'sessionTtl':
        o.sessionTtlMs = duration(v, k);
        break;
      case 'cooldown':
        o.cooldownMs = duration(v, k);
        break;
      case 'minObjects':
      case 'evidenceCap':
      case 'maxNetworks':
        o[k] = num(v, k, 1, true);
        break;
      case 'ratio':
      case 'strongRatio':
        o[k] = num(v, k, 1);
        break;
      case 'threshold':
        o.threshold = num(v, k, 0);
        break;
    }
  }
  return o;
}
