/**
 * The error-code registry (src/core/error-codes.ts) against the source: every code used in src/,
 * harness/, generators/ and detectors/ is declared, every declared code is used, and no code is
 * built from a string at run time except through the registry's own yamlErrorCode.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, exitCodeOf } from '../../src/core/error-codes.js';
import { EnumbenchError } from '../../src/core/errors.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REGISTRY = 'src/core/error-codes.ts';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

const files = ['src', 'harness', 'generators', 'detectors'].flatMap(sources).filter((f) => f !== REGISTRY);
const texts = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
const used = new Set<string>();
for (const text of texts.values()) for (const m of text.matchAll(/['"`](E_[A-Z0-9_]+)['"`]/g)) used.add(m[1] as string);
const yamlFamilyUsed = [...texts.values()].some((t) => t.includes('yamlErrorCode('));

describe('error codes', () => {
  it('every code used in the source is declared in the registry', () => {
    const undeclared = [...used].filter((c) => !Object.hasOwn(ERROR_CODES, c));
    expect(undeclared).toEqual([]);
  });

  it('every declared code is used', () => {
    const unused = (Object.keys(ERROR_CODES) as ErrorCode[]).filter(
      (c) => !used.has(c) && !(c.startsWith('E_YAML_') && yamlFamilyUsed),
    );
    expect(unused).toEqual([]);
  });

  it('no code is made at run time from a string', () => {
    const dynamic = [...texts].flatMap(([f, t]) =>
      [...t.matchAll(/`E_[A-Za-z0-9_]*\$\{|['"]E_[A-Z0-9_]*['"]\s*\+/g)].map((m) => `${relative(ROOT, f)}: ${m[0]}`),
    );
    expect(dynamic).toEqual([]);
  });

  it('the code decides the kind and the exit code', () => {
    expect(new EnumbenchError('E_OPTION', 'x').kind).toBe('user');
    expect(exitCodeOf('E_OPTION')).toBe(4);
    expect(new EnumbenchError('E_DETECTOR_FAILED', 'x').kind).toBe('detector');
    expect(exitCodeOf('E_DETECTOR_FAILED')).toBe(2);
    expect(exitCodeOf('E_INTERNAL')).toBe(3);
    expect(exitCodeOf('E_YAML_DUPLICATE_KEY')).toBe(4);
    for (const [code, info] of Object.entries(ERROR_CODES)) expect(info.meaning, code).not.toBe('');
  });
});
