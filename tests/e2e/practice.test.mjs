// The therapist's sessions through the real app, on the demo vault, in Swedish and Danish: the
// week with the demo's sessions and what waits for an invoice; a session booked for a client
// earlier today, recorded as attended, its note started from a template, written and signed;
// the week then lists it for invoicing; the week's waiting sessions become an invoice that is
// issued, saved as a PDF (read back, and rendered to a PNG beside the screenshots) and paid; a
// PHQ-9 filled in with the client joins the demo's results on the plot; a questionnaire of the
// therapist's own defined, filled in and plotted with its own band labels. Screenshots (7x–8x).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { launchApp, makeHome, outDir, shot } from './lib/app.mjs';
import { click, fill, msg, select, text, tid, waitText, waitUntil, openDemo } from './lib/ui.mjs';

const pad = (n) => String(n).padStart(2, '0');

for (const lang of ['sv', 'da']) {
  describe(`the practice's sessions (${lang})`, () => {
    let app;
    let s;
    const home = makeHome(`practice-${lang}`);
    const snap = (name) => shot(s, lang, name);
    const count = async (css) => (await s.findAll(css)).length;

    before(async () => {
      app = await launchApp({ home, lang, log: `practice-${lang}` });
      s = await openDemo(app, lang);
    });
    after(async () => {
      await app?.close();
      home.cleanup();
    });

    it('shows the week with the demo sessions and the two that wait for an invoice', async () => {
      await click(s, 'week-open');
      await s.waitFor(tid('week'));
      assert.equal(await count(tid('week-day')), 7);
      await waitUntil(async () => (await count(`${tid('uninvoiced')} ${tid('week-item')}`)) === 2, {
        message: 'the two sessions waiting for an invoice',
      });
      const heading = await (await s.find(`${tid('week')} h1`)).text();
      assert.match(heading, new RegExp(`^${msg(lang, 'week.title').replace('{week}', '\\d+')}$`));
      await snap('70-week');
    });

    it('books a session earlier today, records it attended, writes and signs its note', async () => {
      await click(s, 'toggle-client-list');
      await (await waitText(s, 'client-item', 'Lindqvist')).click();
      await s.waitFor(tid('client-page'));
      await click(s, 'tab-sessions');
      await s.waitFor(tid('sessions'));
      const before = await count(tid('session-item'));
      await click(s, 'session-plan');
      const now = new Date();
      await select(s, 'session-day', `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`);
      // Earlier today: the session has begun, so it may be recorded as attended.
      await select(s, 'session-time', '00:00');
      await select(s, 'session-kind', 'couple');
      await fill(s, 'session-fee', '1100');
      await snap('71-session-form');
      await click(s, 'session-save');
      await waitUntil(async () => (await count(tid('session-item'))) === before + 1, { message: 'the new session listed' });

      // Earlier today, so among the earlier sessions (newest first), and the only planned one
      // there: the demo's coming sessions are planned too, but later, and offer only cancellations.
      const earlier = `${tid('sessions-earlier')} ${tid('session-item')}`;
      const planned = await s.waitFor(`${earlier}[data-attendance="planned"] ${tid('session-record-attended')}`);
      assert.equal(await count(`${tid('sessions-coming')} ${tid('session-record-attended')}`), 0);
      await planned.click();
      // Recorded: no planned session is left among the earlier ones, and ours, the newest, is the
      // first attended one (the demo's attended session of last week has no note yet either).
      await waitUntil(async () => (await count(`${earlier}[data-attendance="planned"]`)) === 0, {
        message: 'the session recorded',
      });
      const ours = await s.waitFor(`${earlier}[data-attendance="attended"]`);
      assert.ok((await ours.text()).includes(msg(lang, 'sessions.kinds.couple')), await ours.text());
      await snap('72-sessions');
      await (await ours.find(tid('session-write-note'))).click();

      // The note opens in the journal: a draft at the session's time and length, from SOAP.
      const body = await s.waitFor(tid('entry-body'), { timeout: 15_000 });
      await waitUntil(async () => (await body.prop('value')).includes('## '), { message: 'the template headings' });
      const when = await (await s.find(tid('entry-time'))).prop('value');
      assert.equal(when, '00:00');
      await fill(s, 'entry-title', msg(lang, 'sessions.kinds.couple'));
      await body.setValue('Paret beskriver färre konflikter.');
      await snap('73-session-note');
      await click(s, 'entry-sign');
      await click(s, 'sign-confirm');
      await waitUntil(async () => (await count(`${tid('timeline-item')}[data-status="signed"]`)) > 0, {
        message: 'the signed note in the logbook',
      });

      // Back on the sessions tab our session opens its note; the week lists it for invoicing.
      await click(s, 'tab-sessions');
      await s.waitFor(`${earlier}[data-attendance="attended"] ${tid('session-open-note')}`, { timeout: 15_000 });
      await click(s, 'week-open');
      await waitUntil(async () => (await count(`${tid('uninvoiced')} ${tid('week-item')}`)) === 3, {
        message: 'three sessions waiting for an invoice',
      });
      await snap('74-week-after');
    });

    it('invoices the waiting sessions, issues the invoice, saves its PDF and records the payment', async () => {
      // The seller's details first: an invoice without an organisation number is refused.
      await click(s, 'settings-open');
      await fill(s, 'billing-org_number', '556677-8899');
      await fill(s, 'billing-bankgiro', '123-4567');
      await click(s, 'billing-f-skatt');
      await click(s, 'billing-save');
      await waitText(s, 'billing-settings', msg(lang, 'invoices.billing_saved'));

      await click(s, 'week-open');
      const astrid = await waitText(s, 'uninvoiced-client', 'Lindqvist');
      await (await astrid.find(tid('invoice-create'))).click();
      const view = await s.waitFor(`${tid('invoice-view')}[data-state="draft"]`, { timeout: 15_000 });
      assert.equal((await s.findAll(`${tid('invoice-lines')} tbody tr`)).length, 2, 'one line per waiting session');
      await snap('75-invoice-draft');
      await click(s, 'invoice-issue');
      await click(s, 'issue-confirm');
      await s.waitFor(`${tid('invoice-view')}[data-state="open"]`, { timeout: 15_000 });
      assert.match(await view.text(), new RegExp(msg(lang, 'invoices.number').replace('{number}', '1')));
      await click(s, 'invoice-pdf');
      const saved = await (await s.waitFor(tid('invoice-pdf-path'), { timeout: 30_000 })).text();
      const file = saved.slice(saved.indexOf('/')).trim();
      assert.ok(file.endsWith('.pdf') && existsSync(file), saved);
      const pdf = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      assert.ok(pdf.includes('556677-8899') && pdf.includes('Astrid Lindqvist'), pdf);
      execFileSync('pdftoppm', ['-r', '60', '-png', '-singlefile', file, path.join(outDir, lang, '77-invoice-pdf')]);
      await click(s, 'invoice-pay');
      await click(s, 'payment-save');
      await s.waitFor(`${tid('invoice-view')}[data-state="paid"]`, { timeout: 15_000 });
      await snap('76-invoice-paid');
      // For the accountant: the year's invoices as CSV, with this one paid.
      await click(s, 'csv-save');
      const csvShown = await (await s.waitFor(`${tid('csv-done')} ${tid('pdf-path')}`, { timeout: 15_000 })).text();
      const csvFile = csvShown.slice(csvShown.indexOf('/')).trim();
      assert.ok(csvFile.endsWith('.csv') && existsSync(csvFile), csvShown);
      const csv = readFileSync(csvFile, 'utf8').trim().split('\n');
      assert.equal(csv[0], 'number;kind;issued_on;due_on;buyer;net;vat;gross;currency;credits;paid');
      assert.ok(csv[1].startsWith('1;invoice;') && csv[1].includes('Astrid Lindqvist'), csv[1]);
      // Astrid's sessions no longer wait; Søren's missed session still does.
      await click(s, 'week-open');
      await waitUntil(async () => (await count(tid('uninvoiced-client'))) === 1, { message: 'one client left to invoice' });
      assert.ok((await text(s, 'uninvoiced-client')).includes('Østergaard'));
    });

    it('fills in a PHQ-9 with the client and shows it on the plot beside the autumn', async () => {
      await click(s, 'toggle-client-list');
      await (await waitText(s, 'client-item', 'Lindqvist')).click();
      await s.waitFor(tid('client-page'));
      await click(s, 'tab-measures');
      // The demo's three PHQ-9 results, the first flagged.
      const points = `${tid('measure-plot')}[data-instrument="phq9"] ${tid('measure-point')}`;
      await waitUntil(async () => (await count(points)) === 3, { message: 'the demo PHQ-9 results' });
      await click(s, 'measure-fill');
      const items = await s.findAll(`${tid('measure-item')}`);
      assert.equal(items.length, 9);
      for (const item of items) {
        const radios = await item.findAll('input[type="radio"]');
        await radios[1].click();
      }
      await snap('78-measure-form');
      await click(s, 'measure-save');
      await waitUntil(async () => (await count(points)) === 4, { message: 'the new result on the plot' });
      const change = await (await s.find(`${tid('measure-series')}[data-instrument="phq9"] ${tid('measure-change')}`)).text();
      assert.ok(change.includes(msg(lang, 'measures.reliable.improved')), change);
      await snap('79-measures');
    });

    it("defines a questionnaire of the therapist's own, fills it in and sees it plotted in its own words", async () => {
      const own = { sv: ['Sömn', 'Lätt besvär', 'Besvär'], da: ['Søvn', 'Lette gener', 'Gener'] }[lang];
      await click(s, 'own-open');
      await click(s, 'own-new');
      // The dialog scrolls; each field is brought into view first, as a user would scroll to it.
      const put = async (css, value) => {
        const el = await s.waitFor(css);
        await s.execute("arguments[0].scrollIntoView({ block: 'center' })", el.ref);
        await el.setValue(value);
      };
      await put(tid('own-name'), own[0]);
      // Enter, as a user types it (WebDriver's Enter key), between the lines.
      await put(tid('own-items'), 'Somnade lätt\uE007Vaknade ofta\uE007Utvilad');
      await put(tid('own-options'), 'Aldrig\uE007Ibland\uE007Ofta\uE007Alltid');
      await put(tid('own-reversed'), '1, 3');
      await put(tid('own-flagged'), '2');
      await put(tid('own-reliable'), '3');
      await click(s, 'own-add-band');
      await put('#oi-band-to-0', '3');
      await put('#oi-band-label-0', own[1]);
      await click(s, 'own-add-band');
      await put('#oi-band-to-1', '9');
      await put('#oi-band-label-1', own[2]);
      await snap('80-own-instrument-form');
      await click(s, 'own-save');
      await waitText(s, 'own-instrument', own[0]);
      await click(s, 'measure-fill');
      await select(s, 'measure-instrument', 'custom-1');
      await waitUntil(async () => (await count(tid('measure-item'))) === 3, { message: 'the three questions' });
      const items = await s.findAll(tid('measure-item'));
      // Answers 0, 3, 0 with items 1 and 3 reversed: 3 + 3 + 3 = 9, the top band, item 2 flagged.
      for (const [k, item] of items.entries()) {
        const radios = await item.findAll('input[type="radio"]');
        await radios[k === 1 ? 3 : 0].click();
      }
      await click(s, 'measure-save');
      const series = `${tid('measure-series')}[data-instrument="custom-1"]`;
      await s.waitFor(series);
      const result = await (await s.find(`${series} ${tid('measure-result')}`)).text();
      assert.ok(result.includes('9') && result.includes(own[2]), result);
      assert.ok(result.includes(msg(lang, 'measures.flag_own').replace('{items}', '2')), result);
      assert.equal(await count(`${series} ${tid('measure-plot')} ${tid('measure-point')}`), 1);
      await s.execute("arguments[0].scrollIntoView({ block: 'center' })", (await s.find(series)).ref);
      await snap('81-own-instrument-plot');
    });
  });
}
