/**
 * The state `serve` keeps between runs (harness/mock/state.ts): reused as written, replaced by
 * --rotate-keys, private to its owner, refused with a clear error when damaged.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signJwt, verifyJwt } from '../../harness/mock/jwt.js';
import { loadServeState, STATE_FILE } from '../../harness/mock/state.js';
import { tempDir } from '../helpers/tmp.js';

const base = { seededSecret: 'eNb8Q~seeded', https: true, rotate: false, now: new Date('2026-11-02T00:00:00Z') };

describe('serve state', () => {
  it('is made once, then reused: same key, secret and certificates; a token signed before verifies after', () => {
    const dir = join(tempDir('enumbench-state-'), 'a', 'b');
    const first = loadServeState(dir, base);
    expect(first.made).toEqual(['signing key', 'client secret', 'certificates', 'client certificate']);
    expect(first.clientSecret).toBe('eNb8Q~seeded');
    expect(statSync(join(dir, STATE_FILE)).mode & 0o077).toBe(0);
    const token = signJwt({ a: 1 }, first.signingKey);
    const again = loadServeState(dir, { ...base, now: new Date('2026-11-20T00:00:00Z') });
    expect(again.made).toEqual([]);
    expect(again.signingKey.kid).toBe(first.signingKey.kid);
    expect(again.tls?.caCert).toBe(first.tls?.caCert);
    expect(verifyJwt(token, again.signingKey)).toEqual({ a: 1 });
  });

  it('renews certificates close to their end, keeping the key', () => {
    const dir = tempDir('enumbench-state-');
    const first = loadServeState(dir, base);
    const late = loadServeState(dir, { ...base, now: new Date('2026-12-01T12:00:00Z') });
    expect(late.made).toEqual(['certificates']);
    expect(late.signingKey.kid).toBe(first.signingKey.kid);
    expect(late.tls?.caCert).not.toBe(first.tls?.caCert);
  });

  it('--rotate-keys replaces everything: a token signed before is refused, the secret is no longer the seeded one', () => {
    const dir = tempDir('enumbench-state-');
    const first = loadServeState(dir, base);
    const token = signJwt({ a: 1 }, first.signingKey);
    const rotated = loadServeState(dir, { ...base, rotate: true });
    expect(rotated.made).toEqual(['signing key', 'client secret', 'certificates', 'client certificate']);
    expect(rotated.signingKey.kid).not.toBe(first.signingKey.kid);
    expect(rotated.clientSecret).not.toBe('eNb8Q~seeded');
    expect(rotated.tls?.caCert).not.toBe(first.tls?.caCert);
    expect(verifyJwt(token, rotated.signingKey)).toBeUndefined();
    // and the rotated state is what the next run reuses
    expect(loadServeState(dir, base).clientSecret).toBe(rotated.clientSecret);
  });

  it('a damaged state file is a clear error naming the file and --rotate-keys', () => {
    const dir = tempDir('enumbench-state-');
    loadServeState(dir, base);
    const file = join(dir, STATE_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));
    expect(() => loadServeState(dir, base)).toThrow(/state\.json: not a readable state file/);
    writeFileSync(file, '{"format": 7}');
    try {
      loadServeState(dir, base);
      expect.unreachable();
    } catch (e) {
      expect((e as { hint?: string }).hint).toMatch(/--rotate-keys/);
    }
  });
});
