/**
 * The replay's simulated clock (DESIGN.md "Time"). Modes: `realtime` (1×), a speed factor,
 * `max` (as fast as the pipeline goes) and `lockstep` (the bench moves simulated time in ticks).
 *
 * End-anchored: the replay's last simulated instant lands on the wall clock's end of the replay,
 * and every record is dated by one constant shift (whole seconds) no later than that, so no record
 * is ever dated after the real now. `contentCreated` is always wall time.
 */
import { type EpochMs, wallNow } from '../../src/core/clock.js';
import { userError } from '../../src/core/errors.js';

export type SpeedMode =
  | { kind: 'realtime' }
  | { kind: 'factor'; factor: number }
  | { kind: 'max' }
  | { kind: 'lockstep' };

export function parseSpeed(input: string | number | undefined): SpeedMode {
  if (input === undefined || input === '') return { kind: 'max' };
  if (typeof input === 'number') return speedFactor(input, String(input));
  const s = input.trim().toLowerCase();
  if (s === 'realtime' || s === 'real-time') return { kind: 'realtime' };
  if (s === 'max') return { kind: 'max' };
  if (s === 'lockstep') return { kind: 'lockstep' };
  const m = /^(\d+(?:\.\d+)?)x?$/.exec(s);
  if (!m) {
    throw userError(
      'E_SPEED',
      `invalid speed "${input}"`,
      'use realtime, a factor such as 60 (or 60x), max or lockstep',
    );
  }
  return speedFactor(Number(m[1]), input);
}

function speedFactor(n: number, raw: string): SpeedMode {
  if (!Number.isFinite(n) || n <= 0) throw userError('E_SPEED', `invalid speed "${raw}"`, 'a speed factor must be > 0');
  return n === 1 ? { kind: 'realtime' } : { kind: 'factor', factor: n };
}

/** What ENUMBENCH_SPEED says: "1" for realtime, the factor, "max" or "lockstep". */
export function speedLabel(m: SpeedMode): string {
  switch (m.kind) {
    case 'realtime':
      return '1';
    case 'factor':
      return String(m.factor);
    default:
      return m.kind;
  }
}

export interface ClockSnapshot {
  mode: SpeedMode['kind'];
  speed: string;
  /** the simulated now, as the records are dated (shifted) — ISO */
  now: string;
  nowMs: EpochMs;
  /** the wall clock now (ISO) */
  wallNow: string;
  /** simulated start and end of the replay, as dated (shifted) */
  start: string;
  end: string;
  /** the constant shift applied to every timestamp inside the records (ms) */
  shiftMs: number;
  /** when the replay is expected to finish (wall, ISO); null for max and lockstep */
  wallEnd: string | null;
  done: boolean;
}

export class ReplayClock {
  readonly mode: SpeedMode;
  readonly simStart: EpochMs;
  readonly simEnd: EpochMs;
  readonly wallStart: EpochMs;
  readonly wallEnd: EpochMs;
  /** added to every record timestamp */
  readonly shift: number;
  private cursor: EpochMs;
  done = false;

  constructor(mode: SpeedMode, simStart: EpochMs, simEnd: EpochMs, wallStart: EpochMs = wallNow()) {
    this.mode = mode;
    this.simStart = simStart;
    this.simEnd = Math.max(simEnd, simStart);
    this.wallStart = wallStart;
    const f = this.factor();
    this.wallEnd = f === Number.POSITIVE_INFINITY ? wallStart : wallStart + (this.simEnd - simStart) / f;
    this.shift = Math.floor((this.wallEnd - this.simEnd) / 1000) * 1000;
    this.cursor = simStart;
  }

  /** simulated ms per wall ms; Infinity for max and lockstep */
  factor(): number {
    switch (this.mode.kind) {
      case 'realtime':
        return 1;
      case 'factor':
        return this.mode.factor;
      default:
        return Number.POSITIVE_INFINITY;
    }
  }

  get paced(): boolean {
    return this.mode.kind === 'realtime' || this.mode.kind === 'factor';
  }

  /** the simulated now (unshifted, the dataset's own time) */
  simNow(): EpochMs {
    if (!this.paced) return this.cursor;
    const t = this.simEnd - (this.wallEnd - wallNow()) * this.factor();
    return Math.min(this.simEnd, Math.max(this.simStart, t));
  }

  /** the wall time at which simulated instant `sim` is reached (paced modes) */
  wallAt(sim: EpochMs): EpochMs {
    if (!this.paced) return this.wallStart;
    return this.wallEnd - (this.simEnd - sim) / this.factor();
  }

  /** max and lockstep: the replay moves the cursor as it publishes */
  setCursor(sim: EpochMs): void {
    if (sim > this.cursor) this.cursor = Math.min(sim, this.simEnd);
  }

  snapshot(): ClockSnapshot {
    const now = this.simNow() + this.shift;
    return {
      mode: this.mode.kind,
      speed: speedLabel(this.mode),
      now: new Date(now).toISOString(),
      nowMs: now,
      wallNow: new Date(wallNow()).toISOString(),
      start: new Date(this.simStart + this.shift).toISOString(),
      end: new Date(this.simEnd + this.shift).toISOString(),
      shiftMs: this.shift,
      wallEnd: this.paced ? new Date(this.wallEnd).toISOString() : null,
      done: this.done,
    };
  }
}
