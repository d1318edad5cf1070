import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import { session } from '../../lib/stores/session.svelte';
import RollbackBanner from './RollbackBanner.svelte';

afterEach(() => cleanup());

function statusWith(rollback: { seen_seq: number; found_seq: number } | null) {
  const info = {
    vault_id: '00000000-0000-0000-0000-000000000001',
    unlocked: true,
    remembered: false,
    has_recovery_key: true,
    successor: null,
    log_rollback: rollback,
  };
  session.status = { exists: true, demo: false, info, quick_unlock: null };
}

describe('access log rollback', () => {
  it('says plainly what the core found at unlock, with both row counts, until dismissed', async () => {
    useFake();
    statusWith({ seen_seq: 120, found_seq: 97 });
    render(RollbackBanner);
    const banner = await screen.findByTestId('log-rollback');
    expect(banner.textContent).toContain('120');
    expect(banner.textContent).toContain('97');
    expect(banner.textContent).toContain('older copy of the journal');
    await fireEvent.click(screen.getByTestId('log-rollback-dismiss'));
    expect(screen.queryByTestId('log-rollback')).toBeNull();
  });

  it('shows nothing when the log is as this computer last saw it', () => {
    useFake();
    statusWith(null);
    render(RollbackBanner);
    expect(screen.queryByTestId('log-rollback')).toBeNull();
  });
});
