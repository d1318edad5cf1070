import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import ProfileRules from './ProfileRules.svelte';

afterEach(() => cleanup());

describe('profile rules', () => {
  it("shows the core's rules for the chosen profile, each with its source, and asks again when it changes", async () => {
    const fake = useFake();
    fake.answerNext('retentionRules', [
      { kind: 'journal', start: 'last_entry', years: 5, months: 0, duty: 'keep_at_least', source: 'BEK nr. 567 af 19/05/2017 § 6, stk. 1' },
      { kind: 'invoice', start: 'financial_year_end', years: 5, months: 0, duty: 'keep_at_least', source: 'Bogføringsloven § 12' },
    ]);
    const view = render(ProfileRules, { jurisdiction: 'dk_psychologist' });
    await waitFor(() => expect(screen.getAllByTestId('profile-rule')).toHaveLength(2));
    const journal = screen.getAllByTestId('profile-rule')[0];
    expect(journal.textContent).toContain('kept at least 5 years after the last entry');
    expect(journal.textContent).toContain('BEK nr. 567 af 19/05/2017 § 6, stk. 1');
    expect(screen.getAllByTestId('profile-rule')[1].textContent).toContain('after the end of the financial year');

    fake.answerNext('retentionRules', []);
    await view.rerender({ jurisdiction: 'custom' });
    await screen.findByTestId('profile-rules-none');
    expect(fake.calls.filter((c) => c === 'retentionRules')).toHaveLength(2);
  });
});
