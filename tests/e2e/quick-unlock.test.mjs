// Quick unlock for the day in the real app, in Swedish and in English: open the demo journal
// (a full unlock), choose "a PIN lasts 4 hours" (so the test does not depend on the time of
// day), set a PIN, lock, see the PIN screen (and its Caps Lock warning), get a wrong PIN
// refused with the attempts left and the PIN selected for retyping, unlock with the right PIN;
// then "lock, passphrase next time" asks for the passphrase again, and the next full unlock
// offers a new PIN. Screenshots go to tests/screenshots/<lang>/ (numbered after the demo's).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchApp, makeHome, shot } from './lib/app.mjs';
import { click, fill, msg, select, tid, unlockWithPassphrase, waitText, waitUntil } from './lib/ui.mjs';

const PIN = '583920';
// From crates/core/src/demo.rs: the demo journal's passphrase is public.
const DEMO_PASSPHRASE = 'demo lingonberry harbour 2026';

for (const lang of ['sv', 'en']) {
  describe(`quick unlock with a PIN (${lang})`, () => {
    let app;
    let s;
    const home = makeHome(`quick-${lang}`);
    const snap = (name) => shot(s, lang, name);

    before(async () => {
      app = await launchApp({ home, lang, log: `quick-${lang}` });
      s = app.session;
      await s.setWindowRect({ width: 1280, height: 800 }).catch(() => {});
    });
    after(async () => {
      await app?.close();
      home.cleanup();
    });

    it('a PIN is set in the settings after a full unlock', async () => {
      await s.waitFor(tid('first-run'), { timeout: 60_000 });
      await select(s, 'language-select', lang);
      await click(s, 'first-run-demo');
      await s.waitFor(tid('main'), { timeout: 60_000 });
      await click(s, 'settings-open');
      await s.waitFor(tid('quick-rule'));
      await select(s, 'quick-rule', 'for_hours');
      await fill(s, 'quick-hours', '4');
      await click(s, 'quick-rule-save');
      await click(s, 'quick-set');
      // The core refuses a PIN that is easy to guess.
      await fill(s, 'quick-set-pin', '123456');
      await fill(s, 'quick-set-pin-repeat', '123456');
      await click(s, 'quick-set-submit');
      await waitText(s, 'quick-set-error', msg(lang, 'errors.reason.too_simple'));
      await fill(s, 'quick-set-pin', PIN);
      await fill(s, 'quick-set-pin-repeat', PIN);
      await click(s, 'quick-set-submit');
      await s.waitFor(tid('quick-active'));
      const section = await s.waitFor('section[aria-labelledby="set-quick"]');
      await s.execute(`arguments[0].scrollIntoView({ block: 'center' })`, section.ref);
      await snap('40-quick-unlock-settings');
    });

    it('after a lock the PIN screen asks for the PIN, warns about Caps Lock, selects a wrong PIN', async () => {
      await click(s, 'lock-button');
      const pin = await s.waitFor(tid('unlock-pin'), { timeout: 15_000 });
      assert.equal(await s.exists(tid('unlock-passphrase')), false, 'no passphrase field while a PIN is kept');
      await snap('41-pin-unlock');
      // WebDriver has no Caps Lock key; the event carries the modifier state a real key would.
      await s.execute(
        `arguments[0].focus();
         arguments[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'A', modifierCapsLock: true, bubbles: true }));`,
        pin.ref,
      );
      await waitText(s, 'caps-lock-warning', msg(lang, 'unlock.caps_lock'));
      await snap('42-pin-caps-lock');
      await fill(s, 'unlock-pin', '111112');
      await click(s, 'unlock-pin-submit');
      await waitText(s, 'pin-error', msg(lang, 'errors.code.wrong_pin'), { timeout: 30_000 });
      await waitText(s, 'pin-error', '2');
      const selected = await waitUntil(
        () =>
          s.execute(`const el = document.querySelector('[data-testid="unlock-pin"]');
            return document.activeElement === el && el.value.length > 0 && el.selectionStart === 0 && el.selectionEnd === el.value.length;`),
        { timeout: 10_000, message: 'the wrong PIN to be selected' },
      );
      assert.ok(selected);
      await snap('43-pin-wrong');
      await fill(s, 'unlock-pin', PIN);
      await click(s, 'unlock-pin-submit');
      await s.waitFor(tid('main'), { timeout: 30_000 });
    });

    it('"lock, passphrase next time" forgets the PIN', async () => {
      await click(s, 'lock-passphrase-button');
      await s.waitFor(tid('unlock'), { timeout: 15_000 });
      await s.waitFor(tid('unlock-passphrase'));
      assert.equal(await s.exists(tid('unlock-pin')), false);
      assert.equal(await s.exists(tid('unlock-use-pin')), false);
      await snap('44-pin-forgotten');
    });

    it('after a full unlock the app offers a new PIN; "not now" goes on without one', async () => {
      await unlockWithPassphrase(s, DEMO_PASSPHRASE);
      await s.waitFor(tid('pin-offer-form'), { timeout: 30_000 });
      await waitText(s, 'pin-offer-text', ':');
      await snap('45-pin-offer');
      await click(s, 'pin-offer-skip');
      await s.waitFor(tid('main'), { timeout: 15_000 });
      assert.equal(await s.exists(tid('lock-passphrase-button')), false, 'no PIN was set');
    });
  });
}
