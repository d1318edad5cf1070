// How a result's band and flags read: a built-in instrument's band is a stable name the UI
// translates; a questionnaire of the therapist's own carries the words the therapist wrote.
import { t } from '../../lib/i18n/index.svelte';
import type { Instrument } from '../../lib/bindings';

export function bandText(i: Pick<Instrument, 'custom'>, label: string): string {
  return i.custom ? label : t(`measures.bands.${label}` as Parameters<typeof t>[0]);
}

export function flagText(i: Pick<Instrument, 'custom'>, flags: number[]): string {
  return t(i.custom ? 'measures.flag_own' : 'measures.flag', { items: flags.join(', ') });
}
