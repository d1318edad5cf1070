// Changing the passphrase in the demo vault: the live meter knows the practice profile's names
// (therapist "Karin Demo", practice "Mottagning Exempel") and refuses a passphrase made of
// them with its own reason, which zxcvbn alone would rate acceptable (issue 9, section 5).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchApp, makeHome, shot } from './lib/app.mjs';
import { click, fill, msg, select, text, tid, waitText, waitUntil } from './lib/ui.mjs';

for (const lang of ['sv', 'en']) {
  describe(`passphrase made of the profile's names (${lang})`, () => {
    let app;
    let s;
    const home = makeHome(`names-${lang}`);

    before(async () => {
      app = await launchApp({ home, lang, log: `names-${lang}` });
      s = app.session;
      await s.setWindowRect({ width: 1280, height: 800 }).catch(() => {});
      await s.waitFor(tid('first-run'), { timeout: 60_000 });
      await select(s, 'language-select', lang);
      await click(s, 'first-run-demo');
      await s.waitFor(tid('main'), { timeout: 60_000 });
    });
    after(async () => {
      await app?.close();
      home.cleanup();
    });

    it('the meter names the reason, and other words around the names pass', async () => {
      await click(s, 'settings-open');
      await click(s, 'settings-change-passphrase');
      await s.waitFor(tid('change-passphrase-dialog'));
      await fill(s, 'chg-new-passphrase', 'karin-DEMO mottagning exempel');
      await waitText(s, 'strength-warning', msg(lang, 'strength.hints.names_of_you_or_your_practice_are_easy_to_guess'));
      await waitText(s, 'strength-label', msg(lang, 'strength.not_acceptable'));
      await shot(s, lang, '62-passphrase-made-of-names');
      await fill(s, 'chg-new-passphrase', 'Karin lingon tavla regnbåge sextiosju');
      // ("tillräckligt stark" is part of "inte tillräckligt stark ännu": compare both.)
      await waitUntil(
        async () => {
          const label = await text(s, 'strength-label');
          return label.includes(msg(lang, 'strength.acceptable')) && !label.includes(msg(lang, 'strength.not_acceptable'));
        },
        { message: 'the meter to accept the passphrase' },
      );
      assert.ok(!(await s.exists(tid('strength-warning'))), 'no warning left');
    });
  });
}
