/**
 * The Office 365 Management Activity API (reference: "Activity API operations"), routes under
 * /api/v1.0/{tenant_id}/activity/feed (and the /api/v1/ spelling of the docs' NextPageUri sample).
 * Every URI handed out is absolute and built from the public base URL the mock was started with.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { type EpochMs, wallNow } from '../../src/core/clock.js';
import { CONTENT_TYPES, type ContentType } from '../../src/core/dataset.js';
import { AF, type AfError, afBody, UNAUTHORIZED_BODY } from './af-errors.js';
import { CONTENT_ID, type ContentStore, type StoredBlob } from './content-store.js';
import type { FaultInjector } from './faults.js';
import type { MockIdentity } from './identity.js';
import { type SigningKey, verifyJwt } from './jwt.js';
import type { Ledger } from './ledger.js';
import { MANAGEMENT_RESOURCE } from './login.js';
import type { NotificationAttempt, Subscription, Webhook, Webhooks } from './subscriptions.js';
import { resolveWindow } from './time-window.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

export interface ActivityContext {
  identity: MockIdentity;
  key: SigningKey;
  store: ContentStore;
  subs: Map<ContentType, Subscription>;
  webhooks: Webhooks;
  faults: FaultInjector;
  ledger: Ledger;
  managementBase(): string;
  /** token audiences accepted besides https://manage.office.com */
  audiences(): string[];
  pageSize: number;
  /** requests per minute per throttling pool (tenant + PublisherIdentifier); 0 = unlimited */
  rateLimitPerMinute: number;
  /**
   * the waiting period after a start request before another for the same content type is accepted
   * (wall ms; 0: off). Microsoft: 15 minutes; a request within it is throttled (AF429)
   */
  startWaitMs: number;
  /**
   * after a content type's first start, its content is listed only once this has passed (wall ms;
   * 0: off). Microsoft: "up to 12 hours for the first content blobs to become available"
   */
  firstContentDelayMs: number;
}

interface Locals {
  tenant: string;
  appid: string;
  publisher: string;
}

function q(req: Request, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(req.query)) {
    if (k.toLowerCase() === want) {
      if (typeof v === 'string') return v;
      if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
      return '';
    }
  }
  return undefined;
}

function sendAf(res: Response, e: AfError): void {
  res.status(e.status).json(afBody(e));
}

function iso(t: EpochMs): string {
  return new Date(t).toISOString();
}

function canonicalContentType(v: string | undefined): ContentType | undefined {
  if (v === undefined) return undefined;
  return CONTENT_TYPES.find((c) => c.toLowerCase() === v.toLowerCase());
}

const OPERATION_NAMES: Record<string, string> = {
  start: 'StartSubscription',
  stop: 'StopSubscription',
  list: 'ListSubscriptions',
  content: 'ListContent',
  notifications: 'ListNotifications',
  audit: 'GetBlob',
  resources: 'GetResources',
};

/** whether a new subscription's first content is still held back (`firstContentDelayMs`) */
function firstContentHeld(ctx: ActivityContext, sub: Subscription, now: EpochMs): boolean {
  return ctx.firstContentDelayMs > 0 && (sub.firstStartedAt ?? 0) + ctx.firstContentDelayMs > now;
}

function inGap(sub: Subscription, t: EpochMs): boolean {
  for (const [a, b] of sub.gaps) if (t >= a && t < b) return true;
  if (sub.status === 'disabled' && sub.stoppedAt !== undefined && t >= sub.stoppedAt) return true;
  return false;
}

export function activityRouter(ctx: ActivityContext): Router {
  const r = express.Router({ caseSensitive: false, mergeParams: true });
  const raw = express.text({ type: () => true, limit: '64kb' });
  const minuteBuckets = new Map<string, { minute: number; count: number }>();

  const contentUri = (tid: string, id: string) => `${ctx.managementBase()}/api/v1.0/${tid}/activity/feed/audit/${id}`;

  // authentication, tenant, permission, throttling and injected faults, in that order
  const guard = (op: string) => async (req: Request, res: Response, next: NextFunction) => {
    const h = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
    const claims = m ? verifyJwt(m[1] as string, ctx.key) : undefined;
    const now = Math.floor(wallNow() / 1000);
    const aud = typeof claims?.aud === 'string' ? claims.aud.replace(/\/+$/, '') : '';
    const audOk = aud === MANAGEMENT_RESOURCE || ctx.audiences().some((a) => a.replace(/\/+$/, '') === aud);
    if (
      !claims ||
      !audOk ||
      typeof claims.exp !== 'number' ||
      claims.exp <= now ||
      (typeof claims.nbf === 'number' && claims.nbf > now + 300)
    ) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json(UNAUTHORIZED_BODY);
      return;
    }
    const tenant = String(req.params.tenant ?? '');
    if (!GUID.test(tenant)) return sendAf(res, AF.tenantNotGuid(tenant));
    const tid = String(claims.tid ?? '');
    if (tid.toLowerCase() !== tenant.toLowerCase()) return sendAf(res, AF.tenantMismatch(tenant, tid));
    if (tenant.toLowerCase() !== ctx.identity.tenantId) return sendAf(res, AF.tenantUnknown(tenant));
    const roles = Array.isArray(claims.roles) ? (claims.roles as unknown[]).map(String) : [];
    if (!roles.includes('ActivityFeed.Read')) return sendAf(res, AF.permission(roles.join(',')));
    const publisher = q(req, 'PublisherIdentifier');
    if (publisher !== undefined && publisher !== '' && !GUID.test(publisher))
      return sendAf(res, AF.invalidParameterType('PublisherIdentifier', 'guid'));
    const pub = publisher && publisher !== '' ? publisher.toLowerCase() : ZERO_GUID;
    const method = OPERATION_NAMES[op] ?? op;
    if (ctx.rateLimitPerMinute > 0) {
      const pool = `${tenant}|${pub}`;
      const minute = Math.floor(wallNow() / 60_000);
      const b = minuteBuckets.get(pool);
      if (!b || b.minute !== minute) minuteBuckets.set(pool, { minute, count: 1 });
      else if (++b.count > ctx.rateLimitPerMinute) return sendAf(res, AF.throttled(method, pub));
    }
    const f = ctx.faults.decide(`${req.method} ${req.originalUrl}`, { body: op === 'audit' });
    if (f.slowMs) await new Promise((done) => setTimeout(done, f.slowMs));
    if (f.reset) {
      req.socket.destroy();
      return;
    }
    if (f.error) return sendAf(res, AF.internal());
    if (f.throttle) return sendAf(res, AF.throttled(method, pub));
    (res.locals as Locals).tenant = tenant.toLowerCase();
    (res.locals as Locals).appid = String(claims.appid ?? '');
    (res.locals as Locals).publisher = pub;
    if (f.truncate) res.locals.truncate = true;
    next();
  };

  const requireType = (req: Request, res: Response): ContentType | undefined => {
    const v = q(req, 'contentType');
    if (v === undefined || v === '') {
      sendAf(res, AF.missingParameter('contentType'));
      return undefined;
    }
    const ct = canonicalContentType(v);
    if (!ct) sendAf(res, AF.contentType());
    return ct;
  };

  const webhookJson = (w: Webhook | null) =>
    w ? { status: w.status, address: w.address, authId: w.authId, expiration: w.expiration } : null;

  r.post('/subscriptions/start', guard('start'), raw, async (req, res) => {
    const ct = requireType(req, res);
    if (!ct) return;
    const text = typeof req.body === 'string' ? req.body.trim() : '';
    let desired: Webhook | null = null;
    if (text !== '') {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return sendAf(res, AF.invalidParameterType('webhook', 'object'));
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        return sendAf(res, AF.invalidParameterType('webhook', 'object'));
      const wh = (body as Record<string, unknown>).webhook;
      if (wh !== undefined && wh !== null) {
        if (typeof wh !== 'object') return sendAf(res, AF.invalidParameterType('webhook', 'object'));
        const w = wh as Record<string, unknown>;
        if (typeof w.address !== 'string' || w.address === '') return sendAf(res, AF.missingParameter('address'));
        let expiration: string | null = null;
        if (typeof w.expiration === 'string' && w.expiration !== '') {
          const t = Date.parse(w.expiration);
          if (!Number.isFinite(t)) return sendAf(res, AF.invalidParameterType('expiration', 'datetime'));
          if (t <= wallNow()) return sendAf(res, AF.expirationInPast(w.expiration));
          expiration = w.expiration;
        } else if (w.expiration !== undefined && w.expiration !== null && w.expiration !== '') {
          return sendAf(res, AF.invalidParameterType('expiration', 'datetime'));
        }
        let url: URL | undefined;
        try {
          url = new URL(w.address);
        } catch {
          url = undefined;
        }
        const httpsOk = url?.protocol === 'https:' || (ctx.webhooks.opts.allowHttp && url?.protocol === 'http:');
        if (!url || !httpsOk) return sendAf(res, AF.webhook(w.address, 'https'));
        desired = {
          status: 'enabled',
          address: w.address,
          authId: typeof w.authId === 'string' ? w.authId : '',
          expiration,
        };
      }
    }
    const now = wallNow();
    const sub = ctx.subs.get(ct);
    if (ctx.startWaitMs > 0 && sub?.lastStartAt !== undefined && now - sub.lastStartAt < ctx.startWaitMs) {
      res.set('Retry-After', String(Math.ceil((sub.lastStartAt + ctx.startWaitMs - now) / 1000)));
      return sendAf(res, AF.throttled('POST', (res.locals as Locals).publisher));
    }
    if (sub && sub.status === 'enabled') {
      ctx.webhooks.refreshExpiry(sub);
      const cur = sub.webhook;
      const same =
        (cur === null && desired === null) ||
        (cur !== null &&
          desired !== null &&
          cur.status === 'enabled' &&
          cur.address === desired.address &&
          cur.authId === desired.authId &&
          cur.expiration === desired.expiration);
      if (same) return sendAf(res, AF.alreadyEnabled());
    }
    if (desired && !(await ctx.webhooks.validate(desired.address, desired.authId, ct)))
      return sendAf(res, AF.webhook(desired.address, 'status'));
    const locals = res.locals as Locals;
    if (!sub) {
      ctx.subs.set(ct, {
        contentType: ct,
        status: 'enabled',
        webhook: desired,
        clientId: locals.appid,
        gaps: [],
        failures: 0,
        firstStartedAt: now,
        lastStartAt: now,
      });
    } else {
      if (sub.status === 'disabled' && sub.stoppedAt !== undefined) sub.gaps.push([sub.stoppedAt, now]);
      sub.status = 'enabled';
      sub.stoppedAt = undefined;
      sub.webhook = desired;
      sub.failures = 0;
      sub.clientId = locals.appid;
      sub.lastStartAt = now;
    }
    const s = ctx.subs.get(ct) as Subscription;
    res.json({ contentType: ct, status: s.status, webhook: webhookJson(s.webhook) });
  });

  r.post('/subscriptions/stop', guard('stop'), raw, (req, res) => {
    const ct = requireType(req, res);
    if (!ct) return;
    const sub = ctx.subs.get(ct);
    if (sub?.status !== 'enabled') return sendAf(res, AF.noSubscription());
    sub.status = 'disabled';
    sub.stoppedAt = wallNow();
    res.status(200).end();
  });

  r.get('/subscriptions/list', guard('list'), (_req, res) => {
    const out = [];
    for (const ct of CONTENT_TYPES) {
      const s = ctx.subs.get(ct);
      if (!s) continue;
      ctx.webhooks.refreshExpiry(s);
      out.push({ contentType: s.contentType, status: s.status, webhook: webhookJson(s.webhook) });
    }
    res.json(out);
  });

  /** shared by /content and /notifications: window, nextPage, NextPageUri */
  const page = <T>(
    req: Request,
    res: Response,
    op: 'content' | 'notifications',
    select: (
      ct: ContentType,
      sub: Subscription,
      start: EpochMs,
      end: EpochMs,
      from: number,
    ) => { items: T[]; index: (t: T) => number },
    render: (t: T) => unknown,
  ) => {
    const ct = requireType(req, res);
    if (!ct) return;
    const sub = ctx.subs.get(ct);
    if (sub?.status !== 'enabled') return sendAf(res, AF.noSubscription());
    const now = wallNow();
    const w = resolveWindow(q(req, 'startTime'), q(req, 'endTime'), now);
    if (!w.ok) {
      return sendAf(
        res,
        w.error === 'format' ? AF.invalidParameterType(w.param ?? 'startTime', 'datetime') : AF.window(),
      );
    }
    let from = 0;
    const np = q(req, 'nextPage');
    if (np !== undefined) {
      const m = /^\d{10}R(\d{12})$/.exec(np);
      if (!m) return sendAf(res, AF.nextPage(np));
      from = Number(m[1]);
    }
    const { items, index } = select(ct, sub, w.start, w.end, from);
    const pageItems = items.slice(0, ctx.pageSize);
    const rest = items[ctx.pageSize];
    if (rest !== undefined) {
      const tid = (res.locals as Locals).tenant;
      const params = new URLSearchParams();
      params.set('contentType', ct);
      params.set('startTime', w.startRaw);
      params.set('endTime', w.endRaw);
      const stampHour = new Date(now).toISOString().slice(0, 13).replace(/[-T]/g, '');
      params.set('nextPage', `${stampHour}R${String(index(rest)).padStart(12, '0')}`);
      const pub = q(req, 'PublisherIdentifier');
      if (pub) params.set('PublisherIdentifier', pub);
      res.set('NextPageUri', `${ctx.managementBase()}/api/v1.0/${tid}/activity/feed/subscriptions/${op}?${params}`);
    }
    res.json(pageItems.map(render));
  };

  r.get('/subscriptions/content', guard('content'), (req, res) => {
    const tid = () => (res.locals as Locals).tenant;
    page<StoredBlob>(
      req,
      res,
      'content',
      (ct, sub, start, end, from) => ({
        items: firstContentHeld(ctx, sub, wallNow())
          ? []
          : ctx.store.list(ct, start, end, from).filter((b) => !inGap(sub, b.created)),
        index: (b) => b.index,
      }),
      (b) => ({
        contentType: b.contentType,
        contentId: b.contentId,
        contentUri: contentUri(tid(), b.contentId),
        contentCreated: iso(b.created),
        contentExpiration: iso(b.expiration),
      }),
    );
  });

  r.get('/subscriptions/notifications', guard('notifications'), (req, res) => {
    page<[NotificationAttempt, number]>(
      req,
      res,
      'notifications',
      (ct, _sub, start, end, from) => {
        const items: [NotificationAttempt, number][] = [];
        for (const [n, i] of ctx.webhooks.attempts(from))
          if (n.contentType === ct && n.createdAt >= start && n.createdAt < end) items.push([n, i]);
        return { items, index: (t) => t[1] };
      },
      ([n]) => ({
        contentType: n.contentType,
        contentId: n.contentId,
        contentUri: n.contentUri,
        contentCreated: n.contentCreated,
        contentExpiration: n.contentExpiration,
        notificationSent: n.notificationSent,
        notificationStatus: n.notificationStatus,
      }),
    );
  });

  r.get('/audit/:contentId', guard('audit'), async (req, res) => {
    const id = String(req.params.contentId ?? '');
    if (!CONTENT_ID.test(id)) return sendAf(res, AF.contentIdInvalid(id));
    const blob = ctx.store.get(id);
    if (!blob) return sendAf(res, AF.contentMissing(id));
    const sub = ctx.subs.get(blob.contentType);
    if (sub?.status !== 'enabled' || inGap(sub, blob.created)) return sendAf(res, AF.noSubscription());
    if (blob.expiredEarly || wallNow() >= blob.expiration) return sendAf(res, AF.contentExpired(id));
    const body = await ctx.store.body(blob);
    if (body === undefined) return sendAf(res, AF.contentExpired(id));
    res.status(200);
    res.set('Content-Type', 'application/json; charset=utf-8');
    res.set('Content-Length', String(body.length));
    if (res.locals.truncate) {
      ctx.ledger.failedFetch();
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.on('finish', () => ctx.ledger.contentFetched(blob));
    res.end(body);
  });

  r.get('/resources/dlpSensitiveTypes', guard('resources'), (req, res) => {
    const lang = req.get('accept-language');
    if (lang !== undefined && lang.trim() !== '') {
      if (lang.includes(',')) return sendAf(res, AF.oneLanguage());
      if (!/^([A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*|\*)(;q=[01](\.\d{1,3})?)?$/.test(lang.trim()))
        return sendAf(res, AF.languageSyntax());
    }
    res.json([
      { id: '50842eb7-edc8-4019-85dd-5a5c1f2bb085', name: 'CreditCardNumber' },
      { id: '0e9b3178-9678-47dd-a509-37222ca96b42', name: 'EUDebitCardNumber' },
    ]);
  });

  return r;
}

/** What a contentUri/NextPageUri consumer sees for an unknown path under /api. */
export function apiNotFound(req: Request, res: Response): void {
  res.status(404).json({ Message: `No HTTP resource was found that matches the request URI '${req.originalUrl}'.` });
}
