import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import { nav } from '../../lib/stores/nav.svelte';
import type { FakeBackend } from '../../lib/backend/fake';
import Journal from './Journal.svelte';

/** `.summary` (40px) plus the `.item` margin (8px), as in Journal.svelte. */
const ROW = 66;
/** Where the list starts inside the scroll container (courses and the logbook heading above it). */
const LIST_TOP = 100;
/** Where the list is now: something opened above it (the new-note editor) pushes it down. */
let listTop = LIST_TOP;

let box: HTMLElement | null = null;

afterEach(() => {
  cleanup();
  box?.remove();
  box = null;
  listTop = LIST_TOP;
  vi.restoreAllMocks();
});

/**
 * A scroll container like the app's `main`, with the layout jsdom does not do: 600px high, the
 * timeline LIST_TOP px below the top of its content.
 */
function scrollBox(): HTMLElement {
  const el = document.createElement('div');
  el.style.overflowY = 'auto';
  Object.defineProperty(el, 'clientHeight', { value: 600 });
  document.body.appendChild(el);
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const top = this.matches('[data-testid="timeline"]') ? listTop - el.scrollTop : 0;
    return { top, bottom: top, left: 0, right: 800, width: 800, height: 0, x: 0, y: top, toJSON: () => ({}) } as DOMRect;
  });
  return (box = el);
}

/** A client with `n` notes; the last one written (`Note n-1`) is first in the logbook. */
async function clientWithNotes(fake: FakeBackend, n: number) {
  const client = await fake.createClient({
    given_name: 'Många',
    family_name: 'Anteckningar',
    date_of_birth: null,
    national_id: null,
    address: '',
    email: '',
    phones: [],
    emergency_contact: null,
    custom_fields: [],
  });
  const course = await fake.createCourse(client.id, { title: 'Långvarig', reason: '', start_date: '2010-01-01' });
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2010, 0, 1) + i * 86_400_000).toISOString();
    const e = await fake.createEntry(course.id, {
      kind: 'session',
      occurred_at: day,
      duration_minutes: 50,
      title: `Note ${i}`,
      body: `Body ${i}`,
      tags: [],
      template_id: null,
    });
    if (i % 2) await fake.signEntry(e.id);
  }
  return client;
}

/** The logbook of a client with `n` notes in the scroll box, once its newest row is shown. */
async function openLogbook(n: number) {
  const fake = useFake();
  const client = await clientWithNotes(fake, n);
  const target = scrollBox();
  render(Journal, { target, props: { client } });
  await waitFor(() => expect(titles()[0]).toBe(`Note ${n - 1}`));
  return { fake, target };
}

const titles = () => screen.getAllByTestId('timeline-item').map((li) => li.querySelector('.title')!.textContent);
const gapHeights = () =>
  [...screen.getByTestId('timeline').querySelectorAll<HTMLElement>('li.gap')].reduce((sum, g) => sum + parseFloat(g.style.height), 0);

describe('logbook timeline', () => {
  it('puts only the rows in view into the page, with 500 notes, and follows the scroll', async () => {
    const { target } = await openLogbook(500);
    const items = screen.getAllByTestId('timeline-item');
    expect(items.length).toBeGreaterThan(10);
    expect(items.length).toBeLessThan(60);
    expect(items[0].getAttribute('aria-posinset')).toBe('1');
    expect(items[0].getAttribute('aria-setsize')).toBe('500');
    // Spacers stand in for the rest: the list is as tall as all 500 rows.
    expect(gapHeights() + items.length * ROW).toBe(500 * ROW);

    // Scrolled to row 300 (Note 199): the rows there are in, the newest are gone.
    target.scrollTop = LIST_TOP + 300 * ROW;
    await fireEvent.scroll(target);
    await waitFor(() => expect(titles()).toContain('Note 199'));
    expect(titles()).not.toContain('Note 499');
    const now = screen.getAllByTestId('timeline-item');
    expect(now.length).toBeLessThan(60);
    expect(Number(now[0].getAttribute('aria-posinset'))).toBeGreaterThan(250);
    expect(gapHeights() + now.length * ROW).toBe(500 * ROW);
  });

  it('scrolls to and opens an entry far down when search points at it, and keeps it while scrolling away', async () => {
    const { fake, target } = await openLogbook(500);
    // Row 450 is Note 49, a signed one; it is not in the page yet.
    const far = fake.entries.find((e) => e.title === 'Note 49')!;
    expect(document.getElementById(`entry-${far.id}`)).toBeNull();

    nav.entryId = far.id;
    await waitFor(() => expect(document.getElementById(`entry-${far.id}`)).not.toBeNull());
    const li = document.getElementById(`entry-${far.id}`)!;
    expect(li.getAttribute('aria-posinset')).toBe('451');
    expect(li.querySelector('.summary')!.getAttribute('aria-expanded')).toBe('true');
    expect(target.scrollTop).toBe(LIST_TOP + 450 * ROW);
    // The rows around it came in with it.
    expect(titles()).toContain('Note 48');
    expect(titles()).toContain('Note 50');
    await screen.findByTestId('entry-amend');

    // Back at the top, the open entry stays in the page (an open draft is never unmounted).
    target.scrollTop = 0;
    await fireEvent.scroll(target);
    await waitFor(() => expect(titles()[0]).toBe('Note 499'));
    expect(document.getElementById(`entry-${far.id}`)).not.toBeNull();
    expect(titles()).not.toContain('Note 48');
  });

  it('shows the rows again when what pushed the list out of view closes, without a scroll', async () => {
    const { fake, target } = await openLogbook(3);
    expect(titles()).toEqual(['Note 2', 'Note 1', 'Note 0']);
    // The new-note editor opens above the list, tall: measured now, the list is far below the view.
    await fireEvent.click(screen.getByTestId('entry-new'));
    await screen.findByTestId('entry-editor');
    listTop = 3000;
    await fireEvent.scroll(target);
    // The note is written and the editor closed: the list is back near the top, nothing scrolled.
    await fake.createEntry(fake.courses[0].id, {
      kind: 'session',
      occurred_at: new Date(Date.UTC(2011, 0, 1)).toISOString(),
      duration_minutes: 50,
      title: 'Ny anteckning',
      body: '',
      tags: [],
      template_id: null,
    });
    listTop = LIST_TOP;
    await fireEvent.click(screen.getByTestId('entry-close'));
    await waitFor(() => expect(titles()).toEqual(['Ny anteckning', 'Note 2', 'Note 1', 'Note 0']));
  });

  it('shows each row with a line of its text, and reads the last five signed notes in full', async () => {
    const { fake } = await openLogbook(12);
    expect(screen.getAllByTestId('timeline-preview')[0].textContent).toBe('Body 11');
    await fireEvent.click(screen.getByTestId('recent-open'));
    const notes = await screen.findAllByTestId('recent-note');
    // The signed ones (odd numbers), newest first, five of them.
    expect(notes.map((n) => n.querySelector('h3')!.textContent)).toEqual(['Note 11', 'Note 9', 'Note 7', 'Note 5', 'Note 3']);
    expect(notes[0].textContent).toContain('Body 11');
    expect(fake.args.get('recentEntries')).toEqual([fake.clients.at(-1)!.id, 5]);
    await fireEvent.click(screen.getByTestId('recent-close'));
    expect(screen.queryByTestId('recent-notes')).toBeNull();
  });
});
