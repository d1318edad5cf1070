// A client's rights: the erasure preview shows what the core keeps and why, sends back exactly
// what it showed, and shows the core's refusal; holds and restriction go to the core and show
// wherever the client appears; the due list reminds and leads to the client.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import { nav } from '../../lib/stores/nav.svelte';
import ClientRights from './ClientRights.svelte';
import DueList from './DueList.svelte';
import DueChip from './DueChip.svelte';
import type { Client, ErasurePlan } from '../../lib/bindings';

afterEach(() => cleanup());

const LICENSED_PLAN: ErasurePlan = {
  client_id: 0,
  cause: { cause: 'request', received_on: '2026-11-20' },
  items: [
    { part: 'journal', erase: false, keep: 'rule', until: '2035-06-01', source: 'Patientdatalagen (2008:355) 3 kap. 17 §' },
    { part: 'contact_details', erase: true, keep: null, until: null, source: null },
    { part: 'identity', erase: false, keep: 'identifies_journal', until: '2035-06-01', source: 'Patientdatalagen (2008:355) 3 kap. 17 §' },
    { part: 'access_log', erase: false, keep: 'rule', until: null, source: 'HSLF-FS 2016:40 4 kap. 9 §' },
  ],
  backups_until: '2028-01-02',
};

async function setup() {
  const fake = useFake();
  fake.unlocked = true;
  const client = fake.clients[0];
  let shown: Client | null = client;
  render(ClientRights, { client, onchange: (c: Client | null) => (shown = c) });
  return { fake, client, shown: () => shown };
}

describe('erasure', () => {
  it('shows what goes, what the law keeps until when and by which rule, and sends back exactly that', async () => {
    const { fake, client } = await setup();
    fake.answerNext('erasurePlan', { ...LICENSED_PLAN, client_id: client.id });
    await fireEvent.input(screen.getByTestId('erasure-received'), { target: { value: '2026-11-20' } });
    await fireEvent.click(screen.getByTestId('erasure-preview'));
    await screen.findByTestId('erasure-plan');
    expect(fake.args.get('erasurePlan')).toEqual([client.id, { cause: 'request', received_on: '2026-11-20' }]);
    expect(screen.getAllByTestId('plan-erase').map((e) => e.dataset.part)).toEqual(['contact_details']);
    const journal = screen.getAllByTestId('plan-keep')[0].textContent ?? '';
    expect(journal).toContain('The law requires keeping it.');
    expect(journal).toContain('Patientdatalagen (2008:355) 3 kap. 17 §');
    expect(journal).toMatch(/May be deleted from .*2035/);
    expect(screen.getAllByTestId('plan-keep')[1].textContent).toContain('The kept journal must show whose it is.');
    expect(screen.getByTestId('erasure-backups').textContent).toMatch(/by .*2028 at the latest/);

    const run = screen.getByTestId('erasure-run') as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('erasure-confirm'));
    fake.answerNext('erasurePlan', { ...LICENSED_PLAN, client_id: client.id });
    await fireEvent.click(run);
    await screen.findByTestId('erasure-done');
    expect(fake.args.get('erase')?.slice(0, 3)).toEqual([client.id, LICENSED_PLAN.cause, ['contact_details']]);
  });

  it('shows the core’s refusal when the plan changed, and nothing claims success', async () => {
    const { fake } = await setup();
    await fireEvent.click(screen.getByTestId('erasure-preview'));
    await fireEvent.click(await screen.findByTestId('erasure-confirm'));
    fake.failNext('erase', { code: 'erasure_plan_changed', message: 'changed' });
    await fireEvent.click(screen.getByTestId('erasure-run'));
    expect((await screen.findByTestId('erasure-error')).textContent).toBe(
      'What can be erased has changed since you looked. Look at the preview again.',
    );
    expect(screen.queryByTestId('erasure-done')).toBeNull();
  });

  it('tells the page when the whole client is gone', async () => {
    const { shown } = await setup();
    await fireEvent.click(screen.getByTestId('erasure-preview'));
    await fireEvent.click(await screen.findByTestId('erasure-confirm'));
    await fireEvent.click(screen.getByTestId('erasure-run'));
    await screen.findByTestId('erasure-done');
    await waitFor(() => expect(shown()).toBeNull());
  });
});

describe('holds and restriction', () => {
  it('places and releases a hold with its reason and note', async () => {
    const { fake, client } = await setup();
    await screen.findByTestId('no-holds');
    await fireEvent.change(screen.getByTestId('hold-reason'), { target: { value: 'supervisory_case' } });
    await fireEvent.input(screen.getByTestId('hold-note'), { target: { value: 'IVO 3.1.1-12345/2026' } });
    await fireEvent.click(screen.getByTestId('hold-place'));
    const hold = await screen.findByTestId('hold');
    expect(fake.args.get('placeLegalHold')).toEqual([client.id, 'supervisory_case', 'IVO 3.1.1-12345/2026']);
    expect(hold.textContent).toContain('Supervisory case');
    expect(hold.textContent).toContain('IVO 3.1.1-12345/2026');
    await fireEvent.click(screen.getByTestId('hold-release'));
    await waitFor(() => expect(screen.getByTestId('hold').dataset.active).toBe('false'));
  });

  it('restricts and lifts through the core', async () => {
    const { fake, client } = await setup();
    await fireEvent.click(screen.getByTestId('restriction-toggle'));
    await waitFor(() => expect(fake.args.get('setRestriction')).toEqual([client.id, true]));
  });
});

describe('the due list', () => {
  it('reminds only when something is due, and opens the client to review', async () => {
    const fake = useFake();
    fake.unlocked = true;
    render(DueChip);
    await waitFor(() => expect(fake.calls).toContain('dueForDeletion'));
    expect(screen.queryByTestId('due-chip')).toBeNull();
    cleanup();

    fake.due = [
      {
        client_id: 7,
        given_name: 'Maja',
        family_name: 'Berg',
        kind: 'journal',
        duty: 'delete_after',
        since: '2026-12-01',
        source: 'GDPR art. 5(1)(e)',
      },
    ];
    render(DueChip);
    expect((await screen.findByTestId('due-chip')).textContent).toBe('1 due for deletion');
    cleanup();
    render(DueList);
    const row = await screen.findByTestId('due-item');
    expect(row.textContent).toContain('Berg, Maja');
    expect(row.textContent).toContain('must be deleted');
    expect(row.textContent).toContain('GDPR art. 5(1)(e)');
    await fireEvent.click(screen.getByTestId('due-review'));
    expect([nav.view, nav.clientId, nav.tab, nav.reviewDue]).toEqual(['client', 7, 'rights', true]);
  });

  it("shows the access log's rows past the period only when some are, and deletes them after a confirmation", async () => {
    const fake = useFake();
    fake.unlocked = true;
    render(DueList);
    await waitFor(() => expect(fake.calls).toContain('accessLogRetention'));
    expect(screen.queryByTestId('log-retention')).toBeNull();
    cleanup();

    fake.logRetention = {
      rule: { kind: 'access_log', start: 'written', years: 5, months: 0, duty: 'delete_after', source: 'GDPR art. 5(1)(e), 32' },
      due_rows: 3,
      last_due_day: '2021-12-02',
    };
    render(DueList);
    const section = await screen.findByTestId('log-retention');
    expect(section.textContent).toContain('3 rows up to 2 Dec 2021 are older than 5 years (GDPR art. 5(1)(e), 32).');
    expect(section.textContent).toContain('must be deleted');
    await fireEvent.click(screen.getByTestId('log-prune'));
    expect(fake.calls).not.toContain('pruneAccessLog');
    await fireEvent.click(screen.getByTestId('log-prune-yes'));
    expect((await screen.findByTestId('log-pruned')).textContent).toBe('3 rows were deleted. The rest of the log is intact.');
    expect(fake.calls).toContain('pruneAccessLog');
    expect(screen.queryByTestId('log-prune')).toBeNull();
  });
});

describe('export for the client', () => {
  it('needs the identity check and a reason for each withheld note, then shows the passphrase once', async () => {
    const fake = useFake();
    fake.unlocked = true;
    const client = fake.clients[0];
    const { default: ExportDialog } = await import('./ExportDialog.svelte');
    render(ExportDialog, { clientId: client.id, onclose: () => {} });
    const run = screen.getByTestId('export-run') as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('export-identity'), { target: { value: 'Photo ID seen' } });
    expect(run.disabled).toBe(false);
    const boxes = await screen.findAllByTestId('export-withhold');
    await fireEvent.click(boxes[0]);
    expect(run.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('export-withhold-reason'), { target: { value: 'Third party' } });
    await fireEvent.click(screen.getByTestId('export-encrypt'));
    await fireEvent.click(run);
    expect((await screen.findByTestId('export-passphrase')).textContent).toBe('abcd-efgh-jkmn-pqrs-tuvw-xyz2');
    const [req, folder] = fake.args.get('exportClient') as [{ withheld: { reason: string }[]; encrypt: boolean }, string | null];
    expect(req.withheld.map((w) => w.reason)).toEqual(['Third party']);
    expect(req.encrypt).toBe(true);
    expect(folder).toBeNull();
  });
});
