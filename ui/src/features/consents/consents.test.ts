// Consents on the client page: what is in force shows as chips and per consent; recording one
// starts from the wording last used for the purpose and sends exactly what the form shows; the
// core's field errors show by their field; withdrawing sends the day; the referral letter says
// up front that it needs a referral consent, and explains the core's `no_consent`.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import { todayDate } from '../../lib/dates';
import Consents from './Consents.svelte';
import type { Consent } from '../../lib/bindings';

afterEach(() => cleanup());

function setup() {
  const fake = useFake();
  const client = fake.clients[0];
  render(Consents, { client });
  return { fake, client };
}

function consent(over: Partial<Consent>): Consent {
  return {
    id: 900,
    client_id: 0,
    purpose: 'referral',
    body: 'Jag samtycker till remiss.',
    text_version: '2',
    given_on: '2026-02-01',
    given_how: 'verbal',
    evidence_id: null,
    recorded_at: '2026-02-01T10:00:00Z',
    withdrawn_on: null,
    ...over,
  };
}

describe('consents', () => {
  it('lists each consent with its version, day, form and status, and the purposes in force as chips', async () => {
    const { fake, client } = setup();
    fake.answerNext('consents', {
      consents: [
        consent({ id: 901, client_id: client.id, purpose: 'reminders_sms', withdrawn_on: '2026-03-01', text_version: '1' }),
        consent({ id: 902, client_id: client.id, purpose: 'treatment', given_how: 'written', evidence_id: fake.attachments[0].id }),
      ],
      in_force: ['treatment'],
    });
    cleanup();
    render(Consents, { client });
    const rows = await screen.findAllByTestId('consent');
    expect(rows.map((r) => r.dataset.inForce)).toEqual(['false', 'true']);
    expect(rows[0].textContent).toContain('Appointment reminders by text message');
    expect(within(rows[0]).getByTestId('consent-status').textContent).toMatch(/Withdrawn 1 Mar 2026/);
    expect(rows[1].textContent).toContain('In writing');
    expect(rows[1].textContent).toContain('Signed form: remiss.pdf');
    expect(within(rows[1]).getByTestId('consent-status').textContent).toContain('In force');
    expect(screen.queryAllByTestId('consent-withdraw')).toHaveLength(1);
    expect(screen.getAllByTestId('consent-chip').map((c) => c.textContent)).toEqual(['Treatment and its records']);
  });

  it('says so when nothing is in force', async () => {
    const { fake, client } = setup();
    fake.registers.consents = [];
    cleanup();
    render(Consents, { client });
    expect((await screen.findByTestId('consents-in-force')).textContent).toContain('No consent is in force.');
    expect(screen.getByTestId('consents-none')).toBeTruthy();
  });

  it('records a consent from the wording last used for the purpose, and sends what the form shows', async () => {
    const { fake, client } = setup();
    await fireEvent.click(await screen.findByTestId('consent-add'));
    // The default purpose (treatment) is prefilled from the demo's consent.
    const body = (await screen.findByTestId('consent-body')) as HTMLTextAreaElement;
    await waitFor(() => expect(body.value).toContain('Jag samtycker till behandling'));
    expect((screen.getByTestId('consent-version') as HTMLInputElement).value).toBe('1');
    fake.answerNext('lastConsentText', ['Jag samtycker till remiss till annan vårdgivare.', '3']);
    await fireEvent.change(screen.getByTestId('consent-purpose'), { target: { value: 'referral' } });
    await waitFor(() => expect(body.value).toBe('Jag samtycker till remiss till annan vårdgivare.'));
    expect(fake.args.get('lastConsentText')).toEqual(['referral']);
    expect((screen.getByTestId('consent-given-on') as HTMLInputElement).value).toBe(todayDate());
    await fireEvent.change(screen.getByTestId('consent-how'), { target: { value: 'verbal' } });
    await fireEvent.change(screen.getByTestId('consent-evidence'), { target: { value: String(fake.attachments[0].id) } });
    await fireEvent.click(screen.getByTestId('consent-save'));
    await waitFor(() => expect(screen.queryByTestId('consent-form')).toBeNull());
    expect(fake.args.get('recordConsent')).toEqual([
      client.id,
      {
        purpose: 'referral',
        body: 'Jag samtycker till remiss till annan vårdgivare.',
        text_version: '3',
        given_on: todayDate(),
        given_how: 'verbal',
        evidence_id: fake.attachments[0].id,
      },
    ]);
    await waitFor(() => expect(screen.getAllByTestId('consent-chip').map((c) => c.dataset.purpose)).toContain('referral'));
  });

  it('keeps a wording the therapist changed when the purpose changes', async () => {
    const { fake } = setup();
    await fireEvent.click(await screen.findByTestId('consent-add'));
    const body = (await screen.findByTestId('consent-body')) as HTMLTextAreaElement;
    await waitFor(() => expect(body.value).not.toBe(''));
    await fireEvent.input(body, { target: { value: 'Egen text.' } });
    fake.answerNext('lastConsentText', null);
    await fireEvent.change(screen.getByTestId('consent-purpose'), { target: { value: 'marketing' } });
    await waitFor(() => expect(fake.args.get('lastConsentText')).toEqual(['marketing']));
    expect(body.value).toBe('Egen text.');
    // The version the prefill put in goes with it.
    expect((screen.getByTestId('consent-version') as HTMLInputElement).value).toBe('');
  });

  it('shows the core’s field error by its field', async () => {
    const { fake } = setup();
    await fireEvent.click(await screen.findByTestId('consent-add'));
    await waitFor(() => expect((screen.getByTestId('consent-body') as HTMLTextAreaElement).value).not.toBe(''));
    fake.failNext('recordConsent', {
      code: 'validation',
      message: 'invalid text_version: other_text',
      field: { field: 'text_version', reason: 'other_text' },
    });
    await fireEvent.click(screen.getByTestId('consent-save'));
    expect((await screen.findByTestId('consent-error-text_version')).textContent).toBe(
      'This version already names a different wording. Give the changed wording a new version.',
    );
    expect(screen.getByTestId('consent-version').getAttribute('aria-invalid')).toBe('true');
    fake.failNext('recordConsent', {
      code: 'validation',
      message: 'invalid evidence_id',
      field: { field: 'evidence_id', reason: 'not_this_client' },
    });
    await fireEvent.click(screen.getByTestId('consent-save'));
    expect((await screen.findByTestId('consent-error-evidence_id')).textContent).toBe('That belongs to another client.');
  });

  it('withdraws as of the day given, and shows a refusal', async () => {
    const { fake } = setup();
    await fireEvent.click(await screen.findByTestId('consent-withdraw'));
    const day = screen.getByTestId('consent-withdraw-on') as HTMLInputElement;
    expect(day.value).toBe(todayDate());
    fake.failNext('withdrawConsent', {
      code: 'validation',
      message: 'invalid withdrawn_on',
      field: { field: 'withdrawn_on', reason: 'in_future' },
    });
    await fireEvent.click(screen.getByTestId('consent-withdraw-confirm'));
    expect((await screen.findByTestId('consent-withdraw-error')).textContent?.trim()).toBe('This is in the future.');
    await fireEvent.input(day, { target: { value: '2026-03-05' } });
    await fireEvent.click(screen.getByTestId('consent-withdraw-confirm'));
    await waitFor(() => expect(screen.getByTestId('consent-status').textContent).toMatch(/Withdrawn 5 Mar 2026/));
    expect(fake.args.get('withdrawConsent')).toEqual([fake.registers.consents[0].id, '2026-03-05']);
    expect((await screen.findByTestId('consents-in-force')).textContent).toContain('No consent is in force.');
  });
});

describe('the referral letter', () => {
  it('needs a referral consent, and says so next to the button', async () => {
    setup();
    expect((await screen.findByTestId('referral-needs-consent')).textContent).toBe(
      'No consent to referral is in force. Record the client’s consent above first.',
    );
    expect((screen.getByTestId('referral-open') as HTMLButtonElement).disabled).toBe(true);
  });

  it('writes the letter under a referral consent and shows where it went; explains no_consent', async () => {
    const fake = useFake();
    const client = fake.clients[0];
    fake.registers.consents.push(consent({ client_id: client.id }));
    render(Consents, { client });
    const open = (await screen.findByTestId('referral-open')) as HTMLButtonElement;
    expect(screen.queryByTestId('referral-needs-consent')).toBeNull();
    await fireEvent.click(open);
    const save = screen.getByTestId('referral-pdf-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('referral-recipient'), { target: { value: 'Dr. Berg\nVårdcentralen Söder' } });
    await fireEvent.input(screen.getByTestId('referral-body'), { target: { value: 'Remiss för bedömning.' } });
    fake.failNext('referralLetter', { code: 'no_consent', message: 'no consent' });
    await fireEvent.click(save);
    expect((await screen.findByTestId('referral-pdf-error')).textContent).toBe(
      'This needs the client’s consent, and none is in force (never given, or withdrawn). Record the consent first.',
    );
    await fireEvent.click(save);
    expect((await screen.findByTestId('pdf-path')).textContent).toBe(`/home/karin/Documents/Confidant/referral-${client.id}.pdf`);
    expect(screen.queryByTestId('referral-pdf-error')).toBeNull();
    expect(fake.args.get('referralLetter')).toEqual([
      client.id,
      { recipient: 'Dr. Berg\nVårdcentralen Söder', body: 'Remiss för bedömning.' },
      null,
    ]);
  });

  it('offers nothing to save once the referral consent is withdrawn', async () => {
    const fake = useFake();
    const client = fake.clients[0];
    fake.registers.consents.push(consent({ id: 950, client_id: client.id }));
    render(Consents, { client });
    await fireEvent.click(await screen.findByTestId('referral-open'));
    await fireEvent.input(screen.getByTestId('referral-recipient'), { target: { value: 'Dr. Berg' } });
    await fireEvent.input(screen.getByTestId('referral-body'), { target: { value: 'Remiss.' } });
    expect((screen.getByTestId('referral-pdf-save') as HTMLButtonElement).disabled).toBe(false);
    const row = screen.getAllByTestId('consent').find((r) => r.dataset.purpose === 'referral')!;
    await fireEvent.click(within(row).getByTestId('consent-withdraw'));
    await fireEvent.click(screen.getByTestId('consent-withdraw-confirm'));
    await screen.findByTestId('referral-needs-consent');
    expect((screen.getByTestId('referral-pdf-save') as HTMLButtonElement).disabled).toBe(true);
  });
});
