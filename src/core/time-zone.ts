/**
 * IANA time zones through the runtime's Intl data (no dependency): whether a name is one, a zone's
 * offset at an instant, and a wall-clock time in a zone to epoch ms. Shared by the scenario loader
 * (`tenant.timezone`) and the alert importers (`--timezone`).
 */

/** Whether `tz` is an IANA time zone name this runtime knows (or UTC). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at instant `t` (ms; New York in winter: -5 h). */
export function zoneOffsetMs(t: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const local = Date.UTC(p.year as number, (p.month as number) - 1, p.day, p.hour, p.minute, p.second);
  return local - Math.floor(t / 1000) * 1000;
}

/**
 * A wall-clock time in `timeZone` → epoch ms. In a repeated hour (autumn) the earlier instant is
 * taken; a skipped hour (spring) is moved forward by the gap, as clocks are.
 */
export function zonedToEpoch(wall: number, timeZone: string): number {
  const first = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(first, timeZone);
  if (second === first) return first;
  // the offset changed between the two guesses: pick the candidate whose local time is `wall`
  const candidates = [first, second].filter((t) => t + zoneOffsetMs(t, timeZone) === wall).sort((a, b) => a - b);
  return candidates[0] ?? Math.max(first, second);
}
