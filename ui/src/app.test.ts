// The whole UI against the fake backend: lock clears the DOM, typed text survives a lock,
// nothing personal lands in web storage.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { settle, useFake } from './test/helpers';
import { session } from './lib/stores/session.svelte';
import App from './App.svelte';

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
});

async function openAsa() {
  await waitFor(() => expect(screen.getAllByTestId('client-item').length).toBeGreaterThan(0));
  const item = screen.getAllByTestId('client-item').find((el) => el.textContent?.includes('Åsa'))!;
  await fireEvent.click(item);
  await waitFor(() => expect(screen.getByTestId('client-name').textContent).toContain('Åsa Öberg'));
  await waitFor(() => expect(screen.getAllByTestId('timeline-item').length).toBeGreaterThan(0));
}

describe('the app', () => {
  it('unlocks with the passphrase and shows a localized error for a wrong one', async () => {
    const fake = useFake({ unlocked: false });
    render(App);
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    fake.failNext('unlock', { code: 'wrong_passphrase', message: 'the passphrase is not correct' });
    await fireEvent.input(screen.getByTestId('unlock-passphrase'), { target: { value: 'nope' } });
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => expect(screen.getByTestId('unlock-error').textContent).toBe('That passphrase is not correct.'));
    await fireEvent.input(screen.getByTestId('unlock-passphrase'), { target: { value: fake.passphrase } });
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => expect(screen.getByTestId('main')).toBeTruthy());
  });

  it('a locked demo journal offers to reopen it instead of asking for its passphrase', async () => {
    const fake = useFake({ unlocked: false });
    fake.demo = true;
    session.demo = true;
    render(App);
    await waitFor(() => expect(screen.getByTestId('unlock-demo-note')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('unlock-demo-reopen'));
    await waitFor(() => expect(screen.getByTestId('main')).toBeTruthy());
    expect(fake.calls).toContain('openDemo');
  });

  it('a locked real journal does not mention the demo', async () => {
    useFake({ unlocked: false });
    session.demo = false;
    render(App);
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    expect(screen.queryByTestId('unlock-demo-reopen')).toBeNull();
  });

  it('unlocks with the recovery key', async () => {
    const fake = useFake({ unlocked: false });
    render(App);
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('unlock-use-recovery'));
    await fireEvent.input(screen.getByTestId('unlock-recovery-key'), { target: { value: fake.recovery.toLowerCase() } });
    await fireEvent.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => expect(screen.getByTestId('main')).toBeTruthy());
    // As typed: normalizing the key is the core's job.
    expect(fake.args.get('unlock')).toEqual([{ kind: 'recovery_key', value: fake.recovery.toLowerCase() }]);
  });

  it('Ctrl+L saves the draft being typed, locks, and leaves no client data in the DOM', async () => {
    const fake = useFake();
    render(App);
    await openAsa();
    const draft = fake.entries.find((e) => e.status === 'draft')!;
    await fireEvent.click(screen.getAllByTestId('timeline-item')[0].querySelector('button')!);
    await waitFor(() => expect(screen.getByTestId('entry-body')).toBeTruthy());
    await fireEvent.input(screen.getByTestId('entry-body'), { target: { value: 'Sover bättre. Hemligt ord: kanelbulle' } });
    expect(document.body.textContent).toContain('Öberg');

    await fireEvent.keyDown(window, { key: 'l', ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());

    expect(draft.body).toBe('Sover bättre. Hemligt ord: kanelbulle');
    expect(fake.calls.lastIndexOf('updateDraft')).toBeLessThan(fake.calls.lastIndexOf('lock'));
    expect(fake.unlocked).toBe(false);
    const html = document.body.innerHTML;
    for (const secret of ['Öberg', 'Åsa', 'kanelbulle', 'Kierkegaard', 'Walsh', 'Sömn']) expect(html).not.toContain(secret);
    expect(document.querySelectorAll('input[type=password]')[0]).toBeTruthy();
  });

  it('the shell’s vault-locked event clears the UI too', async () => {
    const fake = useFake();
    render(App);
    await openAsa();
    fake.emitLocked('suspend');
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    expect(screen.getByTestId('unlock-system-note')).toBeTruthy();
    expect(document.body.innerHTML).not.toContain('Öberg');
    expect(session.phase).toBe('locked');
  });

  it('a system lock request saves the draft being typed before the vault locks', async () => {
    const fake = useFake();
    render(App);
    await openAsa();
    const draft = fake.entries.find((e) => e.status === 'draft')!;
    await fireEvent.click(screen.getAllByTestId('timeline-item')[0].querySelector('button')!);
    await waitFor(() => expect(screen.getByTestId('entry-body')).toBeTruthy());
    await fireEvent.input(screen.getByTestId('entry-body'), { target: { value: 'Skrivet just före locket: pepparkaka' } });

    fake.emitLockRequested('suspend');
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());

    expect(draft.body).toBe('Skrivet just före locket: pepparkaka');
    expect(fake.calls.lastIndexOf('updateDraft')).toBeLessThan(fake.calls.lastIndexOf('lock'));
    expect(fake.unlocked).toBe(false);
    expect(screen.getByTestId('unlock-system-note')).toBeTruthy();
    expect(document.body.innerHTML).not.toContain('pepparkaka');
  });

  it('locks by itself after the idle minutes from settings', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const fake = useFake();
      fake.settingsData.auto_lock_minutes = 2;
      render(App);
      await openAsa();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(screen.queryByTestId('main')).toBeTruthy();
      await vi.advanceTimersByTimeAsync(61_000);
      await waitFor(() => expect(screen.getByTestId('unlock-idle-note')).toBeTruthy());
      expect(fake.unlocked).toBe(false);
      expect(document.body.innerHTML).not.toContain('Öberg');
    } finally {
      vi.useRealTimers();
    }
  });

  it('opening a client reads it once (no reload loop) and puts focus on its name', async () => {
    // A little latency so a reload loop shows up as many calls instead of starving the timers.
    const fake = useFake({ latency: 1 });
    render(App);
    await openAsa();
    await settle(fake);
    expect(fake.calls.filter((c) => c === 'getClient')).toHaveLength(1);
    expect(fake.calls.filter((c) => c === 'logbook')).toHaveLength(1);
    expect(document.activeElement).toBe(screen.getByTestId('client-name'));
  });

  it('keeps nothing in web storage', async () => {
    useFake();
    render(App);
    await openAsa();
    await fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    await fireEvent.input(await screen.findByTestId('search-input'), { target: { value: 'ångest' } });
    await waitFor(() => expect(screen.getAllByTestId('search-result').length).toBeGreaterThan(0));
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  it('explains a vault that cannot be opened', async () => {
    const fake = useFake({ unlocked: false });
    fake.failNext('status', { code: 'key_file_corrupt', message: 'the vault key file is damaged: bad json' });
    render(App);
    const box = await screen.findByTestId('fatal');
    expect(box.textContent).toContain('The journal’s key file is damaged. Restore it from a backup.');
    expect(box.textContent).not.toContain('bad json');
  });

  it('first run: passphrase, recovery key check, profile, remember', async () => {
    const fake = useFake({ exists: false, unlocked: false, demoData: false });
    render(App);
    await fireEvent.click(await screen.findByTestId('first-run-create'));
    await fireEvent.input(screen.getByTestId('first-run-passphrase'), { target: { value: 'lingon tavla regnbåge sextiosju' } });
    await fireEvent.input(screen.getByTestId('first-run-passphrase-confirm'), { target: { value: 'lingon tavla regnbåge sextiosju' } });
    await waitFor(() => expect(screen.getByTestId('strength-label').textContent).toContain('good enough'));
    await fireEvent.click(screen.getByTestId('first-run-passphrase-submit'));
    const groups = (await screen.findAllByTestId('recovery-key-group')).map((g) => g.textContent!);
    expect(groups.join('-')).toBe(fake.recovery);
    expect((screen.getByTestId('recovery-continue') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('recovery-written'));
    await fireEvent.click(screen.getByTestId('recovery-continue'));
    const label1 = screen.getByText(/^Group \d$/, { selector: 'label[for=rk-first]' }).textContent!;
    const label2 = screen.getByText(/^Group \d$/, { selector: 'label[for=rk-second]' }).textContent!;
    await fireEvent.input(screen.getByTestId('recovery-check-1'), { target: { value: groups[Number(label1.slice(6)) - 1] } });
    await fireEvent.input(screen.getByTestId('recovery-check-2'), { target: { value: groups[Number(label2.slice(6)) - 1] } });
    await fireEvent.click(screen.getByTestId('recovery-check-submit'));
    // The key is gone from the DOM once checked.
    await screen.findByTestId('profile-form');
    expect(document.body.textContent).not.toContain(groups[0]);
    await fireEvent.input(screen.getByTestId('profile-name'), { target: { value: 'Karin Lind' } });
    await fireEvent.click(screen.getByTestId('profile-submit'));
    // Backups: a folder chosen in the native dialog is remembered as the target.
    fake.folderPick = '/media/karin/BACKUP';
    await fireEvent.click(await screen.findByTestId('backup-choose-folder'));
    await screen.findByTestId('backup-target');
    await fireEvent.click(screen.getByTestId('first-run-backup-continue'));
    await fireEvent.click(await screen.findByTestId('remember-toggle'));
    await fireEvent.click(screen.getByTestId('first-run-finish'));
    await waitFor(() => expect(screen.getByTestId('main')).toBeTruthy());
    expect(fake.remembered).toBe(true);
    expect(fake.profileData.therapist_name).toBe('Karin Lind');
    expect(fake.settingsData.backup.target?.path).toBe('/media/karin/BACKUP');
  });
});
