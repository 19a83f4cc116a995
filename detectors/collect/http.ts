/**
 * A small retrying HTTP helper for collectors: retries network errors (resets, bodies cut short),
 * 408/429/5xx and the Management Activity API's AF50000 and AF429 (403), with exponential backoff.
 */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 200, maxDelayMs: 10_000 };

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly body: string,
  ) {
    super(`HTTP ${status}${code ? ` ${code}` : ''}: ${body.slice(0, 300)}`);
    this.name = 'HttpError';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function afCode(text: string): string | undefined {
  try {
    const b = JSON.parse(text) as { error?: { code?: unknown } };
    return typeof b.error?.code === 'string' ? b.error.code : undefined;
  } catch {
    return undefined;
  }
}

function retriable(status: number, code: string | undefined): boolean {
  return status === 408 || status === 429 || status >= 500 || code === 'AF429' || code === 'AF50000';
}

/** One request with retries; non-retriable errors come back as a result (the caller decides). */
export async function request(
  url: string,
  init: RequestInit,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (why: string) => void,
): Promise<HttpResult> {
  let last: unknown;
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    if (attempt > 0) await sleep(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
    try {
      const res = await fetch(url, init);
      const buf = Buffer.from(await res.arrayBuffer());
      const len = res.headers.get('content-length');
      if (len !== null && buf.length !== Number(len)) throw new Error('body cut short');
      const text = buf.toString('utf8').replace(/^\uFEFF/, '');
      const code = res.status >= 400 ? afCode(text) : undefined;
      if (res.status >= 400 && retriable(res.status, code)) {
        last = new HttpError(res.status, code, text);
        onRetry?.(`${res.status} ${code ?? ''}`);
        continue;
      }
      return { status: res.status, headers: res.headers, text };
    } catch (e) {
      last = e;
      onRetry?.(String((e as Error).message ?? e));
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}
