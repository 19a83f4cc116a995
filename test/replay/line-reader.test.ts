import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { JsonlWriter } from '../../harness/dataset/jsonl-writer.js';
import { LineReader, RangeReader } from '../../harness/replay/line-reader.js';
import { EnumbenchError } from '../../src/core/errors.js';

const root = mkdtempSync(join(tmpdir(), 'enumbench-reader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** The whole file split on newlines, blank lines (spaces and tabs only) left out. */
function splitLines(text: string): string[] {
  return text.split('\n').filter((l) => !/^[ \t]*$/.test(l));
}

describe('LineReader', () => {
  test.prop([
    fc.array(
      fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/[\n\r]/g, ' ')),
      { maxLength: 30 },
    ),
    fc.boolean(),
    fc.integer({ min: 1, max: 64 }),
  ])(
    'reads the non-blank lines split() finds, whatever the chunk size (lines longer than a chunk too)',
    (lines, trailing, chunk) => {
      const text = lines.join('\n') + (trailing && lines.length ? '\n' : '');
      const path = join(root, `f${n++}.jsonl`);
      writeFileSync(path, text);
      const r = new LineReader(path, chunk);
      const got: string[] = [];
      for (let l = r.nextText(); l !== undefined; l = r.nextText()) got.push(l);
      expect(got).toEqual(splitLines(text));
      expect(r.next()).toBeUndefined();
      r.close();
    },
  );
});

/** Write `lines` with JsonlWriter (a small buffer: many gzip members, lines across members). */
function written(
  lines: readonly string[],
  batch: number,
  gzip: boolean,
): { path: string; sha256: string; bytes: number } {
  const path = join(root, `w${n++}.jsonl${gzip ? '.gz' : ''}`);
  const w = new JsonlWriter(path, batch, gzip);
  for (const l of lines) w.line(l);
  return { path, ...w.close() };
}

function allLines(path: string): { text: string; offset: number; length: number; lineNo: number }[] {
  const r = new LineReader(path);
  const out = [];
  for (let l = r.next(); l; l = r.next())
    out.push({ text: l.bytes.toString('utf8'), offset: l.offset, length: l.length, lineNo: l.lineNo });
  r.close();
  return out;
}

const jsonLines = fc.array(
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => JSON.stringify({ s })),
    fc.constant('   '), // a blank line
    fc.string({ minLength: 200, maxLength: 400 }).map((s) => JSON.stringify({ long: s })),
  ),
  { maxLength: 40 },
);

describe('block-compressed gzip (JsonlWriter gzip, read by LineReader and RangeReader)', () => {
  test.prop([jsonLines, fc.integer({ min: 16, max: 512 })])(
    'the same lines, offsets and ranges as the plain file; the same sha256 and size; any gzip tool reads it',
    (lines, batch) => {
      const plain = written(lines, batch, false);
      const gz = written(lines, batch, true);
      expect(gz.sha256).toBe(plain.sha256);
      expect(gz.bytes).toBe(plain.bytes);
      expect(gunzipSync(readFileSync(gz.path)).equals(readFileSync(plain.path))).toBe(true);
      const a = allLines(plain.path);
      expect(allLines(gz.path)).toEqual(a);
      // ranges read again, in reverse order (a member decompressed again when needed)
      const r = new RangeReader(gz.path);
      for (const l of [...a].reverse()) expect(r.text(l.offset, l.length)).toBe(l.text);
      r.close();
    },
  );

  test.prop([jsonLines.filter((l) => l.some((x) => x.trim() !== '')), fc.integer({ min: 16, max: 256 }), fc.nat()])(
    'a file cut short: an error with the file, the byte where it ends, the line reached and a hint, never a partial last line',
    (lines, batch, cutAt) => {
      const gz = written(lines, batch, true);
      const full = readFileSync(gz.path);
      const cut = 1 + (cutAt % (full.length - 1));
      const path = join(root, `cut${n++}.jsonl.gz`);
      writeFileSync(path, full.subarray(0, cut));
      const r = new LineReader(path);
      const whole = allLines(gz.path);
      let read = 0;
      let error: unknown;
      try {
        for (let l = r.next(); l; l = r.next()) {
          expect(l.bytes.toString('utf8')).toBe(whole[read]?.text);
          read++;
        }
      } catch (e) {
        error = e;
      }
      r.close();
      // cut on a member's boundary: the lines of the whole members, no error (nothing says more follows)
      if (error === undefined) {
        expect(read).toBeLessThanOrEqual(whole.length);
        return;
      }
      expect(error).toBeInstanceOf(EnumbenchError);
      const e = error as EnumbenchError;
      expect(e.message).toContain(path);
      expect(e.message).toMatch(
        /truncated: the compressed file ends at byte \d+, inside the block that starts at byte \d+ \(uncompressed byte \d+, after line \d+\)/,
      );
      expect(e.hint).toMatch(/cut short.*gzip -t/);
    },
  );

  test('a gzip file written by another tool: told to decompress it', () => {
    const path = join(root, 'foreign.jsonl.gz');
    writeFileSync(path, gzipSync('{"a":1}\n'));
    expect(() => new LineReader(path).next()).toThrow(/compressed by another tool/);
  });
});
