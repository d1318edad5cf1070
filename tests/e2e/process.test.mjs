// The running app as a process: a crash of it (or of its WebKit helpers) writes no core dump,
// and a second start hands over to the running window and exits instead of opening the vault
// a second time (issue 9, sections 2 and 5).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { appBinary, appEnv, launchApp, makeHome } from './lib/app.mjs';
import { tid, waitUntil } from './lib/ui.mjs';

/** Every process on the machine: pid, parent pid and executable (null when unreadable). */
function processes() {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)[1]);
      let exe = null;
      try {
        exe = readlinkSync(`/proc/${name}/exe`);
      } catch {
        /* a kernel thread, or gone */
      }
      out.push({ pid: Number(name), ppid, exe });
    } catch {
      /* exited while we looked */
    }
  }
  return out;
}

const appPids = (binary) =>
  processes()
    .filter((p) => p.exe === binary)
    .map((p) => p.pid);

/** The real user id of a process. */
function uidOf(pid) {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}

/** [soft, hard] of "Max core file size" in /proc/<pid>/limits. */
function coreLimit(pid) {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max core file size'));
  return line.split(/\s{2,}/).slice(1, 3);
}

describe('the app process', () => {
  let app;
  let s;
  let pid;
  const home = makeHome('process');
  const binary = realpathSync(appBinary());

  before(async () => {
    app = await launchApp({ home, lang: 'en', log: 'process' });
    s = app.session;
    await s.waitFor(tid('first-run'), { timeout: 60_000 });
    const pids = appPids(binary);
    assert.equal(pids.length, 1, `one app process runs (${pids})`);
    pid = pids[0];
  });
  after(async () => {
    await app?.close();
    home.cleanup();
  });

  it('writes no core dump: core limit zero, also for its WebKit helpers', () => {
    // confidant_harden sets the limit right after PR_SET_DUMPABLE 0 succeeded, so a zero limit
    // means both ran. The flag itself shows only to a non-root observer (the kernel gives a
    // non-dumpable process's private /proc files to root), as in the CLI's own test.
    assert.deepEqual(coreLimit(pid), ['0', '0'], 'RLIMIT_CORE soft and hard are 0');
    if (uidOf(pid) !== 0) assert.equal(statSync(`/proc/${pid}/environ`).uid, 0, 'not dumpable');
    const helpers = processes().filter((p) => p.ppid === pid && p.exe && /WebKit/.test(path.basename(p.exe)));
    assert.ok(helpers.length > 0, 'the webview runs in helper processes');
    for (const h of helpers) assert.deepEqual(coreLimit(h.pid), ['0', '0'], `${h.exe} inherits the zero core limit`);
  });

  it('a second start hands over to the running window and exits', async () => {
    // The running app holds the single-instance name on the session bus (the plugin's way of
    // finding it), so the exit below is that hand-over and not some other failure.
    const owner = spawnSync('dbus-send', [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      'string:app.confidant.journal.SingleInstance',
    ]);
    assert.match(String(owner.stdout), /boolean true/, String(owner.stderr));
    const env = appEnv(home, { WEBKIT_DISABLE_DMABUF_RENDERER: '1' });
    const second = spawn(binary, ['--demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    second.stdout.on('data', (d) => (output += d));
    second.stderr.on('data', (d) => (output += d));
    const code = await new Promise((resolve) => second.on('exit', (c, sig) => resolve(c ?? sig)));
    assert.equal(code, 0, `the second start exits cleanly: ${output}`);

    // The first app is alone, still has exactly one window and still answers; the second
    // start's `--demo` did not switch it (or create a demo vault).
    assert.deepEqual(appPids(binary), [pid]);
    const handles = await s.cmd('GET', '/window/handles');
    assert.equal(handles.length, 1, 'one window');
    await s.waitFor(tid('first-run'));
    assert.ok(!(await s.exists(tid('demo-band'))));
    assert.ok(!existsSync(`${home.vault}-demo`), 'the second start opened no demo vault');
    await waitUntil(() => appPids(binary).length === 1, { message: 'no second app process left behind' });
  });
});
