/**
 * Golden files (STYLE.md 10): a fixed scenario and seed pin the generated dataset. The expected
 * digests and the first records of each source live in test/golden/generators/; they change only on
 * purpose: `UPDATE_GOLDEN=1 npx vitest run test/generators/golden.test.ts`, then review the diff.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateInMemory } from './helpers/run.js';
import { attack, makeScenario } from './helpers/scenario.js';

const DIR = join(process.cwd(), 'test', 'golden', 'generators');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const H = 3_600_000;

const s = makeScenario({
  name: 'golden',
  seed: 424242,
  users: 25,
  durationMs: 12 * H,
  start: '2026-11-04T08:00:00Z',
  roles: { 'Global Administrator': 1, 'Exchange Administrator': 1 },
  attacks: [attack({ id: 'golden', at: Date.parse('2026-11-04T15:00:00Z'), options: { pageSize: 10 } })],
});

function snapshot() {
  const d = generateInMemory(s);
  const out: Record<string, unknown> = {};
  for (const [src, lines] of Object.entries(d.lines).sort()) {
    out[src] = {
      count: lines.length,
      sha256: createHash('sha256').update(lines.join('\n')).digest('hex'),
      first: lines.slice(0, 2).map((l) => JSON.parse(l)),
    };
  }
  out.delivery = {
    count: d.delivery.length,
    sha256: createHash('sha256').update(d.delivery.join('\n')).digest('hex'),
    first: d.delivery.slice(0, 3),
  };
  out.truth = d.truth;
  return out;
}

describe('golden dataset (seed 424242)', () => {
  it('matches test/golden/generators/golden.json', () => {
    const file = join(DIR, 'golden.json');
    const actual = `${JSON.stringify(snapshot(), null, 2)}\n`;
    if (UPDATE || !existsSync(file)) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(file, actual);
    }
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});
