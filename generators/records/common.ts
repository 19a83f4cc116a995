/**
 * Formatting shared by the record builders: timestamps in each source's own form, identifiers in
 * each service's own shape, client IPs with or without ports. Hot path: no allocation beyond the
 * strings returned.
 */
import type { Rng } from '../../src/core/rng.js';

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const PAD3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const PAD4: readonly string[] = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));
const pad4 = (n: number) =>
  n >= 0 && n < 10_000 && Number.isInteger(n)
    ? (PAD4[n] as string)
    : n < 10
      ? `000${n}`
      : n < 100
        ? `00${n}`
        : n < 1000
          ? `0${n}`
          : String(n);

const MINUTE_MS = 60_000;
/**
 * "2026-11-02T14:05:" per minute, in a small direct-mapped cache: records are built in time order,
 * and a few minutes (the record's, its token's) are live at once.
 */
const MINUTE_SLOTS = 256;
const cachedMinute = new Float64Array(MINUTE_SLOTS).fill(Number.NaN);
const cachedMinutePrefix: string[] = new Array<string>(MINUTE_SLOTS).fill('');

function minutePrefix(minute: number): string {
  const slot = minute & (MINUTE_SLOTS - 1);
  if (cachedMinute[slot] === minute) return cachedMinutePrefix[slot] as string;
  const p = new Date(minute * MINUTE_MS).toISOString().slice(0, 17);
  cachedMinute[slot] = minute;
  cachedMinutePrefix[slot] = p;
  return p;
}

/**
 * "2026-11-02T14:05:33.123" + `tail` for an integer ms time: the cached minute prefix and one short
 * flat string (hot path: two pieces where a template would make eight).
 */
function isoMs(ms: number, tail: string): string {
  const minute = Math.floor(ms / MINUTE_MS);
  const rest = ms - minute * MINUTE_MS;
  const sec = Math.floor(rest / 1000);
  return minutePrefix(minute) + ((PAD2[sec] as string) + '.' + (PAD3[rest - sec * 1000] as string) + tail);
}

/**
 * A JSON string literal, as JSON.stringify writes it; the common case (nothing to escape) without
 * JSON.stringify, whose per-call overhead is several times the scan.
 */
export function jsonStr(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) {
      return JSON.stringify(s);
    }
  }
  return `"${s}"`;
}

/** "2026-11-02T14:05:33" — UAL CreationTime: UTC, no zone designator, no fraction (management-activity-api.md §8). */
export function ualTime(ms: number): string {
  const t = Math.floor(ms);
  const minute = Math.floor(t / MINUTE_MS);
  return minutePrefix(minute) + (PAD2[Math.floor((t - minute * MINUTE_MS) / 1000)] as string);
}

/** "2026-11-02T14:05:33.1234567Z" — diagnostic-settings `time` (7 fractional digits: ms + 4 tick digits). */
export function ticksTime(ms: number, ticks: number): string {
  return isoMs(Math.floor(ms), `${pad4(ticks)}Z`);
}

/** "2026-11-02T14:05:33.1234567+00:00" — sign-in `createdDateTime` (samples/signin-interactive-diag.jsonl). */
export function offsetTime(ms: number, ticks: number): string {
  return isoMs(Math.floor(ms), `${pad4(ticks)}+00:00`);
}

/** "2026-11-02T13:04:37.0000000Z" — a token `iat` (whole seconds) as Graph logs print TokenIssuedAt. */
export function iatTime(ms: number): string {
  return `${ualTime(ms)}.0000000Z`;
}

/**
 * An ESTS request id: a GUID whose last byte is 00, as Entra sign-in `id`s and UAL 15 `Id`s are
 * (samples/ual-15.jsonl: …a7a8b6847d0300, …3a0b78392300, …f7bbad192600).
 */
export function estsRequestId(rng: Rng): string {
  const u = rng.uuid();
  return `${u.slice(0, 34)}00`;
}

/** .NET ticks (100 ns since 0001-01-01) of the Unix epoch. */
export const EPOCH_TICKS = 621_355_968_000_000_000n;

/** .NET ticks of an epoch-ms instant plus `sub` extra ticks (0–9,999: below the millisecond). */
export function dotnetTicks(ms: number, sub: number): bigint {
  return EPOCH_TICKS + BigInt(Math.floor(ms)) * 10_000n + BigInt(sub);
}

/**
 * An Exchange audit record id. The first three groups are random (version 4); the last two are
 * the .NET ticks of the record's creation as one big-endian 64-bit number, its low 16 bits first:
 * `…-65e0-08dc4145b5c6` is 0x08dc4145b5c665e0 = 2024-03-10T21:04:43.8 (samples/ual-1.jsonl: all
 * five real ids decode to their CreationTime within the second).
 */
export function exchangeRecordId(rng: Rng, ms: number): string {
  const h = rng.hex(15);
  // CreationTime is printed to the second; the id keeps the sub-second part of the same instant
  const ticks = dotnetTicks(ms, rng.int(0, 9999)).toString(16).padStart(16, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-${ticks.slice(12)}-${ticks.slice(0, 12)}`;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const c64 = (i: number) => B64URL[i] as string;

/** base64url without padding of a byte array (small arrays: ids and paging cookies). */
export function base64url(bytes: ArrayLike<number>): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += c64(n >>> 18) + c64((n >>> 12) & 63) + c64((n >>> 6) & 63) + c64(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += c64(n >>> 18) + c64((n >>> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += c64(n >>> 18) + c64((n >>> 12) & 63) + c64((n >>> 6) & 63);
  }
  return out;
}

/** The 16 bytes of a GUID in .NET order (Guid.ToByteArray: the first three groups little-endian). */
export function guidBytes(guid: string): Uint8Array {
  const h = guid.replace(/-/g, '');
  const b = new Uint8Array(16);
  for (let k = 0; k < 16; k++) b[k] = Number.parseInt(h.slice(2 * k, 2 * k + 2), 16);
  const swap = (x: number, y: number) => {
    const t = b[x] as number;
    b[x] = b[y] as number;
    b[y] = t;
  };
  swap(0, 3);
  swap(1, 2);
  swap(4, 5);
  swap(6, 7);
  return b;
}

/**
 * The token id (`uti` claim; sign-in `uniqueTokenIdentifier`, Graph `signInActivityId`, Exchange
 * `AppAccessContext.UniqueTokenId`) of the token minted by the ESTS request `requestId`: the
 * base64url of the request id's 16 bytes in .NET order, 22 characters. Every real token id in the
 * references decodes to a version-4 GUID whose last byte is 00, as ESTS request ids end
 * (samples/ual-1.jsonl `LqVzINbCskC74Dl3tec2AA`, `MAvPl7EnRECtYhC4q6h_AA`; telemetry.md §1b
 * `OPD3UZnmTkud24wRw6ATAA`), and sign-in records of 2022 carried the base64 of the request id
 * itself (samples/SOURCES.md) [D].
 */
export function utiOf(requestId: string): string {
  return base64url(guidBytes(requestId));
}

/** A token id for a token whose sign-in no record shows (a first-party service's own token). */
export function uti(rng: Rng): string {
  return utiOf(estsRequestId(rng));
}

/** Directory object kinds whose collections page with a DirSync cookie (`$skiptoken=RFNwdAIAAQAAA…`). */
export type PagedObjectKind = 'User' | 'Group' | 'ServicePrincipal' | 'Application' | 'Device' | 'Contact';

const COOKIE_HEAD = [0x44, 0x53, 0x70, 0x74, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00]; // "DSpt" 2 0 1 0 0 0

/**
 * A Microsoft Graph `$skiptoken` for a directory collection: base64url, unpadded, of the DirSync
 * paging cookie "DSpt" 02 00 01 00 00 00, then length-prefixed keys of the last object of the
 * page, then zero bytes. Users are keyed by ":<userPrincipalName>" and "User_<id>" followed by
 * 0xB9; other objects by "<Kind>_<id>" twice. Decoded from published nextLinks of /users, /groups
 * and /applications (Microsoft Graph docs and SDK test fixtures, e.g. `RFNwdAIAAQAAACpHcm91cF9j…`,
 * `RFNwdAIAAQAAACM6QWRlbGVW…`).
 */
export function skipToken(kind: PagedObjectKind, id: string, upn?: string): string {
  const bytes = [...COOKIE_HEAD];
  const push = (s: string) => {
    bytes.push(s.length);
    for (let i = 0; i < s.length; i++) bytes.push(s.charCodeAt(i) & 0xff);
  };
  const key = `${kind}_${id}`;
  if (kind === 'User') {
    push(`:${upn ?? id}`);
    push(key);
    bytes.push(0xb9);
    for (let i = 0; i < 10; i++) bytes.push(0);
  } else {
    push(key);
    push(key);
    for (let i = 0; i < 11; i++) bytes.push(0);
  }
  return base64url(bytes);
}

/** The object kind a Graph collection URL pages over (members and owners are users), or null. */
export function pagedKindOf(uri: string): PagedObjectKind | null {
  const q = uri.indexOf('?');
  const path = q < 0 ? uri : uri.slice(0, q);
  const last = path.slice(path.lastIndexOf('/') + 1);
  switch (last) {
    case 'users':
    case 'members':
    case 'transitiveMembers':
    case 'owners':
    case 'registeredOwners':
    case 'registeredUsers':
      return 'User';
    case 'groups':
    case 'memberOf':
    case 'transitiveMemberOf':
      return 'Group';
    case 'servicePrincipals':
      return 'ServicePrincipal';
    case 'applications':
      return 'Application';
    case 'devices':
      return 'Device';
    case 'contacts':
    case 'orgContacts':
      return 'Contact';
    default:
      return null;
  }
}

/** What a paging token needs of the tenant: objects to name as the last one of a page (World fits). */
export interface PagingDirectory {
  domain: string;
  users: readonly { id: string; upn: string }[];
  groups: readonly { id: string }[];
  servicePrincipals: readonly { id: string }[];
}

/**
 * The `$skiptoken` of the next page of the Graph collection `uri`, as the service writes it into
 * `@odata.nextLink` whoever pages: the DirSync cookie of an object of the listed kind in this
 * tenant. Collections that are not directory objects get a user's cookie [U: their cookies were
 * not seen].
 */
export function skipTokenFor(rng: Rng, uri: string, dir: PagingDirectory): string {
  const kind = pagedKindOf(uri) ?? 'User';
  const any = <T>(xs: readonly T[]) => xs[rng.int(0, xs.length - 1)] as T;
  if (kind === 'User' && dir.users.length) {
    const u = any(dir.users);
    return skipToken('User', u.id, u.upn);
  }
  if (kind === 'Group' && dir.groups.length) return skipToken('Group', any(dir.groups).id);
  if (kind === 'ServicePrincipal' && dir.servicePrincipals.length) {
    return skipToken('ServicePrincipal', any(dir.servicePrincipals).id);
  }
  return skipToken(kind, rng.uuid(), `${rng.hex(8)}@${dir.domain}`);
}

/** A delta link's `$deltatoken` (mail folders, messages): opaque base64url of 64–160 random bytes. */
export function deltaToken(rng: Rng): string {
  const n = rng.int(64, 160);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(0, 255);
  return base64url(b);
}

/** Exchange's ClientIP: "ip:port" or "[v6]:port" (samples/ual-1.jsonl). */
export function withPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
