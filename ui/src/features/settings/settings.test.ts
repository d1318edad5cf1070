import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import { locale } from '../../lib/i18n/index.svelte';
import { session } from '../../lib/stores/session.svelte';
import Settings from './Settings.svelte';

afterEach(() => cleanup());

describe('settings', () => {
  it('saves auto-lock minutes and shows the core’s refusal of others', async () => {
    const fake = useFake();
    render(Settings);
    const input = screen.getByTestId('settings-auto-lock');
    // The range is the core's rule: the refusal comes back from the backend, naming the field.
    fake.failNext('updateSettings', { code: 'validation', message: 'invalid', field: { field: 'auto_lock_minutes', reason: 'range' } });
    await fireEvent.input(input, { target: { value: '0' } });
    await fireEvent.click(screen.getByTestId('settings-auto-lock-save'));
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Enter a whole number of minutes between 1 and 240.')).toBeTruthy();
    expect(fake.settingsData.auto_lock_minutes).toBe(10);
    await fireEvent.input(input, { target: { value: '3' } });
    await fireEvent.click(screen.getByTestId('settings-auto-lock-save'));
    await waitFor(() => expect(fake.settingsData.auto_lock_minutes).toBe(3));
    expect(session.settings?.auto_lock_minutes).toBe(3);
  });

  it("says which build runs: version, commit and the commit's day", async () => {
    useFake();
    render(Settings);
    const line = await screen.findByTestId('about-version');
    expect(line.textContent).toContain('0.1.0');
    expect(line.textContent).toContain('0123456789ab');
    expect(line.textContent).toContain('2026-12-03');
  });

  it('switches the language at once and remembers it', async () => {
    const fake = useFake();
    render(Settings);
    await fireEvent.change(screen.getAllByTestId('language-select')[0], { target: { value: 'da' } });
    expect(locale.current).toBe('da');
    await waitFor(() => expect(fake.settingsData.language).toBe('da'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Indstillinger');
  });

  it('changes the passphrase with the recovery key as the current credential', async () => {
    const fake = useFake();
    render(Settings);
    await fireEvent.click(screen.getByTestId('settings-change-passphrase'));
    await fireEvent.click(screen.getByTestId('chg-use-recovery'));
    await fireEvent.input(screen.getByTestId('chg-recovery-key'), { target: { value: fake.recovery } });
    await fireEvent.input(screen.getByTestId('chg-new-passphrase'), { target: { value: 'nya ord lingon hamn' } });
    await fireEvent.input(screen.getByTestId('chg-new-passphrase-confirm'), { target: { value: 'nya ord lingon hamn' } });
    const submit = screen.getByTestId('chg-submit') as HTMLButtonElement;
    await waitFor(() => expect(submit.disabled).toBe(false));
    await fireEvent.click(submit);
    await waitFor(() => expect(fake.passphrase).toBe('nya ord lingon hamn'));
  });

  it('toggles "remember on this computer"', async () => {
    const fake = useFake();
    render(Settings);
    await fireEvent.click(screen.getByTestId('settings-remember'));
    await waitFor(() => expect(fake.remembered).toBe(true));
  });

  it('makes a new recovery key, shows it once and checks it', async () => {
    const fake = useFake();
    render(Settings);
    await fireEvent.click(screen.getByTestId('settings-regenerate-key'));
    await fireEvent.input(screen.getByTestId('regen-passphrase'), { target: { value: fake.passphrase } });
    await fireEvent.click(screen.getByTestId('regen-submit'));
    const groups = (await screen.findAllByTestId('recovery-key-group')).map((g) => g.textContent);
    expect(groups.join('-')).toBe(fake.recovery);
    await fireEvent.click(screen.getByTestId('regen-continue'));
    expect(screen.getByTestId('recovery-check')).toBeTruthy();
  });

  it('saves how long a PIN lasts and shows the core’s refusal of a range', async () => {
    const fake = useFake();
    render(Settings);
    await fireEvent.change(screen.getByTestId('quick-rule'), { target: { value: 'for_hours' } });
    fake.failNext('updateSettings', {
      code: 'validation',
      message: 'invalid',
      field: { field: 'quick_unlock.hours', reason: 'range' },
    });
    await fireEvent.input(screen.getByTestId('quick-hours'), { target: { value: '13' } });
    await fireEvent.click(screen.getByTestId('quick-rule-save'));
    await waitFor(() => expect(screen.getByTestId('quick-rule-error').textContent).toBe('This value is out of range.'));
    expect(fake.settingsData.quick_unlock).toEqual({ kind: 'until', hour: 18, minute: 0 });
    await fireEvent.input(screen.getByTestId('quick-hours'), { target: { value: '4' } });
    await fireEvent.click(screen.getByTestId('quick-rule-save'));
    await waitFor(() => expect(fake.settingsData.quick_unlock).toEqual({ kind: 'for_hours', hours: 4 }));
    await fireEvent.change(screen.getByTestId('quick-rule'), { target: { value: 'until' } });
    await fireEvent.input(screen.getByTestId('quick-time'), { target: { value: '17:30' } });
    await fireEvent.click(screen.getByTestId('quick-rule-save'));
    await waitFor(() => expect(fake.settingsData.quick_unlock).toEqual({ kind: 'until', hour: 17, minute: 30 }));
  });

  it('sets a PIN when the core offers one, then stops using it', async () => {
    const fake = useFake();
    fake.quick = { active_until: null, attempts_left: 3, offer_until: '2026-12-02T17:00:00Z' };
    session.status = await fake.status();
    render(Settings);
    expect(screen.getByTestId('quick-none')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('quick-set'));
    await fireEvent.input(screen.getByTestId('quick-set-pin'), { target: { value: '583920' } });
    await fireEvent.input(screen.getByTestId('quick-set-pin-repeat'), { target: { value: '583920' } });
    await fireEvent.click(screen.getByTestId('quick-set-submit'));
    await waitFor(() => expect(screen.getByTestId('quick-active')).toBeTruthy());
    expect(screen.queryByTestId('quick-set-dialog')).toBeNull();
    expect(fake.args.get('setQuickUnlock')).toEqual(['583920']);
    await fireEvent.click(screen.getByTestId('quick-forget'));
    await waitFor(() =>
      expect(screen.getByTestId('quick-none').textContent).toBe('The PIN no longer works. Next time, unlock with the passphrase.'),
    );
    expect(fake.quick.active_until).toBeNull();
  });

  it('explains when no PIN can be set now (opened by PIN, or the time has passed)', async () => {
    const fake = useFake();
    fake.quick = { active_until: '2026-12-02T17:00:00Z', attempts_left: 3, offer_until: null };
    session.status = await fake.status();
    render(Settings);
    expect(screen.getByTestId('quick-active')).toBeTruthy();
    expect(screen.queryByTestId('quick-set')).toBeNull();
    expect(screen.getByTestId('quick-needs-passphrase')).toBeTruthy();
  });
});
