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

/**
 * An Exchange audit record id: time-ordered GUIDs whose last group starts 08dc
 * (samples/ual-1.jsonl: c67fa231-ad97-4b7f-65e0-08dc4145b5c6).
 */
export function exchangeRecordId(rng: Rng): string {
  const h = rng.hex(24);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-${h.slice(15, 19)}-08dc${rng.hex(8)}`;
}

/** A token `uti` / SignInActivityId: 22 base64url characters (telemetry.md §1a). */
export function uti(rng: Rng): string {
  return rng.base64url(22);
}

/** Exchange's ClientIP: "ip:port" or "[v6]:port" (samples/ual-1.jsonl). */
export function withPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
