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
});
