/**
 * The truth side of a dataset read for scoring, streamed: labels.jsonl and delivery.jsonl pass one
 * line at a time (the replay's LineReader) through the line parsers of src/scoring, into a
 * ScoringSubset that keeps what the alerts cite and the campaigns' records, never the dataset.
 * `run` reads them so after the replay, and `score` for an alerts file.
 */
import type { Diagnostic } from '../../src/core/errors.js';
import { type LineResult, parseDeliveryLine, parseLabelLine, type ScoringSubset } from '../../src/scoring/index.js';
import { LineReader } from '../replay/line-reader.js';

export type LineParser<T> = (line: string, file: string, lineNo: number) => LineResult<T>;

export interface StreamJsonlOptions<T> {
  path: string;
  parse: LineParser<T>;
  onItem(item: T): void;
  /** a line that is not an item (with its file and line); may throw to stop at the first */
  onProblem(d: Diagnostic): void;
  /** the error to throw when the file cannot be opened or read */
  readError(e: NodeJS.ErrnoException): Error;
}

/** Every line of a JSONL file, in order, through `parse`; blank lines are skipped. */
export function streamJsonl<T>(o: StreamJsonlOptions<T>): void {
  let reader: LineReader;
  try {
    reader = new LineReader(o.path);
  } catch (e) {
    throw o.readError(e as NodeJS.ErrnoException);
  }
  try {
    for (;;) {
      let line: ReturnType<LineReader['next']>;
      try {
        line = reader.next();
      } catch (e) {
        throw o.readError(e as NodeJS.ErrnoException);
      }
      if (!line) return;
      const r = o.parse(line.bytes.toString('utf8'), o.path, line.lineNo);
      if (r === null) continue;
      if (r.ok) o.onItem(r.item);
      else o.onProblem(r.problem);
    }
  } finally {
    reader.close();
  }
}

export interface ScoringFiles {
  /** labels.jsonl, when there is one */
  labels: string | null;
  /** delivery.jsonl, when there is one */
  delivery: string | null;
  onProblem(d: Diagnostic, file: 'labels' | 'delivery'): void;
  readError(e: NodeJS.ErrnoException, path: string, file: 'labels' | 'delivery'): Error;
  /** read only what the subset needs (labels and schedule already checked, as `run` does before the replay) */
  onlyIfNeeded?: boolean;
}

/** Feed labels.jsonl, then delivery.jsonl, to `subset`. */
export function feedScoringSubset(subset: ScoringSubset, f: ScoringFiles): void {
  const { labels, delivery } = f;
  if (labels !== null && (!f.onlyIfNeeded || subset.needsLabels())) {
    streamJsonl({
      path: labels,
      parse: parseLabelLine,
      onItem: (l) => subset.addLabel(l),
      onProblem: (d) => f.onProblem(d, 'labels'),
      readError: (e) => f.readError(e, labels, 'labels'),
    });
  }
  if (delivery !== null && (!f.onlyIfNeeded || subset.needsDelivery())) {
    streamJsonl({
      path: delivery,
      parse: parseDeliveryLine,
      onItem: (d) => subset.addDelivery(d),
      onProblem: (d) => f.onProblem(d, 'delivery'),
      readError: (e) => f.readError(e, delivery, 'delivery'),
    });
  }
}
