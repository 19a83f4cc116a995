import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { LineReader } from '../../harness/replay/line-reader.js';

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
