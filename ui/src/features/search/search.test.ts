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
