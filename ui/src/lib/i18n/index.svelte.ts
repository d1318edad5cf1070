// UI strings in sv, da and en. `t()` reads the current language from a rune, so templates that
// call it re-render when the language changes. Missing keys are a test failure (i18n.test.ts),
// not a runtime fallback to be discovered by a user.

import type { Code, Jurisdiction, Language } from '../bindings';
import { en, type Messages } from './en';
import { sv } from './sv';
import { da } from './da';

export const catalogs: Record<Language, Messages> = { sv, da, en };

/** BCP 47 tags for Intl: English uses British conventions (day-month order, 24 h). */
const INTL: Record<Language, string> = { sv: 'sv-SE', da: 'da-DK', en: 'en-GB' };

export interface Plural {
  zero?: string;
  one: string;
  other: string;
}

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : T[K] extends Plural ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type Key = Leaves<Messages>;
export type Params = Record<string, string | number>;

class Locale {
  current = $state<Language>('en');
  /** `talk`: a practice outside the licensed health professions (a coach, a counsellor), whose
   * words differ where care words would not fit ("Samtalsserie", not "Behandling"). */
  practice = $state<'care' | 'talk'>('care');
}
export const locale = new Locale();

/** The language to start with: the one saved in settings, else the system's, else English. */
export function languageFrom(saved: Language | null | undefined, nav: readonly string[]): Language {
  if (saved) return saved;
  for (const tag of nav) {
    const l = tag.toLowerCase();
    if (l.startsWith('sv')) return 'sv';
    if (l.startsWith('da')) return 'da';
    // Norwegian readers follow Danish far better than English in this context.
    if (l.startsWith('nb') || l.startsWith('nn') || l.startsWith('no')) return 'da';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Follows the practice profile: the `talk` words for profiles outside the licensed professions. */
export function setPractice(j: Jurisdiction): void {
  locale.practice = j === 'se_other' || j === 'dk_therapist_coach' ? 'talk' : 'care';
}

export function setLanguage(l: Language): void {
  locale.current = l;
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}

export function lookup(messages: Messages, key: string): unknown {
  let node: unknown = messages;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function interpolate(s: string, params?: Params, lang: Language = locale.current): string {
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    if (v === undefined) return m;
    return typeof v === 'number' ? new Intl.NumberFormat(INTL[lang]).format(v) : v;
  });
}

function isPlural(v: unknown): v is Plural {
  return typeof v === 'object' && v !== null && 'other' in v && 'one' in v;
}

/** Translates `key` in the current language; `{name}` placeholders come from `params`, and a
 * plural key picks its form from `params.count` with Intl.PluralRules. */
export function t(key: Key, params?: Params): string {
  return translate(locale.current, key, params);
}

export function translate(lang: Language, key: string, params?: Params): string {
  const v = (locale.practice === 'talk' ? lookup(catalogs[lang], `talk.${key}`) : undefined) ?? lookup(catalogs[lang], key);
  if (typeof v === 'string') return interpolate(v, params, lang);
  if (isPlural(v)) {
    const n = Number(params?.count ?? 0);
    const form = n === 0 && v.zero !== undefined ? 'zero' : new Intl.PluralRules(INTL[lang]).select(n);
    const s = form === 'zero' ? v.zero! : form === 'one' ? v.one : v.other;
    return interpolate(s, params, lang);
  }
  // Only reachable with a key built at runtime that the tests did not see; show the key so the
  // gap is visible instead of an empty label.
  return key;
}

/** Localized text for an error code. */
export function errorText(code: Code | 'unknown'): string {
  return t(`errors.code.${code}` as Key);
}

/** Localized text for a validation reason (e.g. `required`, `checksum`); with the field, the
 * text that says what to type there when there is one ("Type an email address, e.g. …"). */
export function reasonText(reason: string, field?: string): string {
  const own = field ? `errors.field.${field}.${reason}` : null;
  if (own && typeof lookup(catalogs[locale.current], own) === 'string') return t(own as Key);
  const key = `errors.reason.${reason}`;
  return lookup(catalogs[locale.current], key) === undefined ? t('errors.reason.invalid') : t(key as Key);
}

// ---- formatting ----

function tag(): string {
  return INTL[locale.current];
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '';
  // A bare date (YYYY-MM-DD) is a calendar day, not an instant: format it in UTC so it never
  // shifts by a day across time zones.
  const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`) : new Date(iso);
  const opts: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) opts.timeZone = 'UTC';
  return new Intl.DateTimeFormat(tag(), opts).format(d);
}

/** A day as "19 Oct" (with the year when it is not this year): short labels such as the access log's. */
export function fmtDayMonth(iso: string | null | undefined): string {
  if (!iso) return '';
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const d = bare ? new Date(`${iso}T00:00:00Z`) : new Date(iso);
  const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
  if (bare) opts.timeZone = 'UTC';
  if (d.getUTCFullYear() !== new Date().getFullYear()) opts.year = 'numeric';
  return new Intl.DateTimeFormat(tag(), opts).format(d);
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(tag(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function fmtTime(iso: string | Date): string {
  return new Intl.DateTimeFormat(tag(), { timeStyle: 'short' }).format(typeof iso === 'string' ? new Date(iso) : iso);
}

export function fmtNumber(n: number): string {
  return new Intl.NumberFormat(tag()).format(n);
}

/** A weekday's name ("måndag"). */
export function fmtWeekday(d: Date): string {
  return new Intl.DateTimeFormat(tag(), { weekday: 'long' }).format(d);
}

/** An amount in minor units (öre, øre, cent) with two decimals: "950,00". */
export function fmtAmount(minor: number): string {
  return new Intl.NumberFormat(tag(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);
}

export function fmtPercent(fraction: number): string {
  return new Intl.NumberFormat(tag(), { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

export function fmtBytes(n: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return new Intl.NumberFormat(tag(), {
    style: 'unit',
    unit: units[i],
    unitDisplay: 'short',
    maximumFractionDigits: i === 0 ? 0 : 1,
  }).format(v);
}

export function fmtDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return new Intl.NumberFormat(tag(), { style: 'unit', unit: 'second', maximumFractionDigits: 1 }).format(s);
  return new Intl.NumberFormat(tag(), { style: 'unit', unit: 'minute', maximumFractionDigits: 1 }).format(s / 60);
}

/** Sorts names per the language's collation (Swedish å/ä/ö after z, Danish æ/ø/å). */
export function collator(): Intl.Collator {
  return new Intl.Collator(tag(), { sensitivity: 'base' });
}

/** Localized passphrase feedback for a zxcvbn hint code. */
export function hintText(code: string): string {
  const key = `strength.hints.${code}`;
  return lookup(catalogs[locale.current], key) === undefined ? t('strength.hints.generic') : t(key as Key);
}
