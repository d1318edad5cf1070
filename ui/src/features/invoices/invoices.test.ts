// Invoices: the week turns one client's waiting sessions into a draft and opens it; a draft
// sends its customer and lines as shown and is issued after a confirmation, the core's missing
// field named in words; an issued one saves a PDF, records a payment as typed and is credited;
// the billing details are saved as typed.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import { addDays, todayDate } from '../../lib/dates';
import { nav } from '../../lib/stores/nav.svelte';
import type { Appointment } from '../../lib/bindings';
import Week from '../sessions/Week.svelte';
import Invoices from './Invoices.svelte';
import BillingSettings from './BillingSettings.svelte';

afterEach(() => cleanup());

function attended(id: number, clientId: number, daysAgo: number): Appointment {
  const d = addDays(new Date(), -daysAgo);
  d.setHours(9, 0, 0, 0);
  return {
    id,
    client_id: clientId,
    course_id: null,
    starts_at: d.toISOString(),
    minutes: 50,
    kind: 'individual',
    attendance: 'attended',
    fee: 110_000,
    entry_id: null,
    created_at: '2026-11-01T09:00:00Z',
    updated_at: '2026-11-01T09:00:00Z',
  };
}

describe('invoices', () => {
  it('makes a draft of one client’s waiting sessions from the week and opens it', async () => {
    const fake = useFake();
    const [a, b] = fake.clients;
    fake.practice.appointments = [attended(901, a.id, 3), attended(902, b.id, 2), attended(903, a.id, 1)];
    render(Week);
    const groups = await screen.findAllByTestId('uninvoiced-client');
    expect(groups).toHaveLength(2);
    expect(within(groups[0]).getAllByTestId('week-item')).toHaveLength(2);
    await fireEvent.click(within(groups[0]).getByTestId('invoice-create'));
    await waitFor(() => expect(fake.args.get('createInvoice')).toEqual([a.id, [901, 903]]));
    expect(nav.view).toBe('invoices');
    expect(nav.invoiceId).toBe(fake.practice.invoices[0].id);
  });

  it('saves a draft as shown and issues it after a confirmation; a missing field is named', async () => {
    const fake = useFake();
    const a = fake.clients[0];
    fake.practice.appointments = [attended(911, a.id, 1)];
    const draft = await fake.createInvoice(a.id, [911]);
    nav.invoiceId = draft.id;
    render(Invoices);
    const view = await screen.findByTestId('invoice-view');
    await fireEvent.input(within(view).getByTestId('invoice-address'), { target: { value: 'Storgatan 1\n111 22 Stockholm' } });
    await fireEvent.click(within(view).getByTestId('line-add'));
    const descriptions = within(view).getAllByTestId('line-description');
    await fireEvent.input(descriptions[1], { target: { value: 'Intyg' } });
    await fireEvent.input(within(view).getAllByTestId('line-price')[1], { target: { value: '500,50' } });
    fake.failNext('issueInvoice', { code: 'validation', message: 'x', field: { field: 'org_number', reason: 'required' } });
    await fireEvent.click(within(view).getByTestId('invoice-issue'));
    await fireEvent.click(await screen.findByTestId('issue-confirm'));
    expect((await screen.findByTestId('invoice-error')).textContent).toBe('Organisation number (Settings): This field is required.');
    const [id, input] = fake.args.get('saveInvoiceDraft') as [number, { buyer_address: string; lines: unknown[] }];
    expect(id).toBe(draft.id);
    expect(input.buyer_address).toBe('Storgatan 1\n111 22 Stockholm');
    expect(input.lines[1]).toEqual({
      description: 'Intyg',
      service_date: null,
      quantity: 1,
      unit_price: 50_050,
      vat: 'exempt',
      appointment_id: null,
    });
    await fireEvent.click(screen.getByTestId('invoice-issue'));
    await fireEvent.click(await screen.findByTestId('issue-confirm'));
    await waitFor(() => expect(screen.getByTestId('invoice-view').dataset.state).toBe('open'));
    expect(screen.getByTestId('invoice-view').textContent).toContain('No. 1');
  });

  it('deletes a draft only after a confirmation', async () => {
    const fake = useFake();
    const a = fake.clients[0];
    fake.practice.appointments = [attended(912, a.id, 1)];
    const draft = await fake.createInvoice(a.id, [912]);
    nav.invoiceId = draft.id;
    render(Invoices);
    await fireEvent.click(await screen.findByTestId('invoice-delete'));
    await screen.findByTestId('delete-dialog');
    expect(fake.calls).not.toContain('deleteInvoiceDraft');
    await fireEvent.click(screen.getByTestId('delete-confirm'));
    await waitFor(() => expect(fake.calls).toContain('deleteInvoiceDraft'));
    expect((await fake.invoices(null)).some((i) => i.id === draft.id)).toBe(false);
  });

  it('saves an issued invoice as PDF, records a payment as typed, and credits another', async () => {
    const fake = useFake();
    const a = fake.clients[0];
    fake.practice.appointments = [attended(921, a.id, 2), attended(922, a.id, 1)];
    const first = await fake.issueInvoice((await fake.createInvoice(a.id, [921])).id);
    const second = await fake.issueInvoice((await fake.createInvoice(a.id, [922])).id);
    nav.invoiceId = first.id;
    render(Invoices);
    await fireEvent.click(await screen.findByTestId('invoice-pdf'));
    expect((await screen.findByTestId('invoice-pdf-path')).textContent).toContain('invoice-1-');
    await fireEvent.click(screen.getByTestId('invoice-pay'));
    await fireEvent.input(screen.getByTestId('payment-amount'), { target: { value: '1 100' } });
    await fireEvent.change(screen.getByTestId('payment-method'), { target: { value: 'swish' } });
    await fireEvent.click(screen.getByTestId('payment-save'));
    await waitFor(() =>
      expect(fake.args.get('recordPayment')).toEqual([first.id, { paid_on: todayDate(), amount: 110_000, method: 'swish' }]),
    );
    await waitFor(() => expect(screen.getByTestId('invoice-view').dataset.state).toBe('paid'));
    expect(screen.getByTestId('invoice-receipt')).toBeTruthy();
    expect(screen.getByTestId('invoice-credit')).toBeTruthy();

    const rows = screen.getAllByTestId('invoice-item');
    await fireEvent.click(rows.find((r) => r.textContent?.includes('No. 2'))!);
    await fireEvent.click(await screen.findByTestId('invoice-credit'));
    await fireEvent.input(screen.getByTestId('credit-reason'), { target: { value: 'Wrong customer' } });
    await fireEvent.click(screen.getByTestId('credit-save'));
    await waitFor(() => expect(fake.args.get('creditInvoice')).toEqual([second.id, 'Wrong customer']));
    const credit = await screen.findByTestId('invoice-credits');
    expect(credit.textContent).toContain('Credits invoice no. 2');
    expect(credit.textContent).toContain('Wrong customer');
    expect(screen.getByTestId('invoice-view').dataset.state).toBe('credit_note');
  });

  it('keeps a draft with an unreadable price on screen, marked, and sends nothing', async () => {
    const fake = useFake();
    const a = fake.clients[0];
    fake.practice.appointments = [attended(931, a.id, 1)];
    const draft = await fake.createInvoice(a.id, [931]);
    nav.invoiceId = draft.id;
    render(Invoices);
    const view = await screen.findByTestId('invoice-view');
    await fireEvent.input(within(view).getAllByTestId('line-price')[0], { target: { value: 'elva hundra' } });
    await fireEvent.click(within(view).getByTestId('invoice-save'));
    expect((await screen.findByTestId('invoice-error')).textContent).toBe('Unit price: This is not in a valid format.');
    expect(fake.calls).not.toContain('saveInvoiceDraft');
    expect(screen.getByTestId('invoice-view').dataset.state).toBe('draft');
    expect(nav.invoiceId).toBe(draft.id);
  });

  it('saves the invoices of a period as CSV for the accountant, the year so far by default', async () => {
    const fake = useFake();
    render(Invoices);
    const from = (await screen.findByTestId('csv-from')) as HTMLInputElement;
    expect(from.value).toBe(`${todayDate().slice(0, 4)}-01-01`);
    await fireEvent.input(screen.getByTestId('csv-to'), { target: { value: '2026-06-30' } });
    await fireEvent.click(screen.getByTestId('csv-save'));
    await screen.findByTestId('csv-done');
    expect(fake.args.get('accountingCsv')).toEqual([`${todayDate().slice(0, 4)}-01-01`, '2026-06-30', null]);
    expect(screen.getByTestId('csv-done').textContent).toContain('.csv');
    expect(screen.getByTestId('csv').textContent).toContain('The file is not encrypted');
  });

  it('offers to delete bookkeeping past its period only when there is some, and only after a confirmation', async () => {
    const fake = useFake();
    render(Invoices);
    await screen.findByTestId('accounting');
    expect(screen.queryByTestId('old-invoices')).toBeNull();
    cleanup();
    const old = { invoices: 3, years: [2017, 2018], source: 'Bokföringslagen (1999:1078) 7 kap. 2 §' };
    fake.answerNext('oldInvoices', old);
    fake.answerNext('purgeOldInvoices', old);
    render(Invoices);
    const card = await screen.findByTestId('old-invoices');
    expect(card.textContent).toContain('2017, 2018');
    expect(card.textContent).toContain('7 kap. 2 §');
    await fireEvent.click(screen.getByTestId('old-invoices-delete'));
    expect(fake.calls).not.toContain('purgeOldInvoices');
    await fireEvent.click(within(screen.getByTestId('old-invoices-dialog')).getByTestId('old-invoices-confirm'));
    await waitFor(() => expect(fake.calls).toContain('purgeOldInvoices'));
    expect((await screen.findByTestId('old-invoices-done')).textContent).toContain('3');
  });

  it('saves the billing details as typed', async () => {
    const fake = useFake();
    render(BillingSettings);
    await fireEvent.input(await screen.findByTestId('billing-org_number'), { target: { value: '556677-8899' } });
    await fireEvent.input(screen.getByTestId('billing-bankgiro'), { target: { value: '123-4567' } });
    await fireEvent.click(screen.getByTestId('billing-f-skatt'));
    await fireEvent.click(screen.getByTestId('billing-save'));
    await waitFor(() => expect(fake.calls).toContain('setBilling'));
    const [b] = fake.args.get('setBilling') as [Record<string, unknown>];
    expect(b).toMatchObject({ org_number: '556677-8899', bankgiro: '123-4567', f_skatt: true, payment_days: 30 });
  });
});
