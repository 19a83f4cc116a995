/**
 * backup-app — a SaaS backup vendor's app lists the whole tenant every night, app-only, from its cloud.
 *
 * telemetry.md §4 "Identity governance / IGA, backup": a multi-tenant app with application
 * permissions (`ClientAuthMethod` 1/2, `Roles` such as `User.Read.All Group.Read.All
 * Directory.Read.All`), egress in a vendor cloud ASN (Azure/AWS), a vendor SDK user agent or none
 * [U], and nightly full listings `/users?$top=999&$select=…`, `/groups`, `/groups/{id}/members` —
 * heavy, but the same AppId, addresses and schedule every day. Commvault documents
 * Directory.Read.All "Discover all users and user groups" [V]. Entra ID backup (Veeam Backup for
 * Microsoft Entra ID, AvePoint, Commvault Cloud for Entra ID) also protects applications, service
 * principals, devices and role assignments [vendor product pages]; mailbox and OneDrive protection
 * walk every user (`/users/{id}/mailFolders/delta`, `/users/{id}/drive`). Item downloads are left out:
 * this profile is the enumeration part of a backup, which is what enumeration detections see.
 *
 * Calibration: on a 1,000-user tenant one night is ≈3,000–4,000 GETs inside one clock hour on
 * ≥ 4 of Bert-JanP's 7 resources, so it trips the published hourly volume rule
 * (published-detections.md §2) — the false-positive trap has teeth.
 */

import type { LabelledRecord } from '../../src/core/records.js';
import { rngStream } from '../../src/core/rng.js';
import type { ProfileEntry } from '../../src/scenario/types.js';
import type { GenEnv, Token } from '../compose/env.js';
import { resolveOptions } from '../compose/options.js';
import { deltaToken, skipTokenFor } from '../records/index.js';
import type { Actor, ProfileModule, StreamItem } from '../registry-types.js';
import type { Group, ServicePrincipal, User } from '../world/types.js';
import {
  appSignIn,
  type Caller,
  emitPlanned,
  GRAPH,
  graphCall,
  MINUTE,
  profileLabel,
  runTimes,
  scheduleOf,
  vendorApp,
  vendorEgress,
  Workers,
} from './shared.js';

const ID = 'backup-app';

/** The vendors a scenario can name with `app:`; user agents are [U] (vendor SDK strings or none). */
const VENDORS: Readonly<Record<string, { userAgent: string; asn: number; roles: string }>> = {
  'Veeam Backup for Microsoft 365': {
    userAgent: 'Veeam.Archiver.Proxy/8.1.0.305',
    asn: 8075,
    roles: 'User.Read.All Group.Read.All Directory.Read.All Mail.ReadWrite Files.ReadWrite.All Sites.ReadWrite.All',
  },
  'AvePoint Cloud Backup': {
    userAgent: 'AvePoint-CloudBackup/4.0',
    asn: 8075,
    roles: 'User.Read.All Group.Read.All Directory.Read.All Mail.ReadWrite Files.ReadWrite.All Sites.FullControl.All',
  },
  'Commvault Metallic': {
    userAgent: '',
    asn: 8075,
    roles: 'User.Read.All Group.Read.All Directory.Read.All Mail.ReadWrite Files.ReadWrite.All',
  },
};
const DEFAULT_VENDOR = 'Veeam Backup for Microsoft 365';

const OPTIONS = {
  scope: {
    type: 'list',
    values: ['directory', 'exchange', 'onedrive'],
    default: ['directory', 'exchange', 'onedrive'],
    description:
      'what the backup protects: `directory` (users, groups and members, applications, service principals, devices, role assignments), `exchange` (every mailbox), `onedrive` (every drive)',
  },
  concurrency: {
    type: 'integer',
    default: 8,
    min: 1,
    max: 64,
    rangeable: true,
    description: 'parallel workers of the backup proxy',
  },
  userAgent: {
    type: 'string',
    description: "the User-Agent of every request (default: the vendor's; Commvault sends none) [U]",
  },
} as const;

interface Req {
  t: number;
  uri: string;
  size: number;
}

const USER_SELECT =
  'id,displayName,userPrincipalName,mail,accountEnabled,userType,assignedLicenses,onPremisesSyncEnabled,proxyAddresses';

/** One night's requests, planned cheaply (numbers and strings; records are built when their time comes). */
function planRun(env: GenEnv, r: ReturnType<typeof rngStream>, t0: number, scope: Set<string>, workers: number) {
  const w = env.world;
  const out: Req[] = [];
  const lat = () => Math.max(60, r.logNormal(220, 1100));
  let t = t0;
  const seq = (uri: string, size: number) => {
    out.push({ t: Math.floor(t), uri, size });
    t += lat();
  };
  const pages = (base: string, n: number, perItem: number, top = 999) => {
    let left = n;
    let first = true;
    while (first || left > 0) {
      const k = Math.min(top, left);
      seq(first ? base : `${base}&$skiptoken=${skipTokenFor(r, base, w)}`, 180 + k * perItem);
      left -= k;
      first = false;
    }
  };
  seq(`${GRAPH}/v1.0/organization`, r.int(2200, 3400));
  pages(`${GRAPH}/v1.0/users?$top=999&$select=${USER_SELECT}`, w.people.length, r.int(520, 680));
  if (scope.has('directory')) {
    pages(
      `${GRAPH}/v1.0/groups?$top=999&$select=id,displayName,mail,mailNickname,groupTypes,securityEnabled,mailEnabled`,
      w.groups.length,
      r.int(380, 520),
    );
    // members of every group, on the workers
    const pool = new Workers(workers, t);
    for (const g of w.groups as Group[]) {
      let left = g.members;
      let first = true;
      while (first || left > 0) {
        const k = Math.min(999, left);
        const ms = lat();
        const at = pool.take(ms);
        const base = `${GRAPH}/v1.0/groups/${g.id}/members?$top=999&$select=id,userPrincipalName`;
        out.push({
          t: Math.floor(at),
          uri: first ? base : `${base}&$skiptoken=${skipTokenFor(r, base, w)}`,
          size: 160 + k * 140,
        });
        left -= k;
        first = false;
      }
    }
    t = pool.end;
    pages(`${GRAPH}/v1.0/applications?$top=999`, Math.round(w.servicePrincipals.length * 0.3), r.int(1800, 2600));
    pages(`${GRAPH}/v1.0/servicePrincipals?$top=999`, w.servicePrincipals.length, r.int(2400, 3400));
    pages(`${GRAPH}/v1.0/devices?$top=999`, env.scenario.tenant.devices, r.int(700, 900));
    seq(`${GRAPH}/v1.0/roleManagement/directory/roleAssignments`, 300 + w.admins.length * 420);
  }
  // every mailbox and drive, on the workers
  const mail = scope.has('exchange');
  const drive = scope.has('onedrive');
  if (mail || drive) {
    const pool = new Workers(workers, t);
    for (const u of w.people as User[]) {
      if (u.kind === 'guest') continue;
      const ms = r.logNormal(1500, 9000);
      let at = pool.take(ms);
      if (mail) {
        out.push({
          t: Math.floor(at),
          uri: `${GRAPH}/v1.0/users/${u.id}/mailFolders/delta?$select=displayName,parentFolderId&$deltatoken=${deltaToken(r)}`,
          size: r.int(600, 5200),
        });
        at += lat();
        out.push({
          t: Math.floor(at),
          uri: `${GRAPH}/v1.0/users/${u.id}/mailFolders/inbox/messages/delta?$select=id,lastModifiedDateTime&$deltatoken=${deltaToken(r)}`,
          size: r.int(400, 24_000),
        });
        at += lat();
      }
      if (drive) {
        out.push({ t: Math.floor(at), uri: `${GRAPH}/v1.0/users/${u.id}/drive`, size: r.int(900, 1400) });
      }
    }
    t = pool.end;
  }
  let end = t;
  for (const q of out) if (q.t > end) end = q.t;
  return { reqs: out, end };
}

function* backupStream(env: GenEnv, entry: ProfileEntry, actorId: string): Generator<StreamItem> {
  const w = env.world;
  const r = rngStream(env.seed, ID, entry.id);
  const opts = resolveOptions(OPTIONS, entry.options, r.fork('options'));
  const label = profileLabel(actorId, ID);
  const vendorName = entry.app ?? DEFAULT_VENDOR;
  const key = vendorName.toLowerCase();
  const vendor =
    VENDORS[vendorName] ??
    Object.entries(VENDORS).find(
      ([k]) => k.toLowerCase().includes(key) || key.includes(k.toLowerCase().split(' ')[0] ?? k),
    )?.[1] ??
    Object.values(VENDORS)[0];
  if (!vendor) return;
  // the backup app authenticates with a certificate, as this module documents (Veeam Backup for
  // Microsoft 365's modern app-only authentication registers its app with a certificate), whatever
  // credential the consented service principal was created with
  const sp: ServicePrincipal = { ...vendorApp(w, vendorName, r.fork('app'), 'certificate'), credential: 'certificate' };
  const point = vendorEgress(r.fork('egress'), w.offices[0]?.country ?? 'US', vendor.asn, 2);
  const ua = typeof opts.userAgent === 'string' ? opts.userAgent : vendor.userAgent;
  const scope = new Set((opts.scope as readonly string[] | undefined) ?? ['directory', 'exchange', 'onedrive']);
  const workers = Number(opts.concurrency ?? 8);
  const times = runTimes(scheduleOf(entry, { kind: 'cron', cron: '0 1 * * *' }), env, r.fork('schedule'));
  let cursor = env.from;
  for (const [i, at] of times.entries()) {
    const rr = r.fork(`run${i}`);
    const t0 = Math.max(cursor, at + rr.int(5_000, 90_000));
    const ip = point.v4[i % point.v4.length] as string;
    const { reqs, end } = planRun(env, rr, t0 + rr.int(400, 2500), scope, workers);
    cursor = end;
    let token: Token | null = null;
    let caller: Caller | null = null;
    yield* emitPlanned(
      reqs,
      (q): LabelledRecord | Iterable<LabelledRecord> | null => {
        const out: LabelledRecord[] = [];
        if (!token || q.t >= token.exp - 5 * MINUTE) {
          const res = appSignIn(env, rr, label, sp, q.t - rr.int(150, 900), point, ip);
          token = res.token;
          caller = { ip, userAgent: ua, token, user: null, sp, roles: vendor.roles, scopes: null, deviceId: null };
          out.push(...res.records);
        }
        if (!caller) return out;
        const rec = graphCall(env, rr, label, caller, q.t, q.uri, q.size);
        if (rec) out.push(rec);
        return out;
      },
      env.to,
    );
  }
}

export const backupApp: ProfileModule = {
  info: {
    id: ID,
    name: 'Backup app',
    kind: 'profile',
    attack: [],
    summary:
      "a SaaS backup vendor's app (Veeam, AvePoint, Commvault) lists every user, group, member, app, device and mailbox nightly, app-only from its cloud",
    description:
      "A Microsoft 365 backup product the tenant consented to runs every night (01:00 tenant time by default). Its app signs in with a certificate from the vendor's cloud (a service-principal sign-in, the same two addresses every night) and lists the directory with application permissions (User.Read.All Group.Read.All Directory.Read.All …): the organization, every user 999 per page, every group and its members, applications, service principals, devices and role assignments, then walks every mailbox and drive. Thousands of GETs in under an hour on most of the resources AzureHound touches: it trips the published hourly volume rule (Bert-JanP) and any rule that counts collection endpoints per principal. What gives it away as benign is that it is the same app, the same addresses and the same hour every night. `app:` picks the vendor.",
    options: OPTIONS,
    observability: [
      {
        source: 'graphActivity',
        shows: 'every listing and per-user request, app-only (ServicePrincipalId, Roles, ClientAuthMethod 2)',
      },
      { source: 'signIns', shows: "the app's service-principal sign-ins from the vendor cloud" },
    ],
  },
  actors(entry: ProfileEntry, env: GenEnv): Actor[] {
    const id = entry.id;
    const sp = vendorApp(
      env.world,
      entry.app ?? DEFAULT_VENDOR,
      rngStream(env.seed, ID, entry.id).fork('app'),
      'certificate',
    );
    return [
      {
        id,
        label: profileLabel(id, ID),
        principals: [sp.id, sp.appId],
        stream: () => backupStream(env, entry, id),
      },
    ];
  },
};
