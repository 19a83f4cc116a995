/**
 * Streaming JSONL file writer: lines are encoded (UTF-8) straight into one reusable buffer, which
 * is hashed (sha256) and written when full. No string concatenation and no buffer per batch: both
 * cost more than the encoding itself, mostly in garbage collection.
 *
 * With `gzip`, each full buffer is written as one gzip member at the fastest level, its sizes in
 * the header (the block format harness/replay/line-reader.ts reads);
 * the sha256 and `bytes` are always those of the uncompressed lines, `stored` what is on disk.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { BLOCK_HEADER_BYTES, BLOCK_TRAILER_BYTES, blockHeader } from '../replay/line-reader.js';

/** Size of the reusable output buffer (one write per this many bytes). */
export const BATCH_BYTES = 1024 * 1024;

export class JsonlWriter {
  private readonly buf: Buffer;
  private pos = 0;
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;
  /** bytes on disk (the compressed size with `gzip`) */
  stored = 0;
  lines = 0;
  private readonly trailer = Buffer.alloc(BLOCK_TRAILER_BYTES);

  constructor(
    readonly path: string,
    batchBytes = BATCH_BYTES,
    private readonly gzip = false,
  ) {
    this.fd = openSync(path, 'w');
    this.buf = Buffer.allocUnsafe(Math.max(16, batchBytes));
  }

  line(s: string): void {
    this.put(s);
    if (this.pos === this.buf.length) this.flush();
    this.buf[this.pos++] = 0x0a;
    this.lines++;
  }

  /** copy `lines` lines already encoded (each ending in a newline): src[start, end) */
  copy(src: Buffer, start: number, end: number, lines: number): void {
    const n = end - start;
    if (this.pos + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) {
        this.emit(src.subarray(start, end));
        this.lines += lines;
        return;
      }
    }
    src.copy(this.buf, this.pos, start, end);
    this.pos += n;
    this.lines += lines;
  }

  /** write raw text (a whole JSON document) */
  text(s: string): void {
    this.put(s);
  }

  private put(s: string): void {
    // a UTF-16 code unit never takes more than 3 bytes in UTF-8 (a surrogate pair: 4 for 2 units)
    if (this.pos + 3 * s.length > this.buf.length) {
      this.flush();
      if (3 * s.length > this.buf.length) {
        this.emit(Buffer.from(s, 'utf8'));
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos);
  }

  private emit(b: Uint8Array): void {
    if (!b.length) return;
    this.hash.update(b);
    this.bytes += b.length;
    if (!this.gzip) {
      this.write(b);
      return;
    }
    this.member(b);
  }

  /** `b` as one gzip member */
  private member(b: Uint8Array): void {
    const body = deflateRawSync(b, { level: constants.Z_BEST_SPEED });
    this.write(blockHeader(BLOCK_HEADER_BYTES + body.length + BLOCK_TRAILER_BYTES, b.length));
    this.write(body);
    this.trailer.writeUInt32LE(crc32(b), 0);
    this.trailer.writeUInt32LE(b.length % 2 ** 32, 4);
    this.write(this.trailer);
  }

  private write(b: Uint8Array): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
    this.stored += b.length;
  }

  private flush(): void {
    if (!this.pos) return;
    this.emit(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  close(): { sha256: string; bytes: number } {
    this.flush();
    // an empty file is one empty member: a gzip tool reads it as empty, not as cut short
    if (this.gzip && this.stored === 0) this.member(new Uint8Array(0));
    closeSync(this.fd);
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}
