/**
 * The truth never travels toward the detector: nothing on the detector's side of the bench (the
 * replay, the mock services, the collector client) names truth.json, labels.jsonl or the truth
 * types, and the collector imports nothing but src/core.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the truth stays on the bench side', () => {
  const served = [...files('harness/replay'), ...files('harness/mock'), ...files('detectors/collect')];
  it('no detector-side module names the truth', () => {
    for (const f of served) {
      // code only: comments may explain the rule
      const text = readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      expect(text, f).not.toMatch(
        /truth\.json|labels\.jsonl|DATASET_FILES\.(truth|labels)|ANSWER_KEY_FILES|answer-key\.js|core\/truth\.js|\/records\.js/,
      );
    }
  });
  it('the collector client imports only src/core and itself', () => {
    for (const f of files('detectors/collect')) {
      for (const m of readFileSync(f, 'utf8').matchAll(/from '([^']+)'/g)) {
        const spec = m[1] as string;
        expect(
          spec.startsWith('./') || spec.startsWith('../../src/core/') || spec.startsWith('node:'),
          `${f}: ${spec}`,
        ).toBe(true);
      }
    }
  });
});
