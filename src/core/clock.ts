/**
 * The simulated clock. Time inside enumbench is a number of milliseconds since the Unix epoch
 * (UTC). Event time, availability time and wall time are three different clocks (DESIGN.md "Time");
 * this module holds the simulated one and the only sanctioned read of the wall clock.
 */

export type EpochMs = number;

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A clock whose "now" is moved only by its owner: generators and lockstep replays use it. */
export class SimClock {
  private current: EpochMs;

  constructor(start: EpochMs) {
    this.current = start;
  }

  now(): EpochMs {
    return this.current;
  }

  /** move forward by `ms` (never backwards) */
  advance(ms: number): EpochMs {
    if (ms < 0) throw new RangeError('SimClock.advance: negative step');
    this.current += ms;
    return this.current;
  }

  /** move to `t` if it is later than now */
  advanceTo(t: EpochMs): EpochMs {
    if (t > this.current) this.current = t;
    return this.current;
  }
}

/**
 * Maps wall time to simulated time for a replay at `speed` (1 = real time), anchored so that
 * `simAnchor` corresponds to `wallAnchor`.
 */
export class ScaledClock {
  constructor(
    readonly simAnchor: EpochMs,
    readonly wallAnchor: EpochMs,
    readonly speed: number,
  ) {}

  simAt(wall: EpochMs): EpochMs {
    return this.simAnchor + (wall - this.wallAnchor) * this.speed;
  }

  wallAt(sim: EpochMs): EpochMs {
    return this.wallAnchor + (sim - this.simAnchor) / this.speed;
  }
}

/** The one sanctioned read of the machine's clock: only for wall-time stamps (alert arrival, replay anchors). */
export function wallNow(): EpochMs {
  return Date.now();
}
