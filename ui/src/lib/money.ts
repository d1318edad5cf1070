// Amounts as the therapist types and reads them. The core keeps whole minor units (öre, øre,
// cent); these only convert the text of a field, like ./dates.ts does for times.

/** Minor units from "950", "950,50", "1 100.5" (either decimal mark, up to two decimals, spaces
 * between thousands); `null` for an empty field; `undefined` when it is not an amount. */
export function parseAmount(text: string): number | null | undefined {
  const t = text.replace(/[\s\u00a0]/g, '');
  if (t === '') return null;
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(t);
  if (!m) return undefined;
  const minor = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** The field's text for an amount in minor units ("950,50" in sv/da, "950.50" in en). */
export function amountInput(minor: number | null, decimalMark: ',' | '.'): string {
  if (minor === null) return '';
  const whole = Math.floor(minor / 100);
  const cents = minor % 100;
  return cents === 0 ? String(whole) : `${whole}${decimalMark}${String(cents).padStart(2, '0')}`;
}
