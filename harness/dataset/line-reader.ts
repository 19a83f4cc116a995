/**
 * Reads a JSONL file line by line with bounded memory: one chunk buffer (grown only for a line
 * longer than it), synchronous reads. The counterpart of JsonlWriter for tools that stream
 * datasets (mergeShards).
 */
import { closeSync, openSync, readSync } from 'node:fs';

export const READ_CHUNK = 1024 * 1024;

export class LineReader {
  private readonly fd: number;
  private buf: Buffer;
  private start = 0;
  private end = 0;
  private eof = false;
  private closed = false;

  constructor(
    readonly path: string,
    chunk = READ_CHUNK,
  ) {
    this.fd = openSync(path, 'r');
    this.buf = Buffer.allocUnsafe(Math.max(1, chunk));
  }

  /** The next line without its newline, or undefined at the end (a last line without a newline counts). */
  next(): string | undefined {
    for (;;) {
      const nl = this.buf.indexOf(0x0a, this.start);
      if (nl !== -1 && nl < this.end) {
        const line = this.buf.toString('utf8', this.start, nl);
        this.start = nl + 1;
        return line;
      }
      if (this.eof) {
        if (this.start < this.end) {
          const line = this.buf.toString('utf8', this.start, this.end);
          this.start = this.end;
          return line;
        }
        this.close();
        return undefined;
      }
      this.fill();
    }
  }

  private fill(): void {
    // keep the unfinished line, at the front; grow if it fills the buffer
    const rest = this.end - this.start;
    if (rest === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, this.start, this.end);
      this.buf = bigger;
    } else if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
    }
    this.start = 0;
    this.end = rest;
    const n = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
    if (n === 0) this.eof = true;
    this.end += n;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
