/**
 * Writing outputs so that a reader never sees half of one: a file is written to a temporary
 * sibling and renamed into place only when complete, so an interrupted or failed write (a full
 * disk, a signal) leaves the previous complete file or none — never a 0-byte or truncated one.
 * And the one place file-system errors the user can act on (ENOSPC, EACCES, EMFILE…) become
 * messages that name the path and what to free or change.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EnumbenchError, type ErrorCode } from '../src/core/errors.js';
import { throwIfInterrupted } from './interrupt.js';

/** Write `text` to `path` atomically (temporary sibling, then rename). */
export function writeFileAtomic(path: string, text: string, mode?: number): void {
  // an interrupted command writes no output (harness/interrupt.ts)
  throwIfInterrupted();
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, mode !== undefined ? { mode } : {});
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw resourceError(e, path) ?? e;
  }
}

/**
 * Write a directory atomically: `fill` writes into a temporary sibling of `path`, which replaces
 * `path` only once `fill` has resolved and the command was not interrupted. Until then `path` is
 * untouched (the previous complete directory, or none); the temporary one is removed on failure
 * and at process exit (an interrupted command). Between the two renames of a replacement `path` is
 * briefly absent — never a mix of old and new files.
 */
export async function replaceDirAtomic<T>(path: string, fill: (tmp: string) => Promise<T> | T): Promise<T> {
  const parent = dirname(path);
  const tmp = join(parent, `.${basename(path)}.${process.pid}.tmp`);
  const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
  throwIfInterrupted();
  try {
    mkdirSync(parent, { recursive: true });
    removeTmp();
    mkdirSync(tmp);
  } catch (e) {
    throw resourceError(e, path) ?? e;
  }
  process.once('exit', removeTmp);
  try {
    const result = await fill(tmp);
    throwIfInterrupted();
    if (existsSync(path)) {
      const old = join(parent, `.${basename(path)}.${process.pid}.old`);
      rmSync(old, { recursive: true, force: true });
      renameSync(path, old);
      renameSync(tmp, path);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, path);
    }
    return result;
  } catch (e) {
    removeTmp();
    throw resourceError(e, path) ?? e;
  } finally {
    process.off('exit', removeTmp);
  }
}

/** Each resource error by errno code: its error code and what to do (OPTION: how to write elsewhere). */
const RESOURCE_ERRORS = {
  ENOSPC: { code: 'E_ENOSPC', hint: 'the disk is full: free space there, or write elsewhere (OPTION)' },
  EDQUOT: { code: 'E_EDQUOT', hint: 'the disk quota is used up: free space there, or write elsewhere (OPTION)' },
  EACCES: {
    code: 'E_EACCES',
    hint: 'permission denied: make it writable (or readable) for this user, or use another path',
  },
  EPERM: { code: 'E_EPERM', hint: 'operation not permitted: check the permissions of the path, or use another one' },
  EROFS: { code: 'E_EROFS', hint: 'the file system is read-only: write elsewhere (OPTION)' },
  EMFILE: {
    code: 'E_EMFILE',
    hint: 'too many open files in this process: raise the limit (ulimit -n) or run fewer seeds at once',
  },
  ENFILE: {
    code: 'E_ENFILE',
    hint: 'too many open files on the system: close other programs or raise the system limit',
  },
  ENOMEM: { code: 'E_ENOMEM', hint: 'out of memory: run a smaller scenario, or fewer --jobs' },
  EISDIR: { code: 'E_EISDIR', hint: 'a directory is where a file should be: remove it or use another path' },
  ENOTDIR: { code: 'E_ENOTDIR', hint: 'a file is where a directory should be: remove it or use another path' },
} as const satisfies Record<string, { code: ErrorCode; hint: string }>;

/**
 * A user-facing error for a resource problem (exit 4, no stack trace), or null when `e` is not
 * one. `path` (what the user named) is reported, else the error's own; `elsewhere` says how to
 * write elsewhere.
 */
export function resourceError(e: unknown, path?: string, elsewhere = '--out'): EnumbenchError | null {
  if (e instanceof EnumbenchError) return null;
  const err = e as NodeJS.ErrnoException | null;
  const code = err?.code;
  if (typeof code !== 'string' || !Object.hasOwn(RESOURCE_ERRORS, code)) return null;
  const known = RESOURCE_ERRORS[code as keyof typeof RESOURCE_ERRORS];
  // the path the user knows (an output folder, a report) rather than its temporary sibling
  const where = path ?? err?.path;
  return new EnumbenchError(
    known.code,
    `${where ? `${where}: ` : ''}${err?.syscall ? `${err.syscall} failed` : 'failed'} (${code})`,
    { hint: known.hint.replace('OPTION', elsewhere), cause: e },
  );
}

/**
 * A resource error (raw, or already made user-facing by resourceError) whose hint says `elsewhere`
 * instead: e.g. `run`'s temporary datasets, written elsewhere with TMPDIR rather than --out. Any
 * other error is returned as it is.
 */
export function withElsewhere(e: unknown, elsewhere: string): unknown {
  const raw = e instanceof EnumbenchError ? e.cause : e;
  const code = (raw as NodeJS.ErrnoException | null | undefined)?.code;
  if (typeof code !== 'string' || !Object.hasOwn(RESOURCE_ERRORS, code)) return e;
  if (!(e instanceof EnumbenchError)) return resourceError(e, undefined, elsewhere) ?? e;
  return new EnumbenchError(e.code, e.message, {
    hint: RESOURCE_ERRORS[code as keyof typeof RESOURCE_ERRORS].hint.replace('OPTION', elsewhere),
    cause: raw,
  });
}
