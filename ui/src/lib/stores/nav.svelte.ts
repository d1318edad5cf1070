// Where the therapist is in the main window. Holds ids only, and is reset on lock. After a lock
// the therapist did not ask for (idle, suspend, screen lock) the ids are kept aside, so the
// unlock returns to the page that was open; a manual lock starts again from home.

import { registerReset, session } from './session.svelte';

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

type Place = Pick<Nav, 'view' | 'clientId' | 'tab' | 'invoiceId'> & { entryId: number | null };
let resume: Place | null = null;

export function resetNav(): void {
  const unasked = session.phase === 'unlocked' && (session.lockReason === 'idle' || session.lockReason === 'system');
  resume = unasked
    ? {
        view: nav.view,
        clientId: nav.clientId,
        tab: nav.tab,
        invoiceId: nav.invoiceId,
        // A new note is saved as a draft by the lock; it is then in the logbook under its own id.
        entryId: typeof nav.entryId === 'number' ? nav.entryId : null,
      }
    : null;
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

/** After an unlock: back to the page an idle or system lock closed, once. */
export function resumeNav(): void {
  const r = resume;
  resume = null;
  if (!r || (r.view === 'client' && r.clientId === null)) return;
  Object.assign(nav, r);
}

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
