/**
 * One error type for everything enumbench reports to a person: a code from the registry
 * (error-codes.ts), a message that says what is wrong, an optional position (file:line:col) and a
 * hint that says how to fix it. The code decides the kind — the user's to fix (exit 4), the
 * detector's (exit 2), or our bug (exit 3).
 */
import { ERROR_CODES, type ErrorCode, type ErrorKind } from './error-codes.js';

export type { ErrorCode, ErrorKind } from './error-codes.js';

export interface SourcePosition {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  col: number;
}

export interface Diagnostic {
  code: ErrorCode;
  message: string;
  hint?: string | undefined;
  position?: SourcePosition | undefined;
  /** the path inside a document, e.g. ["attacks", 0, "technique"] */
  path?: ReadonlyArray<string | number> | undefined;
}

export class EnumbenchError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly kind: ErrorKind;
  readonly diagnostics: readonly Diagnostic[];

  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; diagnostics?: readonly Diagnostic[]; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'EnumbenchError';
    this.code = code;
    this.hint = opts.hint;
    this.kind = ERROR_CODES[code].kind;
    this.diagnostics = opts.diagnostics ?? [];
  }
}

export function userError(code: ErrorCode, message: string, hint?: string): EnumbenchError {
  return new EnumbenchError(code, message, hint === undefined ? {} : { hint });
}

export function internalError(message: string, cause?: unknown): EnumbenchError {
  return new EnumbenchError('E_INTERNAL', message, { cause });
}

export function isEnumbenchError(e: unknown): e is EnumbenchError {
  return e instanceof EnumbenchError;
}

/** `file:line:col: message` — the one format every positioned diagnostic is printed in. */
export function formatDiagnostic(d: Diagnostic, paint: (s: string) => string = (s) => s): string {
  const where = d.position ? `${d.position.file}:${d.position.line}:${d.position.col}: ` : '';
  return `${where}${paint(d.message)}`;
}
