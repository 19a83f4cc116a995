import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { LineReader } from '../../harness/dataset/line-reader.js';

const root = mkdtempSync(join(tmpdir(), 'enumbench-reader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** What mergeShards read before it streamed: the whole file split on newlines, without a trailing empty line. */
function splitLines(text: string): string[] {
  if (!text) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

describe('LineReader', () => {
  test.prop([
    fc.array(
      fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')),
      { maxLength: 30 },
    ),
    fc.boolean(),
    fc.integer({ min: 1, max: 64 }),
  ])(
    'reads the lines split() finds, whatever the chunk size (lines longer than a chunk too)',
    (lines, trailing, chunk) => {
      const text = lines.join('\n') + (trailing && lines.length ? '\n' : '');
      const path = join(root, `f${n++}.jsonl`);
      writeFileSync(path, text);
      const r = new LineReader(path, chunk);
      const got: string[] = [];
      for (let l = r.next(); l !== undefined; l = r.next()) got.push(l);
      expect(got).toEqual(splitLines(text));
      expect(r.next()).toBeUndefined();
    },
  );
});
