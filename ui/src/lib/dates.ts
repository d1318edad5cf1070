// Conversions between the core's UTC timestamps and <input type="datetime-local"> values,
// which are in the computer's local time.

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function todayDate(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A local calendar day as YYYY-MM-DD. */
export function dayIso(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local midnight `n` days after `d`'s day (across daylight-saving changes too). */
export function addDays(d: Date, n: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
}

/** Local midnight of the Monday of `d`'s week: weeks start on Monday in Sweden and Denmark,
 * whatever the computer's locale says. */
export function mondayOf(d: Date): Date {
  return addDays(d, -((d.getDay() + 6) % 7));
}

/** The ISO 8601 week number of the week starting `monday` (week 1 holds the year's first
 * Thursday), as Swedish and Danish calendars number weeks. */
export function isoWeek(monday: Date): number {
  const thursday = Date.UTC(monday.getFullYear(), monday.getMonth(), monday.getDate() + 3);
  const yearStart = Date.UTC(new Date(thursday).getUTCFullYear(), 0, 1);
  return Math.ceil(((thursday - yearStart) / 86_400_000 + 1) / 7);
}
