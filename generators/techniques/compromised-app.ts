/**
 * compromised-app — a credential added to an existing service principal (or its application), then
 * app-only directory listing with the new secret from a new network (T1098.001, then T1087.004 /
 * T1069.003).
 *
 * A compromised account with an application-management role (Global, Application or Cloud
 * Application Administrator) calls `POST /servicePrincipals/{id}/addPassword` (or
 * `/applications/{id}/addPassword`) from Microsoft Graph PowerShell: Entra writes the directory audit
 * event "Add service principal credentials." (or "Update application – Certificates and secrets
 * management ") to the UAL as RecordType 8. After a dwell the attacker requests app-only tokens with
 * the new secret (client credentials: a ServicePrincipalSignInLogs row naming the new key id) from
 * their own network and pages through users, groups and service principals with `ClientAuthMethod` 1
 * and the app's `roles` — the app id and principal the tenant already trusts, from an address it has
 * never used.
 */
import { MINUTE } from '../../src/core/clock.js';
import { APP_ONLY_WIDS } from '../../src/core/directory-roles.js';
import { rngStream } from '../../src/core/rng.js';
import type { GenEnv, SignInSpec, Token } from '../compose/env.js';
import { GRAPH_PWSH_UA } from '../profiles/shared.js';
import { entraJsonText } from '../records/ual.js';
import type { StreamItem, TechniqueModule } from '../registry-types.js';
import { APP, RESOURCE } from '../world/apps.js';
import type { AttackPlan, ServicePrincipal, User } from '../world/types.js';
import { type CampaignParts, campaignActor, pause, perMinute, planListing } from './campaign.js';
import { operatorSessionBehaviour, rawHttpClientBehaviour } from './tool-support.js';

const ID = 'compromised-app';
const ATTACK = ['T1098.001', 'T1087.004', 'T1069.003'] as const;

const OPTIONS = {
  credentialOn: {
    type: 'enum',
    values: ['servicePrincipal', 'application'],
    default: 'servicePrincipal',
    description:
      "where the secret is added: the service principal (works for any app, including multi-tenant vendors') or the tenant's own application object",
  },
  dwell: {
    type: 'duration',
    default: '40m',
    min: '1m',
    max: '7d',
    rangeable: true,
    description: 'from the credential event to the first app-only sign-in',
  },
  collections: {
    type: 'list',
    values: ['users', 'groups', 'groupMembers', 'servicePrincipals', 'applications'],
    default: ['users', 'groups', 'servicePrincipals'],
    description: 'what the app pages through, in order',
  },
  pageSize: {
    type: 'integer',
    default: 999,
    min: 1,
    max: 999,
    rangeable: true,
    description: '`$top` per page (100 sends no `$top`)',
  },
  pace: {
    type: 'rate',
    default: '60/min',
    rangeable: true,
    description: 'requests per minute (the service latency bounds it from above)',
  },
  userAgent: {
    type: 'string',
    default: 'python-requests/2.32.3',
    description: 'the User-Agent of the app-only requests (session.userAgent overrides it)',
  },
  roles: {
    type: 'string',
    default: 'Directory.Read.All User.Read.All Group.Read.All',
    description: 'the application permissions (`roles`) the app already holds',
  },
} as const;

/** The compromised account that adds the credential: the attack's account, else an app-capable admin. */
function adminFor(env: GenEnv, plan: AttackPlan): User | null {
  if (plan.user) return plan.user;
  const w = env.world;
  const capable = w.admins.filter((u) =>
    u.roles.some((r) => /Global Administrator|Application Administrator/.test(r.name)),
  );
  const pool = capable.length ? capable : w.admins;
  if (!pool.length) return null;
  return rngStream(env.seed, 'technique', plan.entry.id, 'admin').pick(pool);
}

/**
 * The app whose credential is added: the attack's service principal (`{servicePrincipal: <name>}`),
 * else a seeded non-Microsoft one — one of the tenant's own registrations when the secret goes on the
 * application object.
 */
function targetFor(env: GenEnv, plan: AttackPlan, onApp: boolean): ServicePrincipal | null {
  if (plan.servicePrincipal && plan.entry.actor.kind === 'servicePrincipal' && plan.entry.actor.name)
    return plan.servicePrincipal;
  const all = env.world.servicePrincipals.filter((p) => p.kind !== 'firstParty');
  const own = all.filter((p) => p.kind === 'tenantApp');
  const apps = onApp && own.length ? own : all;
  if (!apps.length) return null;
  return rngStream(env.seed, 'technique', plan.entry.id, 'target').pick(apps);
}

function* stream(env: GenEnv, plan: AttackPlan, p: CampaignParts): Generator<StreamItem> {
  const { label, facts, opts, rng: r } = p;
  const kit = env.kit;
  const w = env.world;
  const admin = adminFor(env, plan);
  const sp0 = targetFor(env, plan, opts.credentialOn === 'application');
  if (!sp0) return;
  const onApp = opts.credentialOn === 'application' && sp0.kind === 'tenantApp';
  const appObjectId = rngStream(w.seed, 'world', 'application', sp0.appId).uuid();
  const keyId = r.uuid();
  const secretName = r.pick(['backup', 'sync', 'prod', 'key1', 'automation', 'svc', 'rotation-2026']);
  const sp: ServicePrincipal = { ...sp0, credential: 'clientSecret', keyId };
  const point = plan.point;
  const ip = point.v4[0] as string;
  facts.principals.add(sp.id);
  facts.appIds.add(sp.appId);
  facts.ips.add(ip);
  let t = Math.floor(plan.start) + r.int(0, 30_000);

  // 1. the compromised admin adds the secret from Graph PowerShell
  if (admin) {
    facts.principals.add(admin.upn);
    facts.principals.add(admin.id);
    const sid = r.uuid();
    facts.sessions.add(sid);
    facts.appIds.add(APP.graphPowerShell.appId);
    const spec: SignInSpec = {
      time: t,
      category: 'SignInLogs',
      user: admin,
      appId: APP.graphPowerShell.appId,
      appDisplayName: APP.graphPowerShell.displayName,
      resource: RESOURCE.msGraph,
      point,
      ip,
      device: null,
      userAgent: GRAPH_PWSH_UA,
      clientAppUsed: 'Mobile Apps and Desktop clients',
      method: plan.signIn === 'deviceCode' ? 'deviceCode' : plan.signIn === 'password' ? 'password' : 'mfa',
      mfaInSession: false,
      sid,
    };
    yield t;
    const res = kit.signIn(r, label, spec);
    const tok: Token = res.token;
    facts.tokens.add(tok.uti);
    yield* res.records;
    t += pause(r, 20, 90);
    yield t;
    const g = kit.graphRequest(r, label, {
      time: t,
      apiVersion: 'v1.0',
      method: 'POST',
      uri: onApp
        ? `https://graph.microsoft.com/v1.0/applications/${appObjectId}/addPassword`
        : `https://graph.microsoft.com/v1.0/servicePrincipals/${sp.id}/addPassword`,
      status: 200,
      durationMs: Math.round(r.logNormal(600_000, 2_500_000)),
      responseSizeBytes: r.int(420, 520),
      ip,
      userAgent: GRAPH_PWSH_UA,
      appId: APP.graphPowerShell.appId,
      userId: admin.id,
      servicePrincipalId: null,
      scopes: 'Application.ReadWrite.All Directory.AccessAsUser.All openid profile email',
      roles: null,
      wids: admin.wids,
      tokenIssuedAt: tok.iat,
      signInActivityId: tok.uti,
      sessionId: sid,
      deviceId: null,
      clientAuthMethod: 0,
    });
    if (g) yield g;
    const key = (id: string, type: string, name: string) =>
      `[KeyIdentifier=${id},KeyType=${type},KeyUsage=Verify,DisplayName=${name}]`;
    const old =
      sp0.credential === 'none'
        ? []
        : [
            key(
              sp0.keyId,
              sp0.credential === 'certificate' ? 'AsymmetricX509Cert' : 'Password',
              'CN=' + sp0.displayName,
            ),
          ];
    const change = kit.directoryChange(r, label, {
      time: t + r.int(200, 2500),
      operation: onApp
        ? 'Update application – Certificates and secrets management '
        : 'Add service principal credentials.',
      category: onApp ? 'Application' : 'ServicePrincipal',
      actorUpn: admin.upn,
      actorPuid: admin.puid,
      actorObjectId: admin.id,
      targetUpnOrName: sp.displayName,
      targetObjectId: onApp ? appObjectId : sp.id,
      targetPuid: sp.appId,
      targetKind: onApp ? 'Application' : 'ServicePrincipal',
      clientAppId: APP.graphPowerShell.appId,
      modified: [
        {
          Name: 'KeyDescription',
          NewValue: entraJsonText([...old, key(keyId, 'Password', secretName)]),
          OldValue: entraJsonText(old),
        },
        { Name: 'Included Updated Properties', NewValue: 'KeyDescription', OldValue: '' },
        ...(onApp ? [] : [{ Name: 'TargetId.ServicePrincipalNames', NewValue: sp.appId, OldValue: '' }]),
      ],
      userAgent: GRAPH_PWSH_UA,
    });
    if (change) yield change;
  }

  // 2. app-only tokens with the new secret, from the attacker's network
  t += Math.max(MINUTE, Number(opts.dwell ?? 40 * MINUTE)) + r.int(0, 59_999);
  const ua = plan.entry.session.userAgent ?? String(opts.userAgent ?? 'python-requests/2.32.3');
  const roles = String(opts.roles ?? OPTIONS.roles.default);
  const spec = (time: number): SignInSpec => ({
    time,
    category: 'ServicePrincipalSignInLogs',
    user: null,
    sp,
    appId: sp.appId,
    appDisplayName: sp.displayName,
    resource: RESOURCE.msGraph,
    point,
    ip,
    device: null,
    userAgent: '',
    clientAppUsed: '',
    method: 'clientSecret',
    mfaInSession: false,
    sid: null,
  });
  if (t >= env.to) return;
  yield t;
  let res = kit.signIn(r, label, spec(t));
  let token: Token = res.token;
  facts.tokens.add(token.uti);
  yield* res.records;
  const pageSize = Math.max(1, Math.min(999, Number(opts.pageSize ?? 999)));
  const gap = 60_000 / Math.max(0.001, perMinute(opts.pace, 60));
  const collections = (Array.isArray(opts.collections) ? opts.collections : OPTIONS.collections.default) as string[];
  for (const q of planListing(w, r, t + r.int(1000, 6000), { collections, pageSize, gapMs: gap })) {
    if (q.t >= env.to) break;
    yield q.t;
    if (q.t >= token.exp - 2 * MINUTE) {
      res = kit.signIn(r, label, spec(q.t - r.int(200, 900)));
      token = res.token;
      facts.tokens.add(token.uti);
      yield* res.records;
    }
    const rec = kit.graphRequest(r, label, {
      time: q.t,
      apiVersion: 'v1.0',
      method: 'GET',
      uri: q.uri,
      status: q.status,
      durationMs: Math.round(r.logNormal(300_000, 1_600_000)),
      responseSizeBytes: q.size,
      ip,
      userAgent: ua,
      appId: sp.appId,
      userId: null,
      servicePrincipalId: sp.id,
      scopes: null,
      roles,
      wids: APP_ONLY_WIDS,
      tokenIssuedAt: token.iat,
      signInActivityId: token.uti,
      sessionId: null,
      deviceId: null,
      clientAuthMethod: 1,
      client: 'raw-http',
    });
    if (rec) yield rec;
  }
}

export const compromisedApp: TechniqueModule = {
  info: {
    id: ID,
    name: 'Compromised app: added secret, app-only listing',
    kind: 'technique',
    attack: ATTACK,
    summary:
      'a secret added to an existing service principal (RecordType 8), then app-only listing with it (ClientAuthMethod 1) from a new network',
    description:
      'An attacker holding an account with an application-management role adds a client secret to a service principal the tenant already trusts — a backup or sync app with Directory.Read.All — from Microsoft Graph PowerShell. Entra records it as the directory audit event "Add service principal credentials." ("Update application – Certificates and secrets management " when the secret goes on the tenant\'s own application object), which the unified audit log carries as RecordType 8. After a dwell, the attacker requests app-only tokens with the new secret and pages through users, groups and service principals: ServicePrincipalSignInLogs rows naming the new key id, and Graph requests with ClientAuthMethod 1, the app\'s roles and no user, from a network the app has never used. Volume rules see a trusted app doing what backup apps do every night; the credential event before it and the new network are the tells. Actor `{servicePrincipal: <name>}` picks the app; `{account: …}` picks the admin who adds the secret.',
    options: OPTIONS,
    behaviour: [
      rawHttpClientBehaviour(
        "the python-requests script (as the raw-HTTP clients of the tenant's own integrations, such as the backup and governance apps, do too)",
      ),
      operatorSessionBehaviour(),
    ],
    observability: [
      {
        source: 'ual',
        shows: 'the credential event (RecordType 8) and the admin sign-in (RecordType 15); not the listing',
      },
      {
        source: 'signIns',
        context: true,
        shows: "the admin's sign-in to Graph PowerShell, then the app's client-secret sign-ins with the new key id",
      },
      { source: 'graphActivity', shows: 'the addPassword call, then every app-only page (ClientAuthMethod 1, roles)' },
    ],
  },
  campaign(plan: AttackPlan, env: GenEnv) {
    return campaignActor(plan, env, ID, ATTACK, OPTIONS, (p) => stream(env, plan, p));
  },
};
