// Where the therapist is in the main window. Holds ids only, and is reset on lock.

import { registerReset } from './session.svelte';

export type View = 'home' | 'client' | 'settings';
export type ClientTab = 'journal' | 'details' | 'attachments' | 'log';

class Nav {
  view = $state<View>('home');
  clientId = $state<number | null>(null);
  tab = $state<ClientTab>('journal');
  /** The entry open in the journal tab (`'new'` for a fresh draft). */
  entryId = $state<number | 'new' | null>(null);
  searchOpen = $state(false);
  /** Bumped when the client list should reload (a client was added or changed). */
  clientsVersion = $state(0);
}

export const nav = new Nav();

export function resetNav(): void {
  nav.view = 'home';
  nav.clientId = null;
  nav.tab = 'journal';
  nav.entryId = null;
  nav.searchOpen = false;
  nav.clientsVersion = 0;
}
registerReset(resetNav);

export function openClient(id: number, tab: ClientTab = 'journal'): void {
  nav.view = 'client';
  nav.clientId = id;
  nav.tab = tab;
  nav.entryId = null;
}

export function openEntry(clientId: number, entryId: number): void {
  nav.view = 'client';
  nav.clientId = clientId;
  nav.tab = 'journal';
  nav.entryId = entryId;
}
