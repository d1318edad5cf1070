// Issue 13, leak scan through the real app: a unique canary goes into a client's name, a note,
// an attachment, the search box and an export; then every file the app could have written —
// its data, config and cache folders (WebKit's storage included), its temp folder, the vault
// folder and the app's log — is read and searched for the canary as UTF-8, UTF-16 and base64.
// Zero hits are allowed outside the folder the therapist exported to. Before the app quits,
// after lock, the backend process's memory is read and searched the same way; the figure is
// printed (see SECURITY.md for what it shows and what is left).

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  mkdtempSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { appBinary, launchApp, makeHome, outDir } from "./lib/app.mjs";
import {
  click,
  fill,
  openDemo,
  sleep,
  text,
  tid,
  waitText,
  waitUntil,
} from "./lib/ui.mjs";

// Letters only, so every field accepts it; random, so no other test or fixture holds it.
const CANARY =
  "Qzv" +
  Array.from({ length: 12 }, () =>
    String.fromCharCode(97 + Math.floor(Math.random() * 26)),
  ).join("");

/** The byte patterns the canary can take in a file or in memory. */
function forms(c) {
  const out = [Buffer.from(c, "utf8"), Buffer.from(c, "utf16le")];
  // base64 of the canary at each of the three alignments, without the edge characters that
  // depend on the bytes around it.
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.from("\0".repeat(pad) + c, "utf8").toString("base64");
    const skip = Math.ceil((pad * 4) / 3) + 1;
    out.push(Buffer.from(b64.slice(skip, skip + 12), "ascii"));
  }
  return out;
}

function holds(buf, pats) {
  return pats.some((p) => buf.indexOf(p) !== -1);
}

function* files(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

/** The app's backend: the process running the app binary with this test's HOME. */
function backendPid(home) {
  const bin = path.resolve(appBinary());
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readlinkSync(`/proc/${pid}/exe`) !== bin) continue;
      if (
        readFileSync(`/proc/${pid}/environ`, "latin1")
          .split("\0")
          .includes(`HOME=${home.root}`)
      )
        return Number(pid);
    } catch {
      // Gone, or not ours.
    }
  }
  return null;
}

/** Hits of `pats` in the readable, writable memory of `pid` (heap, stacks, anonymous maps). */
function memoryHits(pid, pats) {
  const maps = readFileSync(`/proc/${pid}/maps`, "utf8").trim().split("\n");
  const fd = openSync(`/proc/${pid}/mem`, "r");
  let hits = 0;
  let scanned = 0;
  try {
    for (const line of maps) {
      const [range, perms] = line.split(/\s+/);
      if (!perms.startsWith("rw")) continue;
      const [start, end] = range.split("-").map((h) => parseInt(h, 16));
      // Reservations of gigabytes (WebKit's allocator cages) are address space, not data.
      if (end - start > 2 ** 30) continue;
      for (let at = start; at < end; at += 1 << 24) {
        const len = Math.min(1 << 24, end - at);
        const buf = Buffer.alloc(len);
        let n = 0;
        try {
          n = readSync(fd, buf, 0, len, at);
        } catch {
          continue;
        }
        scanned += n;
        for (const p of pats)
          for (
            let i = buf.indexOf(p);
            i !== -1 && i < n;
            i = buf.indexOf(p, i + 1)
          )
            hits++;
      }
    }
  } finally {
    closeSync(fd);
  }
  return { hits, scanned };
}

describe("leak scan through the real app", () => {
  let app;
  let s;
  const home = makeHome("leak");
  const tmp = path.join(home.root, "tmp");
  // Outside every folder scanned, with a short path for the file dialog's location field.
  const outside = mkdtempSync("/tmp/lk");
  let exported = null;
  const pats = forms(CANARY);

  before(async () => {
    mkdirSync(tmp, { recursive: true });
    app = await launchApp({
      home,
      lang: "en",
      log: "leak",
      env: { TMPDIR: tmp },
    });
    s = await openDemo(app, "en");
  });
  after(async () => {
    await app?.close();
    home.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  it("writes the canary into a name, a note, an attachment, the search box and an export", async () => {
    await click(s, "home-add-client");
    await s.waitFor(tid("client-form"));
    await fill(s, "client-given-name", CANARY);
    await fill(s, "client-family-name", `${CANARY}son`);
    await click(s, "client-form-submit");
    await waitText(s, "client-name", CANARY);
    await click(s, "tab-journal");
    await click(s, "course-add");
    await fill(s, "course-title", `Course ${CANARY}`);
    await click(s, "course-submit");
    await waitText(s, "client-page", CANARY);
    await click(s, "entry-new");
    await s.waitFor(tid("entry-editor"));
    await fill(s, "entry-title", `Session ${CANARY}`);
    await fill(s, "entry-body", `The client spoke about ${CANARY} and sleep.`);
    const status = await s.waitFor(tid("autosave-status"));
    await waitUntil(async () => (await status.attr("data-state")) === "saved", {
      timeout: 20_000,
      message: "autosave",
    });
    // An attachment, through the native file dialog as a person adds one (the shell accepts
    // no path the person did not pick or drop); its source file lies outside every folder
    // scanned and is removed before the scan.
    mkdirSync(outside, { recursive: true });
    // The file name carries the canary too, as "Maja Ek, referral.pdf" would carry a name.
    const src = path.join(outside, `${CANARY}-scan.pdf`);
    writeFileSync(src, `%PDF-1.4\n% ${CANARY} scanned letter\n`);
    await s.execute(`const d = document.querySelector('[data-testid="entry-editor"] details.attach');
      d.open = true; d.scrollIntoView();`);
    await click(s, "attachments-add");
    await sleep(2500);
    const x = (...a) => execFileSync("xdotool", a, { env: process.env });
    if (process.env.LEAK_DEBUG)
      execFileSync("import", ["-window", "root", "/tmp/leak-dialog-1.png"]);
    x("key", "--clearmodifiers", "ctrl+l");
    await sleep(300);
    // A folder at a time: the location field loads each folder as its "/" is typed, and a
    // key typed meanwhile is lost.
    for (const part of src.split(/(?<=\/)/)) {
      x("type", "--delay", "60", part);
      await sleep(700);
    }
    if (process.env.LEAK_DEBUG)
      execFileSync("import", ["-window", "root", "/tmp/leak-dialog-2.png"]);
    x("key", "Return");
    // A completion popup may take the first Enter.
    await waitText(s, "attachments", "-scan.pdf", { timeout: 4_000 }).catch(
      () => x("key", "Return"),
    );
    await waitText(s, "attachments", "-scan.pdf", { timeout: 20_000 });
    await click(s, "entry-close");
    rmSync(src);
    await s.chord(["Control", "k"]);
    await s.waitFor(tid("search-dialog"));
    await fill(s, "search-input", CANARY);
    await waitText(s, "search-result", CANARY);
    await s.chord(["Escape"]);
    await s.waitGone(tid("search-dialog"));
    await click(s, "client-export");
    await s.waitFor(tid("export-dialog"));
    await fill(s, "export-identity", `Photo ID seen ${CANARY}`);
    await click(s, "export-run");
    await s.waitFor(tid("export-done"), { timeout: 60_000 });
    exported = (await text(s, "export-path")).trim();
    assert.ok(
      holds(readFileSync(path.join(exported, "data.json")), pats),
      "the export holds the canary (the scan can see it)",
    );
    await click(s, "export-close");
  });

  it("after lock, the backend process memory is searched (figure printed)", async () => {
    await s.chord(["Control", "l"]);
    await s.waitFor(tid("unlock"), { timeout: 15_000 });
    const pid = backendPid(home);
    assert.ok(pid, "the backend process is found");
    const { hits, scanned } = memoryHits(pid, pats);
    console.log(
      `memory after lock: ${hits} canary hits in ${(scanned / 2 ** 20).toFixed(0)} MiB of the backend's writable memory`,
    );
    mkdirSync(path.join(outDir, "logs"), { recursive: true });
    writeFileSync(
      path.join(outDir, "logs", "leak-memory.json"),
      JSON.stringify({ hits, scanned }),
    );
    assert.ok(scanned > 1 << 20, "memory was read");
  });

  it("no file outside the export holds the canary, in any form", async () => {
    await app.close();
    const hits = [];
    const seen = [];
    let scanned = 0;
    const roots = [home.root, path.join(outDir, "logs", "leak.log")];
    for (const root of roots) {
      const list = statSync(root).isDirectory() ? [...files(root)] : [root];
      for (const f of list) {
        if (exported && f.startsWith(exported + path.sep)) continue;
        scanned++;
        seen.push(path.relative(home.root, f));
        if (holds(readFileSync(f), pats))
          hits.push(path.relative(home.root, f));
      }
    }
    console.log(`file scan: ${scanned} files, ${hits.length} with the canary`);
    if (process.env.LEAK_DEBUG) console.log(seen.join("\n"));
    assert.ok(scanned > 10, `files were scanned (${scanned})`);
    assert.deepEqual(hits, []);
  });
});
