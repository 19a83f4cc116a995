import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { JsonlWriter } from '../../harness/dataset/jsonl-writer.js';

const root = mkdtempSync(join(tmpdir(), 'enumbench-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

describe('JsonlWriter', () => {
  test.prop([
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('line' as const), s: fc.string({ unit: 'binary', maxLength: 300 }) }),
        fc.record({ kind: fc.constant('text' as const), s: fc.string({ unit: 'grapheme', maxLength: 60 }) }),
      ),
      { maxLength: 40 },
    ),
    fc.integer({ min: 16, max: 400 }),
  ])('writes exactly the UTF-8 of its lines and texts, whatever the batch size, with their sha256', (ops, batch) => {
    const path = join(root, `f${n++}.jsonl`);
    const w = new JsonlWriter(path, batch);
    let expected = '';
    for (const o of ops) {
      if (o.kind === 'line') w.line(o.s);
      else w.text(o.s);
      expected += o.kind === 'line' ? `${o.s}\n` : o.s;
    }
    const res = w.close();
    const want = Buffer.from(expected, 'utf8');
    const got = readFileSync(path);
    expect(got.equals(want)).toBe(true);
    expect(res.bytes).toBe(want.length);
    expect(res.sha256).toBe(createHash('sha256').update(want).digest('hex'));
    expect(w.lines).toBe(ops.filter((o) => o.kind === 'line').length);
  });
});
