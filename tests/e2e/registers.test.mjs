// The registers through the real app, on the demo vault: a consent recorded from the wording
// last used, and the referral consent withdrawn (the referral letter is written while it is in
// force, and refused up front after); a breach recorded, with its 72-hour reminder in the top
// bar until the notification is marked sent, and its documents; a note saved as a PDF (read
// back with pdftotext: its title and who signed it); the record of processing. Screenshots in
// sv and en (6x).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { launchApp, makeHome, shot } from './lib/app.mjs';
import { click, fill, msg, select, text, tid, waitText, waitUntil, openDemo } from './lib/ui.mjs';

const pdfText = (file) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

for (const lang of ['sv', 'en']) {
  describe(`the registers (${lang})`, () => {
    let app;
    let s;
    const home = makeHome(`registers-${lang}`);
    const snap = (name) => shot(s, lang, name);
    const documents = path.join(home.root, 'Documents', 'Confidant');
    const openClient = async (family) => {
      if ((await s.findAll(tid('client-list'))).length === 0) await click(s, 'toggle-client-list');
      await (await waitText(s, 'client-item', family)).click();
      await s.waitFor(tid('client-page'));
    };
    /** The path a save-as-PDF reported, checked to be a file in the default folder. */
    const savedPdf = async (scope) => {
      const p = (await (await s.waitFor(`${scope} ${tid('pdf-path')}`, { timeout: 30_000 })).text()).trim();
      assert.ok(p.startsWith(documents), p);
      assert.ok(p.endsWith('.pdf') && existsSync(p), p);
      return p;
    };

    before(async () => {
      app = await launchApp({ home, lang, log: `registers-${lang}` });
      s = await openDemo(app, lang);
    });
    after(async () => {
      await app?.close();
      home.cleanup();
    });

    it('records a consent from the wording last used, writes a referral letter, and withdraws the referral consent', async () => {
      // The demo's Astrid: treatment and referral in force, SMS reminders withdrawn.
      await openClient('Lindqvist');
      await click(s, 'tab-consents');
      await waitUntil(async () => (await s.findAll(tid('consent'))).length === 3, { message: 'the demo consents' });
      const chips = async () => Promise.all((await s.findAll(tid('consent-chip'))).map((c) => c.attr('data-purpose')));
      assert.deepEqual(await chips(), ['treatment', 'referral']);
      await click(s, 'consent-add');
      await select(s, 'consent-purpose', 'reminders_sms');
      // The wording and version last used for SMS reminders come back.
      await waitUntil(async () => (await (await s.find(tid('consent-body'))).prop('value')).includes('sms'), {
        message: 'the last wording offered',
      });
      assert.equal(await (await s.find(tid('consent-version'))).prop('value'), '1');
      await select(s, 'consent-how', 'digital');
      // The signed form: the demo's scanned referral, attached to Astrid's first session.
      const evidence = await s.waitFor(tid('consent-evidence'));
      await s.execute(
        `const el = arguments[0]; el.selectedIndex = 1; el.dispatchEvent(new Event('change', { bubbles: true }));`,
        evidence.ref,
      );
      await snap('60-consent-form');
      await click(s, 'consent-save');
      await waitUntil(async () => (await chips()).includes('reminders_sms'), { timeout: 15_000, message: 'SMS reminders in force' });
      const row = await s.waitFor(`${tid('consent')}[data-purpose="reminders_sms"][data-in-force="true"]`);
      assert.ok((await row.text()).includes('remiss-vardcentralen.pdf'), await row.text());
      await snap('60-consents');

      await click(s, 'referral-open');
      await fill(s, 'referral-recipient', 'Dr. Eva Berg\nVårdcentralen Exempel\nStorgatan 2\n111 22 Stockholm');
      await fill(s, 'referral-body', lang === 'sv' ? 'Remiss för bedömning av sömnproblem.' : 'Referral for sleep assessment.');
      await click(s, 'referral-pdf-save');
      const letter = await savedPdf(tid('referral'));
      assert.ok(pdfText(letter).includes('Eva Berg'), 'the recipient is on the letter');

      const referral = `${tid('consent')}[data-purpose="referral"]`;
      await (await s.find(`${referral} ${tid('consent-withdraw')}`)).click();
      await click(s, 'consent-withdraw-confirm');
      await s.waitFor(`${referral}[data-in-force="false"]`, { timeout: 15_000 });
      assert.deepEqual(await chips(), ['treatment', 'reminders_sms']);
      assert.equal(await text(s, 'referral-needs-consent'), msg(lang, 'referral.needs_consent'));
      assert.equal(await (await s.find(tid('referral-pdf-save'))).enabled(), false);

      // The access log names a consent by its purpose.
      await click(s, 'tab-log');
      await waitText(s, 'log-what', msg(lang, 'consents.purposes.referral'));
    });

    it('records a breach: the 72-hour reminder shows until the notification is marked sent', async () => {
      assert.equal((await s.findAll(tid('breach-chip'))).length, 0);
      await click(s, 'breaches-open');
      // The demo's breach: notified in time, the clients need not be told (the risk is not high).
      const demo = await s.waitFor(`${tid('breach')}[data-clock="notified"]`);
      assert.equal(await demo.attr('data-inform'), 'not_high_risk');
      await click(s, 'breach-add');
      await s.waitFor(tid('breach-form'));
      await click(s, 'breach-nature-confidentiality');
      await fill(
        s,
        'breach-description',
        lang === 'sv'
          ? 'En väska med mottagningens bärbara dator stals ur bilen.'
          : 'A bag with the practice laptop was stolen from the car.',
      );
      await click(s, 'breach-category-health_notes');
      await click(s, 'breach-category-contact_details');
      const emma = await waitUntil(async () => {
        for (const box of await s.findAll(tid('breach-client'))) {
          const label = await s.execute('return arguments[0].closest("label").textContent', box.ref);
          if (label.includes('Clarke')) return box;
        }
        return null;
      });
      await emma.click();
      assert.equal(await (await s.find(tid('breach-subjects'))).prop('value'), '1');
      await fill(s, 'breach-subjects', '3');
      await click(s, 'breach-risk-high_risk');
      await fill(s, 'breach-measures', lang === 'sv' ? 'Polisanmälan gjord.' : 'Reported to the police.');
      await s.execute('arguments[0].scrollIntoView({ block: "start" })', (await s.find(tid('breach-form'))).ref);
      await snap('61-breach-form');
      await s.execute('arguments[0].scrollIntoView({ block: "end" })', (await s.find(tid('breach-save'))).ref);
      await snap('61-breach-form-2');
      await click(s, 'breach-save');

      const item = await s.waitFor(`${tid('breach')}[data-clock="running"]`, { timeout: 15_000 });
      const mine = `${tid('breach')}[data-id="${await item.attr('data-id')}"]`;
      const inMine = (id) => s.find(`${mine} ${tid(id)}`);
      assert.equal(await item.attr('data-inform'), 'required');
      // Recorded a moment ago: 71 h and some minutes left.
      const clock = await (await inMine('breach-clock')).text();
      assert.match(clock, /^7[12] /, clock);
      const chip = await s.waitFor(tid('breach-chip'), { timeout: 15_000 });
      assert.match(await chip.text(), /7[12] /);
      assert.equal(await chip.attr('data-state'), 'running');
      assert.ok(!(await text(s, 'breach-register')).includes('Clarke'), 'the register names no client');
      await snap('62-breach-register');

      await (await inMine('breach-notice')).click();
      await click(s, 'pdf-save');
      const notice = await savedPdf(tid('breach-notice-dialog'));
      assert.ok(pdfText(notice).length > 200, 'the draft notification has text');
      await click(s, 'pdf-close');
      await (await inMine('breach-letters')).click();
      await click(s, 'pdf-save');
      const letter = await savedPdf(tid('breach-letters-dialog'));
      assert.ok(pdfText(letter).includes('Clarke'), 'the letter is addressed to the client');
      await click(s, 'pdf-close');

      // The reminder stays in the top bar elsewhere in the app.
      await click(s, 'settings-open');
      await s.waitFor(tid('settings'));
      await s.waitFor(tid('breach-chip'));
      await snap('63-breach-chip');
      await click(s, 'breach-chip');
      await s.waitFor(tid('breach-register'));

      await (await s.waitFor(`${mine} ${tid('breach-mark-notified')}`)).click();
      await fill(s, 'breach-reference', 'DI-2026-4711');
      await click(s, 'breach-notify-save');
      await waitUntil(async () => (await (await s.find(mine)).attr('data-clock')) === 'notified', {
        message: 'the notification marked sent',
      });
      assert.ok((await (await inMine('breach-clock')).text()).includes('DI-2026-4711'));
      await waitUntil(async () => (await s.findAll(tid('breach-chip'))).length === 0, { message: 'the reminder gone' });
      await (await inMine('breach-mark-informed')).click();
      await click(s, 'breach-inform-save');
      await waitUntil(async () => (await (await s.find(mine)).attr('data-inform')) === 'informed', {
        message: 'the clients marked told',
      });
    });

    it('saves a signed note as a PDF with its title and who signed it', async () => {
      await openClient('Lindqvist');
      await click(s, 'tab-journal');
      const note = await waitText(s, 'timeline-item', 'Session 3');
      await (await note.find('button')).click();
      await s.waitFor(tid('entry-view'));
      await click(s, 'entry-print');
      await s.waitFor(tid('print-dialog'));
      await click(s, 'pdf-save');
      const file = await savedPdf(tid('print-dialog'));
      await snap('64-note-pdf');
      const pdf = pdfText(file);
      assert.ok(pdf.includes('Session 3'), pdf.slice(0, 600));
      assert.ok(pdf.includes('Karin Demo'), 'the signer');
      assert.ok(!pdf.includes('Sömnrestriktion införd'), 'only this note, not the others');
      await click(s, 'pdf-close');
    });

    it('writes the record of processing from Settings', async () => {
      await click(s, 'settings-open');
      await click(s, 'processing-pdf-save');
      const file = await savedPdf(tid('processing-record'));
      assert.ok(pdfText(file).includes('Mottagning Exempel'), 'the practice');
      await s.execute('arguments[0].scrollIntoView({ block: "center" })', (await s.find(tid('processing-record'))).ref);
      await snap('65-processing-record');
    });

    it('says in Settings which build runs: version, commit and its day', async () => {
      await click(s, 'settings-open');
      const about = await s.waitFor(tid('about-version'));
      const line = await about.text();
      assert.match(line, /0\.1\.0/);
      assert.match(line, /[0-9a-f]{12}|unknown/, line);
      assert.match(line, /\d{4}-\d{2}-\d{2}|unknown/, line);
      await s.execute('arguments[0].scrollIntoView({ block: "center" })', about.ref);
      await snap('66-about');
    });
  });
}
