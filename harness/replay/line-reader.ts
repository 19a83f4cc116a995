/**
 * Reads a JSONL file line by line in large chunks, synchronously, without holding more than a
 * chunk and one line: the replay streams datasets of any size through it, and mergeShards and the
 * Log Analytics export read dataset files with it. Each line comes with its byte offset, so it can
 * be read again later (RangeReader) instead of being kept. Blank lines are skipped and a `\r`
 * before the newline is dropped.
 *
 * Both readers read plain files and the block-compressed gzip JsonlWriter writes
 * (harness/dataset/jsonl-writer.ts; `generate` does not write it yet, issue 17), told apart by the gzip magic
 * bytes: a series of gzip members (RFC 1952), each holding up to 1 MiB of the file and saying its
 * own compressed and uncompressed sizes in a header extra field (subfield `EB`), so any gzip tool
 * reads the file and a RangeReader reaches a line by decompressing one member. Offsets are always
 * those of the uncompressed bytes. A file cut short (a full disk, an interrupted copy) is reported
 * with its path, the byte where it ends and the line reached, and how to fix it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { EnumbenchError } from '../../src/core/errors.js';

/** gzip member header of the block format: 10 bytes, XLEN, one 12-byte `EB` subfield */
export const BLOCK_HEADER_BYTES = 24;
/** CRC32 and ISIZE */
export const BLOCK_TRAILER_BYTES = 8;

/** The header of one member: compressed size (header to trailer) and uncompressed size. */
export function blockHeader(memberBytes: number, rawBytes: number): Buffer {
  const h = Buffer.alloc(BLOCK_HEADER_BYTES);
  h[0] = 0x1f;
  h[1] = 0x8b;
  h[2] = 8; // deflate
  h[3] = 4; // FEXTRA; MTIME 0 (the same bytes for the same records)
  h[8] = 4; // XFL: fastest
  h[9] = 255; // OS unknown
  h.writeUInt16LE(12, 10); // XLEN
  h[12] = 0x45; // 'E'
  h[13] = 0x42; // 'B'
  h.writeUInt16LE(8, 14);
  h.writeUInt32LE(memberBytes, 16);
  h.writeUInt32LE(rawBytes, 20);
  return h;
}

const TRUNCATED_HINT =
  'the file was cut short (a full disk, an interrupted copy or download): copy it again, or generate the dataset again (`enumbench generate`); `gzip -t FILE` checks a compressed file';

/** The members of a block-compressed file, read with one descriptor. */
class Blocks {
  private readonly size: number;
  private readonly head = Buffer.alloc(BLOCK_HEADER_BYTES);

  constructor(
    private readonly fd: number,
    private readonly path: string,
  ) {
    this.size = fstatSync(fd).size;
  }

  /** member sizes at compressed offset `at`, or undefined at the end of the file */
  header(at: number, where: () => string): { member: number; raw: number } | undefined {
    if (at >= this.size) return undefined;
    const n = readFull(this.fd, this.head, BLOCK_HEADER_BYTES, at);
    if (n < BLOCK_HEADER_BYTES) throw this.truncated(at, at + n, where());
    const h = this.head;
    if (h[0] !== 0x1f || h[1] !== 0x8b || h[2] !== 8) {
      throw new EnumbenchError(
        'E_DATASET',
        `${this.path}: byte ${at} (${where()}) is not the start of a gzip member: the file is damaged`,
        { hint: TRUNCATED_HINT },
      );
    }
    if ((h[3] as number) !== 4 || h.readUInt16LE(10) !== 12 || h[12] !== 0x45 || h[13] !== 0x42) {
      throw new EnumbenchError(
        'E_DATASET',
        `${this.path}: compressed by another tool (enumbench reads the block-compressed gzip it writes itself)`,
        { hint: `decompress it (gunzip ${this.path}) and it is read as plain JSONL` },
      );
    }
    const member = h.readUInt32LE(16);
    const raw = h.readUInt32LE(20);
    if (member < BLOCK_HEADER_BYTES + BLOCK_TRAILER_BYTES) {
      throw new EnumbenchError('E_DATASET', `${this.path}: byte ${at} (${where()}): a damaged block header`, {
        hint: TRUNCATED_HINT,
      });
    }
    if (at + member > this.size) throw this.truncated(at, this.size, where());
    return { member, raw };
  }

  /** the uncompressed bytes of the member at `at` (its header read) */
  inflate(at: number, member: number, raw: number, where: () => string): Buffer {
    const body = Buffer.allocUnsafe(member - BLOCK_HEADER_BYTES);
    if (readFull(this.fd, body, body.length, at + BLOCK_HEADER_BYTES) < body.length)
      throw this.truncated(at, this.size, where());
    const deflated = body.subarray(0, body.length - BLOCK_TRAILER_BYTES);
    let out: Buffer;
    try {
      out = inflateRawSync(deflated);
    } catch (e) {
      throw this.damaged(at, where(), (e as Error).message);
    }
    const crc = body.readUInt32LE(body.length - 8);
    const isize = body.readUInt32LE(body.length - 4);
    if (out.length !== raw || isize !== raw % 2 ** 32 || crc32(out) !== crc)
      throw this.damaged(at, where(), 'its checksum or length does not match');
    return out;
  }

  private truncated(at: number, end: number, where: string): EnumbenchError {
    return new EnumbenchError(
      'E_DATASET_TRUNCATED',
      `${this.path}: truncated: the compressed file ends at byte ${end}, inside the block that starts at byte ${at} (${where})`,
      { hint: TRUNCATED_HINT },
    );
  }

  private damaged(at: number, where: string, why: string): EnumbenchError {
    return new EnumbenchError(
      'E_DATASET',
      `${this.path}: the block at byte ${at} (${where}) does not decompress: ${why}`,
      { hint: TRUNCATED_HINT },
    );
  }
}

function readFull(fd: number, buf: Buffer, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** the file starts with the gzip magic bytes, or is named `.gz` (a compressed file cut short included) */
function isGzip(fd: number, path: string): boolean {
  if (path.endsWith('.gz')) return true;
  const b = Buffer.alloc(2);
  return readFull(fd, b, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
}

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
  /** a block-compressed file: its members, read in turn */
  private readonly blocks: Blocks | undefined;

  constructor(
    readonly path: string,
    private readonly chunk = CHUNK,
  ) {
    this.fd = openSync(path, 'r');
    this.blocks = isGzip(this.fd, path) ? new Blocks(this.fd, path) : undefined;
  }

  /** the file is block-compressed gzip */
  get compressed(): boolean {
    return this.blocks !== undefined;
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
    if (this.blocks) {
      this.fillBlock(this.blocks);
      return;
    }
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

  /** the next member, decompressed, after what is left of the buffer (filePos: compressed) */
  private fillBlock(blocks: Blocks): void {
    const rest = this.buf.length - this.pos;
    const where = () => `uncompressed byte ${this.bufStart + this.buf.length}, after line ${this.lineNo}`;
    const h = blocks.header(this.filePos, where);
    if (!h) {
      this.eof = true;
      return;
    }
    const raw = blocks.inflate(this.filePos, h.member, h.raw, where);
    this.filePos += h.member;
    const next = Buffer.allocUnsafe(rest + raw.length);
    this.buf.copy(next, 0, this.pos);
    raw.copy(next, rest);
    this.bufStart += this.pos;
    this.buf = next;
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
  /** a block-compressed file: where each member starts, compressed and uncompressed (read on first use) */
  private readonly blocks: Blocks | undefined;
  private index: { at: number[]; start: number[]; member: number[]; raw: number[] } | undefined;
  /** the last member decompressed (ranges are mostly asked for in file order) */
  private cached: { i: number; bytes: Buffer } | undefined;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.blocks = isGzip(this.fd, path) ? new Blocks(this.fd, path) : undefined;
  }

  text(offset: number, length: number): string {
    if (this.closed) throw new Error(`${this.path}: read after close`);
    if (length > this.scratch.length) this.scratch = Buffer.alloc(Math.max(length, this.scratch.length * 2));
    if (this.blocks) {
      this.copyBlocks(this.blocks, offset, length);
      return this.scratch.toString('utf8', 0, length);
    }
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, this.scratch, got, length - got, offset + got);
      if (n === 0) throw new Error(`${this.path}: unexpected end of file at ${offset + got}`);
      got += n;
    }
    return this.scratch.toString('utf8', 0, length);
  }

  /** uncompressed bytes [offset, offset + length) into the scratch buffer */
  private copyBlocks(blocks: Blocks, offset: number, length: number): void {
    const ix = this.indexOf(blocks);
    // the last member that starts at or before offset
    let lo = 0;
    let hi = ix.start.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((ix.start[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    let got = 0;
    for (let i = lo; got < length; i++) {
      if (i >= ix.start.length) throw new Error(`${this.path}: unexpected end of file at ${offset + got}`);
      if (this.cached?.i !== i) {
        const at = ix.at[i] as number;
        const bytes = blocks.inflate(at, ix.member[i] as number, ix.raw[i] as number, () => `block ${i + 1}`);
        this.cached = { i, bytes };
      }
      const bytes = this.cached.bytes;
      const from = offset + got - (ix.start[i] as number);
      const n = Math.min(length - got, bytes.length - from);
      if (n > 0) {
        bytes.copy(this.scratch, got, from, from + n);
        got += n;
      }
    }
  }

  private indexOf(blocks: Blocks) {
    if (this.index) return this.index;
    const ix = { at: [] as number[], start: [] as number[], member: [] as number[], raw: [] as number[] };
    let at = 0;
    let start = 0;
    for (;;) {
      const h = blocks.header(at, () => `uncompressed byte ${start}`);
      if (!h) break;
      ix.at.push(at);
      ix.start.push(start);
      ix.member.push(h.member);
      ix.raw.push(h.raw);
      at += h.member;
      start += h.raw;
    }
    this.index = ix;
    return ix;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cached = undefined;
    closeSync(this.fd);
  }
}
