import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { settle, useFake } from '../../test/helpers';
import { session } from '../../lib/stores/session.svelte';
import BackupSettings from './BackupSettings.svelte';
import ReminderBanner from './ReminderBanner.svelte';

afterEach(() => cleanup());

describe('backup settings', () => {
  it('chooses a disk, backs up with progress and lists the verified run', async () => {
    const fake = useFake();
    render(BackupSettings);
    await screen.findByTestId('backup-history');
    expect((screen.getByTestId('backup-now') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('backup-list-volumes'));
    const volumes = await screen.findAllByTestId('backup-volume');
    expect(volumes).toHaveLength(2);
    await fireEvent.click(volumes[0]);
    await waitFor(() => expect(screen.getByTestId('backup-target').textContent).toContain('/media/karin/BACKUP'));
    expect(session.settings?.backup.target?.path).toBe('/media/karin/BACKUP');
    await fireEvent.click(screen.getByTestId('backup-now'));
    await screen.findByTestId('progress');
    await screen.findByTestId('backup-done');
    await waitFor(() => expect(screen.getByTestId('backup-history').querySelectorAll('tbody tr')).toHaveLength(2));
    expect(fake.calls).toContain('backupNow');
  });

  it('offers Cancel while a backup runs and says plainly that it stopped', async () => {
    const fake = useFake({ latency: 5 });
    fake.settingsData.backup.target = { path: '/media/usb', marker_id: 'm', volume_uuid: null, relative_path: null, label: 'USB' };
    session.settings = JSON.parse(JSON.stringify(fake.settingsData));
    render(BackupSettings);
    // The core answers `cancelled` once the token it holds is cancelled.
    fake.failNext('backupNow', { code: 'cancelled', message: 'cancelled' });
    await fireEvent.click(await screen.findByTestId('backup-now'));
    await fireEvent.click(await screen.findByTestId('backup-cancel'));
    expect(fake.calls).toContain('cancelBackup');
    await waitFor(() => expect(screen.getByTestId('backup-error').textContent).toContain('The task was stopped.'));
    expect(screen.queryByTestId('backup-cancel')).toBeNull();
  });

  it('asks before keeping only the newest backup, and sends the answer as confirmed', async () => {
    const fake = useFake();
    render(BackupSettings);
    await fireEvent.click(await screen.findByText('More options'));
    for (const id of ['bk-daily', 'bk-weekly', 'bk-monthly']) {
      await fireEvent.input(document.getElementById(id)!, { target: { value: '0' } });
    }
    // The core refuses until the person confirms.
    fake.failNext('updateSettings', {
      code: 'validation',
      message: 'invalid',
      field: { field: 'backup.retention', reason: 'needs_confirmation' },
    });
    await fireEvent.submit(document.getElementById('bk-daily')!.closest('form')!);
    const confirm = await screen.findByTestId('backup-confirm-thin-out');
    expect(confirm.textContent).toContain('keeps only the newest backup');
    expect(fake.args.get('updateSettings')?.[1]).toBe(false);
    await fireEvent.click(screen.getByTestId('backup-confirm-thin-out-yes'));
    await waitFor(() => expect(fake.args.get('updateSettings')?.[1]).toBe(true));
    expect(fake.settingsData.backup.retention).toEqual({ daily: 0, weekly: 0, monthly: 0 });
    await waitFor(() => expect(screen.queryByTestId('backup-confirm-thin-out')).toBeNull());
  });

  it('shows a failed run with its localized reason', async () => {
    const fake = useFake();
    fake.history.push({ ...fake.history[0], id: 2, status: 'failed', failure: { code: 'backup_target_full', check: null } });
    render(BackupSettings);
    const table = await screen.findByTestId('backup-history');
    expect(table.textContent).toContain('The backup disk is full.');
  });

  it('names the check a damaged backup failed', async () => {
    const fake = useFake();
    fake.history.push({ ...fake.history[0], id: 2, status: 'failed', failure: { code: 'backup_corrupt', check: 'payload' } });
    render(BackupSettings);
    const table = await screen.findByTestId('backup-history');
    expect(table.textContent).toContain('the encrypted contents are damaged or cut short');
  });

  it('validates the reminder days', async () => {
    const fake = useFake();
    render(BackupSettings);
    const input = await screen.findByTestId('backup-reminder-days');
    // The range is the core's rule: the refusal comes back from the backend, naming the field.
    fake.failNext('updateSettings', { code: 'validation', message: 'invalid', field: { field: 'backup.reminder_days', reason: 'range' } });
    await fireEvent.input(input, { target: { value: '0' } });
    await fireEvent.submit(input.closest('form')!);
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(fake.settingsData.backup.reminder_days).toBe(7);
    await fireEvent.input(input, { target: { value: '14' } });
    await fireEvent.submit(input.closest('form')!);
    await waitFor(() => expect(fake.settingsData.backup.reminder_days).toBe(14));
  });
  it('leaves the interval and retention ranges to the core and shows its refusal', async () => {
    const fake = useFake();
    render(BackupSettings);
    const interval = await screen.findByLabelText('A backup is due after this many hours');
    fake.failNext('updateSettings', { code: 'validation', message: 'invalid', field: { field: 'backup.interval_hours', reason: 'range' } });
    await fireEvent.input(interval, { target: { value: '9000' } });
    await fireEvent.submit(interval.closest('form')!);
    await waitFor(() => expect(interval.getAttribute('aria-invalid')).toBe('true'));
    expect(fake.args.get('updateSettings')?.[0]).toMatchObject({ backup: { interval_hours: 9000 } });
    expect(fake.settingsData.backup.interval_hours).toBe(24);
  });
});

describe('reminder banner', () => {
  it('appears when the core says a reminder is due, not otherwise', async () => {
    const fake = useFake();
    fake.backupStatusData.reminder_due = true;
    const { unmount } = render(ReminderBanner);
    await screen.findByTestId('backup-reminder');
    unmount();
    fake.backupStatusData.reminder_due = false;
    render(ReminderBanner);
    await settle(fake);
    expect(screen.queryByTestId('backup-reminder')).toBeNull();
  });
});

describe('verify a backup file', () => {
  it('checks a chosen file with progress and reports what was checked', async () => {
    useFake();
    render(BackupSettings);
    await fireEvent.click(await screen.findByTestId('backup-verify-file'));
    const ok = await screen.findByTestId('backup-verify-ok');
    expect(ok.textContent).toContain('340 records checked');
  });
});
