// Runtime lists of the generated enums the UI offers as choices, in display order. Each list
// must name every member: a variant added in the core fails `npm run check` here until the UI
// offers it. Like ERROR_CODES, these could be generated into bindings.ts.
import type {
  PaymentMethod,
  VatRate,
  AppointmentKind,
  Attendance,
  BreachNature,
  BreachRisk,
  ClockStart,
  ConsentForm,
  ConsentPurpose,
  DataCategory,
  EntryKind,
  HoldReason,
  InformClients,
  Jurisdiction,
  KeepReason,
  Language,
  NationalIdKind,
  Part,
  Phase,
  RecordKind,
  RekeyReason,
} from './bindings';

/** `all<T>()(list)` compiles only when `list` names every member of `T`. */
const all =
  <T extends string>() =>
  <const L extends readonly T[]>(
    list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> }),
  ): readonly T[] =>
    list;

export const LANGUAGES = all<Language>()(['sv', 'da', 'en']);
export const JURISDICTIONS = all<Jurisdiction>()(['se_licensed', 'se_other', 'dk_psychologist', 'dk_therapist_coach', 'custom']);
export const ENTRY_KINDS = all<EntryKind>()(['session', 'video', 'phone_call', 'no_show', 'message', 'administrative', 'note']);
export const NATIONAL_ID_KINDS = all<NationalIdKind>()(['se_personnummer', 'se_samordningsnummer', 'dk_cpr', 'other']);
export const REKEY_REASONS = all<RekeyReason>()(['passphrase_known', 'recovery_lost']);
/** Every phase a long operation reports; each has a text (`backup.phase.*`, see i18n.test.ts). */
export const PHASES = all<Phase>()([
  'snapshot',
  'encrypt',
  'write',
  'verify',
  'decrypt',
  'restore',
  'reencrypt',
  'commit',
  'erase',
  'typeset',
  'compact',
  'import',
]);
/** A client's rights: hold reasons, the parts of a record, why a part is kept (`rights.*`). */
export const HOLD_REASONS = all<HoldReason>()(['complaint', 'supervisory_case', 'legal_claim', 'other']);
export const PARTS = all<Part>()(['journal', 'contact_details', 'identity', 'access_log', 'invoices']);
export const KEEP_REASONS = all<KeepReason>()(['rule', 'legal_hold', 'identifies_journal', 'not_due']);
/** The record kinds and clock starts of the retention rules; each has a text (`law.*`). */
export const RECORD_KINDS = all<RecordKind>()(['journal', 'contact_details', 'access_log', 'invoice']);
export const CLOCK_STARTS = all<ClockStart>()([
  'last_entry',
  'course_end',
  'last_contact',
  'written',
  'financial_year_end',
  'calendar_year_of_financial_year_end',
]);
/** Consents: what one covers and how it was given (`consents.*`). */
export const CONSENT_PURPOSES = all<ConsentPurpose>()(['treatment', 'referral', 'reminders_sms', 'reminders_email', 'marketing']);
export const CONSENT_FORMS = all<ConsentForm>()(['written', 'verbal', 'digital']);
/** The breach register's choices and the clients' duty (`breaches.*`). */
export const BREACH_NATURES = all<BreachNature>()(['confidentiality', 'integrity', 'availability']);
export const DATA_CATEGORIES = all<DataCategory>()([
  'health_notes',
  'identity',
  'national_id',
  'contact_details',
  'attachments',
  'financial',
]);
export const BREACH_RISKS = all<BreachRisk>()(['unlikely', 'risk', 'high_risk']);
export const INFORM_CLIENTS = all<InformClients>()(['required', 'informed', 'not_high_risk', 'encrypted']);
/** Sessions: their kinds, and what happened (`sessions.*`). */
export const APPOINTMENT_KINDS = all<AppointmentKind>()(['individual', 'couple', 'group', 'phone', 'video']);
export const ATTENDANCES = all<Attendance>()(['planned', 'attended', 'cancelled_in_time', 'late_cancellation', 'no_show']);
/** Invoices: VAT on a line, and how a payment came (`invoices.*`). */
export const VAT_RATES = all<VatRate>()(['exempt', 'vat25']);
export const PAYMENT_METHODS = all<PaymentMethod>()(['bank_transfer', 'card', 'cash', 'swish', 'mobilepay', 'other']);
