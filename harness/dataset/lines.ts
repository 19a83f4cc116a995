/**
 * Reads a JSONL file line by line, synchronously, in 1 MiB chunks: memory stays at one chunk and
 * one line whatever the file's size. Lines are cut on the newline byte, so a UTF-8 character split
 * across two chunks is decoded whole.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export function forEachLine(path: string, fn: (line: string) => void, chunkBytes = 1 << 20): number {
  const fd = openSync(path, 'r');
  let n = 0;
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const got = readSync(fd, buf, 0, chunkBytes, null);
      if (got === 0) break;
      const chunk = rest.length ? Buffer.concat([rest, buf.subarray(0, got)]) : buf.subarray(0, got);
      let start = 0;
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, start)) {
        if (i > start) {
          fn(chunk.toString('utf8', start, i));
          n++;
        }
        start = i + 1;
      }
      // copy the tail: `chunk` may be a view of `buf`, which the next read overwrites
      rest = Buffer.from(chunk.subarray(start));
    }
    if (rest.length) {
      fn(rest.toString('utf8'));
      n++;
    }
  } finally {
    closeSync(fd);
  }
  return n;
}
