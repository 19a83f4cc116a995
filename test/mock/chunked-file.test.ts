import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkedFile } from '../../harness/mock/chunked-file.js';

const root = mkdtempSync(join(tmpdir(), 'enumbench-chunked-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (chunkBytes: number) => new ChunkedFile(join(root, `f${++n}`), chunkBytes);

async function text(s: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of s) parts.push(p as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

describe('chunked compressed file', () => {
  it('reads any range, within a chunk, across chunk boundaries and into the tail, as the bytes appended', async () => {
    const f = fresh(10);
    const plain = 'abcdefghij0123456789ABCDEFGHIJklmnopq';
    f.append(Buffer.from(plain.slice(0, 7))); // tail only
    f.append(Buffer.from(plain.slice(7, 25))); // seals chunks 0 and 1, 5 bytes stay in the tail
    f.append(Buffer.from(plain.slice(25))); // seals chunk 2, 7 bytes in the tail
    expect(f.length).toBe(plain.length);
    expect(readFileSync(f.tailPath, 'utf8')).toBe(plain.slice(30));
    for (const [a, b] of [
      [0, plain.length],
      [3, 7], // inside chunk 0
      [8, 12], // across the boundary of chunks 0 and 1
      [9, 31], // from chunk 0 over chunks 1, 2 into the tail
      [10, 20], // exactly chunk 1
      [29, 30], // the last byte of the sealed chunks
      [30, 37], // the tail alone
      [35, 100], // past the end: clamped
    ] as const) {
      expect(await text(f.read(a, b)), `[${a}, ${b})`).toBe(plain.slice(a, b));
    }
    expect(await text(f.read(37, 40))).toBe('');
    expect((await f.readBuffer(5, 15)).toString()).toBe(plain.slice(5, 15));
  });

  it('a read sees the bytes as they were when it began, though later appends rewrite the tail', async () => {
    const f = fresh(8);
    f.append(Buffer.from('0123456789ab')); // chunk 0 sealed, tail "89ab"
    const before = f.read(2, 12);
    f.append(Buffer.from('cdefghijklmnop')); // seals "89abcdef" and "ghijklmn"; tail "op"
    expect(await text(before)).toBe('23456789ab');
    expect(await text(f.read(0, f.length))).toBe('0123456789abcdefghijklmnop');
  });

  it('stores JSON lines in a fraction of their size', () => {
    const f = fresh(64 * 1024);
    const line = (i: number) =>
      `${JSON.stringify({ time: `2026-11-02T09:${String(i % 60).padStart(2, '0')}:00Z`, category: 'MicrosoftGraphActivityLogs', properties: { requestId: `r-${i}`, requestUri: 'https://graph.microsoft.com/v1.0/users?$top=999', responseStatusCode: 200 } })}\n`;
    let s = '';
    for (let i = 0; i < 5000; i++) s += line(i);
    f.append(Buffer.from(s));
    expect(f.length).toBe(Buffer.byteLength(s));
    expect(f.stored).toBeLessThan(f.length / 4);
    expect(existsSync(f.chunkPath)).toBe(true);
  });

  it('property: after any appends, any range reads back the bytes appended', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.string({ maxLength: 60, unit: 'binary' }), fc.nat(), fc.nat()), {
          minLength: 1,
          maxLength: 12,
        }),
        async (chunk, steps) => {
          const f = fresh(chunk);
          let plain = Buffer.alloc(0);
          for (const [s, x, y] of steps) {
            const buf = Buffer.from(s, 'utf8');
            f.append(buf);
            plain = Buffer.concat([plain, buf]);
            const a = plain.length === 0 ? 0 : x % plain.length;
            const b = a + (y % (plain.length - a + 2));
            expect((await f.readBuffer(a, b)).equals(plain.subarray(a, b))).toBe(true);
          }
          expect(f.length).toBe(plain.length);
          expect((await f.readBuffer(0, plain.length)).equals(plain)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
