import type { Code, FieldError, IpcError } from './bindings';
import { ERROR_CODES } from './error-codes';

/** An error from the backend, with the core's stable code. Its English message is never shown. */
export class AppError extends Error {
  readonly code: Code | 'unknown';
  readonly field: FieldError | null;

  constructor(code: Code | 'unknown', message: string, field: FieldError | null = null) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
  }
}

function isIpcError(e: unknown): e is IpcError {
  return typeof e === 'object' && e !== null && typeof (e as IpcError).code === 'string';
}

/** Turns whatever a command rejected with into an [`AppError`]. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (isIpcError(e)) return new AppError(e.code, e.message ?? '', e.field ?? null);
  // Unexpected shapes (a shell bug, a JS error): keep the code generic; the text goes nowhere.
  return new AppError('unknown', e instanceof Error ? e.message : String(e));
}

/** Whether `s` is one of the core's error codes (e.g. a backup run's `failed_check`). */
export function isCode(s: string): s is Code {
  return (ERROR_CODES as readonly string[]).includes(s);
}
