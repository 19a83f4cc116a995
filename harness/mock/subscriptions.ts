/**
 * Subscriptions per content type and their webhooks: start (with the validation handshake),
 * stop, list; notifications for new blobs with retry, exponential backoff and disabling after
 * persistent failure (reference: "Receiving notifications", "Notification failure and retry").
 */
import { type EpochMs, wallNow } from '../../src/core/clock.js';
import { CONTENT_TYPES, type ContentType } from '../../src/core/dataset.js';
import { rngStream } from '../../src/core/rng.js';
import { OLDEST_START_MS } from './time-window.js';

export interface Webhook {
  status: 'enabled' | 'disabled' | 'expired';
  address: string;
  authId: string;
  expiration: string | null;
}

export interface Subscription {
  contentType: ContentType;
  status: 'enabled' | 'disabled';
  webhook: Webhook | null;
  /** application (appid) that created it: the notifications' clientId */
  clientId: string;
  /** wall-time intervals during which the subscription was stopped: content created then is lost */
  gaps: [EpochMs, EpochMs][];
  stoppedAt?: EpochMs;
  /** consecutive notification batches that failed after all retries */
  failures: number;
  /** wall time of the first start: with a first-content delay, nothing is listed or notified before it has passed */
  firstStartedAt?: EpochMs;
  /** wall time of the last accepted start request (the waiting period between start requests) */
  lastStartAt?: EpochMs;
}

export interface NotificationItem {
  tenantId: string;
  clientId: string;
  contentType: ContentType;
  contentId: string;
  contentUri: string;
  contentCreated: string;
  contentExpiration: string;
}

export interface NotificationAttempt {
  contentType: ContentType;
  contentId: string;
  contentUri: string;
  contentCreated: string;
  contentExpiration: string;
  notificationSent: string;
  notificationStatus: 'success' | 'failed';
  sentAt: EpochMs;
  createdAt: EpochMs;
}

export interface WebhookOptions {
  /** accept http:// addresses (tests, local receivers); the real service demands HTTPS */
  allowHttp: boolean;
  /** first retry after this many ms, doubling */
  retryBaseMs: number;
  /** attempts per notification batch */
  maxAttempts: number;
  /** disable the webhook after this many batches failed all their attempts */
  disableAfter: number;
  /** at most this many blobs per notification */
  batchSize: number;
  timeoutMs: number;
  /** wait this long for more blobs before sending a batch */
  coalesceMs: number;
  /**
   * after a content type's first start, hold its notifications this long (wall ms; 0: off): the
   * "up to 12 hours" before the first content blobs of a new subscription
   */
  firstContentDelayMs?: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  allowHttp: false,
  retryBaseMs: 1000,
  maxAttempts: 5,
  disableAfter: 3,
  batchSize: 50,
  timeoutMs: 10_000,
  coalesceMs: 100,
};

export async function postJson(
  address: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<number> {
  const ac = new AbortController();
  const t = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const res = await fetch(address, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
      body: JSON.stringify(body),
      signal: ac.signal,
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
  } catch {
    return 0;
  } finally {
    clearTimeout(t);
  }
}

/** The last validation handshake of a content type: where, and what the endpoint answered (0: no answer). */
export interface ValidationOutcome {
  address: string;
  status: number;
}

/** A notification batch was answered: how many blobs it named, whether with HTTP 200. */
export type NotificationListener = (blobs: number, ok: boolean) => void;

export class Webhooks {
  /** per content type, the last validation handshake */
  readonly validations = new Map<ContentType, ValidationOutcome>();
  private readonly waiters: (() => void)[] = [];
  private readonly queues = new Map<ContentType, NotificationItem[]>();
  private readonly timers = new Map<ContentType, NodeJS.Timeout>();
  /** notifications held back by the first-content delay */
  private readonly held = new Set<NodeJS.Timeout>();
  private readonly sending = new Set<ContentType>();
  /** notification attempts, oldest first, from position `dropped` on */
  private readonly history: NotificationAttempt[] = [];
  /** attempts pruned from the front: positions (the listing's nextPage) stay stable */
  private dropped = 0;
  private validationCounter = 0;
  private closed = false;
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    readonly opts: WebhookOptions,
    private readonly seed: number,
    private readonly subs: () => Map<ContentType, Subscription>,
    private readonly onNotified?: NotificationListener,
  ) {}

  /** the validation handshake: true when the endpoint answered HTTP 200 */
  async validate(address: string, authId: string, contentType?: ContentType): Promise<boolean> {
    const code = rngStream(this.seed, 'mock', 'webhook-validation', ++this.validationCounter).hex(32);
    const headers: Record<string, string> = { 'Webhook-ValidationCode': code };
    if (authId) headers['Webhook-AuthID'] = authId;
    const status = await postJson(address, { validationCode: code }, headers, this.opts.timeoutMs);
    if (contentType) this.validations.set(contentType, { address, status });
    return status === 200;
  }

  /** whether no notification is waiting, being sent or retried */
  get idle(): boolean {
    // notifications held by the first-content delay are not due yet: a lockstep answer does not wait for them
    if (this.timers.size > 0 || this.sending.size > 0) return false;
    for (const q of this.queues.values()) if (q.length > 0) return false;
    return true;
  }

  /**
   * Resolves once every notification enqueued so far has been answered (or has failed all its
   * attempts): the lockstep answers wait for it, so what a tick publishes has been pushed to the
   * webhooks before the detector hears of the tick.
   */
  settled(): Promise<void> {
    if (this.idle || this.closed) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  private wakeIfIdle(): void {
    if (!this.idle && !this.closed) return;
    for (const w of this.waiters.splice(0)) w();
  }

  enqueue(item: NotificationItem, createdAt: EpochMs): void {
    if (this.closed) return;
    const sub = this.subs().get(item.contentType);
    if (sub?.status !== 'enabled' || !sub.webhook) return;
    this.refreshExpiry(sub);
    if (sub.webhook.status !== 'enabled') return;
    const holdUntil = (sub.firstStartedAt ?? 0) + (this.opts.firstContentDelayMs ?? 0);
    if (holdUntil > wallNow()) {
      // a new subscription's first content: notified once the delay has passed
      const t = setTimeout(() => {
        this.held.delete(t);
        this.enqueue(item, createdAt);
      }, holdUntil - wallNow());
      this.held.add(t);
      return;
    }
    let q = this.queues.get(item.contentType);
    if (!q) {
      q = [];
      this.queues.set(item.contentType, q);
    }
    (item as NotificationItem & { createdAt?: EpochMs }).createdAt = createdAt;
    q.push(item);
    if (!this.timers.has(item.contentType) && !this.sending.has(item.contentType)) {
      this.timers.set(
        item.contentType,
        setTimeout(() => this.flush(item.contentType), this.opts.coalesceMs),
      );
    }
  }

  refreshExpiry(sub: Subscription): void {
    const w = sub.webhook;
    if (w && w.status === 'enabled' && w.expiration) {
      const t = Date.parse(w.expiration);
      if (Number.isFinite(t) && t <= wallNow()) w.status = 'expired';
    }
  }

  private flush(ct: ContentType): void {
    this.timers.delete(ct);
    if (this.closed) return;
    const p = this.sendAll(ct);
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async sendAll(ct: ContentType): Promise<void> {
    this.sending.add(ct);
    try {
      const q = this.queues.get(ct) ?? [];
      while (q.length && !this.closed) {
        const sub = this.subs().get(ct);
        if (sub?.status !== 'enabled' || !sub.webhook || sub.webhook.status !== 'enabled') {
          q.length = 0;
          break;
        }
        const batch = q.splice(0, this.opts.batchSize);
        let ok = false;
        for (let attempt = 0; attempt < this.opts.maxAttempts && !this.closed; attempt++) {
          if (attempt > 0) await sleep(this.opts.retryBaseMs * 2 ** (attempt - 1));
          const hook = sub.webhook;
          if (hook?.status !== 'enabled') break;
          const headers: Record<string, string> = {};
          if (hook.authId) headers['Webhook-AuthID'] = hook.authId;
          const body = batch.map(({ createdAt: _c, ...rest }: NotificationItem & { createdAt?: EpochMs }) => rest);
          const status = await postJson(hook.address, body, headers, this.opts.timeoutMs);
          ok = status === 200;
          const sent = wallNow();
          for (const b of batch) {
            this.record({
              contentType: b.contentType,
              contentId: b.contentId,
              contentUri: b.contentUri,
              contentCreated: b.contentCreated,
              contentExpiration: b.contentExpiration,
              notificationSent: new Date(sent).toISOString(),
              notificationStatus: ok ? 'success' : 'failed',
              sentAt: sent,
              createdAt: (b as NotificationItem & { createdAt?: EpochMs }).createdAt ?? sent,
            });
          }
          this.onNotified?.(batch.length, ok);
          if (ok) break;
        }
        if (ok) sub.failures = 0;
        else {
          sub.failures++;
          if (sub.failures >= this.opts.disableAfter && sub.webhook) {
            sub.webhook.status = 'disabled';
            q.length = 0;
          }
        }
      }
    } finally {
      this.sending.delete(ct);
      this.wakeIfIdle();
    }
  }

  record(a: NotificationAttempt): void {
    this.history.push(a);
  }

  /** every attempt kept, with its position, from position `from` on */
  *attempts(from = 0): Generator<[NotificationAttempt, number]> {
    for (let i = Math.max(0, from - this.dropped); i < this.history.length; i++)
      yield [this.history[i] as NotificationAttempt, this.dropped + i];
  }

  /**
   * Forget attempts for content created before the oldest start time a listing accepts (7 days and
   * an hour before `now`): no /subscriptions/notifications call can return them any more. Keeps a
   * long replay with webhooks from holding every attempt it ever made. Returns attempts dropped.
   */
  prune(now: EpochMs): number {
    const cutoff = now - OLDEST_START_MS;
    let n = 0;
    while (n < this.history.length && (this.history[n] as NotificationAttempt).createdAt < cutoff) n++;
    if (n > 0) {
      this.history.splice(0, n);
      this.dropped += n;
    }
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const t of this.held) clearTimeout(t);
    this.held.clear();
    this.wakeIfIdle();
    await Promise.allSettled([...this.inflight]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

/**
 * The subscribed barrier (`run --detector webhook:`, `serve --wait-for-webhooks`): the content types
 * a subscriber must cover are those the publication's UAL deliveries land in (all when unknown).
 */
export function webhookContentTypes(publication: {
  contentTypes?: readonly ContentType[] | undefined;
}): readonly ContentType[] {
  return publication.contentTypes ?? CONTENT_TYPES;
}

/** What keeps each content type of `need` from the barrier, or [] when every one has a validated webhook. */
export function unsubscribed(
  subs: Pick<ReadonlyMap<string, Subscription>, 'get'>,
  webhooks: Pick<Webhooks, 'validations'>,
  need: readonly ContentType[],
): string[] {
  const out: string[] = [];
  for (const ct of need) {
    const sub = subs.get(ct);
    if (sub?.status === 'enabled' && sub.webhook?.status === 'enabled') continue;
    const v = webhooks.validations.get(ct);
    const tried = v
      ? v.status === 0
        ? `; the validation request to ${v.address} got no HTTP answer`
        : `; the validation request to ${v.address} was answered HTTP ${v.status}`
      : '';
    if (sub?.status !== 'enabled') out.push(`${ct} (no subscription${tried})`);
    else if (!sub.webhook) out.push(`${ct} (subscribed without a webhook${tried})`);
    else out.push(`${ct} (webhook ${sub.webhook.status}${tried})`);
  }
  return out;
}
