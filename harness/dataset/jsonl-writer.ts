/**
 * Streaming JSONL file writer: lines accumulate in a string and leave in ~64 KiB batches
 * (tiny writes are many times slower), hashed (sha256) as they are written.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

export const BATCH_BYTES = 64 * 1024;

export class JsonlWriter {
  private buf = '';
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;
  lines = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  line(s: string): void {
    this.buf += `${s}\n`;
    this.lines++;
    if (this.buf.length >= BATCH_BYTES) this.flush();
  }

  /** write raw text (a whole JSON document) */
  text(s: string): void {
    this.buf += s;
    if (this.buf.length >= BATCH_BYTES) this.flush();
  }

  private flush(): void {
    if (!this.buf) return;
    const b = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    this.hash.update(b);
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
    this.bytes += b.length;
  }

  close(): { sha256: string; bytes: number } {
    this.flush();
    closeSync(this.fd);
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}
