import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { settle, useFake } from '../../test/helpers';
import { nav } from '../../lib/stores/nav.svelte';
import SearchDialog from './SearchDialog.svelte';
import Snippet from './Snippet.svelte';

afterEach(() => cleanup());

describe('SearchDialog', () => {
  it('shows nothing and asks nothing before something is typed', async () => {
    const fake = useFake();
    render(SearchDialog, { onclose: () => {}, delayMs: 0 });
    await settle(fake);
    expect(screen.queryAllByTestId('search-result')).toHaveLength(0);
    expect(fake.calls).not.toContain('search');
    expect(screen.getByTestId('search-dialog').textContent).not.toMatch(/Öberg|Kierkegaard|Walsh/);
  });

  it('highlights matches and jumps to the entry with Enter', async () => {
    const fake = useFake();
    const onclose = vi.fn();
    render(SearchDialog, { onclose, delayMs: 0 });
    await fireEvent.input(screen.getByTestId('search-input'), { target: { value: 'angest' } });
    await waitFor(() => expect(screen.getAllByTestId('search-result').length).toBeGreaterThan(0));
    const mark = screen.getAllByTestId('search-result')[0].querySelector('mark');
    expect(mark?.textContent).toBe('ångest');
    await fireEvent.keyDown(screen.getByTestId('search-input'), { key: 'Enter' });
    const signed = fake.entries.find((e) => e.status === 'signed')!;
    expect(nav.entryId).toBe(signed.id);
    expect(nav.clientId).toBe(signed.client_id);
    expect(onclose).toHaveBeenCalled();
  });
});

describe('SearchDialog at scale and with a client in the room', () => {
  function hitsFor(fake: ReturnType<typeof useFake>, n: number, clientId: number) {
    const base = fake.searchHits[0];
    for (let i = 0; i < n; i++) fake.searchHits.push({ ...base, client_id: clientId, entry_id: 10_000 + i });
  }

  it('searches only the open client; Ctrl+K or the button searches everyone', async () => {
    const fake = useFake();
    const mine = fake.searchHits[0].client_id;
    hitsFor(fake, 3, 9_999);
    nav.view = 'client';
    nav.clientId = mine;
    render(SearchDialog, { onclose: () => {}, delayMs: 0 });
    expect(screen.getByTestId('search-scope').textContent).toMatch(/this client's journal/);
    await fireEvent.input(screen.getByTestId('search-input'), { target: { value: 'angest' } });
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(1));
    expect((fake.args.get('search')![0] as { client_id: number | null }).client_id).toBe(mine);
    await fireEvent.keyDown(screen.getByTestId('search-input'), { key: 'k', ctrlKey: true });
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(4));
    expect((fake.args.get('search')![0] as { client_id: number | null }).client_id).toBeNull();
    expect(screen.getByTestId('search-scope').textContent).toMatch(/all clients/);
    await fireEvent.click(screen.getByTestId('search-scope-toggle'));
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(1));
  });

  it('says how many matched when the list is cut, and asks for the oldest first', async () => {
    const fake = useFake();
    nav.view = 'home';
    nav.clientId = null;
    hitsFor(fake, 79, fake.searchHits[0].client_id);
    render(SearchDialog, { onclose: () => {}, delayMs: 0 });
    expect(screen.queryByTestId('search-scope')).toBeNull();
    await fireEvent.input(screen.getByTestId('search-input'), { target: { value: 'angest' } });
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(50));
    expect(screen.getByTestId('search-status').textContent).toMatch(/Showing 50 of 80 results/);
    fake.answerNext('search', { hits: fake.searchHits.slice(0, 50), total: 1000, more: true });
    await fireEvent.change(screen.getByTestId('search-sort'), { target: { value: 'true' } });
    await waitFor(() => expect(screen.getByTestId('search-status').textContent).toMatch(/more than 1,000/));
    expect((fake.args.get('search')![0] as { oldest_first: boolean }).oldest_first).toBe(true);
  });
});

describe('search snippet', () => {
  it('marks hits and escapes HTML in snippet text', () => {
    const { container } = render(Snippet, {
      parts: [
        { text: 'before <img src=x onerror=alert(1)> ', hit: false },
        { text: 'ångest', hit: true },
        { text: ' <script>after</script>', hit: false },
      ],
    });
    expect(container.querySelector('img, script')).toBeNull();
    const marks = container.querySelectorAll('mark');
    expect(marks).toHaveLength(1);
    expect(marks[0].textContent).toBe('ångest');
    expect(container.textContent).toBe('before <img src=x onerror=alert(1)> ångest <script>after</script>');
  });
});
