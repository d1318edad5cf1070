// Where the therapist is in the main window. Holds ids only, and is reset on lock.

import { registerReset } from './session.svelte';

export type View = 'home' | 'client' | 'settings' | 'due' | 'breaches' | 'week' | 'invoices';
export type ClientTab = 'journal' | 'sessions' | 'measures' | 'details' | 'attachments' | 'log' | 'rights' | 'consents';

class Nav {
  view = $state<View>('home');
  clientId = $state<number | null>(null);
  tab = $state<ClientTab>('journal');
  /** The invoice open in the invoices view. */
  invoiceId = $state<number | null>(null);
  /** The entry open in the journal tab (`'new'` for a fresh draft). */
  entryId = $state<number | 'new' | null>(null);
  searchOpen = $state(false);
  /** Bumped when the client list should reload (a client was added or changed). */
  clientsVersion = $state(0);
  /** Bumped when the due-for-deletion list should reload (something was erased). */
  dueVersion = $state(0);
  /** Bumped when the breach clocks should be read again (a breach was recorded or notified). */
  breachVersion = $state(0);
  /** The rights tab was opened from the due list: erasure by retention is preselected. */
  reviewDue = $state(false);
}

export const nav = new Nav();

export function resetNav(): void {
  nav.view = 'home';
  nav.clientId = null;
  nav.tab = 'journal';
  nav.entryId = null;
  nav.invoiceId = null;
  nav.searchOpen = false;
  nav.clientsVersion = 0;
  nav.dueVersion = 0;
  nav.breachVersion = 0;
  nav.reviewDue = false;
}
registerReset(resetNav);

export function openClient(id: number, tab: ClientTab = 'journal'): void {
  nav.view = 'client';
  nav.clientId = id;
  nav.tab = tab;
  nav.entryId = null;
  nav.reviewDue = false;
}

export function openEntry(clientId: number, entryId: number): void {
  nav.view = 'client';
  nav.clientId = clientId;
  nav.tab = 'journal';
  nav.entryId = entryId;
}

export function openInvoice(id: number): void {
  nav.view = 'invoices';
  nav.invoiceId = id;
}
