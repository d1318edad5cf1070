// Replaced by the generated ERROR_CODES from bindings.ts
// (this file then becomes `export { ERROR_CODES } from './bindings';`).
// The one runtime list of the core's error codes; nothing else in the UI lists them.
import type { Code } from './bindings';

const LIST = ([] = [
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
] as const satisfies readonly Code[]);

// `satisfies` refuses a code the core does not have; this refuses to compile while a `Code`
// from the bindings is missing from the list.
type Missing = Exclude<Code, (typeof LIST)[number]>;
const exhaustive: [Missing] extends [never] ? true : false = true;
void exhaustive;

/** Every error code the core can return. */
export const ERROR_CODES: readonly Code[] = LIST;
