/**
 * Loading a `module:` detector file: a JavaScript ES module as Node imports it, or a TypeScript file
 * (.ts, .mts, .cts) as it is, through tsx's `tsImport` (esbuild strips the types; nothing is type-
 * checked — run tsc for that). A syntax error is reported with the file and line it is on.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const TYPESCRIPT = /\.[cm]?ts$/;

export function isTypeScriptModule(file: string): boolean {
  return TYPESCRIPT.test(file);
}

/** Import the module at `file` (an absolute path). */
export async function importDetectorModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  if (!isTypeScriptModule(file)) return (await import(url)) as Record<string, unknown>;
  const { tsImport } = await import('tsx/esm/api');
  const ns = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  // a .ts file outside a "type": "module" package is compiled as CommonJS: its exports arrive as `default`
  const inner = ns.default;
  if (inner && typeof inner === 'object' && ('default' in inner || 'createDetector' in inner))
    return inner as Record<string, unknown>;
  return ns;
}

/**
 * Where a syntax error met loading `file` is, as `path:line[:column]: message`, or null when the
 * error is not a syntax error. esbuild (TypeScript) names the place in its message; Node's own
 * SyntaxError from an ES module import does not, so `node --check` on the file finds it (a syntax
 * error in a file the module imports keeps Node's message, without a place).
 */
export function syntaxErrorAt(file: string, e: unknown): string | null {
  const message = e instanceof Error ? e.message : String(e);
  // esbuild: "Transform failed with 1 error:\n/path/x.ts:3:14: ERROR: Expected …"
  const esbuild = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(message);
  if (esbuild) return `${esbuild[1]}:${esbuild[2]}:${esbuild[3]}: ${esbuild[4]}`;
  if (!(e instanceof SyntaxError)) return null;
  const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 30_000 });
  // node --check: "/path/x.js:3\n<source line>\n   ^\n\nSyntaxError: Unexpected token ','"
  const at = /^(.+):(\d+)$/m.exec(check.stderr ?? '');
  return at && check.status !== 0 ? `${at[1]}:${at[2]}: ${message}` : null;
}
