import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Determinism is non-negotiable: no hidden clocks or unseeded randomness outside the RNG and
 * clock modules (DESIGN.md "Reproducibility"). This test fails on a new offender.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const DIRS = ['src', 'generators', 'harness', 'detectors'];
const ALLOWED = new Set(['src/core/rng.ts', 'src/core/clock.ts']);
const BANNED = [/Math\.random\s*\(/, /Date\.now\s*\(/, /randomUUID\s*\(/, /new Date\(\s*\)/, /performance\.now\s*\(/];

function* walk(dir: string): Generator<string> {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) yield p;
  }
}

describe('determinism guard', () => {
  it('no Math.random, Date.now, randomUUID or new Date() outside rng/clock', () => {
    const offenders: string[] = [];
    for (const d of DIRS) {
      for (const file of walk(join(ROOT, d))) {
        const rel = relative(ROOT, file);
        if (ALLOWED.has(rel)) continue;
        const lines = readFileSync(file, 'utf8').split('\n');
        lines.forEach((line, i) => {
          if (line.includes('determinism-ok')) return; // an explicit, reviewed exception (wall-clock latency measurement)
          for (const re of BANNED) if (re.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the guard itself catches an offender', () => {
    expect(BANNED.some((re) => re.test('const t = Date.now();'))).toBe(true);
    expect(BANNED.some((re) => re.test('const t = new Date();'))).toBe(true);
    expect(BANNED.some((re) => re.test('const t = new Date(ms);'))).toBe(false);
  });
});
