/**
 * teamfiltration — Flangvik's TeamFiltration `--exfil` pulling the directory with the Microsoft
 * Teams FOCI client (T1087.004, T1087.003, T1069.003; telemetry.md §3, Flangvik/TeamFiltration@42beb0c).
 *
 * TeamFiltration signs in with credentials it sprayed (ROPC to the Teams client `1fec8e78-…`,
 * refused when Conditional Access demands MFA) or with tokens imported from roadtx, and with
 * `--exfil --users`/`--all` lists the directory over Microsoft Graph: `GET /v1.0/users` with no
 * `$top` (100 per page) following `@odata.nextLink`, then
 * `/v1.0/groups?$top=800&$select=mailNickname,id,displayName`. Its requests carry a fixed Edge 131
 * user agent. With `aadGraph: true` it uses its Azure AD Graph fallback instead
 * (`graph.windows.net/<tid>/users?&api-version=1.6`, `/groups?…$top=800…`, `/groups/{id}/members`).
 * The Teams-internal `searchV2`/`workingWith` calls go to teams.microsoft.com and reach none of the
 * collected logs; mail, OneDrive and chat exfiltration are out of this module's scope.
 */
import { SECOND } from '../../src/core/clock.js';
import type { Rng } from '../../src/core/rng.js';
import type { GenEnv } from '../compose/env.js';
import type { ResolvedOption } from '../compose/options.js';
import { type PagingDirectory, skipTokenFor } from '../records/index.js';
import type { StreamItem, TechniqueModule } from '../registry-types.js';
import { APP, RESOURCE } from '../world/apps.js';
import type { AttackPlan } from '../world/types.js';
import {
  aadGraphBase,
  attackerSignIn,
  type CallSpec,
  emitAadGraph,
  emitGraph,
  operatorSessionBehaviour,
  type RunArgs,
  rawHttpClientBehaviour,
  StreamPool,
  type ToolCtx,
  toolCampaign,
  toolCtx,
} from './tool-support.js';

export const TEAMFILTRATION_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';

const OPTIONS = {
  groups: {
    type: 'boolean',
    default: true,
    description: 'also dump groups ($top=800, mailNickname/id/displayName)',
  },
  aadGraph: {
    type: 'boolean',
    default: false,
    description: 'use the Azure AD Graph fallback (api-version 1.6) instead of Microsoft Graph',
  },
  latencyMs: {
    type: 'integer',
    default: 300,
    min: 50,
    max: 5000,
    rangeable: true,
    description: 'median latency per request in ms (requests are sequential)',
  },
  userAgent: {
    type: 'string',
    default: TEAMFILTRATION_UA,
    description: 'the User-Agent of every request (session.userAgent overrides it)',
  },
  appId: {
    type: 'string',
    default: APP.teams.appId,
    description: 'client id of the token (Microsoft Teams, a FOCI client)',
  },
} as const;

const G = 'https://graph.microsoft.com';

function pages(
  r: Rng,
  dir: PagingDirectory,
  first: string,
  next: (tok: string) => string,
  n: number,
  per: number,
  bytes: number,
): CallSpec[] {
  const out: CallSpec[] = [];
  let left = n;
  let isFirst = true;
  while (isFirst || left > 0) {
    const k = Math.min(per, left);
    out.push({
      uri: isFirst ? first : next(skipTokenFor(r, first, dir)),
      size: 240 + Math.round(k * bytes * (0.85 + 0.3 * r.float())),
      weight: 1 + k / 300,
    });
    left -= k;
    isFirst = false;
  }
  return out;
}

function* run(env: GenEnv, plan: AttackPlan, opts: Record<string, ResolvedOption>, a: RunArgs): Generator<StreamItem> {
  const ua = plan.entry.session.userAgent ?? String(opts.userAgent ?? TEAMFILTRATION_UA);
  const c: ToolCtx = toolCtx(env, plan, a.r, a.label, a.facts, String(opts.appId ?? APP.teams.appId), ua);
  const aad = opts.aadGraph === true;
  const resource = aad ? RESOURCE.aadGraph : RESOURCE.msGraph;
  let t = Math.floor(plan.start) + c.r.int(0, 40_000);
  const imported = plan.signIn !== 'password';
  yield t;
  let res = yield* attackerSignIn(c, {
    time: t,
    interactive: false,
    method: imported ? 'refreshToken' : 'password',
    resource,
    mfaInSession: imported,
  });
  if (!res.ok) {
    // MFA stops ROPC: the operator imports a roadtx refresh token for the same user and client
    t += c.r.int(300, 3600) * SECOND;
    yield t;
    res = yield* attackerSignIn(c, { time: t, interactive: false, method: 'refreshToken', resource });
  }
  t = Math.max(t, res.token.iat) + c.r.int(2, 20) * SECOND + c.r.int(0, 999);
  const r = c.r.fork('plan');
  const median = Math.max(10, Number(opts.latencyMs ?? 300));
  const pool = new StreamPool(1, t, r.fork('pool'), { median, p95: median * 2.4, overhead: 40, minGap: 10 });
  const w = env.world;
  if (aad) {
    const base = aadGraphBase(w.tenantId);
    const calls = pages(r, w, `${base}/users`, () => `${base}/users`, w.users.length, 100, 3600);
    if (opts.groups !== false) {
      calls.push(...pages(r, w, `${base}/groups`, () => `${base}/groups`, w.groups.length, 800, 420));
      for (const g of w.groups)
        calls.push(
          ...pages(
            r,
            w,
            `${base}/groups/${g.id}/members`,
            () => `${base}/groups/${g.id}/members`,
            g.members,
            100,
            3200,
          ),
        );
    }
    pool.chain(calls);
    yield* emitAadGraph(c, pool.sorted(), res.token, '1.6');
    return;
  }
  const calls = pages(r, w, `${G}/v1.0/users`, (k) => `${G}/v1.0/users?$skiptoken=${k}`, w.users.length, 100, 1050);
  if (opts.groups !== false) {
    const q = '$top=800&$select=mailNickname,id,displayName';
    calls.push(
      ...pages(
        r,
        w,
        `${G}/v1.0/groups?${q}`,
        (k) => `${G}/v1.0/groups?${q}&$skiptoken=${k}`,
        w.groups.length,
        800,
        190,
      ),
    );
  }
  pool.chain(calls);
  yield* emitGraph(c, pool.sorted(), res.token);
}

export const teamfiltration: TechniqueModule = {
  info: {
    id: 'teamfiltration',
    name: 'TeamFiltration --exfil',
    kind: 'technique',
    attack: ['T1087.004', 'T1087.003', 'T1069.003'],
    summary:
      'TeamFiltration --exfil: GET /v1.0/users (100/page) and /v1.0/groups?$top=800 as the Teams FOCI client with an Edge 131 UA',
    description:
      "After a password spray finds working credentials, the attacker runs TeamFiltration's exfiltration mode: it signs in as the Microsoft Teams client (ROPC, or a refresh token imported from roadtx when MFA stops ROPC) and lists every user through Microsoft Graph 100 at a time, then every group 800 at a time with only mailNickname, id and displayName — the address book a follow-on phishing campaign needs. Requests are sequential and carry a fixed Edge 131 user agent, so the listing looks like a browser of a first-party FOCI client. Only the Microsoft Graph activity logs (or, with the Azure AD Graph fallback, AzureADGraphActivityLogs) see the listing; the sign-in logs see the non-interactive sign-in to Teams from the attacker's network.",
    options: OPTIONS,
    behaviour: [
      rawHttpClientBehaviour("TeamFiltration's own .NET HttpClient, under its browser user agent,"),
      operatorSessionBehaviour(),
    ],
    observability: [
      { source: 'graphActivity', shows: 'the /v1.0/users and /v1.0/groups pages with the Teams app id and Edge UA' },
      { source: 'aadGraphActivity', shows: 'the listing instead, with the aadGraph fallback' },
      {
        source: 'signIns',
        context: true,
        shows: 'the ROPC or refresh-token sign-in to Microsoft Teams from the attacker network',
      },
      { source: 'ual', context: true, shows: 'rarely the non-interactive sign-in (RecordType 15), not the listing' },
    ],
  },
  campaign(plan: AttackPlan, env: GenEnv) {
    return toolCampaign(teamfiltration.info, OPTIONS, plan, env, (a) => run(env, plan, a.opts, a));
  },
};
