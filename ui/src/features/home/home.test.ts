// Home is "today": the day's sessions, unsigned notes, overdue invoices, what is due for
// deletion and backups, from one read; a name opens that client's page; a card asks for the
// first backup until a verified one exists.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import { addDays } from '../../lib/dates';
import { nav } from '../../lib/stores/nav.svelte';
import Home from './Home.svelte';

afterEach(() => cleanup());

const todayAt = (hour: number) => {
  const d = addDays(new Date(), 0);
  d.setHours(hour, 0, 0, 0);
  return d.toISOString();
};

describe('home', () => {
  it('shows today’s sessions and the unsigned notes by name and time, and opens them', async () => {
    const fake = useFake();
    const [a, b] = fake.clients;
    fake.practice.plan(b.id, { course_id: null, starts_at: todayAt(15), minutes: 50, kind: 'video', fee: null });
    fake.practice.plan(a.id, { course_id: null, starts_at: todayAt(9), minutes: 45, kind: 'individual', fee: null });
    fake.practice.plan(a.id, {
      course_id: null,
      starts_at: addDays(new Date(), 1).toISOString(),
      minutes: 45,
      kind: 'individual',
      fee: null,
    });
    render(Home, { onadd: () => {} });

    const rows = await screen.findAllByTestId('home-session');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain(`${a.given_name} ${a.family_name}`);
    expect(rows[1].textContent).toContain(`${b.given_name} ${b.family_name}`);
    const [from, to] = fake.args.get('day') as [string, string];
    expect(new Date(from).getHours()).toBe(0);
    expect(Date.parse(to) - Date.parse(from)).toBeGreaterThanOrEqual(23 * 3_600_000);

    const drafts = fake.entries.filter((e) => e.status === 'draft');
    expect(screen.getByTestId('home-unsigned-count').textContent).toBe(String(drafts.length));
    const unsigned = screen.getAllByTestId('home-unsigned-item');
    // Names and times only: never the note's title or text.
    expect(unsigned[0].textContent).not.toContain(drafts[0].title);
    await fireEvent.click(within(unsigned[0]).getByRole('button'));
    expect([nav.view, nav.clientId, nav.entryId]).toEqual(['client', drafts[0].client_id, drafts[0].id]);
  });

  it('asks for the first backup until a verified one exists, then shows when it was', async () => {
    const fake = useFake();
    fake.backupStatusData = { ...fake.backupStatusData, last_verified_at: null };
    render(Home, { onadd: () => {} });
    await screen.findByTestId('home-first-backup');
    await fireEvent.click(screen.getByTestId('home-first-backup-open'));
    expect(nav.view).toBe('settings');
    cleanup();

    fake.backupStatusData = { ...fake.backupStatusData, last_verified_at: '2026-11-30T18:00:00Z', reminder_due: false };
    render(Home, { onadd: () => {} });
    await waitFor(() => expect(screen.getByTestId('home-backup').textContent).toContain('Last verified backup'));
    expect(screen.queryByTestId('home-first-backup')).toBeNull();
  });

  it('counts the clients due for deletion and opens the due list', async () => {
    const fake = useFake();
    const c = fake.clients[0];
    const item = { client_id: c.id, given_name: c.given_name, family_name: c.family_name, since: '2026-01-01', source: 'PDL 3:17' };
    fake.due = [
      { ...item, kind: 'journal', duty: 'delete_after' },
      { ...item, kind: 'contact_details', duty: 'delete_after' },
    ];
    render(Home, { onadd: () => {} });
    const due = await screen.findByTestId('home-due');
    expect(due.textContent).toBe('1 client has records due for deletion');
    await fireEvent.click(due);
    expect(nav.view).toBe('due');
  });
});
