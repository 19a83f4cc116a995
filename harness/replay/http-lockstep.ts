/**
 * Lockstep over HTTP for a cooperating outside process (DESIGN.md "Time"): the bench moves
 * simulated time one tick at a time and waits for the detector to acknowledge each tick before
 * publishing the next, so latency results are identical run after run.
 *
 * Protocol: GET the state (`tick`, `now`, `done`); collect everything available; POST
 * `{"tick": N}` to acknowledge tick N; the replay then publishes up to the next tick.
 */
import type { EpochMs } from '../../src/core/clock.js';
import type { Replay } from './replay.js';

export interface LockstepState {
  tick: number;
  /** the simulated now, as records are dated (shifted), ISO */
  now: string;
  tickMs: number;
  /** records published by this tick */
  published: number;
  done: boolean;
}

export class LockstepDriver {
  private tick = 0;
  private sim: EpochMs;
  private lastPublished = 0;
  /** the tick whose state the detector has read (GET), or -1 before its first read */
  private readTick = -1;
  /** wall time of the first read of `readTick` */
  private readAtWall = 0;

  constructor(
    private readonly replay: Replay,
    readonly tickMs: number,
  ) {
    if (!(tickMs > 0)) throw new RangeError('lockstep tick must be > 0');
    this.sim = replay.clock.simStart;
  }

  /** publish the first tick */
  begin(): LockstepState {
    this.replay.start();
    this.lastPublished = this.replay.advanceTo(this.sim);
    return this.state();
  }

  state(): LockstepState {
    return {
      tick: this.tick,
      now: new Date(this.sim + this.replay.clock.shift).toISOString(),
      tickMs: this.tickMs,
      published: this.lastPublished,
      done: this.replay.clock.done,
    };
  }

  /** the detector read the state (its first read of a tick starts that tick's acknowledgement timer) */
  noteRead(wallMs: number): void {
    if (this.readTick === this.tick) return;
    this.readTick = this.tick;
    this.readAtWall = wallMs;
  }

  /** when the detector first read the current tick, or undefined while it has not read it yet */
  readAt(): number | undefined {
    return this.readTick === this.tick ? this.readAtWall : undefined;
  }

  /** acknowledge tick `n`: the next tick is published. A stale or future ack changes nothing. */
  ack(n: number): { accepted: boolean; state: LockstepState } {
    if (n !== this.tick || this.replay.clock.done) return { accepted: false, state: this.state() };
    this.tick++;
    this.sim = Math.min(this.sim + this.tickMs, this.replay.clock.simEnd);
    this.lastPublished = this.replay.advanceTo(this.sim);
    return { accepted: true, state: this.state() };
  }
}
