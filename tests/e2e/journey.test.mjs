// The therapist's main journey in the real app, once in Swedish and once in English:
// create a vault → add a client → write a note (autosave) → sign → amend → search → lock (the
// DOM holds no client data) → unlock with the passphrase → everything is there → unlock with the
// recovery key → a wrong passphrase shows the localized error (sv and en) → auto-lock after idle.
// Screenshots of every screen on the way go to tests/screenshots/<lang>/.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { launchApp, makeHome, shot } from './lib/app.mjs';
import {
  assertNoClientData,
  click,
  enterMain,
  fill,
  msg,
  select,
  tid,
  unlockWithPassphrase,
  unlockWithRecoveryKey,
  waitText,
  waitUntil,
} from './lib/ui.mjs';

const PASSPHRASE = 'lingon kvarn fjord 47 ängsblomma';

// Data that must vanish from the DOM on lock. Distinctive words so a hit is never a label.
const DATA = {
  sv: {
    given: 'Birgitta',
    family: 'Zetterqvist',
    course: 'Sömnsvårigheter',
    title: 'Första samtalet',
    body: 'Klienten beskriver sjöbrisklocka-oro kring nätterna.',
    search: 'sjobrisk',
    amendReason: 'Rättat ordval',
    amendBody: 'Klienten beskriver sjöbrisklocka-oro kring nätterna och arbetet.',
    amendWord: 'arbetet',
  },
  en: {
    given: 'Marigold',
    family: 'Quennell',
    course: 'Sleep and stress',
    title: 'First session',
    body: 'Client describes thistlewhistle worries about the nights.',
    search: 'thistlewhis',
    amendReason: 'Corrected wording',
    amendBody: 'Client describes thistlewhistle worries about the nights and work.',
    amendWord: 'nights and work',
  },
};

/** Runs the `confidant` CLI on the app's vault (null when the suite runs without it). */
function cli(home, args) {
  const bin = process.env.E2E_CLI_BINARY;
  if (!bin || !existsSync(bin)) return null;
  return execFileSync(bin, ['--vault', home.vault, '--passphrase-stdin', ...args], {
    input: `${PASSPHRASE}\n`,
    encoding: 'utf8',
    env: { ...process.env, HOME: home.root },
  });
}

/** Runs the CLI without a vault or passphrase (null without the binary). */
function cliPlain(args) {
  const bin = process.env.E2E_CLI_BINARY;
  if (!bin || !existsSync(bin)) return null;
  return execFileSync(bin, args, { encoding: 'utf8' });
}

/** Runs the CLI on the app's vault with `secret` on stdin (throws when it fails). */
function cliWith(home, args, secret) {
  return execFileSync(process.env.E2E_CLI_BINARY, ['--vault', home.vault, '--passphrase-stdin', ...args], {
    input: `${secret}\n`,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, HOME: home.root },
  });
}

function findTimelineItem(s, status, title) {
  return waitUntil(
    async () => {
      for (const el of await s.findAll(`${tid('timeline-item')}[data-status="${status}"]`)) {
        if ((await el.text()).includes(title)) return el;
      }
      return null;
    },
    { message: `the ${status} entry "${title}" in the timeline` },
  );
}

/** Opens a client from the side list (shown again if a client page had hidden it). */
async function openClientFromList(s, name) {
  if (!(await s.exists(tid('client-list')))) await click(s, 'toggle-client-list');
  const item = await waitText(s, 'client-item', name);
  await item.click();
  await s.waitFor(tid('client-page'));
}

for (const lang of ['sv', 'en']) {
  describe(`journey (${lang})`, () => {
    const d = DATA[lang];
    const secrets = [d.given, d.family, d.course, d.title, 'sjöbrisklocka', 'thistlewhistle', d.amendReason].filter(
      (x) => x,
    );
    let app;
    let s;
    let recoveryKey;
    let oldRecoveryKey;
    const home = makeHome(`journey-${lang}`);
    let n = 0;
    const snap = (name) => shot(s, lang, `${String(++n).padStart(2, '0')}-${name}`);

    before(async () => {
      app = await launchApp({ home, lang, log: `journey-${lang}` });
      s = app.session;
      await s.setWindowRect({ width: 1280, height: 800 }).catch(() => {});
    });
    after(async () => {
      await app?.close();
      home.cleanup();
    });

    it('first run: language, passphrase with strength meter, recovery key, check, profile', async () => {
      await s.waitFor(tid('first-run'), { timeout: 60_000 });
      await select(s, 'language-select', lang);
      await waitText(s, 'first-run-create', msg(lang, 'first_run.create'));
      await snap('first-run');

      await click(s, 'first-run-create');
      await fill(s, 'first-run-passphrase', 'abc');
      await s.waitFor(tid('strength-meter'));
      await fill(s, 'first-run-passphrase', PASSPHRASE);
      // The live meter gives the core's verdict for what was typed.
      await waitText(s, 'strength-label', msg(lang, 'strength.acceptable'));
      await fill(s, 'first-run-passphrase-confirm', PASSPHRASE);
      await waitUntil(async () => !(await s.exists(tid('first-run-mismatch'))), { message: 'no mismatch' });
      await snap('passphrase');
      await click(s, 'first-run-passphrase-submit');

      const key = await s.waitFor(tid('recovery-key'), { timeout: 60_000 });
      const groups = await s.findAll(tid('recovery-key-group'));
      const parts = [];
      for (const g of groups) parts.push((await g.text()).trim());
      assert.equal(parts.length, 9, `recovery key has 9 groups, got ${parts.join('-')}`);
      for (const p of parts) assert.match(p, /^[0-9A-Z]{4}$/);
      recoveryKey = parts.join('-');
      assert.ok(await key.displayed());
      await snap('recovery-key');

      await click(s, 'recovery-written');
      await click(s, 'recovery-continue');
      const check = await s.waitFor(tid('recovery-check'));
      // Which two groups are asked is random; the labels say "… 3" and "… 7".
      const labels = await check.findAll('label');
      const asked = [];
      for (const l of labels) asked.push(Number((await l.text()).match(/\d+/)[0]) - 1);
      await fill(s, 'recovery-check-1', 'ZZZZ');
      await fill(s, 'recovery-check-2', 'ZZZZ');
      await click(s, 'recovery-check-submit');
      await waitText(s, 'recovery-check-error', msg(lang, 'recovery.check_mismatch'));
      await fill(s, 'recovery-check-1', parts[asked[0]].toLowerCase());
      await fill(s, 'recovery-check-2', parts[asked[1]]);
      await snap('recovery-check');
      await click(s, 'recovery-check-submit');

      await s.waitFor(tid('profile-form'));
      await fill(s, 'profile-name', lang === 'sv' ? 'Karin Lund' : 'Jane Doe');
      await fill(s, 'profile-title', lang === 'sv' ? 'Leg. psykoterapeut' : 'Psychotherapist');
      await fill(s, 'profile-practice', lang === 'sv' ? 'Lunds samtalsmottagning' : 'Doe Counselling');
      await select(s, 'profile-jurisdiction', lang === 'sv' ? 'se_licensed' : 'custom');
      await snap('profile');
      await click(s, 'profile-submit');
      // The first run asks where backups go; choosing is left for later here.
      await s.waitFor(tid('first-run-backup-continue'));
      await snap('backup-choice');
      await click(s, 'first-run-backup-continue');
      await s.waitFor(tid('remember-toggle'));
      await snap('remember');
      await click(s, 'first-run-finish');
      await s.waitFor(tid('main'), { timeout: 30_000 });
      // No verified backup yet: home says so until one exists.
      await s.waitFor(tid('home-first-backup'));
      await snap('home');
      // The recovery key is gone from the page once checked.
      await assertNoClientData(s, [recoveryKey, parts[3]]);
    });

    it('add a client', async () => {
      await click(s, 'home-add-client');
      await s.waitFor(tid('client-form'));
      await fill(s, 'client-given-name', d.given);
      await fill(s, 'client-family-name', d.family);
      await fill(s, 'client-email', 'not-an-email');
      await click(s, 'client-form-submit');
      await s.waitFor(tid('field-error-email'));
      await snap('client-form-error');
      await fill(s, 'client-email', lang === 'sv' ? 'birgitta@example.se' : 'marigold@example.com');
      await click(s, 'client-form-submit');
      await waitText(s, 'client-name', `${d.given} ${d.family}`);
    });

    let entryId;
    it('write a note: autosave reaches the database without a reload', async () => {
      await click(s, 'tab-journal');
      await click(s, 'course-add');
      await fill(s, 'course-title', d.course);
      await click(s, 'course-submit');
      await waitText(s, 'client-page', d.course);
      await click(s, 'entry-new');
      await s.waitFor(tid('entry-editor'));
      await fill(s, 'entry-title', d.title);
      await fill(s, 'entry-body', d.body);
      const status = await s.waitFor(tid('autosave-status'));
      // Saved a few seconds after the last keystroke, without leaving the field.
      await waitUntil(async () => (await status.attr('data-state')) === 'saved', {
        timeout: 20_000,
        message: 'autosave to report saved',
      });
      await snap('entry-editor');
      // Before the editor is closed (closing saves too), ask the backend what it has: the
      // autosaved draft is in the database and in its search index. (The app's own IPC, the
      // same call the UI makes; the on-disk check with the CLI follows after the app quits.)
      const backend = await s.executeAsync(
        `const done = arguments[arguments.length - 1];
         const invoke = window.__TAURI_INTERNALS__.invoke;
         invoke('search', { query: { text: arguments[0], client_id: null, limit: 20 } })
           .then((hits) => done({ hits: JSON.stringify(hits) }), (e) => done({ error: JSON.stringify(e) }));`,
        d.search,
      );
      assert.ok(backend.hits?.includes(d.title), `the backend finds the autosaved draft: ${JSON.stringify(backend)}`);
      await click(s, 'entry-close');
      const draft = await findTimelineItem(s, 'draft', d.title);
      entryId = Number((await draft.attr('id')).replace('entry-', ''));
      assert.ok(entryId > 0);
    });

    it('sign the note, then amend it with a reason; the old text stays readable', async () => {
      await (await (await findTimelineItem(s, 'draft', d.title)).find('button')).click();
      await s.waitFor(`#entry-${entryId} ${tid('entry-editor')}`);
      await click(s, 'entry-sign');
      await s.waitFor(tid('sign-dialog'));
      await snap('sign-confirm');
      await click(s, 'sign-confirm');
      const signed = await findTimelineItem(s, 'signed', d.title);
      if (!(await s.exists(tid('entry-view')))) await (await signed.find('button')).click();
      await s.waitFor(tid('entry-view'));
      assert.equal(await s.exists(tid('entry-body')), false, 'a signed entry has no editor');
      await click(s, 'entry-amend');
      await fill(s, 'amend-reason', d.amendReason);
      await fill(s, 'amend-body', d.amendBody);
      await snap('amend');
      await click(s, 'amend-submit');
      const am = await s.waitFor(tid('amendment'));
      assert.ok((await am.text()).includes(d.amendReason));
      await waitText(s, 'entry-view', d.amendWord);
      await snap('entry-amended');
    });

    it('search (Ctrl+K) finds the note, diacritics folded, and jumps to it', async () => {
      await s.chord(['Control', 'k']);
      await s.waitFor(tid('search-dialog'));
      await fill(s, 'search-input', d.search);
      const hit = await waitText(s, 'search-result', d.title);
      assert.ok((await hit.text()).includes(d.family));
      await snap('search');
      await hit.click();
      await s.waitGone(tid('search-dialog'));
      await s.waitFor(`#entry-${entryId} ${tid('entry-view')}`);
    });

    it('lock (Ctrl+L): the unlock screen, and no client data anywhere in the DOM', async () => {
      await s.chord(['Control', 'l']);
      await s.waitFor(tid('unlock'), { timeout: 15_000 });
      await assertNoClientData(s, secrets);
      await snap('unlock');
    });

    it('unlock with the passphrase: everything is still there', async () => {
      await unlockWithPassphrase(s, PASSPHRASE);
      await enterMain(s);
      await openClientFromList(s, d.family);
      await click(s, 'tab-journal');
      const entry = await s.waitFor(`#entry-${entryId}[data-status="signed"]`);
      await (await entry.find('button')).click();
      await waitText(s, 'entry-view', d.amendWord);
      await waitText(s, 'amendment', d.amendReason);
      await snap('client-page');
    });

    it('unlock with the recovery key from the first-run screen', async () => {
      await click(s, 'lock-button');
      await s.waitFor(tid('unlock'));
      await assertNoClientData(s, secrets);
      await unlockWithRecoveryKey(s, recoveryKey.toLowerCase());
      await enterMain(s);
      await openClientFromList(s, d.family);
    });

    it('a wrong passphrase shows the localized error, in Swedish and in English, and keeps the data', async () => {
      await click(s, 'lock-button');
      await unlockWithPassphrase(s, 'wrong horse battery staple');
      const err = await s.waitFor(tid('unlock-error'), { timeout: 30_000 });
      assert.equal((await err.text()).trim(), msg(lang, 'errors.code.wrong_passphrase'));
      await snap('unlock-error');
      const other = lang === 'sv' ? 'en' : 'sv';
      await s.execute(`document.querySelector('details.lang')?.setAttribute('open', '')`);
      await select(s, 'language-select', other);
      await unlockWithPassphrase(s, 'another wrong one');
      await waitUntil(
        async () =>
          (await (await s.find(tid('unlock-error'))).text()).trim() === msg(other, 'errors.code.wrong_passphrase'),
        { timeout: 30_000, message: `the ${other} error text` },
      );
      await select(s, 'language-select', lang);
      await unlockWithPassphrase(s, PASSPHRASE);
      await enterMain(s);
      await openClientFromList(s, d.family);
    });

    it('settings', async () => {
      await click(s, 'settings-open');
      await s.waitFor(tid('settings'));
      await snap('settings');
      // The profile's retention rules, with their sources, from the core.
      await s.execute(`document.querySelector('[data-testid="profile-rules"]').scrollIntoView()`);
      if (lang === 'sv') {
        await waitText(s, 'profile-rules', '3 kap. 17 §');
        await waitText(s, 'profile-rules', 'HSLF-FS 2016:40');
      } else {
        await s.waitFor(tid('profile-rules-none'));
      }
      await snap('profile-rules');
      if (await s.exists(tid('backup-settings'))) {
        await s.execute(`document.querySelector('[data-testid="backup-settings"]').scrollIntoView()`);
        await snap('backup-settings');
      }
    });

    it('renew the keys because the recovery sheet is lost: explained first, progress, a new recovery key', async () => {
      await click(s, 'settings-renew-keys');
      await s.waitFor(tid('renew-dialog'));
      await snap('renew-explained');
      await click(s, 'renew-reason-recovery_lost');
      await click(s, 'renew-next');
      await fill(s, 'renew-passphrase', PASSPHRASE);
      await snap('renew-confirm');
      await click(s, 'renew-submit');
      await s.waitFor(tid('renew-done'), { timeout: 60_000 });
      await snap('renew-done');
      const groups = await s.findAll(tid('recovery-key-group'));
      const parts = [];
      for (const g of groups) parts.push((await g.text()).trim());
      assert.equal(parts.length, 9);
      const renewed = parts.join('-');
      assert.notEqual(renewed, recoveryKey, 'a renewal makes a new recovery key');
      oldRecoveryKey = recoveryKey;
      recoveryKey = renewed;
      await click(s, 'renew-continue');
      const check = await s.waitFor(tid('recovery-check'));
      const asked = [];
      for (const l of await check.findAll('label')) asked.push(Number((await l.text()).match(/\d+/)[0]) - 1);
      await fill(s, 'recovery-check-1', parts[asked[0]]);
      await fill(s, 'recovery-check-2', parts[asked[1]]);
      await click(s, 'recovery-check-submit');
      await waitUntil(async () => !(await s.exists(tid('renew-dialog'))), { message: 'the renew dialog closes' });
      // The journal is still there, under the new key.
      await openClientFromList(s, d.family);
      await click(s, 'settings-open');
      await s.waitFor(tid('settings'));
    });

    it('name a successor with the public key the custodian made', async () => {
      const made = cliPlain(['successor', 'keygen', '--out', `${home.root}/custodian-${lang}.key`]);
      assert.ok(made !== null, 'no CLI binary (E2E_CLI_BINARY); scripts/e2e.sh builds it');
      const recipient = made.split(/\s+/).find((w) => w.startsWith('age1'));
      await s.execute(`document.querySelector('[data-testid="successor"]').scrollIntoView()`);
      await s.waitFor(tid('successor-none'));
      await click(s, 'successor-edit');
      await s.waitFor(tid('successor-dialog'));
      await fill(s, 'successor-name-input', lang === 'sv' ? 'Advokat Eva Sund' : 'Eva Sund, solicitor');
      await fill(s, 'successor-recipient', recipient);
      await fill(s, 'succ-passphrase', PASSPHRASE);
      await snap('successor-dialog');
      await click(s, 'successor-submit');
      await waitText(s, 'successor-current', lang === 'sv' ? 'Advokat Eva Sund' : 'Eva Sund, solicitor', { timeout: 30_000 });
      await s.execute(`document.querySelector('[data-testid="successor"]').scrollIntoView()`);
      await snap('successor');
    });

    if (lang === 'en') {
      it('auto-lock fires after the idle time (set to 1 minute) and says why', { timeout: 150_000 }, async () => {
        await fill(s, 'settings-auto-lock', '1');
        await click(s, 'settings-auto-lock-save');
        const t0 = Date.now();
        // No input from here on: WebDriver queries do not count as activity.
        await s.waitFor(tid('unlock'), { timeout: 100_000 });
        const waited = Date.now() - t0;
        assert.ok(waited >= 55_000, `locked after ${waited} ms, before the idle minute`);
        await s.waitFor(tid('unlock-idle-note'));
        await assertNoClientData(s, secrets);
        await snap('unlock-after-idle');
      });
    }

    it('after the app quits, the vault on disk holds the signed note and its amendment', async () => {
      await app.close();
      const shown = cli(home, ['entry', 'show', String(entryId)]);
      // A missing CLI fails the run: a skipped check proves nothing.
      assert.ok(shown !== null, 'no CLI binary (E2E_CLI_BINARY); scripts/e2e.sh builds it');
      assert.ok(shown.includes(d.amendBody), `CLI shows the amended text:\n${shown}`);
      assert.ok(shown.includes(d.body), `CLI shows the original text:\n${shown}`);
      assert.ok(shown.includes(d.amendReason), `CLI shows the reason:\n${shown}`);
      // The recovery key from before the renewal opens nothing; the new one does.
      assert.throws(
        () => cliWith(home, ['--recovery-key', 'client', 'list'], oldRecoveryKey),
        (e) => String(e.stderr).includes('the recovery key does not open this vault'),
      );
      assert.ok(cliWith(home, ['--recovery-key', 'client', 'list'], recoveryKey).includes(d.family));
      // The custodian, with their key file alone.
      const custodian = ['--successor-key', `${home.root}/custodian-${lang}.key`, 'client', 'list'];
      const listed = execFileSync(process.env.E2E_CLI_BINARY, ['--vault', home.vault, ...custodian], {
        encoding: 'utf8',
        env: { ...process.env, HOME: home.root },
      });
      assert.ok(listed.includes(d.family), `the custodian lists the clients:\n${listed}`);
    });
  });
}
