// Outcome measures on the client page: a PHQ-9 filled in on screen sends one answer per item;
// a total-only questionnaire sends its total; the core's series shows as a plot with the
// flagged result ringed, the change and whether it is reliable, and the flag in words; a
// questionnaire without a verified translation says it is shown in English.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { useFake } from '../../test/helpers';
import { setLanguage } from '../../lib/i18n/index.svelte';
import { INSTRUMENTS } from '../../lib/backend/fake-practice';
import type { Measure } from '../../lib/bindings';
import Measures from './Measures.svelte';

afterEach(() => cleanup());

function result(id: number, taken_on: string, score: number, flags: number[] = []): Measure {
  return {
    id,
    client_id: 0,
    instrument: 'phq9',
    taken_on,
    answers: [],
    score,
    band: score >= 15 ? 'moderately_severe' : 'mild',
    flags,
    recorded_at: '2026-11-01T09:00:00Z',
  };
}

describe('outcome measures', () => {
  it('fills in a PHQ-9 on screen, one answer per item', async () => {
    const fake = useFake();
    const client = fake.clients[0];
    render(Measures, { client });
    await fireEvent.click(await screen.findByTestId('measure-fill'));
    const items = screen.getAllByTestId('measure-item');
    expect(items).toHaveLength(9);
    expect(items[0].textContent).toContain('Problem 1');
    expect(within(items[0]).getAllByRole('radio')).toHaveLength(4);
    expect(items[0].textContent).toContain('Nearly every day');
    for (const [k, item] of items.entries()) await fireEvent.click(within(item).getAllByRole('radio')[k === 8 ? 1 : 2]);
    await fireEvent.click(screen.getByTestId('measure-save'));
    await waitFor(() => expect(fake.calls).toContain('recordMeasure'));
    const [id, input] = fake.args.get('recordMeasure') as [number, { instrument: string; answers: number[]; total: null }];
    expect(id).toBe(client.id);
    expect(input).toMatchObject({ instrument: 'phq9', answers: [2, 2, 2, 2, 2, 2, 2, 2, 1], total: null });
    expect(await screen.findByTestId('measure-series')).toBeTruthy();
  });

  it('sends the total of a questionnaire whose items are not shipped', async () => {
    const fake = useFake();
    render(Measures, { client: fake.clients[0] });
    await fireEvent.click(await screen.findByTestId('measure-fill'));
    await fireEvent.change(screen.getByTestId('measure-instrument'), { target: { value: 'madrs_s' } });
    expect(screen.queryAllByTestId('measure-item')).toHaveLength(0);
    // An empty field is no total (the core then names it as required), never a 0.
    fake.failNext('recordMeasure', { code: 'validation', message: 'x', field: { field: 'score', reason: 'required' } });
    await fireEvent.click(screen.getByTestId('measure-save'));
    await waitFor(() => expect((fake.args.get('recordMeasure') as [number, { total: number | null }])[1].total).toBeNull());
    expect((await screen.findByTestId('measure-error')).textContent).toContain('This field is required.');
    await fireEvent.input(screen.getByTestId('measure-total'), { target: { value: '23' } });
    await fireEvent.click(screen.getByTestId('measure-save'));
    await waitFor(() =>
      expect((fake.args.get('recordMeasure') as [number, { total: number; answers: [] }])[1]).toMatchObject({ total: 23, answers: [] }),
    );
  });

  it('plots the core’s series with the flagged result ringed, the reliable change and the flag in words', async () => {
    const fake = useFake();
    const client = fake.clients[0];
    fake.answerNext('measures', [
      {
        instrument: INSTRUMENTS[0],
        results: [result(1, '2026-09-01', 18, [9]), result(2, '2026-10-01', 13), result(3, '2026-11-01', 8)],
        change: -10,
        reliable: 'improved',
      },
    ]);
    render(Measures, { client });
    const plot = await screen.findByTestId('measure-plot');
    const points = within(plot).getAllByTestId('measure-point');
    expect(points.map((p) => p.dataset.score)).toEqual(['18', '13', '8']);
    expect(points[0].classList.contains('flag')).toBe(true);
    expect(points[2].classList.contains('flag')).toBe(false);
    expect(screen.getByTestId('measure-change').textContent).toContain('Change since the first result: -10: reliable improvement');
    expect(screen.getByTestId('measure-flag').textContent).toBe('Item 9 answered above 0: ask about thoughts of self-harm.');
  });

  it('says a questionnaire is shown in English when no verified translation is shipped', async () => {
    const fake = useFake();
    setLanguage('sv');
    render(Measures, { client: fake.clients[0] });
    await fireEvent.click(await screen.findByTestId('measure-fill'));
    expect(screen.getByTestId('measure-english-note').textContent).toContain('Visas på engelska');
    setLanguage('en');
  });

  it("defines a questionnaire of one's own from lines and numbers, then offers it with its labels", async () => {
    const fake = useFake();
    const client = fake.clients[0];
    render(Measures, { client });
    await fireEvent.click(await screen.findByTestId('own-open'));
    await fireEvent.click(screen.getByTestId('own-new'));
    await fireEvent.input(screen.getByTestId('own-name'), { target: { value: 'Sömn' } });
    await fireEvent.input(screen.getByTestId('own-items'), { target: { value: 'Somnade lätt\n\n  Vaknade ofta \nUtvilad' } });
    await fireEvent.input(screen.getByTestId('own-options'), { target: { value: 'Aldrig\nIbland\nOfta\nAlltid' } });
    await fireEvent.input(screen.getByTestId('own-reversed'), { target: { value: '1, 3' } });
    await fireEvent.input(screen.getByTestId('own-flagged'), { target: { value: 'x2' } });
    await fireEvent.click(screen.getByTestId('own-add-band'));
    await fireEvent.click(screen.getByTestId('own-save'));
    await waitFor(() => expect(fake.calls).toContain('defineInstrument'));
    const [input] = fake.args.get('defineInstrument') as [Record<string, unknown>];
    expect(input).toMatchObject({
      name: 'Sömn',
      items: ['Somnade lätt', 'Vaknade ofta', 'Utvilad'],
      options: ['Aldrig', 'Ibland', 'Ofta', 'Alltid'],
      min_answer: 0,
      max_answer: 3,
      reversed: [1, 3],
      flag_items: [0], // a typo goes to the core, which names the field; never dropped
      scoring: 'sum',
      max_score: null,
      bands: [{ from: 0, to: 0, label: '' }],
    });
    expect(await screen.findByTestId('own-instrument')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('measure-fill'));
    const picker = screen.getByTestId('measure-instrument') as HTMLSelectElement;
    expect([...picker.options].map((o) => o.textContent)).toContain('Sömn');
    await fireEvent.click(screen.getByTestId('own-retire'));
    await waitFor(() => expect([...picker.options].map((o) => o.textContent)).not.toContain('Sömn'));
  });

  it("shows the core's field error in words that say what to fix", async () => {
    const fake = useFake();
    fake.failNext('defineInstrument', { code: 'validation', message: 'x', field: { field: 'bands', reason: 'range' } });
    render(Measures, { client: fake.clients[0] });
    await fireEvent.click(await screen.findByTestId('own-open'));
    await fireEvent.click(screen.getByTestId('own-new'));
    await fireEvent.click(screen.getByTestId('own-save'));
    expect((await screen.findByTestId('own-error')).textContent).toContain('highest score');
  });
});
