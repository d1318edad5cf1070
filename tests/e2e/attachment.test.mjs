// Attachment previews: the demo's PDF shows inside the app's page, and the window itself
// navigating to the attachment URL is sent back to the app (issue 9, section 5: the `attachment:` scheme is never a top-level
// document, where Tauri would trust it like the app's own page).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchApp, makeHome, shot } from './lib/app.mjs';
import { click, tid, waitText, waitUntil } from './lib/ui.mjs';
import { sleep } from './lib/webdriver.mjs';

describe('attachment previews', () => {
  let app;
  let s;
  const home = makeHome('attachment');

  before(async () => {
    app = await launchApp({ home, lang: 'en', log: 'attachment' });
    s = app.session;
    await s.setWindowRect({ width: 1280, height: 800 }).catch(() => {});
    await s.waitFor(tid('first-run'), { timeout: 60_000 });
    await click(s, 'first-run-demo');
    await s.waitFor(tid('main'), { timeout: 60_000 });
  });
  after(async () => {
    await app?.close();
    home.cleanup();
  });

  let url;

  it('the PDF of a demo entry previews inside the page', async () => {
    await (await waitText(s, 'client-item', 'Lindqvist')).click();
    await click(s, 'tab-journal');
    await s.waitFor(tid('timeline-item'));
    // Astrid's first session carries the referral PDF.
    const items = await s.findAll(tid('timeline-item'));
    let opened = false;
    for (const item of items) {
      if ((await item.text()).includes('Första samtal')) {
        await (await item.find('button')).click();
        opened = true;
        break;
      }
    }
    assert.ok(opened, 'the entry with the attachment is listed');
    await s.waitFor(tid('entry-view'));
    // The entry's attachments sit in a closed <details>.
    await s.execute(`document.querySelector('[data-testid="entry-view"] details.attach').open = true`);
    await s.waitFor(tid('attachment-item'));
    await click(s, 'attachment-preview');
    await s.waitFor(tid('attachment-dialog'));
    url = await s.execute(`return document.querySelector('[data-testid="attachment-dialog"] object').data`);
    assert.match(url, /^attachment:\/\/localhost\/\d+$/);
    // The viewer takes a moment to paint the page.
    await sleep(2000);
    // Loaded, not refused (by the CSP or the protocol): the <object>'s fallback text stays hidden.
    const fallbackShown = await s.execute(
      `return document.querySelector('[data-testid="attachment-dialog"] object p').getClientRects().length > 0`,
    );
    assert.equal(fallbackShown, false, 'the PDF preview loaded');
    await shot(s, 'en', '60-attachment-preview');
  });

  it('the window itself navigating to the attachment is sent back to the app', async () => {
    const before = await s.cmd('GET', '/url');
    await s.execute('location.href = arguments[0]', url);
    await waitUntil(async () => (await s.cmd('GET', '/url').catch(() => '')) === before, {
      timeout: 20_000,
      message: 'the window to be back on the app page',
    });
    // The app page again (the vault is still unlocked), never the PDF.
    await s.waitFor(tid('main'), { timeout: 30_000 });
    const type = await s.execute('return document.contentType');
    assert.equal(type, 'text/html');
    await shot(s, 'en', '61-attachment-top-level-sent-back');
  });
});
