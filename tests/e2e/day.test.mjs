// The therapist's day through the real app, on the demo vault, in Swedish and Danish: the
// demo band; home is "today" (the day's sessions by name and time, the unsigned note, no
// verified backup yet) and a name on it opens that client; a logbook row previews its text;
// "read the last five" shows the signed notes in full; a new note suggests its numbered title
// and Ctrl+Enter asks to sign it; adding a client in the demo warns first; after an idle lock
// the unlock returns to the page that was open; and home and a journal in dark mode.
// Screenshots (8x).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchApp, makeHome, shot } from './lib/app.mjs';
import { click, fill, msg, select, tid, waitText, waitUntil, openDemo } from './lib/ui.mjs';

for (const lang of ['sv', 'da']) {
  describe(`the therapist's day (${lang})`, () => {
    let app;
    let s;
    const home = makeHome(`day-${lang}`);
    const snap = (name) => shot(s, lang, name);
    const count = async (css) => (await s.findAll(css)).length;

    before(async () => {
      app = await launchApp({ home, lang, log: `day-${lang}` });
      s = await openDemo(app, lang);
    });
    after(async () => {
      await app?.close();
      home.cleanup();
    });

    it('opens on today: the demo band, the day’s sessions, the unsigned note and the first-backup card', async () => {
      await waitText(s, 'demo-band', msg(lang, 'main.demo_band'));
      await s.waitFor(tid('home-sessions'));
      // The demo books a session today on weekdays (on a weekend it moves to Friday or Monday).
      const weekday = ![0, 6].includes(new Date().getDay());
      if (weekday) {
        await waitUntil(async () => (await count(tid('home-session'))) >= 1, { message: 'today’s session' });
      }
      await waitUntil(async () => (await count(tid('home-unsigned-item'))) >= 1, { message: 'the unsigned note' });
      await s.waitFor(tid('home-first-backup'));
      // Names and times only: the draft's title is nowhere on the page.
      const page = await (await s.find(tid('home'))).text();
      assert.ok(!page.includes('utkast'), page);
      await snap('80-home');

      await (await s.find(`${tid('home-unsigned-item')} button`)).click();
      await s.waitFor(tid('entry-editor'), { timeout: 15_000 });
    });

    it('previews each logbook row and reads the last five notes in full', async () => {
      await click(s, 'entry-close');
      await waitUntil(async () => (await count(tid('timeline-preview'))) > 0, { message: 'the previews' });
      const previews = await s.findAll(tid('timeline-preview'));
      const texts = await Promise.all(previews.map((p) => p.text()));
      assert.ok(texts.some((t) => t.length > 20), JSON.stringify(texts));
      await snap('81-logbook-previews');
      await click(s, 'recent-open');
      await waitUntil(async () => (await count(tid('recent-note'))) >= 2, { message: 'the last notes in full' });
      assert.ok((await count(tid('recent-note'))) <= 5);
      await snap('82-last-five');
      await click(s, 'recent-close');
    });

    it('starts a new note with a numbered title and asks to sign it on Ctrl+Enter', async () => {
      await click(s, 'entry-new');
      const title = await s.waitFor(tid('entry-title'));
      const suggested = await title.prop('value');
      assert.match(suggested, new RegExp(`^${msg(lang, 'entry.kinds.session')} \\d+$`));
      const body = await s.waitFor(tid('entry-body'));
      await body.setValue('Kort avstämning.');
      await s.execute(
        `arguments[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }))`,
        body.ref,
      );
      await s.waitFor(tid('sign-dialog'));
      await snap('83-sign-shortcut');
      await click(s, 'sign-cancel');
      await click(s, 'entry-close');
    });

    it('warns before a client is added to the demo', async () => {
      await click(s, 'toggle-client-list');
      await click(s, 'add-client');
      await waitText(s, 'demo-client-warning', msg(lang, 'clients.demo_warning'));
      await snap('84-demo-warning');
      await click(s, 'client-form-cancel');
    });

    // The real idle timer (a minute, the shortest setting), once: the same code runs in Danish.
    if (lang === 'sv') {
      it('returns to the open page after an idle lock', { timeout: 150_000 }, async () => {
        await click(s, 'settings-open');
        await fill(s, 'settings-auto-lock', '1');
        await click(s, 'settings-auto-lock-save');
        await click(s, 'toggle-client-list');
        await (await waitText(s, 'client-item', 'Lindqvist')).click();
        await click(s, 'tab-sessions');
        await s.waitFor(tid('sessions'));
        // No input from here on: WebDriver queries do not count as activity.
        await s.waitFor(tid('unlock'), { timeout: 100_000 });
        await s.waitFor(tid('unlock-idle-note'));
        await click(s, 'unlock-demo-reopen');
        await s.waitFor(tid('sessions'), { timeout: 30_000 });
        assert.equal(await count(tid('home')), 0);
        await snap('85-back-after-idle');
      });
    }
  });
}

// Dark mode, as a therapist whose desktop is dark sees it: the system's dark theme reaches the
// page (prefers-color-scheme) and home and a journal are screenshotted to be looked at.
describe('the therapist’s day in dark mode (sv)', () => {
  let app;
  let s;
  const home = makeHome('day-dark');
  before(async () => {
    app = await launchApp({ home, lang: 'sv', log: 'day-dark', env: { GTK_THEME: 'Adwaita:dark' } });
    s = await openDemo(app, 'sv');
  });
  after(async () => {
    await app?.close();
    home.cleanup();
  });

  it('follows the dark theme on home and in a journal', async () => {
    assert.equal(await s.execute(`return matchMedia('(prefers-color-scheme: dark)').matches`), true);
    await s.waitFor(tid('home-sessions'));
    await shot(s, 'sv', '86-dark-home');
    // Home shows the client list.
    await (await waitText(s, 'client-item', 'Lindqvist')).click();
    await waitUntil(async () => (await s.findAll(tid('timeline-preview'))).length > 0, { message: 'the logbook' });
    await click(s, 'recent-open');
    await s.waitFor(tid('recent-note'));
    await shot(s, 'sv', '87-dark-journal');
  });
});
