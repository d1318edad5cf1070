// Dates and times as typed in forms, in the UI language's own way, not the operating system's
// locale (a Swedish therapist on an English-language computer still writes 2026-12-03, a
// Danish one 03-12-2026). A date is always accepted in ISO form too, so pasted and generated
// values work in every language. Times are 24-hour.

import type { Language } from './bindings';

const pad = (n: number) => String(n).padStart(2, '0');

/** How a date is shown and typed per language: ISO in Swedish and English, day first in Danish. */
export function dayPattern(lang: Language): string {
  return lang === 'da' ? 'DD-MM-ÅÅÅÅ' : lang === 'sv' ? 'ÅÅÅÅ-MM-DD' : 'YYYY-MM-DD';
}

/** A calendar day (YYYY-MM-DD) as the language writes it; '' for none. */
export function formatDay(iso: string | null | undefined, lang: Language): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  if (!m) return '';
  return lang === 'da' ? `${m[3]}-${m[2]}-${m[1]}` : `${m[1]}-${m[2]}-${m[3]}`;
}

function valid(y: number, mo: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1000 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

/** Reads a typed date: ISO (2026-12-03) or day first with a four-digit year (3.12.2026,
 * 03-12-2026, 3/12/2026). `null` when it is not a real date; '' for an empty field. */
export function parseDay(text: string): string | null {
  const s = text.trim();
  if (s === '') return '';
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{4})$/.exec(s);
  if (m) return valid(Number(m[3]), Number(m[2]), Number(m[1]));
  return null;
}

/** Reads a typed 24-hour time: 9, 930, 0930, 9:30, 9.30 → "09:30". `null` when it is not one;
 * '' for an empty field. */
export function parseTime(text: string): string | null {
  const s = text.trim();
  if (s === '') return '';
  const m = /^(\d{1,2})(?:[:.]?(\d{2}))?$/.exec(s);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2] ?? 0)];
  return h < 24 && min < 60 ? `${pad(h)}:${pad(min)}` : null;
}
