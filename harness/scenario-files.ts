/**
 * Reading scenario files from disk (the edge; src/scenario stays pure). Every failure becomes a
 * positioned diagnostic: a missing file, a directory, an unreadable file, a non-UTF-8 file.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Catalog } from '../src/core/catalog.js';
import type { Diagnostic } from '../src/core/errors.js';
import { type LoadResult, loadScenario } from '../src/scenario/index.js';

const MAX_BYTES = 4 * 1024 * 1024;

export async function readScenarioFile(
  file: string,
): Promise<{ ok: true; text: string } | { ok: false; diagnostic: Diagnostic }> {
  const position = { file, line: 1, col: 1 };
  try {
    const st = await stat(file);
    if (st.isDirectory()) {
      return {
        ok: false,
        diagnostic: {
          code: 'E_FILE',
          message: 'is a directory, not a scenario file',
          hint: `give the YAML files inside it, e.g. ${file.replace(/\/$/, '')}/*.yaml`,
          position,
        },
      };
    }
    if (st.size > MAX_BYTES) {
      return {
        ok: false,
        diagnostic: {
          code: 'E_FILE',
          message: `is ${st.size} bytes: too large for a scenario (limit 4 MiB)`,
          hint: 'a scenario describes a tenant; it does not contain records',
          position,
        },
      };
    }
    const buf = await readFile(file);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : e instanceof TypeError
            ? 'is not UTF-8 text'
            : `cannot read: ${(e as Error).message}`;
    const hint =
      code === 'ENOENT'
        ? 'check the path; `ls scenarios/` lists the built-in scenarios'
        : code === 'EACCES'
          ? 'check the file permissions'
          : e instanceof TypeError
            ? 'save the file as UTF-8'
            : undefined;
    return { ok: false, diagnostic: { code: 'E_FILE', message, hint, position } };
  }
}

export async function loadScenarioFile(file: string, catalog: Catalog): Promise<LoadResult> {
  const r = await readScenarioFile(file);
  if (!r.ok) return { ok: false, diagnostics: [r.diagnostic] };
  return loadScenario(r.text, file, catalog);
}
