import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import { nav } from '../../lib/stores/nav.svelte';
import ImportPackages from './ImportPackages.svelte';

afterEach(() => cleanup());

describe('ImportPackages', () => {
  it('imports the chosen folder, says what came in and opens the client', async () => {
    const fake = useFake();
    const before = fake.clients.length;
    const version = nav.clientsVersion;
    render(ImportPackages);
    await fireEvent.click(screen.getByTestId('import-choose'));
    await waitFor(() => expect(screen.getByTestId('import-done').textContent).toMatch(/1 client imported: 12 notes/));
    expect(fake.args.get('importPackages')![0]).toBe(fake.importPick);
    expect(fake.clients.length).toBe(before + 1);
    expect(nav.clientsVersion).toBe(version + 1);
    await fireEvent.click(screen.getByTestId('import-open'));
    expect(nav.view).toBe('client');
    expect(nav.clientId).toBe(fake.clients[fake.clients.length - 1].id);
  });

  it('does nothing when the dialog is cancelled, and names a refused package', async () => {
    const fake = useFake();
    fake.importPick = null;
    render(ImportPackages);
    await fireEvent.click(screen.getByTestId('import-choose'));
    await waitFor(() => expect(fake.calls).toContain('chooseImportFolder'));
    expect(fake.calls).not.toContain('importPackages');
    fake.importPick = '/media/karin/USB/export';
    fake.importFails = true;
    await fireEvent.click(screen.getByTestId('import-choose'));
    await waitFor(() => expect(screen.getByTestId('import-error').textContent).toMatch(/Nothing was imported/));
    expect(screen.queryByTestId('import-done')).toBeNull();
  });
});
