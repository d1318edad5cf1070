import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { settle, useFake } from '../../test/helpers';
import { WEAK } from '../../lib/backend/fake-data';
import StrengthMeter from './StrengthMeter.svelte';
import RecoveryKeyCheck from './RecoveryKeyCheck.svelte';
import RestoreFlow from './RestoreFlow.svelte';

afterEach(() => cleanup());

describe('StrengthMeter', () => {
  it('shows the core verdict and localized feedback as the passphrase changes', async () => {
    const fake = useFake();
    fake.answerNext('checkPassphrase', WEAK);
    const { rerender } = render(StrengthMeter, { passphrase: 'password', delayMs: 0 });
    await waitFor(() => expect(screen.getByTestId('strength-label').textContent).toContain('not strong enough'));
    expect(screen.getByTestId('strength-meter').textContent).toContain('Add another word or two');
    // Localized from the hint code, not the core's English text.
    expect(screen.getByTestId('strength-warning').textContent).toBe('A single word is easy to guess.');
    expect(fake.args.get('checkPassphrase')).toEqual(['password']);
    await rerender({ passphrase: 'lingon tavla regnbåge sextiosju', delayMs: 0 });
    await waitFor(() => expect(screen.getByTestId('strength-label').textContent).toContain('good enough'));
    expect(screen.getByTestId('strength-meter').querySelectorAll('.bar.on.good').length).toBeGreaterThanOrEqual(3);
  });

  it('is empty for an empty passphrase and never asks the backend', async () => {
    const fake = useFake();
    render(StrengthMeter, { passphrase: '', delayMs: 0 });
    await settle(fake);
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

describe('restore', () => {
  it('chooses a file, refuses a wrong passphrase, restores with progress', async () => {
    const fake = useFake({ exists: false, unlocked: false });
    render(RestoreFlow, { oncancel: () => {} });
    await fireEvent.click(screen.getByTestId('restore-choose'));
    fake.failNext('restoreBackup', { code: 'wrong_passphrase', message: 'the passphrase is not correct' });
    await fireEvent.input(await screen.findByTestId('restore-passphrase'), { target: { value: 'wrong' } });
    await fireEvent.click(screen.getByTestId('restore-submit'));
    await waitFor(() => expect(screen.getByTestId('restore-error').textContent).toBe('That passphrase is not correct.'));
    expect(fake.exists).toBe(false);
    await fireEvent.input(screen.getByTestId('restore-passphrase'), { target: { value: fake.passphrase } });
    await fireEvent.click(screen.getByTestId('restore-submit'));
    await screen.findByTestId('restore-done');
    expect(fake.exists).toBe(true);
  });

  it('over an existing vault only after explicit confirmation', async () => {
    const fake = useFake({ exists: true, unlocked: false });
    render(RestoreFlow, { oncancel: () => {}, replace: true });
    await fireEvent.click(screen.getByTestId('restore-choose'));
    await fireEvent.input(await screen.findByTestId('restore-passphrase'), { target: { value: fake.passphrase } });
    const submit = screen.getByTestId('restore-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('restore-confirm-replace'));
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    await screen.findByTestId('restore-done');
    expect(fake.calls).toContain('restoreBackup');
  });
});
