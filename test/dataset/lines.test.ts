/** forEachLine: the lines of any file, whatever the chunk size and wherever a UTF-8 character falls. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachLine } from '../../harness/dataset/lines.js';

const dir = mkdtempSync(join(tmpdir(), 'enumbench-lines-'));

describe('forEachLine', () => {
  it('yields exactly the non-empty lines, for any text and chunk size', () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replaceAll('\n', '')),
          { maxLength: 30 },
        ),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        (lines, trailing, chunk) => {
          const path = join(dir, `f${n++}.jsonl`);
          writeFileSync(path, lines.join('\n') + (trailing && lines.length ? '\n' : ''));
          const got: string[] = [];
          const count = forEachLine(path, (l) => got.push(l), chunk);
          const want = lines.filter((l) => l !== '');
          expect(got).toEqual(want);
          expect(count).toBe(want.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
