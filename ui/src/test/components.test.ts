import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from './helpers';
import { nav } from '../lib/stores/nav.svelte';
import StrengthMeter from '../components/StrengthMeter.svelte';
import RecoveryKeyCheck from '../components/RecoveryKeyCheck.svelte';
import ClientList from '../screens/ClientList.svelte';
import SearchDialog from '../screens/SearchDialog.svelte';
import AddClient from '../screens/AddClient.svelte';

afterEach(() => cleanup());

describe('StrengthMeter', () => {
  it('shows the core verdict and localized feedback as the passphrase changes', async () => {
    const fake = useFake();
    const { rerender } = render(StrengthMeter, { passphrase: 'password', delayMs: 0 });
    await waitFor(() => expect(screen.getByTestId('strength-label').textContent).toContain('not strong enough'));
    expect(screen.getByTestId('strength-meter').textContent).toContain('Add another word or two');
    expect(fake.calls).toContain('checkPassphrase');
    await rerender({ passphrase: 'lingon tavla regnbåge sextiosju', delayMs: 0 });
    await waitFor(() => expect(screen.getByTestId('strength-label').textContent).toContain('good enough'));
    expect(screen.getByTestId('strength-meter').querySelectorAll('.bar.on.good').length).toBeGreaterThanOrEqual(3);
  });

  it('is empty for an empty passphrase and never asks the backend', async () => {
    const fake = useFake();
    render(StrengthMeter, { passphrase: '', delayMs: 0 });
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByTestId('strength-label')).toBeNull();
    expect(fake.calls).not.toContain('checkPassphrase');
  });
});

describe('RecoveryKeyCheck', () => {
  const key = '7K3M-Q9XD-2B4F-H6JN-P8RT-V1WZ-C5E9-A2G4-K7M3';

  it('refuses groups that do not match', async () => {
    useFake();
    const oncomplete = vi.fn();
    render(RecoveryKeyCheck, { recoveryKey: key, positions: [1, 4], oncomplete });
    expect(screen.getByText('Group 2')).toBeTruthy();
    expect(screen.getByText('Group 5')).toBeTruthy();
    await fireEvent.input(screen.getByTestId('recovery-check-1'), { target: { value: 'Q9XD' } });
    await fireEvent.input(screen.getByTestId('recovery-check-2'), { target: { value: 'P8RX' } });
    await fireEvent.click(screen.getByTestId('recovery-check-submit'));
    expect(oncomplete).not.toHaveBeenCalled();
    expect(screen.getByTestId('recovery-check-error')).toBeTruthy();
    expect(screen.getByTestId('recovery-check-2').getAttribute('aria-invalid')).toBe('true');
  });

  it('accepts the right groups in any case, with O for 0 and l for 1', async () => {
    useFake();
    const oncomplete = vi.fn();
    render(RecoveryKeyCheck, { recoveryKey: key, positions: [5, 8], oncomplete });
    await fireEvent.input(screen.getByTestId('recovery-check-1'), { target: { value: 'vlwz' } });
    await fireEvent.input(screen.getByTestId('recovery-check-2'), { target: { value: 'k7m3' } });
    await fireEvent.click(screen.getByTestId('recovery-check-submit'));
    expect(oncomplete).toHaveBeenCalledOnce();
  });
});

describe('ClientList', () => {
  it('moves with the arrow keys and opens the highlighted client with Enter', async () => {
    const fake = useFake();
    render(ClientList, { onadd: () => {} });
    await waitFor(() => expect(screen.getAllByTestId('client-item')).toHaveLength(3));
    const items = () => screen.getAllByTestId('client-item');
    expect(items()[0].getAttribute('aria-selected')).toBe('true');
    const input = screen.getByTestId('client-filter');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(items()[1].getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(items()[0].getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(items()[2].getAttribute('aria-selected')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(items()[2].id);
    const expected = items()[2].textContent!.trim();
    await fireEvent.keyDown(input, { key: 'Enter' });
    const opened = fake.clients.find((c) => expected.includes(c.given_name));
    expect(nav.view).toBe('client');
    expect(nav.clientId).toBe(opened!.id);
  });

  it('filters as you type, without diacritics', async () => {
    useFake();
    render(ClientList, { onadd: () => {} });
    await waitFor(() => expect(screen.getAllByTestId('client-item')).toHaveLength(3));
    await fireEvent.input(screen.getByTestId('client-filter'), { target: { value: 'oberg' } });
    await waitFor(() => expect(screen.getAllByTestId('client-item')).toHaveLength(1));
    expect(screen.getByTestId('client-item').textContent).toContain('Åsa');
  });

  it('shows archived clients only in the archived view', async () => {
    useFake();
    render(ClientList, { onadd: () => {} });
    await waitFor(() => expect(screen.getAllByTestId('client-item')).toHaveLength(3));
    expect(screen.queryByText(/Lindqvist/)).toBeNull();
    await fireEvent.click(screen.getByTestId('clients-archived'));
    await waitFor(() => expect(screen.getAllByTestId('client-item')).toHaveLength(1));
    expect(screen.getByTestId('client-item').textContent).toContain('Lindqvist');
  });
});

describe('SearchDialog', () => {
  it('shows nothing and asks nothing before something is typed', async () => {
    const fake = useFake();
    render(SearchDialog, { onclose: () => {}, delayMs: 0 });
    await new Promise((r) => setTimeout(r, 20));
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

describe('client form', () => {
  it('shows the core validation message under the named field', async () => {
    const fake = useFake();
    render(AddClient, { onclose: () => {} });
    await fireEvent.input(screen.getByTestId('client-given-name'), { target: { value: 'Bo' } });
    await fireEvent.input(screen.getByTestId('client-email'), { target: { value: 'bo@' } });
    await fireEvent.click(screen.getByTestId('client-form-submit'));
    await waitFor(() => expect(screen.getByTestId('field-error-email').textContent).toBe('This is not in a valid format.'));
    expect(screen.getByTestId('client-email').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByTestId('client-email'));
    expect(fake.clients.some((c) => c.given_name === 'Bo')).toBe(false);
    await fireEvent.input(screen.getByTestId('client-given-name'), { target: { value: ' ' } });
    await fireEvent.input(screen.getByTestId('client-email'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('client-form-submit'));
    await waitFor(() => expect(screen.getByTestId('field-error-given_name').textContent).toBe('This field is required.'));
  });

  it('adds a client and opens its page', async () => {
    const fake = useFake();
    render(AddClient, { onclose: () => {} });
    await fireEvent.input(screen.getByTestId('client-given-name'), { target: { value: 'Bo' } });
    await fireEvent.input(screen.getByTestId('client-family-name'), { target: { value: 'Ek' } });
    await fireEvent.click(screen.getByTestId('client-form-submit'));
    await waitFor(() => expect(fake.clients.some((c) => c.given_name === 'Bo')).toBe(true));
    expect(nav.clientId).toBe(fake.clients.find((c) => c.given_name === 'Bo')!.id);
  });
});
