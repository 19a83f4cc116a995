import { type EpochMs, HOUR } from '../../src/core/clock.js';
import type { Detector, DetectorContext, DetectorFactory } from '../../src/core/detector.js';
import { alert, COMMON_OPTIONS, commonOptions, compare, evidenceOf, firstRunAfter, iso } from './engine.js';
import { isEmpty, readGraph, urlPath } from './fields.js';

export const ID = 'bertjanp-azurehound-volume';

export const BERTJANP_CONSTANTS = {
  uniqueRequestThreshold: 1000,
  totalResponseSizeThreshold: 1_000_000,
  resourceThreshold: 4,
  reconResources: ['organization', 'groups', 'devices', 'applications', 'users', 'rolemanagement', 'serviceprincipals'],
  whitelistedObjects: [] as string[],
  bin: HOUR,
} as const;

/** `split(lower(replace_string(parse_url(uri).Path, "//", "/")), "/")[2]` */
export function reconResourceOf(uri: string): string | undefined {
  const path = urlPath(uri).replaceAll('//', '/').toLowerCase();
  return path.split('/')[2];
}

interface Group {
  userId: string;
  bin: EpochMs;
  userAgent: string;
  objectId: string;
  requests: Map<string, EpochMs>;
  bytes: number;
  resources: Set<string>;
  alerted: boolean;
}

const create: DetectorFactory = (options) => {
  const { maxEvidence } = commonOptions(options);
  const late = options.lateDataAllowance;
  if (late !== undefined && (typeof late !== 'number' || late < 0)) {
    throw new TypeError('option lateDataAllowance must be a number of milliseconds ≥ 0');
  }
  const lateDataAllowance = (late as number | undefined) ?? 2 * HOUR;
  const whitelist = new Set<string>(
    Array.isArray(options.whitelistedObjects) ? (options.whitelistedObjects as string[]) : [],
  );
  const resources = new Set<string>(BERTJANP_CONSTANTS.reconResources);
  const groups = new Map<string, Group>();
  let nextRun: EpochMs | undefined;
  const c = BERTJANP_CONSTANTS;

  const evaluate = (runAt: EpochMs, ctx: DetectorContext, all: boolean): void => {
    const keys = [...groups.keys()].sort(compare);
    for (const key of keys) {
      const g = groups.get(key)!;
      const binEnd = g.bin + c.bin;
      if (!all && binEnd > runAt) continue;
      if (!g.alerted && fires(g)) {
        g.alerted = true;
        ctx.emit(
          alert({
            rule: ID,
            principal: g.objectId,
            evidence: evidenceOf(
              [...g.requests].map(([id, time]) => ({ id, time })),
              maxEvidence,
            ),
            time: iso(runAt),
            severity: 'medium',
            technique: 'T1087.004',
            details: {
              userId: g.userId,
              userAgent: g.userAgent,
              bin: iso(g.bin),
              uniqueRequests: g.requests.size,
              totalResponseSize: g.bytes,
              uniqueResourceCount: g.resources.size,
              resources: [...g.resources].sort(compare),
            },
          }),
        );
      }
    }
    for (const key of keys) {
      const g = groups.get(key)!;
      if (g.bin + c.bin + lateDataAllowance <= runAt) groups.delete(key);
    }
  };

  const fires = (g: Group): boolean =>
    g.requests.size >= c.uniqueRequestThreshold &&
    g.bytes >= c.totalResponseSizeThreshold &&
    g.resources.size >= c.resourceThreshold;

  const runDue = (upTo: EpochMs, ctx: DetectorContext): void => {
    nextRun ??= firstRunAfter(upTo, HOUR);
    while (nextRun <= upTo) {
      evaluate(nextRun, ctx, false);
      nextRun += HOUR;
    }
  };

  const detector: Detector = {
    name: ID,
    start(ctx) {
      nextRun = firstRunAfter(ctx.now(), HOUR);
    },
    ingest(batch, ctx) {
      const now = ctx.now();
      runDue(now, ctx);
      for (const d of batch) {
        if (d.source !== 'graphActivity') continue;
        const r = readGraph(d.record);
        if (r?.requestMethod !== 'GET' || r.status !== 200) continue;
        const resource = reconResourceOf(r.requestUri);
        if (resource === undefined || !resources.has(resource)) continue;
        const objectId = (isEmpty(r.userId) ? r.servicePrincipalId : r.userId) ?? '';
        if (whitelist.has(objectId)) continue;
        const bin = Math.floor(r.time / c.bin) * c.bin;
        if (bin + c.bin + lateDataAllowance <= (nextRun ?? now) - HOUR) continue; // its bin has been dropped
        const userId = r.userId ?? '';
        const userAgent = r.userAgent ?? '';
        const key = JSON.stringify([userId, bin, userAgent, objectId]);
        let g = groups.get(key);
        if (!g) {
          g = { userId, bin, userAgent, objectId, requests: new Map(), bytes: 0, resources: new Set(), alerted: false };
          groups.set(key, g);
        }
        const id = r.requestId ?? '';
        if (g.requests.has(id)) continue;
        g.requests.set(id, r.time);
        g.bytes += r.responseSizeBytes;
        g.resources.add(resource);
      }
    },
    tick(now, ctx) {
      runDue(now, ctx);
    },
    stop(ctx) {
      runDue(ctx.now(), ctx);
      evaluate(ctx.now(), ctx, true);
    },
  };
  return detector;
};

export const bertjanpAzurehoundVolume = {
  info: {
    id: ID,
    summary:
      'Bert-JanP (Sentinel): per identity, user agent and clock hour, >= 1000 distinct successful GETs on >= 4 of 7 recon resources with >= 1 MB of responses',
    options: {
      ...COMMON_OPTIONS,
      lateDataAllowance: {
        type: 'number',
        default: 2 * HOUR,
        min: 0,
        description: 'how long after its hour ends a bin is still re-evaluated, in ms',
      },
      whitelistedObjects: {
        type: 'list',
        default: [],
        description: 'object ids left out (the published WhitelistedObjects placeholder)',
      },
    },
  },
  create,
};
