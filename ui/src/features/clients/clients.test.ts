import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import { nav } from '../../lib/stores/nav.svelte';
import ClientList from './ClientList.svelte';
import CreateClient from './CreateClient.svelte';

afterEach(() => cleanup());

describe('ClientList', () => {
  it('puts only the rows in view into the page, with 3,000 clients', async () => {
    const fake = useFake();
    const base = fake.clients[0];
    for (let i = 0; i < 3000; i++) {
      fake.clients.push({ ...base, id: 100_000 + i, given_name: `Klient${i}`, family_name: `Efternamn${String(i).padStart(4, '0')}` });
    }
    render(ClientList, { onadd: () => {} });
    await waitFor(() => expect(screen.getByTestId('client-list').textContent).toMatch(/3[\s\u00a0,]?003/));
    const rows = screen.getAllByTestId('client-item');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(100);
    // Moving past the last row in the page brings the next ones in, and Enter opens it.
    const input = screen.getByTestId('client-filter');
    for (let i = 0; i < rows.length + 5; i++) await fireEvent.keyDown(input, { key: 'ArrowDown' });
    const list = document.getElementById('client-options')!;
    await fireEvent.scroll(list, { target: { scrollTop: (rows.length + 5) * 32 } });
    const active = document.getElementById(input.getAttribute('aria-activedescendant')!);
    expect(active?.getAttribute('aria-selected')).toBe('true');
    expect(Number(active?.dataset.index)).toBe(rows.length + 5);
  });

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

  it('filters as you type: sends the text to the core and shows what it finds', async () => {
    const fake = useFake();
    render(ClientList, { onadd: () => {} });
    await waitFor(() => expect(screen.getAllByTestId('client-item')).toHaveLength(3));
    // Matching "oberg" to "Öberg" is the core's rule; its answer is injected.
    const asa = (await fake.listClients({ status: 'active', query: null })).find((c) => c.given_name === 'Åsa')!;
    fake.answerNext('listClients', [asa]);
    await fireEvent.input(screen.getByTestId('client-filter'), { target: { value: 'oberg' } });
    await waitFor(() => expect(screen.getAllByTestId('client-item')).toHaveLength(1));
    expect(screen.getByTestId('client-item').textContent).toContain('Åsa');
    expect(fake.args.get('listClients')).toEqual([{ status: 'active', query: 'oberg' }]);
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

describe('client form', () => {
  it('shows the core validation message under the named field', async () => {
    const fake = useFake();
    render(CreateClient, { onclose: () => {} });
    fake.failNext('createClient', { code: 'validation', message: 'invalid email: format', field: { field: 'email', reason: 'format' } });
    await fireEvent.input(screen.getByTestId('client-given-name'), { target: { value: 'Bo' } });
    await fireEvent.input(screen.getByTestId('client-email'), { target: { value: 'bo@' } });
    await fireEvent.click(screen.getByTestId('client-form-submit'));
    await waitFor(() => expect(screen.getByTestId('field-error-email').textContent).toBe('Type an email address, e.g. name@example.com.'));
    expect(screen.getByTestId('client-email').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByTestId('client-email'));
    expect(fake.clients.some((c) => c.given_name === 'Bo')).toBe(false);
    fake.failNext('createClient', {
      code: 'validation',
      message: 'invalid given_name: required',
      field: { field: 'given_name', reason: 'required' },
    });
    await fireEvent.input(screen.getByTestId('client-given-name'), { target: { value: ' ' } });
    await fireEvent.input(screen.getByTestId('client-email'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('client-form-submit'));
    await waitFor(() => expect(screen.getByTestId('field-error-given_name').textContent).toBe("Type the client's given name."));
  });

  it('adds a client and opens its page', async () => {
    const fake = useFake();
    render(CreateClient, { onclose: () => {} });
    await fireEvent.input(screen.getByTestId('client-given-name'), { target: { value: 'Bo' } });
    await fireEvent.input(screen.getByTestId('client-family-name'), { target: { value: 'Ek' } });
    await fireEvent.click(screen.getByTestId('client-form-submit'));
    await waitFor(() => expect(fake.clients.some((c) => c.given_name === 'Bo')).toBe(true));
    expect(nav.clientId).toBe(fake.clients.find((c) => c.given_name === 'Bo')!.id);
  });
});

describe('rectification keeps the history', () => {
  it('shows what an edit replaced, only the fields that changed', async () => {
    const fake = useFake();
    fake.unlocked = true;
    // A copy: the fake updates its record in place.
    const before = JSON.parse(JSON.stringify(fake.clients[0])) as (typeof fake.clients)[0];
    const after = await fake.updateClient(before.id, {
      given_name: before.given_name,
      family_name: 'Bergström',
      date_of_birth: before.date_of_birth,
      national_id: before.national_id ? { kind: before.national_id.kind, value: before.national_id.value } : null,
      address: before.address,
      email: before.email,
      phones: before.phones,
      emergency_contact: before.emergency_contact,
      custom_fields: before.custom_fields,
    });
    const { default: ClientDetails } = await import('./ClientDetails.svelte');
    render(ClientDetails, { client: after, onchange: () => {} });
    const version = await screen.findByTestId('client-version');
    expect(version.textContent).toContain(before.family_name);
    expect(version.textContent).not.toContain(before.email);
    expect(screen.getByTestId('client-history').textContent).toContain('One earlier version');
  });
});
