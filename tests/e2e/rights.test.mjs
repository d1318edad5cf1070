// A client's rights through the real app, on the demo vault (licensed profile): the due list
// reminds about the finished client's contact details, its review opens the erasure preview
// with the law's reasons, the erasure runs and the reminder goes; a legal hold shows wherever
// the client appears and blocks erasure until released. Screenshots in sv and en (5x).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { launchApp, makeHome, outDir, shot } from './lib/app.mjs';
import { click, fill, msg, select, text, tid, waitText, waitUntil, openDemo } from './lib/ui.mjs';

for (const lang of ['sv', 'en']) {
  describe(`a client's rights (${lang})`, () => {
    let app;
    let s;
    const home = makeHome(`rights-${lang}`);
    const snap = (name) => shot(s, lang, name);
    // Opening a client from the list keeps the list open; the toggle would close it.
    const openClientList = async () => {
      if ((await s.findAll(tid('client-list'))).length === 0) await click(s, 'toggle-client-list');
    };

    before(async () => {
      app = await launchApp({ home, lang, log: `rights-${lang}` });
      s = await openDemo(app, lang);
    });
    after(async () => {
      await app?.close();
      home.cleanup();
    });

    it('reminds about what is due and lists it with the rule', async () => {
      const chip = await s.waitFor(tid('due-chip'), { timeout: 15_000 });
      assert.match(await chip.text(), /^1 /);
      await chip.click();
      const row = await s.waitFor(tid('due-item'));
      const t = await row.text();
      assert.ok(t.includes('Åkesson, Örjan'), t);
      assert.ok(t.includes('GDPR art. 5(1)(e)'), t);
      assert.equal(await row.attr('data-kind'), 'contact_details');
      await snap('50-due-list');
    });

    it('the review shows what goes and what the law keeps, and the erasure runs', async () => {
      await click(s, 'due-review');
      await s.waitFor(tid('client-rights'));
      await waitUntil(async () => (await (await s.find(tid('erasure-by-retention'))).prop('checked')) === true, {
        message: 'erasure by retention preselected',
      });
      const clocks = await text(s, 'retention-clocks');
      assert.ok(clocks.includes('Patientdatalagen (2008:355) 3 kap. 17 §'), clocks);
      await snap('51-client-rights');
      await click(s, 'erasure-preview');
      await s.waitFor(tid('erasure-plan'));
      const erased = await s.findAll(tid('plan-erase'));
      assert.deepEqual(await Promise.all(erased.map((e) => e.attr('data-part'))), ['contact_details']);
      const keep = await waitText(s, 'plan-keep', 'Patientdatalagen');
      assert.equal(await keep.attr('data-part'), 'journal');
      await click(s, 'erasure-confirm');
      await snap('52-erasure-preview');
      await click(s, 'erasure-run');
      await s.waitFor(tid('erasure-done'), { timeout: 30_000 });
      // Contact details gone, the journal still there; the reminder is gone.
      await click(s, 'tab-details');
      await waitUntil(async () => !(await text(s, 'client-page')).includes('Kyrkogatan'), {
        message: 'the address erased',
      });
      await waitUntil(async () => (await s.findAll(tid('due-chip'))).length === 0, { message: 'no reminder left' });
    });

    it('exports the journal for the client: PDF in the practice language, data.json, manifest', async () => {
      await openClientList();
      const item = await waitText(s, 'client-item', 'Lindqvist');
      await item.click();
      await s.waitFor(tid('client-page'));
      // A correction first: the details tab keeps what it replaced (art. 16), and so does data.json.
      await click(s, 'tab-details');
      await click(s, 'client-edit');
      await fill(s, 'client-email', 'astrid.ny@example.se');
      await click(s, 'client-form-submit');
      await s.waitFor(tid('client-history'), { timeout: 15_000 });
      await (await s.find(`${tid('client-history')} summary`)).click();
      const version = await s.waitFor(tid('client-version'));
      assert.ok((await version.text()).includes('@'), 'the replaced e-mail is shown');
      await snap('56-client-history');
      await click(s, 'client-export');
      await s.waitFor(tid('export-dialog'));
      await fill(s, 'export-identity', lang === 'sv' ? 'Körkort visat' : 'Photo ID seen');
      await snap('54-export-dialog');
      await click(s, 'export-run');
      await s.waitFor(tid('export-done'), { timeout: 60_000 });
      const dir = (await text(s, 'export-path')).trim();
      assert.ok(dir.startsWith(path.join(home.root, 'Documents', 'Confidant')), dir);
      for (const f of ['journal.pdf', 'data.json', 'manifest.json']) assert.ok(existsSync(path.join(dir, f)), f);
      assert.ok(readdirSync(path.join(dir, 'attachments')).length >= 1, 'the demo attachment');
      const data = JSON.parse(readFileSync(path.join(dir, 'data.json'), 'utf8'));
      assert.equal(data.client.family_name, 'Lindqvist');
      assert.equal(data.client.email, 'astrid.ny@example.se');
      assert.ok(
        data.client.history.some((v) => v.email !== 'astrid.ny@example.se'),
        'the replaced e-mail is in the history',
      );
      const pdf = execFileSync('pdftotext', ['-layout', path.join(dir, 'journal.pdf'), '-'], { encoding: 'utf8' });
      // The demo practice writes Swedish; the journal follows the practice, not the UI.
      assert.ok(pdf.includes('Lindqvist') && pdf.includes('Journalutdrag'), pdf.slice(0, 400));
      assert.ok(pdf.includes('Sida 1 av'), 'page numbers');
      assert.ok(pdf.includes('Rättad dos'), 'the amendment and its reason');
      assert.ok(!pdf.includes('## '), 'Markdown marks do not reach the page');
      execFileSync('pdftoppm', [
        '-r',
        '60',
        '-png',
        '-f',
        '1',
        '-l',
        '3',
        path.join(dir, 'journal.pdf'),
        path.join(outDir, lang, '55-export-journal'),
      ]);
      await click(s, 'export-close');
    });

    it('a legal hold shows wherever the client appears and keeps everything', async () => {
      await click(s, 'tab-rights');
      await select(s, 'hold-reason', 'supervisory_case');
      await fill(s, 'hold-note', 'IVO 3.1.1-4711/2026');
      await click(s, 'hold-place');
      await s.waitFor(tid('hold'));
      await s.waitFor(`${tid('client-page')} ${tid('badge-hold')}`);
      await click(s, 'erasure-preview');
      await s.waitFor(tid('erasure-nothing'));
      const held = await waitText(s, 'plan-keep', msg(lang, 'rights.keep.legal_hold'));
      assert.equal(await held.attr('data-part'), 'journal');
      await snap('53-legal-hold');
      await openClientList();
      await s.waitFor(`${tid('client-list')} ${tid('badge-hold')}`);
      await click(s, 'hold-release');
      await waitUntil(async () => (await s.findAll(`${tid('client-page')} ${tid('badge-hold')}`)).length === 0, {
        message: 'the badge gone after release',
      });
    });
  });
}
