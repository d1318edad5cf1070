import type { Code, FieldError, IpcError } from './bindings';

/** Every code the core can return; `i18n.test.ts` checks each has a message in every language. */
export const ALL_CODES: readonly Code[] = [
  'locked',
  'wrong_passphrase',
  'wrong_recovery_key',
  'invalid_recovery_key',
  'weak_passphrase',
  'vault_not_found',
  'vault_exists',
  'key_file_missing',
  'key_file_corrupt',
  'database_missing',
  'not_a_vault',
  'newer_version',
  'encryption_unavailable',
  'validation',
  'not_found',
  'entry_signed',
  'entry_not_signed',
  'attachment_too_large',
  'attachment_type',
  'not_remembered',
  'keyring_unavailable',
  'remembered_key_missing',
  'log_tampered',
  'backup_target_missing',
  'backup_target_read_only',
  'backup_target_full',
  'backup_too_large_for_fat32',
  'backup_corrupt',
  'not_a_backup',
  'restore_target_exists',
  'io',
  'database',
  'internal',
];

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
