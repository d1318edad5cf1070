// The successor ("professional will") section: shows what the core holds, sends what was
// entered, and shows the core's refusal by field or by code.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import Successor from './Successor.svelte';

afterEach(() => cleanup());

const RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const CUSTODIAN = 'kaffe på torget varje tisdag';

describe('successor', () => {
  it('explains what a successor can and cannot do, and says when there is none', async () => {
    useFake();
    render(Successor);
    await screen.findByTestId('successor-none');
    const text = screen.getByTestId('successor').textContent;
    expect(text).toContain('open any backup made from now on, restore it, and read and export every journal');
    expect(text).toContain('open backups made before they were added');
    expect(screen.getByTestId('successor-edit').textContent).toBe('Add a successor');
  });

  it('shows the name and the public key the core holds', async () => {
    const fake = useFake();
    fake.successorData = { name: 'Anna Berg', kind: { kind: 'x25519', recipient: RECIPIENT } };
    render(Successor);
    expect((await screen.findByTestId('successor-name')).textContent).toBe('Anna Berg');
    const kind = screen.getByTestId('successor-kind').textContent;
    expect(kind).toContain('Opens with their public key');
    expect(kind).toContain(RECIPIENT);
  });

  it('shows a successor who keeps a passphrase', async () => {
    const fake = useFake();
    fake.successorData = { name: 'Advokat Lund', kind: { kind: 'passphrase' } };
    render(Successor);
    expect((await screen.findByTestId('successor-kind')).textContent).toBe('Opens with a passphrase they keep');
  });

  it('adds a successor with their public key, confirmed with the therapist’s passphrase', async () => {
    const fake = useFake();
    render(Successor);
    await fireEvent.click(await screen.findByTestId('successor-edit'));
    await fireEvent.input(screen.getByTestId('successor-name-input'), { target: { value: 'Anna Berg' } });
    await fireEvent.input(screen.getByTestId('successor-recipient'), { target: { value: RECIPIENT } });
    const submit = screen.getByTestId('successor-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('succ-passphrase'), { target: { value: fake.passphrase } });
    await fireEvent.click(submit);
    await waitFor(() => expect(screen.queryByTestId('successor-dialog')).toBeNull());
    expect(fake.args.get('setSuccessor')).toEqual([
      { kind: 'passphrase', value: 'demo lingonberry harbour 2026' },
      'Anna Berg',
      { kind: 'x25519', value: RECIPIENT },
    ]);
    expect(screen.getByTestId('successor-name').textContent).toBe('Anna Berg');
    expect(screen.getByTestId('successor-notice').textContent).toBe('The successor was saved.');
  });

  it('adds a successor with a passphrase they type themselves', async () => {
    const fake = useFake();
    render(Successor);
    await fireEvent.click(await screen.findByTestId('successor-edit'));
    await fireEvent.input(screen.getByTestId('successor-name-input'), { target: { value: 'Advokat Lund' } });
    await fireEvent.click(screen.getByTestId('successor-use-passphrase'));
    expect(screen.queryByTestId('successor-recipient')).toBeNull();
    await fireEvent.input(screen.getByTestId('successor-passphrase'), { target: { value: CUSTODIAN } });
    await fireEvent.input(screen.getByTestId('successor-passphrase-confirm'), { target: { value: CUSTODIAN } });
    await fireEvent.click(screen.getByTestId('succ-use-recovery'));
    await fireEvent.input(screen.getByTestId('succ-recovery-key'), { target: { value: fake.recovery } });
    const submit = screen.getByTestId('successor-submit') as HTMLButtonElement;
    await waitFor(() => expect(submit.disabled).toBe(false));
    await fireEvent.click(submit);
    await waitFor(() => expect(fake.args.get('setSuccessor')?.[2]).toEqual({ kind: 'passphrase', value: CUSTODIAN }));
    expect(fake.args.get('setSuccessor')?.[0]).toEqual({ kind: 'recovery_key', value: fake.recovery });
    expect((await screen.findByTestId('successor-kind')).textContent).toBe('Opens with a passphrase they keep');
  });

  it('shows the core’s refusal on the field it names, and by code otherwise', async () => {
    const fake = useFake();
    render(Successor);
    await fireEvent.click(await screen.findByTestId('successor-edit'));
    await fireEvent.input(screen.getByTestId('successor-name-input'), { target: { value: 'Anna Berg' } });
    await fireEvent.input(screen.getByTestId('successor-recipient'), { target: { value: 'age1nope' } });
    await fireEvent.input(screen.getByTestId('succ-passphrase'), { target: { value: fake.passphrase } });
    // Whether the key is a valid age recipient is the core's rule.
    fake.failNext('setSuccessor', {
      code: 'validation',
      message: 'invalid successor_recipient: format',
      field: { field: 'successor_recipient', reason: 'format' },
    });
    await fireEvent.click(screen.getByTestId('successor-submit'));
    const fieldError = await screen.findByTestId('successor-recipient-error');
    expect(fieldError.textContent).toBe('This is not in a valid format.');
    expect(screen.getByTestId('successor-recipient').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('successor-error')).toBeNull();

    fake.failNext('setSuccessor', { code: 'validation', message: 'invalid', field: { field: 'successor_name', reason: 'too_long' } });
    await fireEvent.click(screen.getByTestId('successor-submit'));
    await waitFor(() => expect(screen.getByTestId('successor-name-error').textContent).toBe('This is too long.'));
    expect(screen.queryByTestId('successor-recipient-error')).toBeNull();

    fake.failNext('setSuccessor', { code: 'wrong_passphrase', message: 'the passphrase is not correct' });
    await fireEvent.click(screen.getByTestId('successor-submit'));
    await waitFor(() => expect(screen.getByTestId('successor-error').textContent?.trim()).toBe('That passphrase is not correct.'));
    expect(screen.getByTestId('succ-passphrase').getAttribute('aria-invalid')).toBe('true');
    expect(fake.successorData).toBeNull();
  });

  it('removes the successor after asking the passphrase again', async () => {
    const fake = useFake();
    fake.successorData = { name: 'Anna Berg', kind: { kind: 'x25519', recipient: RECIPIENT } };
    render(Successor);
    await fireEvent.click(await screen.findByTestId('successor-remove'));
    const submit = screen.getByTestId('successor-remove-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('succ-rm-passphrase'), { target: { value: fake.passphrase } });
    await fireEvent.click(submit);
    await screen.findByTestId('successor-none');
    expect(fake.args.get('removeSuccessor')).toEqual([{ kind: 'passphrase', value: 'demo lingonberry harbour 2026' }]);
  });
});
