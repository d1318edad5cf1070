// Renewing the journal's keys: the dialog asks why, who you are and (when needed) a new
// passphrase, shows the core's progress, then what the core says changed and the new key once.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import Settings from './Settings.svelte';

afterEach(() => cleanup());

const NEW = 'ny lingonsylt vid hamnen';

async function openFor(reason: 'passphrase_known' | 'recovery_lost') {
  await fireEvent.click(screen.getByTestId('settings-renew-keys'));
  const next = screen.getByTestId('renew-next') as HTMLButtonElement;
  expect(next.disabled).toBe(true);
  await fireEvent.click(screen.getByTestId(`renew-reason-${reason}`));
  await fireEvent.click(next);
}

describe('renew the journal’s keys', () => {
  it('says what a renewal does and does not do before anything is asked', async () => {
    useFake();
    render(Settings);
    await fireEvent.click(screen.getByTestId('settings-renew-keys'));
    const dialog = screen.getByTestId('renew-dialog');
    expect(dialog.textContent).toContain('New backups open only with the new keys');
    expect(dialog.textContent).toContain('backups made before the renewal still open with the old passphrase');
  });

  it('requires a new passphrase when someone may know it, shows the progress and the new key once', async () => {
    const fake = useFake({ latency: 5 });
    render(Settings);
    await openFor('passphrase_known');
    expect(screen.queryByTestId('renew-keep-passphrase')).toBeNull();
    await fireEvent.input(screen.getByTestId('renew-passphrase'), { target: { value: fake.passphrase } });
    const submit = screen.getByTestId('renew-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('renew-new-passphrase'), { target: { value: NEW } });
    await fireEvent.input(screen.getByTestId('renew-new-passphrase-confirm'), { target: { value: NEW } });
    await waitFor(() => expect(submit.disabled).toBe(false));
    await fireEvent.click(submit);
    // The core's phases, in steps: a percentage, no byte counts.
    await screen.findByText('Encrypting the journal with new keys');
    expect(screen.getByTestId('progress-amount').textContent).toMatch(/%$/);
    await screen.findByTestId('renew-done', {}, { timeout: 3000 });
    const [reason, current, next] = fake.args.get('rekey')!;
    expect([reason, current, next]).toEqual(['passphrase_known', { kind: 'passphrase', value: 'demo lingonberry harbour 2026' }, NEW]);
    const groups = screen.getAllByTestId('recovery-key-group').map((g) => g.textContent);
    expect(groups.join('-')).toBe(fake.recovery);
    await fireEvent.click(screen.getByTestId('renew-continue'));
    expect(screen.getByTestId('recovery-check')).toBeTruthy();
  });

  it('keeps the passphrase when only the recovery sheet is lost: sends none', async () => {
    const fake = useFake();
    const before = fake.passphrase;
    render(Settings);
    await openFor('recovery_lost');
    expect((screen.getByTestId('renew-keep-passphrase') as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByTestId('renew-new-passphrase')).toBeNull();
    await fireEvent.input(screen.getByTestId('renew-passphrase'), { target: { value: before } });
    await fireEvent.click(screen.getByTestId('renew-submit'));
    await screen.findByTestId('renew-done');
    expect(fake.args.get('rekey')?.slice(0, 3)).toEqual(['recovery_lost', { kind: 'passphrase', value: before }, null]);
    expect(fake.passphrase).toBe(before);
    expect(screen.getByTestId('renew-passphrase-note').textContent?.trim()).toBe('Your passphrase stays the same.');
  });

  it('can also choose a new passphrase when the recovery sheet is lost', async () => {
    const fake = useFake();
    render(Settings);
    await openFor('recovery_lost');
    await fireEvent.click(screen.getByTestId('renew-keep-passphrase'));
    await fireEvent.input(screen.getByTestId('renew-passphrase'), { target: { value: fake.passphrase } });
    await fireEvent.input(screen.getByTestId('renew-new-passphrase'), { target: { value: NEW } });
    await fireEvent.input(screen.getByTestId('renew-new-passphrase-confirm'), { target: { value: NEW } });
    const submit = screen.getByTestId('renew-submit') as HTMLButtonElement;
    await waitFor(() => expect(submit.disabled).toBe(false));
    await fireEvent.click(submit);
    await screen.findByTestId('renew-done');
    expect(fake.args.get('rekey')?.[2]).toBe(NEW);
    expect(screen.getByTestId('renew-passphrase-note').textContent).toContain('open it with your new passphrase');
  });

  it('tells what the core carried over and that a passphrase successor must be added again', async () => {
    const fake = useFake();
    fake.successorData = { name: 'Anna Berg', kind: { kind: 'passphrase' } };
    render(Settings);
    expect((await screen.findByTestId('successor-name')).textContent).toBe('Anna Berg');
    // Which slots survive is the core's answer.
    fake.answerNext('rekey', {
      recovery_key: 'Q9XD-7K3M-H6JN-2B4F-V1WZ-P8RT-A2G4-C5E9-M3K7',
      remembered: true,
      successor_kept: false,
      successor_removed: true,
    });
    fake.successorData = null;
    await openFor('recovery_lost');
    await fireEvent.input(screen.getByTestId('renew-passphrase'), { target: { value: fake.passphrase } });
    await fireEvent.click(screen.getByTestId('renew-submit'));
    const removed = await screen.findByTestId('renew-successor-removed');
    expect(removed.textContent).toContain('Add your successor again');
    expect(screen.getByTestId('renew-remembered')).toBeTruthy();
    expect(screen.queryByTestId('renew-successor-kept')).toBeNull();
    expect(screen.getAllByTestId('recovery-key-group').map((g) => g.textContent)).toHaveLength(9);
    // The settings page reads the successor again.
    await screen.findByTestId('successor-none');
  });

  it('shows the core’s refusal and keeps what was typed', async () => {
    const fake = useFake();
    render(Settings);
    await openFor('recovery_lost');
    fake.failNext('rekey', { code: 'wrong_passphrase', message: 'the passphrase is not correct' });
    const cred = screen.getByTestId('renew-passphrase') as HTMLInputElement;
    await fireEvent.input(cred, { target: { value: 'not it' } });
    await fireEvent.click(screen.getByTestId('renew-submit'));
    const error = await screen.findByTestId('renew-error');
    expect(error.textContent).toBe('That passphrase is not correct.');
    const again = screen.getByTestId('renew-passphrase') as HTMLInputElement;
    expect(again.getAttribute('aria-invalid')).toBe('true');
    expect(again.value).toBe('not it');
    fake.failNext('rekey', { code: 'job_running', message: 'a backup or check is running' });
    await fireEvent.click(screen.getByTestId('renew-submit'));
    await waitFor(() => expect(screen.getByTestId('renew-error').textContent).toContain('A backup or a check is running.'));
    expect(fake.recovery).not.toBe('Q9XD-7K3M-H6JN-2B4F-V1WZ-P8RT-A2G4-C5E9-M3K7');
  });
});
