// Helpers that speak the UI's language: data-testids (ui/TESTIDS.md), form filling, the
// i18n catalogs (read from ui/src so the expected text is the text the user is shown).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { repoRoot } from './app.mjs';
import { waitUntil, sleep } from './webdriver.mjs';

export const tid = (id) => `[data-testid="${id}"]`;

export async function click(s, id, opts) {
  const el = await s.waitFor(tid(id), opts);
  await waitUntil(() => el.enabled(), { timeout: 10_000, message: `${id} to be enabled` });
  await el.click();
  return el;
}

export async function fill(s, id, text, opts) {
  const el = await s.waitFor(tid(id), opts);
  await el.setValue(text);
  return el;
}

/** Sets a <select> the way a user's choice would: value, then input + change events. */
export async function select(s, id, value) {
  const el = await s.waitFor(tid(id));
  await s.execute(
    `const el = arguments[0]; el.value = arguments[1];
     el.dispatchEvent(new Event('input', { bubbles: true }));
     el.dispatchEvent(new Event('change', { bubbles: true }));`,
    el.ref,
    value,
  );
  return el;
}

export async function text(s, id) {
  return (await s.waitFor(tid(id))).text();
}

/** Waits until the element's visible text contains `needle`. */
export function waitText(s, id, needle, { timeout = 15_000 } = {}) {
  return waitUntil(
    async () => {
      const els = await s.findAll(tid(id));
      for (const el of els) if ((await el.text()).includes(needle)) return el;
      return null;
    },
    { timeout, message: `${id} to contain "${needle}"` },
  );
}

/** Everything the page holds: rendered text, markup (incl. attribute values), form values, web storage. */
export function pageDump(s) {
  return s.execute(`
    const values = [...document.querySelectorAll('input, textarea, select')].map((e) => e.value);
    return {
      text: document.body.innerText,
      html: document.documentElement.outerHTML,
      values: values.join('\\n'),
      title: document.title,
      // Web storage must never hold personal data either.
      storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    };
  `);
}

/** Asserts that none of `secrets` appears anywhere in the DOM (text, markup, field values, title). */
export async function assertNoClientData(s, secrets) {
  const dump = await pageDump(s);
  for (const secret of secrets) {
    for (const [where, hay] of Object.entries(dump)) {
      assert.ok(!hay.includes(secret), `"${secret}" is still in the DOM (${where}) after lock`);
    }
  }
  return dump;
}

// --- i18n catalogs ---

const catalogCache = new Map();
function catalogSource(lang) {
  if (!catalogCache.has(lang)) {
    catalogCache.set(lang, readFileSync(path.join(repoRoot, 'ui', 'src', 'lib', 'i18n', `${lang}.ts`), 'utf8'));
  }
  return catalogCache.get(lang);
}

/**
 * The text of a catalog key such as `errors.code.wrong_passphrase`, read from the TS source by
 * walking the nested object literal (keys are unique within their parent object).
 */
export function msg(lang, key) {
  const src = catalogSource(lang);
  let from = 0;
  const parts = key.split('.');
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const re = last
      ? new RegExp(`\\b${parts[i]}\\s*:\\s*(['"\`])((?:\\\\.|(?!\\1).)*)\\1`, 'gs')
      : new RegExp(`\\b${parts[i]}\\s*:\\s*\\{`, 'g');
    re.lastIndex = from;
    const m = re.exec(src);
    if (!m) throw new Error(`no key ${key} in ui/src/lib/i18n/${lang}.ts`);
    if (last) return m[2].replace(/\\(['"`\\])/g, '$1');
    from = m.index + m[0].length;
  }
  throw new Error('unreachable');
}

/** Types a passphrase into the unlock screen and submits. */
export async function unlockWithPassphrase(s, passphrase) {
  await s.waitFor(tid('unlock'));
  if (!(await s.exists(tid('unlock-passphrase')))) await click(s, 'unlock-use-passphrase');
  await fill(s, 'unlock-passphrase', passphrase);
  await click(s, 'unlock-submit');
}

export async function unlockWithRecoveryKey(s, key) {
  await s.waitFor(tid('unlock'));
  if (!(await s.exists(tid('unlock-recovery-key')))) await click(s, 'unlock-use-recovery');
  await fill(s, 'unlock-recovery-key', key);
  await click(s, 'unlock-submit');
}

/**
 * After a full unlock: waits for the main window, saying "not now" to the PIN for the day
 * when the app offers one (it does until the time in the settings, 18:00 by default).
 */
export async function enterMain(s, { timeout = 30_000 } = {}) {
  const seen = await waitUntil(
    async () => ((await s.exists(tid('main'))) ? 'main' : (await s.exists(tid('pin-offer-skip'))) ? 'offer' : null),
    { timeout, message: 'the main window or the PIN offer' },
  );
  if (seen === 'offer') await click(s, 'pin-offer-skip');
  return s.waitFor(tid('main'), { timeout });
}

export { sleep, waitUntil };

/** From the first-run screen into the demo vault in `lang`, in a 1280×900 window (the size the
 * screenshots are looked at in); returns the WebDriver session. */
export async function openDemo(app, lang) {
  const s = app.session;
  await s.setWindowRect({ width: 1280, height: 900 }).catch(() => {});
  await s.waitFor(tid('first-run'), { timeout: 60_000 });
  await select(s, 'language-select', lang);
  await waitText(s, 'first-run-demo', msg(lang, 'first_run.demo'));
  await click(s, 'first-run-demo');
  await s.waitFor(tid('main'), { timeout: 60_000 });
  return s;
}
