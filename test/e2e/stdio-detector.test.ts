// @module-tag slow
/**
 * `enumbench run --detector stdio:"CMD"` end to end through the built binary: the Python example
 * over the pipe protocol of docs/detectors.md, and byte-identical results run after run. The
 * adapter contract's test detectors (always, never, late, crash, hang, flood, garbage) run in
 * test/contract/stdio.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { smallDatasetRuns } from '../helpers/small-run.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('enumbench-stdio-run-');
const EXAMPLE = join(ROOT, 'examples', 'detectors', 'stdio_detector.py');
const summary = (dir: string) => JSON.parse(readFileSync(join(tmp, dir, 'summary.json'), 'utf8'));
const metric = (dir: string, name: string) => summary(dir).scenarios[0].metrics[name]?.value;

const { run } = smallDatasetRuns(tmp);

describe('run --detector stdio:', () => {
  it('the Python example detects the listing, and two runs give byte-identical summary.json', async () => {
    const env = { MIN_OBJECTS: '20' };
    const a = await run(`stdio:python3 ${EXAMPLE}`, 'py1', [], env);
    const b = await run(`stdio:python3 ${EXAMPLE}`, 'py2', [], env);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(metric('py1', 'recall')).toBe(1);
    expect(readFileSync(join(tmp, 'py1', 'summary.json'), 'utf8')).toBe(
      readFileSync(join(tmp, 'py2', 'summary.json'), 'utf8'),
    );
  });
});
