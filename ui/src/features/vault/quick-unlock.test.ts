// The day's PIN on the lock screen and right after a full unlock, and the Caps Lock warning.
// Every rule (which PIN is right, the attempts, the expiry) is the core's: the fake answers
// with what the core would say, injected per test.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import { session } from '../../lib/stores/session.svelte';
import App from '../../App.svelte';

afterEach(() => cleanup());

const EVENING = '2026-12-02T17:00:00Z';

/** A locked app whose core keeps the day's PIN. */
function lockedWithPin() {
  const fake = useFake({ unlocked: false });
  fake.quick = { active_until: EVENING, attempts_left: 3, offer_until: EVENING };
  return fake;
}

function selected(el: HTMLElement): boolean {
  const input = el as HTMLInputElement;
  return document.activeElement === input && input.selectionStart === 0 && input.selectionEnd === input.value.length && input.value !== '';
}

describe('quick unlock on the lock screen', () => {
  it('asks for the PIN while the core keeps one, and opens the journal with it', async () => {
    const fake = lockedWithPin();
    render(App);
    await waitFor(() => expect(screen.getByTestId('pin-unlock')).toBeTruthy());
    expect(screen.queryByTestId('unlock-passphrase')).toBeNull();
    expect(screen.getByTestId('pin-until').textContent).toMatch(/\d/);
    await fireEvent.input(screen.getByTestId('unlock-pin'), { target: { value: '583920' } });
    await fireEvent.click(screen.getByTestId('unlock-pin-submit'));
    await waitFor(() => expect(screen.getByTestId('main')).toBeTruthy());
    expect(fake.args.get('unlockWithPin')).toEqual(['583920']);
  });

  it('a wrong PIN shows the attempts left from the core and selects the PIN to retype', async () => {
    const fake = lockedWithPin();
    render(App);
    await waitFor(() => expect(screen.getByTestId('pin-unlock')).toBeTruthy());
    fake.failNext('unlockWithPin', { code: 'wrong_pin', message: 'the PIN is not correct (2 attempts left)' });
    fake.answerNext('status', { ...(await fake.status()), quick_unlock: { active_until: EVENING, attempts_left: 2, offer_until: null } });
    const pin = screen.getByTestId('unlock-pin');
    await fireEvent.input(pin, { target: { value: '583921' } });
    await fireEvent.click(screen.getByTestId('unlock-pin-submit'));
    await waitFor(() => expect(screen.getByTestId('pin-error').textContent).toContain('That PIN is not correct.'));
    expect(screen.getByTestId('pin-error').textContent).toContain('2 attempts left, then the passphrase is needed.');
    expect(pin.getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(selected(pin)).toBe(true));
    expect(fake.unlocked).toBe(false);
  });

  it('after the last wrong PIN it asks for the passphrase and says why', async () => {
    const fake = lockedWithPin();
    render(App);
    await waitFor(() => expect(screen.getByTestId('pin-unlock')).toBeTruthy());
    fake.failNext('unlockWithPin', { code: 'pin_attempts_used_up', message: 'too many wrong PINs' });
    fake.quick = { active_until: null, attempts_left: 3, offer_until: EVENING };
    await fireEvent.input(screen.getByTestId('unlock-pin'), { target: { value: '000001' } });
    await fireEvent.click(screen.getByTestId('unlock-pin-submit'));
    await waitFor(() => expect(screen.getByTestId('unlock-passphrase')).toBeTruthy());
    expect(screen.getByTestId('unlock-error').textContent).toBe('Too many wrong PINs. Unlock with your passphrase.');
    // The PIN is gone in the core, so the lock screen no longer offers it.
    expect(screen.queryByTestId('unlock-use-pin')).toBeNull();
  });

  it('says why it locked, on the PIN screen too', async () => {
    lockedWithPin();
    session.lockReason = 'idle';
    render(App);
    await waitFor(() => expect(screen.getByTestId('pin-unlock')).toBeTruthy());
    expect(screen.getByTestId('unlock-idle-note').textContent).toBe('Locked after a period without activity.');
  });

  it('"use the passphrase instead" switches, and back to the PIN while one is kept', async () => {
    lockedWithPin();
    render(App);
    await waitFor(() => expect(screen.getByTestId('pin-unlock')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('unlock-pin-use-passphrase'));
    expect(screen.getByTestId('unlock-passphrase')).toBeTruthy();
    expect(screen.queryByTestId('unlock-error')).toBeNull();
    await fireEvent.click(screen.getByTestId('unlock-use-pin'));
    expect(screen.getByTestId('unlock-pin')).toBeTruthy();
  });

  it('"lock, passphrase next time" makes the core forget the PIN before it locks', async () => {
    const fake = useFake();
    fake.quick = { active_until: EVENING, attempts_left: 3, offer_until: EVENING };
    session.status = await fake.status();
    render(App);
    await waitFor(() => expect(screen.getByTestId('lock-passphrase-button')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('lock-passphrase-button'));
    await waitFor(() => expect(screen.getByTestId('unlock-passphrase')).toBeTruthy());
    expect(fake.calls.indexOf('forgetQuickUnlock')).toBeLessThan(fake.calls.lastIndexOf('lock'));
    expect(fake.unlocked).toBe(false);
    expect(screen.queryByTestId('pin-unlock')).toBeNull();
  });
});

describe('the PIN offer after a full unlock', () => {
  it('offers a PIN until the core’s time, checks the repeat, and sets it', async () => {
    const fake = useFake({ unlocked: false });
    fake.quick = { active_until: null, attempts_left: 3, offer_until: EVENING };
    render(App);
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    await fireEvent.input(screen.getByTestId('unlock-passphrase'), { target: { value: fake.passphrase } });
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => expect(screen.getByTestId('pin-offer-form')).toBeTruthy());
    expect(screen.getByTestId('pin-offer-text').textContent).toContain('After 3 wrong PINs');
    const submit = screen.getByTestId('pin-offer-submit') as HTMLButtonElement;
    await fireEvent.input(screen.getByTestId('pin-offer-pin'), { target: { value: '583920' } });
    await fireEvent.input(screen.getByTestId('pin-offer-pin-repeat'), { target: { value: '583921' } });
    expect(submit.disabled).toBe(true);
    expect(screen.getByText('The two PINs are not the same.')).toBeTruthy();
    // The core refuses a PIN that is easy to guess; the field is selected to type another.
    fake.failNext('setQuickUnlock', { code: 'validation', message: 'invalid pin', field: { field: 'pin', reason: 'too_simple' } });
    await fireEvent.input(screen.getByTestId('pin-offer-pin'), { target: { value: '123456' } });
    await fireEvent.input(screen.getByTestId('pin-offer-pin-repeat'), { target: { value: '123456' } });
    await fireEvent.click(submit);
    await waitFor(() => expect(screen.getByTestId('pin-offer-error').textContent).toBe('This is too easy to guess.'));
    await waitFor(() => expect(selected(screen.getByTestId('pin-offer-pin'))).toBe(true));
    expect(fake.quick.active_until).toBeNull();
    await fireEvent.input(screen.getByTestId('pin-offer-pin'), { target: { value: '583920' } });
    await fireEvent.input(screen.getByTestId('pin-offer-pin-repeat'), { target: { value: '583920' } });
    await fireEvent.click(submit);
    await waitFor(() => expect(screen.getByTestId('main')).toBeTruthy());
    expect(fake.args.get('setQuickUnlock')).toEqual(['583920']);
    expect(session.status?.quick_unlock?.active_until).toBe(EVENING);
  });

  it('"not now" opens the journal without a PIN; no offer when the core makes none', async () => {
    const fake = useFake({ unlocked: false });
    fake.quick = { active_until: null, attempts_left: 3, offer_until: EVENING };
    render(App);
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    await fireEvent.input(screen.getByTestId('unlock-passphrase'), { target: { value: fake.passphrase } });
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => expect(screen.getByTestId('pin-offer-skip')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('pin-offer-skip'));
    await waitFor(() => expect(screen.getByTestId('main')).toBeTruthy());
    expect(fake.calls).not.toContain('setQuickUnlock');
  });
});

describe('typing passphrases and PINs', () => {
  it('warns about Caps Lock in the passphrase and PIN fields', async () => {
    const fake = useFake({ unlocked: false });
    render(App);
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    const pass = screen.getByTestId('unlock-passphrase');
    await fireEvent.keyDown(pass, { key: 'A', modifierCapsLock: true });
    expect(screen.getByTestId('caps-lock-warning').textContent).toBe('Caps Lock is on.');
    await fireEvent.keyUp(pass, { key: 'a', modifierCapsLock: false });
    expect(screen.queryByTestId('caps-lock-warning')).toBeNull();
    cleanup();

    fake.quick = { active_until: EVENING, attempts_left: 3, offer_until: null };
    session.status = await fake.status();
    render(App);
    await waitFor(() => expect(screen.getByTestId('unlock-pin')).toBeTruthy());
    await fireEvent.keyDown(screen.getByTestId('unlock-pin'), { key: '5', modifierCapsLock: true });
    expect(screen.getByTestId('caps-lock-warning')).toBeTruthy();
    await fireEvent.blur(screen.getByTestId('unlock-pin'));
    expect(screen.queryByTestId('caps-lock-warning')).toBeNull();
  });

  it('a wrong passphrase is selected so it can be typed over', async () => {
    const fake = useFake({ unlocked: false });
    render(App);
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    fake.failNext('unlock', { code: 'wrong_passphrase', message: 'the passphrase is not correct' });
    const pass = screen.getByTestId('unlock-passphrase');
    await fireEvent.input(pass, { target: { value: 'lingon tavla' } });
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => expect(screen.getByTestId('unlock-error')).toBeTruthy());
    await waitFor(() => expect(selected(pass)).toBe(true));
  });
});
