// @module-tag slow
/**
 * The package a detector author uses (issue #18 item 6): `import type { Detector, Alert } from
 * 'enumbench'` resolves through the package's `exports` map to the built declarations and
 * typechecks a detector written in TypeScript (and refuses a wrong one: the types are real, not
 * `any`); `module:` runs that TypeScript file as it is; a syntax error in a module is reported
 * with its file and line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { smallDatasetRuns } from '../helpers/small-run.js';
import { tempDir } from '../helpers/tmp.js';

/** The example detector of docs/detectors.md, as the page prints it. */
const DETECTOR_TS = (() => {
  const page = readFileSync(join(ROOT, 'docs', 'detectors.md'), 'utf8');
  const block = /```ts\n\/\/ my-detector\.ts\n([\s\S]*?)```/.exec(page)?.[1];
  if (!block) throw new Error('docs/detectors.md: the ```ts block starting with // my-detector.ts is gone');
  return block;
})();

/** An alert without its required rule, and a detector without stop: both must be type errors. */
const WRONG_TS = `import type { Alert, Detector } from 'enumbench';
const alert: Alert = { principal: 'x' };
export default (): Detector => ({ name: 'wrong', start() {}, ingest() {} });
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: [],
  },
});

function authorFolder(source: string): string {
  const dir = tempDir('enumbench-author-');
  mkdirSync(join(dir, 'node_modules'));
  // what `npm install ../enumbench` (a file: dependency) makes: a link to the package folder
  symlinkSync(ROOT, join(dir, 'node_modules', 'enumbench'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(join(dir, 'tsconfig.json'), TSCONFIG);
  writeFileSync(join(dir, 'detector.ts'), source);
  return dir;
}

function tsc(dir: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
    encoding: 'utf8',
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the package for detector authors', () => {
  it('is built with its declarations (npm run build)', () => {
    expect(existsSync(join(ROOT, 'dist', 'src', 'index.d.ts')), 'run `npm run build`').toBe(true);
  });

  it("typechecks a TypeScript detector that imports its types from 'enumbench'", () => {
    const r = tsc(authorFolder(DETECTOR_TS));
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('refuses an alert without a rule and a detector without stop', () => {
    const r = tsc(authorFolder(WRONG_TS));
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/detector\.ts\(2,7\).*'rule'/);
    expect(r.out).toMatch(/detector\.ts\(3,.*'stop'/);
  });
});

describe('module: detectors', () => {
  const tmp = tempDir('enumbench-module-ts-');
  const { run } = smallDatasetRuns(tmp, {
    // `import type` is erased as the file loads: the run needs no package beside it
    'typed.ts': DETECTOR_TS,
    'bad.ts': 'export default function (o: number) {\n  return {\n    name: "x",,\n  };\n}\n',
    'bad.mjs': 'export default function () {\n  return {\n    name: "x",,\n  };\n}\n',
  });

  it('runs a TypeScript file as it is', async () => {
    const r = await run('module:./typed.ts', 'out-ts', ['--detector-options', '{"minRequests":20}']);
    expect(r.stderr).not.toMatch(/^error/im);
    expect(r.code).toBe(0);
    // the detector ran on its thread and its alerts arrived
    expect(r.stdout).toMatch(/alerts_per_day\.*: [\d.]+ \([1-9]\d* received/);
  });

  it('reports a syntax error with its file and line, TypeScript or JavaScript (exit 4)', async () => {
    const ts = await run('module:./bad.ts', 'out-bad-ts');
    expect(ts.code).toBe(4);
    expect(ts.stderr).toContain(`${join(tmp, 'bad.ts')}:3:14`);
    const js = await run('module:./bad.mjs', 'out-bad-js');
    expect(js.code).toBe(4);
    expect(js.stderr).toContain(`${join(tmp, 'bad.mjs')}:3: `);
  });
});
