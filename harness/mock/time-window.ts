/**
 * startTime / endTime of /subscriptions/content and /notifications (reference: "List available
 * content"). Formats YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS, UTC; real clients also send
 * milliseconds and a trailing Z (management-activity-api.md §2), so both are accepted. Both or
 * neither; start < end; at most 24 h apart; start no more than 7 days in the past (with a one-hour
 * grace, as Filebeat observed). Omitted: the last 24 hours.
 */
import { DAY, type EpochMs, HOUR } from '../../src/core/clock.js';

/** how far back a listing may start: 7 days, plus the hour of grace */
export const OLDEST_START_MS = 7 * DAY + HOUR;

const FORMAT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|z|\+00:00)?$/;

export function parseApiTime(s: string): EpochMs | undefined {
  const m = FORMAT.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac] = m;
  const Y = Number(y);
  const M = Number(mo);
  const D = Number(d);
  const H = h === undefined ? 0 : Number(h);
  const MI = mi === undefined ? 0 : Number(mi);
  const S = sec === undefined ? 0 : Number(sec);
  if (M < 1 || M > 12 || D < 1 || D > 31 || H > 23 || MI > 59 || S > 59) return undefined;
  const t = Date.UTC(Y, M - 1, D, H, MI, S, frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000));
  const back = new Date(t);
  if (back.getUTCDate() !== D || back.getUTCMonth() !== M - 1) return undefined; // 2026-02-31
  return t;
}

export type WindowResult =
  | { ok: true; start: EpochMs; end: EpochMs; given: boolean; startRaw: string; endRaw: string }
  | { ok: false; error: 'window' | 'format'; param?: string };

export function resolveWindow(startRaw: string | undefined, endRaw: string | undefined, now: EpochMs): WindowResult {
  const hasS = startRaw !== undefined && startRaw !== '';
  const hasE = endRaw !== undefined && endRaw !== '';
  if (!hasS && !hasE) {
    const start = now - DAY;
    return {
      ok: true,
      start,
      end: now,
      given: false,
      startRaw: new Date(start).toISOString(),
      endRaw: new Date(now).toISOString(),
    };
  }
  if (hasS !== hasE) return { ok: false, error: 'window' };
  const start = parseApiTime(startRaw as string);
  if (start === undefined) return { ok: false, error: 'format', param: 'startTime' };
  const end = parseApiTime(endRaw as string);
  if (end === undefined) return { ok: false, error: 'format', param: 'endTime' };
  if (start >= end || end - start > DAY || start < now - OLDEST_START_MS) return { ok: false, error: 'window' };
  return { ok: true, start, end, given: true, startRaw: startRaw as string, endRaw: endRaw as string };
}
