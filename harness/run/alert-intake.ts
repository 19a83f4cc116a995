/**
 * Alert intake for detectors that are separate programs (CONTRACTS.md §4): alerts arrive as HTTP
 * POST bodies to ENUMBENCH_ALERTS_URL (one JSON object, an array of them, or JSON lines) and as
 * JSON lines on the detector's stdout. Every alert is checked (src/core/alert-check.ts) and stamped
 * with the simulated time of its arrival, read from the mock's clock — never the time the detector
 * reports about itself. A malformed alert is counted and kept with its position (the first ones;
 * memory stays bounded), never dropped silently; past `maxAlerts` the detector is flooding: the
 * alerts beyond are counted, not kept, and the run reports the flood.
 */
import { checkAlert } from '../../src/core/alert-check.js';
import type { ReceivedAlert } from '../../src/core/alerts.js';
import type { EpochMs } from '../../src/core/clock.js';
import type { MalformedEmit } from './in-process-lockstep.js';

export const DEFAULT_MAX_EXTERNAL_ALERTS = 100_000;
/** malformed alerts kept with their problems (the rest are counted) */
export const MALFORMED_KEPT = 100;

export interface AlertIntakeOptions {
  /** the simulated now (the dataset's own time, unshifted) */
  now: () => EpochMs;
  /** a detector sending more alerts than this is flooding (default 100 000) */
  maxAlerts?: number;
  /** called once, when the detector starts flooding */
  onFlood?: () => void;
}

export interface IntakeAnswer {
  accepted: number;
  malformed: { index: number; problems: string[] }[];
}

export class AlertIntake {
  readonly alerts: ReceivedAlert[] = [];
  readonly malformed: MalformedEmit[] = [];
  /** every malformed item, kept or not */
  malformedCount = 0;
  /** alerts received past the flood limit (counted, not kept) */
  dropped = 0;
  flooded = false;
  private ordinal = 0;
  private readonly max: number;

  constructor(private readonly o: AlertIntakeOptions) {
    this.max = o.maxAlerts ?? DEFAULT_MAX_EXTERNAL_ALERTS;
  }

  /** everything received, well-formed or not */
  get received(): number {
    return this.ordinal;
  }

  private bad(where: string, problems: string[]): void {
    this.malformedCount++;
    if (this.malformed.length < MALFORMED_KEPT)
      this.malformed.push({ ordinal: this.ordinal, at: this.o.now(), problems, where });
    this.ordinal++;
  }

  /** one parsed item; returns its problems, or null when accepted */
  take(raw: unknown, where: string): string[] | null {
    const c = checkAlert(raw);
    if (!c.ok) {
      this.bad(where, c.problems);
      return c.problems;
    }
    this.ordinal++;
    if (this.alerts.length >= this.max) {
      this.dropped++;
      if (!this.flooded) {
        this.flooded = true;
        this.o.onFlood?.();
      }
      return null;
    }
    this.alerts.push({ alert: c.alert, arrivedAt: this.o.now(), seq: this.alerts.length, stamp: 'bench' });
    return null;
  }

  /** one line of text (stdout, or a JSON-lines body): blank lines are skipped */
  line(text: string, where: string): string[] | null {
    const t = text.trim();
    if (t === '') return null;
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (e) {
      const problems = [`not JSON (${(e as Error).message}): ${t.length > 80 ? `${t.slice(0, 80)}…` : t}`];
      this.bad(where, problems);
      return problems;
    }
    return this.take(v, where);
  }

  /** an HTTP body: one object, an array of objects, or JSON lines */
  body(text: string, where: string): IntakeAnswer {
    const answer: IntakeAnswer = { accepted: 0, malformed: [] };
    const note = (index: number, p: string[] | null) => {
      if (p) answer.malformed.push({ index, problems: p });
      else answer.accepted++;
    };
    let whole: unknown;
    let parsed = false;
    try {
      whole = JSON.parse(text);
      parsed = true;
    } catch {
      // JSON lines, or garbage: line by line
    }
    if (parsed && Array.isArray(whole)) {
      whole.forEach((item, i) => {
        note(i, this.take(item, `${where} item ${i}`));
      });
    } else if (parsed) {
      note(0, this.take(whole, where));
    } else {
      let i = 0;
      for (const [n, l] of text.split('\n').entries()) {
        if (l.trim() === '') continue;
        note(i++, this.line(l, `${where} line ${n + 1}`));
      }
    }
    return answer;
  }
}
