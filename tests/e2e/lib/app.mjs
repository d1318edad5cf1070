// Starts the real app under tauri-driver with an isolated HOME / XDG dirs / vault folder, and
// stops every process it started. Each launch gets its own tauri-driver (own ports, own
// environment) so tests never share an app instance or a vault by accident.
//
// Environment (set by scripts/e2e.sh):
//   E2E_APP_BINARY   the built app (frontend embedded)
//   E2E_TAURI_DRIVER path to tauri-driver (default: on PATH)
//   E2E_OUT          folder for screenshots and logs (default tests/screenshots)

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, sleep, waitUntil } from './webdriver.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const outDir = process.env.E2E_OUT || path.join(repoRoot, 'tests', 'screenshots');

export function appBinary() {
  const bin = process.env.E2E_APP_BINARY;
  if (!bin) throw new Error('E2E_APP_BINARY is not set: run the suite through scripts/e2e.sh');
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh, empty home for one test: HOME, XDG dirs and the vault folder live inside it. */
export function makeHome(label = 'e2e') {
  const root = mkdtempSync(path.join(process.env.E2E_TMP || tmpdir(), `confidant-${label}-`));
  for (const d of ['.local/share', '.config', '.cache', 'vault-parent']) {
    mkdirSync(path.join(root, d), { recursive: true });
  }
  return {
    root,
    vault: path.join(root, 'vault-parent', 'vault'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * Launches the app. `home` comes from makeHome(); `lang` sets LANG/LANGUAGE so the first-run
 * language defaults to it. Returns { session, close, driverPid }.
 */
/** The environment of an app started on `home`: its own HOME, XDG folders and vault. */
export function appEnv(home, extra = {}) {
  return {
    ...process.env,
    HOME: home.root,
    XDG_DATA_HOME: path.join(home.root, '.local/share'),
    XDG_CONFIG_HOME: path.join(home.root, '.config'),
    XDG_CACHE_HOME: path.join(home.root, '.cache'),
    CONFIDANT_VAULT: home.vault,
    ...extra,
  };
}

export async function launchApp({ home, lang = 'en', env = {}, args = [], binary = appBinary(), log = 'app' } = {}) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const locale = { sv: 'sv_SE.UTF-8', da: 'da_DK.UTF-8', en: 'en_US.UTF-8' }[lang] || lang;
  const childEnv = appEnv(home, {
    LANG: locale,
    LANGUAGE: lang,
    LC_ALL: '',
    // Under Xvfb (no GPU) WebKitGTK's DMA-BUF renderer paints the first frame only: later DOM
    // changes never reach the window or WebDriver screenshots. The shared-memory path works.
    WEBKIT_DISABLE_DMABUF_RENDERER: process.env.WEBKIT_DISABLE_DMABUF_RENDERER ?? '1',
    ...env,
  });
  mkdirSync(path.join(outDir, 'logs'), { recursive: true });
  const logFd = openSync(path.join(outDir, 'logs', `${log}.log`), 'a');
  const driver = spawn(
    process.env.E2E_TAURI_DRIVER || 'tauri-driver',
    ['--port', String(port), '--native-port', String(nativePort)],
    // Own process group, so close() can end tauri-driver, WebKitWebDriver and the app together.
    { env: childEnv, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  let exited = false;
  driver.on('exit', () => {
    exited = true;
  });
  const base = `http://127.0.0.1:${port}`;
  const killGroup = async () => {
    for (const sig of ['SIGTERM', 'SIGKILL']) {
      try {
        process.kill(-driver.pid, sig);
      } catch {
        return;
      }
      await waitUntil(() => exited, { timeout: 3000, message: 'tauri-driver to exit' }).catch(() => {});
      if (exited) return;
    }
  };
  try {
    await waitUntil(
      async () => {
        if (exited) throw new Error('tauri-driver exited early (see logs)');
        const r = await fetch(`${base}/status`).catch(() => null);
        return r !== null;
      },
      { timeout: 15_000, message: 'tauri-driver to listen' },
    );
    const session = await Session.create(base, {
      'tauri:options': { application: binary, args },
    });
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await session.delete();
      await killGroup();
      // The app's WebKit helpers are children of the app; give them a moment to follow.
      await sleep(200);
    };
    return { session, close, driverPid: driver.pid, home };
  } catch (e) {
    await killGroup();
    throw e;
  }
}

/** Saves a PNG of the current window under <outDir>/<lang>/<name>.png. */
export async function shot(session, lang, name) {
  const dir = path.join(outDir, lang);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  // WebKitWebDriver's screenshot waits for the next painted frame; a page at rest (no caret,
  // no animation) paints none under Xvfb and the command would hang. A 1-pixel, nearly
  // transparent element that changes every few ms while the shot is taken keeps frames coming.
  await session.execute(`
    const d = document.createElement('div');
    d.id = 'e2e-repaint';
    d.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none';
    document.body.appendChild(d);
    let i = 0;
    window.__e2eRepaint = setInterval(() => { d.style.background = (i++ % 2) ? 'rgba(0,0,0,0.01)' : 'rgba(0,0,0,0.02)'; }, 20);
  `);
  try {
    writeFileSync(file, await session.screenshot());
  } finally {
    await session.execute(`clearInterval(window.__e2eRepaint); document.getElementById('e2e-repaint')?.remove()`);
  }
  return file;
}
