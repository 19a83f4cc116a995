/**
 * Diagnostic-settings feeds in the storage-account layout Entra writes (containers
 * `insights-logs-<category>`, hourly `PT1H.json` append blobs of JSON lines), through the part of
 * the Azure Blob REST API collectors use: List Containers, List Blobs (prefix, delimiter, marker,
 * maxresults), Get Blob (Range / x-ms-range) and Get Blob Properties. Path-style URLs
 * (`/{account}/{container}/{blob}`) and host-style (`{account}.blob.core.windows.net`) both work.
 * Authentication: the SAS handed out by `serve`, Shared Key, or an Entra bearer token for
 * https://storage.azure.com (with a data role).
 */

import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import express, { type Request, type Response, type Router } from 'express';
import { type EpochMs, wallNow } from '../../src/core/clock.js';
import { rngStream } from '../../src/core/rng.js';
import type { SourceId } from '../../src/core/sources.js';
import { xmlEscape } from '../../src/core/xml.js';
import { LineReader } from '../replay/line-reader.js';
import type { DiagnosticAppendEvent } from '../replay/replay.js';
import { CHUNK_BYTES, ChunkedFile } from './chunked-file.js';
import type { FaultInjector } from './faults.js';
import type { MockIdentity } from './identity.js';
import { type SigningKey, verifyJwt } from './jwt.js';
import { checkAccountSas, type SasNeed } from './sas.js';
import type { SpillDir } from './spill.js';

/** One record's line in an append blob, as the ledger sees it. */
export interface RecordSpan {
  source: SourceId;
  id: string;
  duplicate: boolean;
  /** byte range of the line, end exclusive */
  start: number;
  end: number;
}

export interface AppendBlob {
  name: string;
  created: EpochMs;
  modified: EpochMs;
  length: number;
  blocks: number;
  etagSeq: number;
  /** the blob's bytes, compressed in the spill directory */
  body: ChunkedFile;
  /** spill file: one `source\tid\tduplicate\tstart\tend` line per record */
  spansFile: string;
}

/**
 * The append blobs, kept on disk: each append goes to the blob's compressed file in the spill
 * directory (chunked-file.ts), and reads (whole or by range) stream from there. Memory holds a few
 * numbers per blob, and one per 256 KiB of its bytes.
 */
export class AppendBlobStore {
  readonly containers = new Map<string, { created: EpochMs; blobs: Map<string, AppendBlob> }>();
  /** every blob, in creation order */
  readonly all: AppendBlob[] = [];
  private etag = 0;
  private readonly dir: string;

  /** `chunkBytes`: uncompressed bytes per compressed chunk of a blob (tests make it small) */
  constructor(
    spill: SpillDir,
    private readonly chunkBytes: number = CHUNK_BYTES,
  ) {
    this.dir = spill.dir('storage');
  }

  append(ev: DiagnosticAppendEvent): void {
    let c = this.containers.get(ev.container);
    if (!c) {
      c = { created: ev.createdWall, blobs: new Map() };
      this.containers.set(ev.container, c);
    }
    let b = c.blobs.get(ev.blobName);
    if (!b) {
      const n = this.all.length + 1;
      b = {
        name: ev.blobName,
        created: ev.createdWall,
        modified: ev.createdWall,
        length: 0,
        blocks: 0,
        etagSeq: 0,
        body: new ChunkedFile(join(this.dir, `${n}.log`), this.chunkBytes),
        spansFile: join(this.dir, `${n}.spans`),
      };
      c.blobs.set(ev.blobName, b);
      this.all.push(b);
    }
    let text = '';
    let spans = '';
    let pos = b.length;
    for (const r of ev.records) {
      const line = `${r.json}\n`;
      const bytes = Buffer.byteLength(line, 'utf8');
      spans += `${r.source}\t${r.id}\t${r.duplicate ? 1 : 0}\t${pos}\t${pos + bytes}\n`;
      pos += bytes;
      text += line;
    }
    const buf = Buffer.from(text, 'utf8');
    b.body.append(buf);
    appendFileSync(b.spansFile, spans);
    b.length += buf.length;
    b.blocks++;
    b.modified = ev.createdWall;
    b.etagSeq = ++this.etag;
  }

  /** a stream of bytes [start, endInclusive] of the blob, as they are now */
  read(b: AppendBlob, start: number, endInclusive: number): Readable {
    return b.body.read(start, endInclusive + 1);
  }

  /** bytes [start, endInclusive] of the blob in one buffer (small ranges) */
  readBuffer(b: AppendBlob, start: number, endInclusive: number): Promise<Buffer> {
    return b.body.readBuffer(start, endInclusive + 1);
  }

  /** each record of a blob and where its line is, read back from the span list a chunk at a time */
  forEachSpan(
    b: AppendBlob,
    fn: (source: SourceId, id: string, duplicate: boolean, start: number, end: number) => void,
  ) {
    if (b.length === 0) return;
    const r = new LineReader(b.spansFile);
    try {
      for (let line = r.next(); line; line = r.next()) {
        const [source, id, dup, start, end] = line.bytes.toString('latin1').split('\t');
        fn(source as SourceId, id as string, dup === '1', Number(start), Number(end));
      }
    } finally {
      r.close();
    }
  }
}

/** what the storage feed tells the ledger (the Ledger; an interface here keeps the modules acyclic) */
export interface StorageLedger {
  storageRead(b: AppendBlob, start: number, endInclusive: number): void;
  failedFetch(): void;
}

export interface StorageContext {
  identity: MockIdentity;
  store: AppendBlobStore;
  faults: FaultInjector;
  ledger: StorageLedger;
  /** public base URL of the storage service, including the account path segment when path-style */
  serviceUrl(): string;
  /** verifies Entra bearer tokens (the login's signing key) */
  key: SigningKey;
  /** public base URL of the login service, for the bearer challenge */
  loginBase(): string;
  /** the data role the app holds on the account: `reader` (Storage Blob Data Reader) or none */
  dataRole: StorageDataRole;
}

export type StorageDataRole = 'reader' | 'none';

/** Entra's resource id for storage, and how a token for it is challenged (common REST API error codes). */
export const STORAGE_RESOURCE = 'https://storage.azure.com';

const X_MS_VERSION = '2025-05-05';

function rfc1123(t: EpochMs): string {
  return new Date(t).toUTCString();
}

function etagOf(b: AppendBlob): string {
  return `"0x8DC${(b.etagSeq * 7919 + b.length).toString(16).toUpperCase().padStart(12, '0')}"`;
}

let requestCounter = 0;

function common(res: Response): void {
  res.set('x-ms-request-id', rngStream('storage-request', ++requestCounter).uuid());
  res.set('x-ms-version', X_MS_VERSION);
  res.set('Date', rfc1123(wallNow()));
  res.set('Server', 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0');
}

export function storageError(
  res: Response,
  status: number,
  code: string,
  message: string,
  head = false,
  detail?: string,
): void {
  common(res);
  res.set('x-ms-error-code', code);
  res.status(status);
  if (head) {
    res.end();
    return;
  }
  res.type('application/xml');
  res.send(
    `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${xmlEscape(message)}\nRequestId:${res.get('x-ms-request-id')}\nTime:${new Date(wallNow()).toISOString()}</Message>${detail ? `<AuthenticationErrorDetail>${xmlEscape(detail)}</AuthenticationErrorDetail>` : ''}</Error>`,
  );
}

function qs(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Shared Key authorization (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key):
 * HMAC-SHA256 with the account key over the verb, the standard headers, the x-ms-* headers and the
 * canonicalized resource.
 */
export function verifySharedKey(req: Request, account: string, keyBase64: string): boolean {
  const m = /^SharedKey ([^:]+):(.+)$/.exec(req.get('authorization') ?? '');
  if (!m || m[1] !== account) return false;
  const h = (name: string) => {
    const v = req.get(name) ?? '';
    return name === 'content-length' && v === '0' ? '' : v;
  };
  const xms = Object.keys(req.headers)
    .filter((k) => k.startsWith('x-ms-'))
    .sort()
    .map((k) => `${k}:${String(req.headers[k]).replace(/\s+/g, ' ').trim()}\n`)
    .join('');
  const raw = req.originalUrl;
  const qi = raw.indexOf('?');
  const path = qi < 0 ? raw : raw.slice(0, qi);
  const params = new Map<string, string[]>();
  if (qi >= 0) {
    for (const part of raw.slice(qi + 1).split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const k = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
      let v = eq < 0 ? '' : part.slice(eq + 1);
      try {
        v = decodeURIComponent(v);
      } catch {
        return false;
      }
      params.set(k, [...(params.get(k) ?? []), v]);
    }
  }
  let resource = `/${account}${path}`;
  for (const k of [...params.keys()].sort()) resource += `\n${k}:${(params.get(k) ?? []).sort().join(',')}`;
  const stringToSign = [
    req.method.toUpperCase(),
    h('content-encoding'),
    h('content-language'),
    h('content-length'),
    h('content-md5'),
    h('content-type'),
    req.get('x-ms-date') ? '' : h('date'),
    h('if-modified-since'),
    h('if-match'),
    h('if-none-match'),
    h('if-unmodified-since'),
    h('range'),
  ].join('\n');
  const expected = createHmac('sha256', Buffer.from(keyBase64, 'base64'))
    .update(`${stringToSign}\n${xms}${resource}`, 'utf8')
    .digest('base64');
  const a = Buffer.from(expected);
  const b = Buffer.from(m[2] as string);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What an operation needs of an account SAS: List Containers the service, container calls the container, blob calls the object. */
function sasNeed(req: Request, path: string): SasNeed {
  const parts = /^\/([^/]*)(?:\/(.+))?$/.exec(path);
  const list = qs(req, 'comp') === 'list';
  if (!parts?.[1]) return { srt: 's', sp: list ? 'l' : 'r' };
  if (!parts[2]) return { srt: 'c', sp: list ? 'l' : 'r' };
  return { srt: 'o', sp: 'r' };
}

export function storageRouter(ctx: StorageContext): Router {
  const r = express.Router({ caseSensitive: true });

  r.use((req, res) => {
    const host = (req.get('host') ?? '').toLowerCase();
    let path = req.path;
    const hostAccount = /^([a-z0-9]{3,24})\.blob\./.exec(host)?.[1];
    let account = hostAccount;
    if (!account) {
      const m = /^\/([^/]+)(\/.*)?$/.exec(path);
      account = m?.[1];
      path = m?.[2] ?? '/';
    }
    const head = req.method === 'HEAD';
    if (account !== ctx.identity.storageAccount)
      return storageError(
        res,
        400,
        'InvalidUri',
        'The requested URI does not represent any resource on the server.',
        head,
      );
    const permissionMismatch = () =>
      storageError(
        res,
        403,
        'AuthorizationPermissionMismatch',
        'This request is not authorized to perform this operation using this permission.',
        head,
      );
    // the SAS, the role and the account key are all read-only here
    if (req.method !== 'GET' && req.method !== 'HEAD') return permissionMismatch();
    const sig = qs(req, 'sig');
    const authz = req.get('authorization');
    if (authz !== undefined && /^bearer /i.test(authz)) {
      const problem = bearerProblem(authz.slice(7).trim(), account);
      if (problem) {
        res.set(
          'WWW-Authenticate',
          `Bearer authorization_uri=${ctx.loginBase()}/${ctx.identity.tenantId}/oauth2/authorize resource_id=${STORAGE_RESOURCE}`,
        );
        return storageError(
          res,
          401,
          'InvalidAuthenticationInfo',
          'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.',
          head,
          problem,
        );
      }
      // a valid token, but no data role on the account (an RBAC assignment --storage-role grants)
      if (ctx.dataRole !== 'reader') return permissionMismatch();
    } else if (authz?.startsWith('SharedKey ')) {
      if (!verifySharedKey(req, account, ctx.identity.storageKey))
        return storageError(
          res,
          403,
          'AuthenticationFailed',
          'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
          head,
        );
    } else if (sig === undefined)
      return storageError(res, 404, 'ResourceNotFound', 'The specified resource does not exist.', head);
    else {
      const refusal = checkAccountSas((n) => qs(req, n), {
        account,
        keyBase64: ctx.identity.storageKey,
        need: sasNeed(req, path),
        https: req.secure,
        remoteIp: req.socket.remoteAddress ?? '',
        now: wallNow(),
      });
      if (refusal) return storageError(res, refusal.status, refusal.code, refusal.message, head, refusal.detail);
    }
    const f = ctx.faults.decide(`${req.method} ${req.originalUrl} ${req.get('x-ms-range') ?? req.get('range') ?? ''}`, {
      body: req.method === 'GET',
    });
    const go = () => {
      if (f.reset) {
        req.socket.destroy();
        return;
      }
      if (f.error)
        return storageError(
          res,
          500,
          'InternalError',
          'The server encountered an internal error. Please retry the request.',
          head,
        );
      if (f.throttle)
        return storageError(
          res,
          503,
          'ServerBusy',
          'The server is currently unable to receive requests. Please retry your request.',
          head,
        );
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        return storageError(
          res,
          400,
          'InvalidUri',
          'The requested URI does not represent any resource on the server.',
          head,
        );
      }
      const parts = /^\/([^/]*)(?:\/(.*))?$/.exec(decoded);
      const container = parts?.[1] ?? '';
      const blobName = parts?.[2];
      if (container === '') {
        if (qs(req, 'comp') === 'list') return listContainers(req, res);
        return storageError(
          res,
          400,
          'InvalidQueryParameterValue',
          'Value for one of the query parameters specified in the request URI is invalid.',
          head,
        );
      }
      const c = ctx.store.containers.get(container);
      if (blobName === undefined || blobName === '') {
        if (qs(req, 'restype') === 'container' && qs(req, 'comp') === 'list') {
          if (!c) return storageError(res, 404, 'ContainerNotFound', 'The specified container does not exist.', head);
          return listBlobs(req, res, container, c.blobs);
        }
        if (qs(req, 'restype') === 'container') {
          if (!c) return storageError(res, 404, 'ContainerNotFound', 'The specified container does not exist.', head);
          common(res);
          res.set('Last-Modified', rfc1123(c.created)).set('ETag', '"0x8DC000000000001"');
          res.set('x-ms-lease-status', 'unlocked').set('x-ms-lease-state', 'available');
          return res.status(200).end();
        }
        return storageError(
          res,
          400,
          'InvalidQueryParameterValue',
          'Value for one of the query parameters specified in the request URI is invalid.',
          head,
        );
      }
      if (!c) return storageError(res, 404, 'ContainerNotFound', 'The specified container does not exist.', head);
      const b = c.blobs.get(blobName);
      if (!b) return storageError(res, 404, 'BlobNotFound', 'The specified blob does not exist.', head);
      return getBlob(req, res, b, head, f.truncate === true);
    };
    if (f.slowMs) setTimeout(go, f.slowMs);
    else go();
  });

  /** why a bearer token is refused (the AuthenticationErrorDetail), or undefined when it is good */
  function bearerProblem(token: string, account: string): string | undefined {
    const claims = verifyJwt(token, ctx.key);
    if (!claims) return 'Signature validation failed. Signature is invalid.';
    const now = Math.floor(wallNow() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp <= now) return `Lifetime validation failed. The token is expired.`;
    if (typeof claims.nbf === 'number' && claims.nbf > now + 300)
      return 'Lifetime validation failed. The token is not yet valid.';
    const aud = typeof claims.aud === 'string' ? claims.aud.replace(/\/+$/, '').toLowerCase() : '';
    let publicOrigin = '';
    try {
      publicOrigin = new URL(ctx.serviceUrl()).origin.toLowerCase();
    } catch {}
    if (![STORAGE_RESOURCE, `https://${account}.blob.core.windows.net`, publicOrigin].includes(aud))
      return 'Audience validation failed. Audience did not match.';
    if (String(claims.tid ?? '').toLowerCase() !== ctx.identity.tenantId)
      return 'Issuer validation failed. Issuer did not match.';
    return undefined;
  }

  function blobHeaders(res: Response, b: AppendBlob): void {
    common(res);
    res.set('Last-Modified', rfc1123(b.modified));
    res.set('x-ms-creation-time', rfc1123(b.created));
    res.set('ETag', etagOf(b));
    res.set('Content-Type', 'application/octet-stream');
    res.set('x-ms-blob-type', 'AppendBlob');
    res.set('x-ms-blob-committed-block-count', String(b.blocks));
    res.set('x-ms-lease-status', 'unlocked');
    res.set('x-ms-lease-state', 'available');
    res.set('x-ms-server-encrypted', 'true');
    res.set('Accept-Ranges', 'bytes');
  }

  function getBlob(req: Request, res: Response, b: AppendBlob, head: boolean, truncate: boolean) {
    const rangeHeader = req.get('x-ms-range') ?? req.get('range');
    let start = 0;
    let end = b.length - 1;
    let partial = false;
    if (rangeHeader && !head) {
      const m = /^bytes=(\d+)-(\d*)$/.exec(rangeHeader.trim());
      if (!m)
        return storageError(
          res,
          400,
          'InvalidHeaderValue',
          'The value for one of the HTTP headers is not in the correct format.',
        );
      start = Number(m[1]);
      end = m[2] === '' ? b.length - 1 : Math.min(Number(m[2]), b.length - 1);
      if (start >= b.length || end < start) {
        res.set('Content-Range', `bytes */${b.length}`);
        return storageError(
          res,
          416,
          'InvalidRange',
          'The range specified is invalid for the current size of the resource.',
        );
      }
      partial = true;
    }
    blobHeaders(res, b);
    if (head) {
      res.set('Content-Length', String(b.length));
      res.status(200).end();
      return;
    }
    const length = end - start + 1;
    res.set('Content-Length', String(length));
    if (partial) res.set('Content-Range', `bytes ${start}-${end}/${b.length}`);
    res.status(partial ? 206 : 200);
    if (truncate) {
      ctx.ledger.failedFetch();
      void ctx.store.readBuffer(b, start, start + Math.floor(length / 2) - 1).then(
        (half) => res.write(half, () => res.socket?.destroy()),
        () => res.socket?.destroy(),
      );
      return;
    }
    res.on('finish', () => ctx.ledger.storageRead(b, start, end));
    // a failed read or a client gone away ends both streams (and closes the spill file)
    pipeline(ctx.store.read(b, start, end), res, (err) => {
      if (err) res.socket?.destroy();
    });
  }

  function listContainers(req: Request, res: Response): void {
    const prefix = qs(req, 'prefix') ?? '';
    const names = [...ctx.store.containers.keys()].filter((n) => n.startsWith(prefix)).sort();
    common(res);
    res.type('application/xml');
    let xml = `\uFEFF<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${xmlEscape(ctx.serviceUrl())}/">`;
    if (prefix) xml += `<Prefix>${xmlEscape(prefix)}</Prefix>`;
    xml += '<Containers>';
    for (const n of names) {
      const c = ctx.store.containers.get(n);
      xml += `<Container><Name>${xmlEscape(n)}</Name><Properties><Last-Modified>${rfc1123(c?.created ?? 0)}</Last-Modified><Etag>"0x8DC000000000001"</Etag><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><DefaultEncryptionScope>$account-encryption-key</DefaultEncryptionScope><DenyEncryptionScopeOverride>false</DenyEncryptionScopeOverride><HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold></Properties></Container>`;
    }
    xml += '</Containers><NextMarker /></EnumerationResults>';
    res.status(200).send(xml);
  }

  function listBlobs(req: Request, res: Response, container: string, blobs: Map<string, AppendBlob>) {
    const prefix = qs(req, 'prefix') ?? '';
    const delimiter = qs(req, 'delimiter') ?? '';
    const markerRaw = qs(req, 'marker') ?? '';
    const maxRaw = qs(req, 'maxresults');
    let max = 5000;
    if (maxRaw !== undefined) {
      max = Number(maxRaw);
      if (!Number.isInteger(max) || max < 1)
        return storageError(
          res,
          400,
          'OutOfRangeQueryParameterValue',
          'One of the query parameters specified in the request URI is outside the permissible range.',
        );
      max = Math.min(max, 5000);
    }
    let after = '';
    if (markerRaw) {
      after = Buffer.from(markerRaw, 'base64url').toString('utf8');
      if (!after.startsWith('!'))
        return storageError(
          res,
          400,
          'InvalidQueryParameterValue',
          'Value for one of the query parameters specified in the request URI is invalid.',
        );
      after = after.slice(1);
    }
    const names = [...blobs.keys()].filter((n) => n.startsWith(prefix)).sort();
    const entries: { kind: 'blob' | 'prefix'; name: string }[] = [];
    const seenPrefix = new Set<string>();
    for (const n of names) {
      if (delimiter) {
        const i = n.indexOf(delimiter, prefix.length);
        if (i >= 0) {
          const p = n.slice(0, i + delimiter.length);
          if (!seenPrefix.has(p)) {
            seenPrefix.add(p);
            entries.push({ kind: 'prefix', name: p });
          }
          continue;
        }
      }
      entries.push({ kind: 'blob', name: n });
    }
    const startIdx = after ? entries.findIndex((e) => e.name > after) : 0;
    const slice = startIdx < 0 ? [] : entries.slice(startIdx, startIdx + max);
    const more = startIdx >= 0 && startIdx + max < entries.length;
    common(res);
    res.type('application/xml');
    let xml = `\uFEFF<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${xmlEscape(ctx.serviceUrl())}/" ContainerName="${xmlEscape(container)}">`;
    if (prefix) xml += `<Prefix>${xmlEscape(prefix)}</Prefix>`;
    if (markerRaw) xml += `<Marker>${xmlEscape(markerRaw)}</Marker>`;
    if (maxRaw !== undefined) xml += `<MaxResults>${max}</MaxResults>`;
    if (delimiter) xml += `<Delimiter>${xmlEscape(delimiter)}</Delimiter>`;
    xml += '<Blobs>';
    for (const e of slice) {
      if (e.kind === 'prefix') {
        xml += `<BlobPrefix><Name>${xmlEscape(e.name)}</Name></BlobPrefix>`;
        continue;
      }
      const b = blobs.get(e.name) as AppendBlob;
      xml += `<Blob><Name>${xmlEscape(b.name)}</Name><Properties><Creation-Time>${rfc1123(b.created)}</Creation-Time><Last-Modified>${rfc1123(b.modified)}</Last-Modified><Etag>${etagOf(b)}</Etag><Content-Length>${b.length}</Content-Length><Content-Type>application/octet-stream</Content-Type><Content-Encoding /><Content-Language /><Content-CRC64 /><Content-MD5 /><Cache-Control /><Content-Disposition /><BlobType>AppendBlob</BlobType><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties><OrMetadata /></Blob>`;
    }
    xml += '</Blobs>';
    const last = slice[slice.length - 1];
    xml +=
      more && last
        ? `<NextMarker>${Buffer.from(`!${last.name}`, 'utf8').toString('base64url')}</NextMarker>`
        : '<NextMarker />';
    xml += '</EnumerationResults>';
    res.status(200).send(xml);
  }

  return r;
}
