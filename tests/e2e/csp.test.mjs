// Issue 13, IPC checks: the built app's Content Security Policy is present and strict, proven
// by what the page cannot do rather than by reading the config: no eval, no inline script, no
// script or image from another origin, no fetch to anywhere but the IPC endpoint. A journal
// note that smuggled markup past the renderer would still run nothing.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { launchApp, makeHome } from "./lib/app.mjs";
import { openDemo } from "./lib/ui.mjs";
import { sleep } from "./lib/webdriver.mjs";

describe("content security policy of the built app", () => {
  let app;
  let s;
  const home = makeHome("csp");

  before(async () => {
    app = await launchApp({ home, lang: "en", log: "csp" });
    s = await openDemo(app, "en");
  });
  after(async () => {
    await app?.close();
    home.cleanup();
  });

  it("refuses eval and the Function constructor", async () => {
    const r = await s.execute(`
      const out = [];
      try { eval('1 + 1'); out.push('eval ran'); } catch (e) { out.push(e.name); }
      try { new Function('return 1')(); out.push('Function ran'); } catch (e) { out.push(e.name); }
      return out;`);
    assert.deepEqual(r, ["EvalError", "EvalError"]);
  });

  it("runs no inline script and no script, style or image from elsewhere", async () => {
    await s.execute(`
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
      const inline = document.createElement('script');
      inline.textContent = 'window.__inlineRan = true';
      document.body.appendChild(inline);
      const remote = document.createElement('script');
      remote.src = 'https://example.org/x.js';
      document.body.appendChild(remote);
      const img = document.createElement('img');
      img.src = 'https://example.org/pixel.png';
      document.body.appendChild(img);
      const handler = document.createElement('div');
      handler.innerHTML = '<img src="x" onerror="window.__handlerRan = true">';
      document.body.appendChild(handler);`);
    await sleep(500);
    const r = await s.execute(`return {
      inline: window.__inlineRan === true,
      handler: window.__handlerRan === true,
      violations: window.__csp.slice().sort(),
    }`);
    assert.equal(r.inline, false, "an inline script ran");
    assert.equal(r.handler, false, "an inline event handler ran");
    for (const d of ["script-src", "img-src"]) {
      assert.ok(
        r.violations.some((v) => v.startsWith(d)),
        `a ${d} violation was reported: ${r.violations}`,
      );
    }
  });

  it("lets the page fetch nothing but the IPC endpoint", async () => {
    const out = await s.execute(`
      return fetch('https://example.org/').then(() => 'fetched', (e) => e.name);`);
    assert.equal(out, "TypeError");
  });
});
