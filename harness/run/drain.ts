/**
 * The drain: after the replay has published its last record, the outside collector or detector is
 * given a period of wall time to finish — a poller on its own schedule lists once more and fetches
 * the last blob. `run` drains until its detector exits or the period passes; `serve
 * --exit-when-done` until everything published has been collected or the period passes. One loop
 * for both.
 */
import { wallNow } from '../../src/core/clock.js';

/** Long enough for a poller that lists every 5 minutes to list once more and fetch the last blob. */
export const DEFAULT_DRAIN_MS = 6 * 60_000;

export interface DrainOptions {
  /** wall ms the drain lasts at most */
  drainMs: number;
  /** whether the drain is over before its period */
  over(): boolean;
  /** wait up to `ms`; may resolve early when something happened (the default: a plain timer) */
  nap?(ms: number): Promise<void>;
  /** how often `over` is asked (wall ms; default 250) */
  everyMs?: number;
}

/** Waits until `over()` or the period has passed; says which. */
export async function drain(o: DrainOptions): Promise<'over' | 'period'> {
  const end = wallNow() + o.drainMs;
  const nap = o.nap ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (;;) {
    if (o.over()) return 'over';
    const left = end - wallNow();
    if (left <= 0) return 'period';
    await nap(Math.min(o.everyMs ?? 250, left));
  }
}

/** A sleep that something can cut short: `nap(ms)` waits `ms` or until `wake()` is called. */
export function wakeableNap(): { nap(ms: number): Promise<void>; wake(): void } {
  let wakeNow: () => void = () => {};
  return {
    nap: (ms: number) =>
      new Promise<void>((r) => {
        const timer = setTimeout(r, ms);
        wakeNow = () => {
          clearTimeout(timer);
          r();
        };
      }),
    wake: () => wakeNow(),
  };
}
