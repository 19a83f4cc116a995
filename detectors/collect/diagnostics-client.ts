/**
 * A collector for Entra diagnostic-settings logs archived to a storage account: containers
 * `insights-logs-<category>`, hourly `PT1H.json` append blobs of JSON lines. Uses the Blob REST
 * API directly (List Blobs with prefix and marker; Get Blob with a Range from the last offset read),
 * so append blobs are read incrementally as they grow. De-duplicates on each source's id field.
 */
import { DEFAULT_RETRY, HttpError, type RetryPolicy, request } from './http.js';

export interface DiagnosticsClientOptions {
  /** the service URL with its SAS query: ENUMBENCH_DIAGNOSTICS_URL */
  url: string;
  retry?: RetryPolicy;
}

export type DiagnosticRecord = Record<string, unknown> & { category?: string; properties?: Record<string, unknown> };

function tagValues(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(decodeXml(m[1] as string));
  return out;
}

function decodeXml(s: string): string {
  return s.replace(
    /&(lt|gt|amp|apos|quot);/g,
    (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[e] as string,
  );
}

/** the id of a diagnostic record: properties.id (sign-ins) or properties.requestId (Graph activity) */
export function diagnosticId(r: DiagnosticRecord): string | undefined {
  const p = r.properties ?? {};
  const id = p.id ?? p.requestId ?? r.correlationId;
  return typeof id === 'string' ? id : undefined;
}

export class DiagnosticsClient {
  private readonly base: string;
  private readonly sas: string;
  private readonly offsets = new Map<string, number>();
  readonly records = new Map<string, DiagnosticRecord>();
  duplicates = 0;
  private readonly retry: RetryPolicy;

  constructor(opts: DiagnosticsClientOptions) {
    const u = new URL(opts.url);
    this.sas = u.search.replace(/^\?/, '');
    u.search = '';
    this.base = u.toString().replace(/\/+$/, '');
    this.retry = opts.retry ?? DEFAULT_RETRY;
  }

  private url(path: string, query: Record<string, string> = {}): string {
    const q = new URLSearchParams(query).toString();
    return `${this.base}${path}?${q}${q ? '&' : ''}${this.sas}`;
  }

  async listContainers(): Promise<string[]> {
    const res = await request(this.url('/', { comp: 'list' }), { method: 'GET' }, this.retry);
    if (res.status !== 200) throw new HttpError(res.status, undefined, res.text);
    return tagValues(res.text, 'Name');
  }

  async listBlobs(container: string, prefix = ''): Promise<{ name: string; length: number }[]> {
    const out: { name: string; length: number }[] = [];
    let marker = '';
    do {
      const q: Record<string, string> = { restype: 'container', comp: 'list' };
      if (prefix) q.prefix = prefix;
      if (marker) q.marker = marker;
      const res = await request(this.url(`/${container}`, q), { method: 'GET' }, this.retry);
      if (res.status === 404) return out;
      if (res.status !== 200) throw new HttpError(res.status, undefined, res.text);
      const blobs = res.text.split('<Blob>').slice(1);
      for (const b of blobs) {
        out.push({ name: tagValues(b, 'Name')[0] ?? '', length: Number(tagValues(b, 'Content-Length')[0] ?? 0) });
      }
      marker = tagValues(res.text, 'NextMarker')[0] ?? '';
    } while (marker);
    return out;
  }

  /** read what was appended to one blob since the last call; returns the new records */
  async readNew(container: string, name: string): Promise<DiagnosticRecord[]> {
    const key = `${container}/${name}`;
    const offset = this.offsets.get(key) ?? 0;
    const path = `/${container}/${name.split('/').map(encodeURIComponent).join('/')}`;
    const res = await request(
      this.url(path),
      { method: 'GET', headers: { 'x-ms-range': `bytes=${offset}-` } },
      this.retry,
    );
    if (res.status === 416) return [];
    if (res.status !== 200 && res.status !== 206) throw new HttpError(res.status, undefined, res.text);
    const text = res.text;
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < 0) return [];
    const complete = text.slice(0, lastNl + 1);
    this.offsets.set(key, offset + Buffer.byteLength(complete, 'utf8'));
    const out: DiagnosticRecord[] = [];
    for (const line of complete.split('\n')) {
      if (line.trim() === '') continue;
      const r = JSON.parse(line) as DiagnosticRecord;
      const id = diagnosticId(r);
      if (id === undefined) continue;
      const k = `${r.category ?? ''}|${id}`;
      if (this.records.has(k)) this.duplicates++;
      else {
        this.records.set(k, r);
        out.push(r);
      }
    }
    return out;
  }

  /** one pass over every insights-logs-* container; returns the new records */
  async pollRecords(): Promise<DiagnosticRecord[]> {
    const out: DiagnosticRecord[] = [];
    for (const c of await this.listContainers()) {
      if (!c.startsWith('insights-logs-')) continue;
      for (const b of await this.listBlobs(c)) {
        if ((this.offsets.get(`${c}/${b.name}`) ?? 0) >= b.length) continue;
        out.push(...(await this.readNew(c, b.name)));
      }
    }
    return out;
  }

  /** one pass; returns how many new records it found */
  async poll(): Promise<number> {
    return (await this.pollRecords()).length;
  }
}
