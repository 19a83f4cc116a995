/**
 * Reads a JSONL file line by line in large chunks, synchronously, without holding more than a
 * chunk and one line: the replay streams datasets of any size through it, and mergeShards and the
 * Log Analytics export read dataset files with it. Each line comes with its byte offset, so it can
 * be read again later (RangeReader) instead of being kept. Blank lines are skipped and a `\r`
 * before the newline is dropped.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface Line {
  /** 1-based line number in the file */
  lineNo: number;
  /** byte offset and length of the line (without its \n or \r\n) */
  offset: number;
  length: number;
  /** the line's bytes: a view valid until the next call to next() */
  bytes: Buffer;
}

const CHUNK = 1 << 20;

export class LineReader {
  private readonly fd: number;
  private buf: Buffer = Buffer.alloc(0);
  /** file offset of buf[0] */
  private bufStart = 0;
  /** position in buf of the next unread byte */
  private pos = 0;
  private filePos = 0;
  private eof = false;
  private closed = false;
  private lineNo = 0;

  constructor(
    readonly path: string,
    private readonly chunk = CHUNK,
  ) {
    this.fd = openSync(path, 'r');
  }

  /** the next line that is not blank, as text, or undefined at the end of the file */
  nextText(): string | undefined {
    return this.next()?.bytes.toString('utf8');
  }

  /** the next line that is not blank, or undefined at the end of the file */
  next(): Line | undefined {
    for (;;) {
      const line = this.nextRaw();
      if (!line) return undefined;
      if (!isBlank(line.bytes)) return line;
    }
  }

  private nextRaw(): Line | undefined {
    if (this.closed) return undefined;
    for (;;) {
      const nl = this.buf.indexOf(10, this.pos);
      if (nl >= 0 || this.eof) {
        const end = nl >= 0 ? nl : this.buf.length;
        if (nl < 0 && end === this.pos) return undefined;
        let stop = end;
        if (stop > this.pos && this.buf[stop - 1] === 13) stop--;
        const line: Line = {
          lineNo: ++this.lineNo,
          offset: this.bufStart + this.pos,
          length: stop - this.pos,
          bytes: this.buf.subarray(this.pos, stop),
        };
        this.pos = nl >= 0 ? nl + 1 : end;
        return line;
      }
      this.fill();
    }
  }

  private fill(): void {
    const rest = this.buf.length - this.pos;
    const next = Buffer.allocUnsafe(Math.max(this.chunk, rest * 2));
    this.buf.copy(next, 0, this.pos);
    const n = readSync(this.fd, next, rest, next.length - rest, this.filePos);
    this.filePos += n;
    if (n === 0) this.eof = true;
    this.bufStart += this.pos;
    this.buf = next.subarray(0, rest + n);
    this.pos = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** Reads byte ranges of an open file again, through one growing scratch buffer. */
export class RangeReader {
  private scratch = Buffer.alloc(64 * 1024);
  private readonly fd: number;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  text(offset: number, length: number): string {
    if (this.closed) throw new Error(`${this.path}: read after close`);
    if (length > this.scratch.length) this.scratch = Buffer.alloc(Math.max(length, this.scratch.length * 2));
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, this.scratch, got, length - got, offset + got);
      if (n === 0) throw new Error(`${this.path}: unexpected end of file at ${offset + got}`);
      got += n;
    }
    return this.scratch.toString('utf8', 0, length);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
