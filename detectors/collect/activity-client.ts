/**
 * A collector for the Office 365 Management Activity API, written from Microsoft's documentation
 * only ("Office 365 Management Activity API reference", "Troubleshooting", "Get started"):
 * client-credentials token (v2 endpoint, `<resource>/.default`), subscriptions/start (AF20024 on
 * an already-enabled subscription is success), subscriptions/content with startTime/endTime
 * windows of at most 24 hours following `NextPageUri`, blob fetches with PublisherIdentifier,
 * retries of AF50000/AF429/5xx, and de-duplication on `Id` (duplicates are by design).
 * It imports nothing from the bench: it is what an outside collector would be.
 */
import { wallNow } from '../../src/core/clock.js';
import { DEFAULT_RETRY, HttpError, type RetryPolicy, request } from './http.js';

export const DEFAULT_RESOURCE = 'https://manage.office.com';

export interface ActivityClientOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** stands for https://login.microsoftonline.com */
  loginUrl: string;
  /** stands for https://manage.office.com */
  managementUrl: string;
  resource?: string;
  publisherIdentifier?: string;
  retry?: RetryPolicy;
  /** the collector's own clock (wall time) */
  now?: () => number;
}

export interface ContentItem {
  contentType: string;
  contentId: string;
  contentUri: string;
  contentCreated: string;
  contentExpiration: string;
}

export type AuditRecord = Record<string, unknown> & { Id: string };

function fmt(t: number): string {
  return new Date(t).toISOString();
}

export class ActivityClient {
  private token: { value: string; expires: number } | undefined;
  readonly retries: string[] = [];
  private readonly retry: RetryPolicy;
  private readonly now: () => number;

  constructor(readonly opts: ActivityClientOptions) {
    this.retry = opts.retry ?? DEFAULT_RETRY;
    // the collector's own wall clock; injectable for tests
    this.now = opts.now ?? wallNow;
  }

  private root(): string {
    return `${this.opts.managementUrl.replace(/\/+$/, '')}/api/v1.0/${this.opts.tenantId}/activity/feed`;
  }

  private withPublisher(url: string): string {
    if (!this.opts.publisherIdentifier || /[?&]PublisherIdentifier=/i.test(url)) return url;
    return `${url}${url.includes('?') ? '&' : '?'}PublisherIdentifier=${this.opts.publisherIdentifier}`;
  }

  async accessToken(force = false): Promise<string> {
    if (!force && this.token && this.token.expires - 300_000 > this.now()) return this.token.value;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.opts.clientId,
      client_secret: this.opts.clientSecret,
      scope: `${this.opts.resource ?? DEFAULT_RESOURCE}/.default`,
    });
    const res = await request(
      `${this.opts.loginUrl.replace(/\/+$/, '')}/${this.opts.tenantId}/oauth2/v2.0/token`,
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body },
      this.retry,
    );
    if (res.status !== 200) throw new HttpError(res.status, undefined, res.text);
    const t = JSON.parse(res.text) as { access_token: string; expires_in: number | string };
    this.token = { value: t.access_token, expires: this.now() + Number(t.expires_in) * 1000 };
    return t.access_token;
  }

  private async call(
    method: 'GET' | 'POST',
    url: string,
    body?: string,
  ): Promise<{ status: number; headers: Headers; text: string }> {
    for (let renew = 0; renew < 2; renew++) {
      const token = await this.accessToken(renew > 0);
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
      const res = await request(
        this.withPublisher(url),
        { method, headers, ...(body !== undefined ? { body } : {}) },
        this.retry,
        (why) => this.retries.push(why),
      );
      if (res.status === 401 && renew === 0) continue;
      return res;
    }
    throw new Error('unreachable');
  }

  /** Start a subscription; an already-enabled one (400 AF20024) counts as success. */
  async start(
    contentType: string,
    webhook?: { address: string; authId?: string; expiration?: string },
  ): Promise<unknown> {
    const res = await this.call(
      'POST',
      `${this.root()}/subscriptions/start?contentType=${encodeURIComponent(contentType)}`,
      webhook ? JSON.stringify({ webhook }) : undefined,
    );
    if (res.status === 200) return JSON.parse(res.text);
    const code = (JSON.parse(res.text || '{}') as { error?: { code?: string } }).error?.code;
    if (res.status === 400 && code === 'AF20024') return { contentType, status: 'enabled' };
    throw new HttpError(res.status, code, res.text);
  }

  async list(): Promise<unknown[]> {
    const res = await this.call('GET', `${this.root()}/subscriptions/list`);
    if (res.status !== 200) throw new HttpError(res.status, undefined, res.text);
    return JSON.parse(res.text) as unknown[];
  }

  /** Every content item created in [start, end) (≤ 24 h), following NextPageUri. */
  async listContent(contentType: string, start: number, end: number): Promise<ContentItem[]> {
    let url: string | undefined =
      `${this.root()}/subscriptions/content?contentType=${encodeURIComponent(contentType)}&startTime=${fmt(start)}&endTime=${fmt(end)}`;
    const out: ContentItem[] = [];
    while (url) {
      const res = await this.call('GET', url);
      if (res.status !== 200) throw new HttpError(res.status, undefined, res.text);
      out.push(...(JSON.parse(res.text) as ContentItem[]));
      url = res.headers.get('NextPageUri') ?? res.headers.get('NextPageUrl') ?? undefined;
    }
    return out;
  }

  /** The records of one content blob. */
  async fetchContent(contentUri: string): Promise<AuditRecord[]> {
    for (let i = 0; i < 4; i++) {
      const res = await this.call('GET', contentUri);
      if (res.status !== 200) throw new HttpError(res.status, undefined, res.text);
      try {
        return JSON.parse(res.text) as AuditRecord[];
      } catch {
        // a body cut short: fetch again
      }
    }
    throw new Error(`content ${contentUri}: body never arrived whole`);
  }
}

/**
 * A polling collector: windows of at most 24 hours on its own clock, each content blob fetched
 * once, records de-duplicated on Id.
 */
export class PollingCollector {
  readonly seenContent = new Set<string>();
  /** the records kept (when `retain` is on), by Id */
  readonly records = new Map<string, AuditRecord>();
  /** every Id seen, for de-duplication */
  readonly ids = new Set<string>();
  duplicates = 0;
  private readonly retain: boolean;
  private readonly onRecord: ((r: AuditRecord) => void) | undefined;
  failedContent: { contentUri: string; error: string }[] = [];
  private cursor: number;

  constructor(
    readonly client: ActivityClient,
    readonly contentTypes: readonly string[],
    opts: { since?: number; concurrency?: number; retain?: boolean; onRecord?: (r: AuditRecord) => void } = {},
  ) {
    this.cursor = opts.since ?? wallNow() - 24 * 3600_000 + 60_000;
    this.concurrency = opts.concurrency ?? 8;
    this.retain = opts.retain ?? true;
    this.onRecord = opts.onRecord;
  }

  private readonly concurrency: number;

  async startAll(): Promise<void> {
    for (const ct of this.contentTypes) await this.client.start(ct);
  }

  /** One poll: list [cursor, now) in ≤ 24 h windows and fetch every new blob. Returns new records. */
  async poll(now = wallNow()): Promise<number> {
    const before = this.ids.size;
    const items: ContentItem[] = [];
    // overlap the previous window by a minute: contentCreated may be stamped just before a listing
    let s = this.cursor - 60_000;
    while (s < now) {
      const e = Math.min(now, s + 24 * 3600_000);
      for (const ct of this.contentTypes) items.push(...(await this.client.listContent(ct, s, e)));
      s = e;
    }
    this.cursor = now;
    const fresh = items.filter((i) => !this.seenContent.has(i.contentId));
    for (const i of fresh) this.seenContent.add(i.contentId);
    let next = 0;
    const worker = async () => {
      while (next < fresh.length) {
        const item = fresh[next++] as ContentItem;
        try {
          for (const r of await this.client.fetchContent(item.contentUri)) {
            if (this.ids.has(r.Id)) this.duplicates++;
            else {
              this.ids.add(r.Id);
              if (this.retain) this.records.set(r.Id, r);
              this.onRecord?.(r);
            }
          }
        } catch (e) {
          this.failedContent.push({ contentUri: item.contentUri, error: String((e as Error).message ?? e) });
        }
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
    return this.ids.size - before;
  }
}
