// Cold-start and idle-memory numbers for the closing note. Run through tests/e2e/measure.sh,
// which provides Xvfb, D-Bus, the built app, a minimal hello Tauri app and a demo vault.
//
// Start time, two ways, for the real app (to its unlock screen, on an existing vault) and for a
// minimal Tauri window (to its <h1>):
//   - "dom": from the WebDriver new-session request (which launches the app) until the screen's
//     element is in the DOM and displayed. Includes WebKitWebDriver's own start; same for both.
//   - "map": from exec of the binary (no WebDriver) until its X window is mapped (xdotool).
// Memory: RSS and PSS summed over the app and every child (WebKitWebProcess, NetworkProcess),
// with the demo vault open and 10 s of idle.

import { execFileSync, spawn } from "node:child_process";
import { cpSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { appEnv, launchApp, makeHome } from "./lib/app.mjs";
import {
  click,
  enterMain,
  fill,
  tid,
  unlockWithPassphrase,
} from "./lib/ui.mjs";
import { sleep, waitUntil } from "./lib/webdriver.mjs";

const RUNS = Number(process.env.MEASURE_RUNS || 5);
const APP = process.env.E2E_APP_BINARY;
const HELLO = process.env.MEASURE_HELLO_BINARY;
const DEMO_VAULT = process.env.MEASURE_DEMO_VAULT; // made by `confidant demo DIR`
// Optional: a large vault (confidant-bench's) and its passphrase, used in place, not copied.
const HEAVY = process.env.MEASURE_HEAVY_VAULT;
const HEAVY_PASS = process.env.MEASURE_HEAVY_PASS;
if (!APP || !HELLO || !DEMO_VAULT)
  throw new Error("run through tests/e2e/measure.sh");

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

function homeWithVault(label) {
  const home = makeHome(label);
  cpSync(DEMO_VAULT, home.vault, { recursive: true });
  return home;
}

async function domReady(binary, selector, label) {
  const home = homeWithVault(label);
  const t0 = performance.now();
  const app = await launchApp({
    home,
    binary,
    lang: "en",
    log: `measure-${label}`,
  });
  try {
    await app.session.waitFor(selector, { timeout: 120_000 });
    return performance.now() - t0;
  } finally {
    await app.close();
    home.cleanup();
  }
}

/** Starts `binary` on a fresh home (no WebDriver) and waits for its X window; returns the
 * milliseconds it took and a function that stops it and removes the home. */
async function spawnMapped(binary, name, label, args = []) {
  const home = homeWithVault(label);
  const env = appEnv(home, { LANG: "en_US.UTF-8" });
  const t0 = performance.now();
  const child = spawn(binary, args, { env, stdio: "ignore", detached: true });
  const stop = async () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* gone */
    }
    await sleep(500);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      /* gone */
    }
    home.cleanup();
  };
  try {
    await waitUntil(
      () => {
        try {
          const out = execFileSync(
            "xdotool",
            ["search", "--onlyvisible", "--pid", String(child.pid)],
            {
              encoding: "utf8",
              stdio: ["ignore", "pipe", "ignore"],
            },
          );
          return out.trim().length > 0;
        } catch {
          return false;
        }
      },
      { timeout: 120_000, interval: 20, message: `${name} window` },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { ms: performance.now() - t0, pid: child.pid, stop };
}

async function windowMapped(binary, name, label) {
  const { ms, stop } = await spawnMapped(binary, name, label);
  await stop();
  return ms;
}

function procTable() {
  const rows = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      rows.push({ pid: Number(pid), ppid, comm });
    } catch {
      /* exited */
    }
  }
  return rows;
}

function kib(file, field) {
  const m = readFileSync(file, "utf8").match(
    new RegExp(`^${field}:\\s+(\\d+) kB`, "m"),
  );
  return m ? Number(m[1]) : 0;
}

/** The app process (child of WebKitWebDriver, named like the binary) and all its descendants. */
function appTree(driverPid, binary) {
  const rows = procTable();
  const kids = (p) => rows.filter((r) => r.ppid === p);
  const all = [];
  const walk = (p) => {
    for (const r of kids(p)) {
      all.push(r);
      walk(r.pid);
    }
  };
  walk(driverPid);
  const base = path.basename(binary).slice(0, 15);
  const app = all.find((r) => r.comm === base);
  if (!app)
    throw new Error(
      `no ${base} under tauri-driver: ${all.map((r) => r.comm).join(", ")}`,
    );
  const tree = [app];
  const walkApp = (p) => {
    for (const r of kids(p)) {
      tree.push(r);
      walkApp(r.pid);
    }
  };
  walkApp(app.pid);
  return tree.map((r) => ({
    ...r,
    rss: kib(`/proc/${r.pid}/status`, "VmRSS"),
    pss: kib(`/proc/${r.pid}/smaps_rollup`, "Pss"),
  }));
}

/** A process and all its descendants, with their RSS and PSS. */
function treeOf(pid) {
  const rows = procTable();
  const root = rows.find((r) => r.pid === pid);
  if (!root) throw new Error(`process ${pid} is gone`);
  const tree = [root];
  const walk = (p) => {
    for (const r of rows.filter((x) => x.ppid === p)) {
      tree.push(r);
      walk(r.pid);
    }
  };
  walk(pid);
  return tree.map((r) => ({
    ...r,
    rss: kib(`/proc/${r.pid}/status`, "VmRSS"),
    pss: kib(`/proc/${r.pid}/smaps_rollup`, "Pss"),
  }));
}

/** Idle memory without WebDriver (release builds): started with `args`, 10 s after its window. */
async function spawnedMemory(binary, name, label, args) {
  const { pid, stop } = await spawnMapped(binary, name, label, args);
  try {
    await sleep(10_000);
    return treeOf(pid);
  } finally {
    await stop();
  }
}

async function idleMemory(binary, label, openDemo, vault = null) {
  const home = makeHome(label);
  if (vault) symlinkSync(vault, home.vault);
  const app = await launchApp({
    home,
    binary,
    lang: "en",
    log: `measure-${label}`,
  });
  try {
    await openDemo(app.session);
    await sleep(10_000);
    return appTree(app.driverPid, binary);
  } finally {
    await app.close();
    home.cleanup();
  }
}

function report(name, xs) {
  const rest = xs.slice(1);
  console.log(
    `${name}: first ${fmt(xs[0])}; runs 2..${xs.length} mean ${fmt(mean(rest))} (min ${fmt(Math.min(...rest))}, max ${fmt(Math.max(...rest))})`,
  );
}

// WebKit allows WebDriver automation only in debug builds of a Tauri app, so release builds are
// timed to their window (exec → mapped) and their memory read without WebDriver.
const RELEASE = process.env.MEASURE_PROFILE === "release";
const results = { app: { dom: [], map: [] }, hello: { dom: [], map: [] } };
// Interleaved so that cache warmth and machine load affect both alike.
for (let i = 0; i < RUNS; i++) {
  results.app.map.push(await windowMapped(APP, "app", `map-app-${i}`));
  results.hello.map.push(await windowMapped(HELLO, "hello", `map-hello-${i}`));
  if (!RELEASE) {
    results.app.dom.push(await domReady(APP, tid("unlock"), `dom-app-${i}`));
    results.hello.dom.push(await domReady(HELLO, "#hello", `dom-hello-${i}`));
  }
  console.log(
    `run ${i + 1}: app map ${fmt(results.app.map[i])}${RELEASE ? "" : ` dom ${fmt(results.app.dom[i])}`}; hello map ${fmt(results.hello.map[i])}${RELEASE ? "" : ` dom ${fmt(results.hello.dom[i])}`}`,
  );
}
console.log("\n== cold start (exec → window mapped) ==");
report("Confidant", results.app.map);
report("hello Tauri", results.hello.map);
console.log(
  `Confidant ÷ hello (runs 2..): ${(mean(results.app.map.slice(1)) / mean(results.hello.map.slice(1))).toFixed(2)}`,
);
if (!RELEASE) {
  console.log(
    "\n== cold start (WebDriver launch → unlock screen / hello element displayed) ==",
  );
  report("Confidant (unlock screen)", results.app.dom);
  report("hello Tauri (<h1>)", results.hello.dom);
}

const appMem = RELEASE
  ? await spawnedMemory(APP, "app", "mem-app", ["--demo"])
  : await idleMemory(APP, "mem-app", async (s) => {
      await s.waitFor(tid("first-run"), { timeout: 60_000 });
      await click(s, "first-run-demo");
      await s.waitFor(tid("demo-band"), { timeout: 60_000 });
    });
const helloMem = RELEASE
  ? await spawnedMemory(HELLO, "hello", "mem-hello", [])
  : await idleMemory(HELLO, "mem-hello", async (s) => {
      await s.waitFor("#hello", { timeout: 60_000 });
    });
// Unlocking a large vault needs the UI driven, so only debug builds (see RELEASE).
const heavyMem =
  HEAVY && !RELEASE
    ? await idleMemory(
        APP,
        "mem-heavy",
        async (s) => {
          await unlockWithPassphrase(s, HEAVY_PASS);
          await enterMain(s, { timeout: 120_000 });
          await s.waitFor(tid("client-list"), { timeout: 60_000 });
          // A search over every note: the page of hits and the index pages it read stay in memory.
          await click(s, "search-open");
          await fill(s, "search-input", "samtal");
          await s.waitFor(tid("search-result"), { timeout: 60_000 });
        },
        HEAVY,
      )
    : null;
console.log(
  `\n== idle memory after 10 s (${process.env.MEASURE_PROFILE || "debug"} builds; demo vault open for Confidant) ==`,
);
for (const [name, tree] of [
  ["Confidant", appMem],
  ["hello Tauri", helloMem],
  ...(heavyMem
    ? [["Confidant, large vault unlocked, a search run", heavyMem]]
    : []),
]) {
  for (const r of tree)
    console.log(
      `  ${name.padEnd(12)} ${String(r.pid).padStart(7)} ${r.comm.padEnd(18)} RSS ${(r.rss / 1024).toFixed(1)} MiB  PSS ${(r.pss / 1024).toFixed(1)} MiB`,
    );
  const rss = tree.reduce((a, r) => a + r.rss, 0) / 1024;
  const pss = tree.reduce((a, r) => a + r.pss, 0) / 1024;
  console.log(
    `${name}: ${tree.length} processes, RSS sum ${rss.toFixed(1)} MiB, PSS sum ${pss.toFixed(1)} MiB`,
  );
}
const pssOf = (tree) => tree.reduce((a, r) => a + r.pss, 0);
console.log(
  `PSS Confidant ÷ hello: ${(pssOf(appMem) / pssOf(helloMem)).toFixed(2)}`,
);
if (heavyMem)
  console.log(
    `PSS Confidant with the large vault ÷ hello: ${(pssOf(heavyMem) / pssOf(helloMem)).toFixed(2)}`,
  );
