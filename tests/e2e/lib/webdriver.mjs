// A small W3C WebDriver client over fetch: just what the e2e tests use, no dependencies.
// tauri-driver speaks W3C WebDriver and forwards to WebKitWebDriver (Linux).

const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    const msg = value && value.message ? value.message : JSON.stringify(value);
    super(`${method} ${path} -> ${status} ${value && value.error ? value.error : ''}: ${msg}`);
    this.status = status;
    this.code = value && value.error;
  }
}

const DEBUG = !!process.env.E2E_DEBUG;

async function request(base, method, path, body) {
  if (DEBUG) console.error(`[wd] ${method} ${path} ${body === undefined ? '' : JSON.stringify(body).slice(0, 200)}`);
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebDriverError(method, path, res.status, { message: text.slice(0, 300) });
  }
  if (!res.ok) throw new WebDriverError(method, path, res.status, json.value);
  return json.value;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (returned) or the timeout passes (throws). */
export async function waitUntil(fn, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let lastErr;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeout} ms waiting for ${message}${lastErr ? `: ${lastErr.message}` : ''}`);
    }
    await sleep(interval);
  }
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
    this.prefix = `/session/${id}`;
  }

  static async create(base, capabilities) {
    const value = await request(base, 'POST', '/session', {
      capabilities: { alwaysMatch: capabilities },
    });
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return request(this.base, method, this.prefix + path, body);
  }

  async delete() {
    try {
      await request(this.base, 'DELETE', this.prefix);
    } catch {
      // The app may already be gone; cleanup continues regardless.
    }
  }

  // --- scripts ---
  execute(script, ...args) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }
  executeAsync(script, ...args) {
    return this.cmd('POST', '/execute/async', { script, args });
  }

  // --- elements ---
  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return new Element(this, v[ELEMENT_KEY]);
  }
  async findAll(css) {
    const v = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return v.map((e) => new Element(this, e[ELEMENT_KEY]));
  }
  /** Waits until an element matching `css` exists and is displayed. */
  waitFor(css, { timeout = 15_000, visible = true } = {}) {
    return waitUntil(
      async () => {
        const els = await this.findAll(css);
        for (const el of els) {
          if (!visible || (await el.displayed())) return el;
        }
        return null;
      },
      { timeout, message: `element ${css}` },
    );
  }
  waitGone(css, { timeout = 15_000 } = {}) {
    return waitUntil(
      async () => {
        const els = await this.findAll(css);
        for (const el of els) if (await el.displayed()) return false;
        return true;
      },
      { timeout, message: `element ${css} to disappear` },
    );
  }
  async exists(css) {
    return (await this.findAll(css)).length > 0;
  }
  async active() {
    const v = await this.cmd('GET', '/element/active');
    return new Element(this, v[ELEMENT_KEY]);
  }

  // --- page ---
  title() {
    return this.cmd('GET', '/title');
  }
  source() {
    return this.cmd('GET', '/source');
  }
  /** PNG bytes of the viewport. */
  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }
  setWindowRect(rect) {
    return this.cmd('POST', '/window/rect', rect);
  }
  getWindowRect() {
    return this.cmd('GET', '/window/rect');
  }
  refresh() {
    return this.cmd('POST', '/refresh', {});
  }

  /** Presses a key chord such as ['Control', 'k'] through the W3C actions API. */
  async chord(keys) {
    const down = keys.map((k) => ({ type: 'keyDown', value: KEYS[k] ?? k }));
    const up = [...keys].reverse().map((k) => ({ type: 'keyUp', value: KEYS[k] ?? k }));
    await this.cmd('POST', '/actions', {
      actions: [{ type: 'key', id: 'keyboard', actions: [...down, ...up] }],
    });
    await this.cmd('DELETE', '/actions').catch(() => {});
  }
}

export const KEYS = {
  Null: '\uE000',
  Control: '\uE009',
  Shift: '\uE008',
  Alt: '\uE00A',
  Meta: '\uE03D',
  Enter: '\uE007',
  Escape: '\uE00C',
  Tab: '\uE004',
  Backspace: '\uE003',
  ArrowDown: '\uE015',
  ArrowUp: '\uE013',
};

export class Element {
  constructor(session, id) {
    this.s = session;
    this.id = id;
    this.prefix = `/element/${id}`;
  }
  cmd(method, path, body) {
    return this.s.cmd(method, this.prefix + path, body);
  }
  click() {
    return this.cmd('POST', '/click', {});
  }
  clear() {
    return this.cmd('POST', '/clear', {});
  }
  type(text) {
    return this.cmd('POST', '/value', { text });
  }
  async setValue(text) {
    await this.clear();
    if (text !== '') {
      await this.type(text);
    } else {
      // Clear fires no input event (Svelte's bind:value would not notice) and WebKitWebDriver
      // refuses an empty text: delete the way a user would, Ctrl+A then Backspace.
      await this.type(`x${KEYS.Control}a${KEYS.Null}${KEYS.Backspace}`);
    }
  }
  text() {
    return this.cmd('GET', '/text');
  }
  attr(name) {
    return this.cmd('GET', `/attribute/${encodeURIComponent(name)}`);
  }
  prop(name) {
    return this.cmd('GET', `/property/${encodeURIComponent(name)}`);
  }
  displayed() {
    return this.cmd('GET', '/displayed');
  }
  enabled() {
    return this.cmd('GET', '/enabled');
  }
  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return new Element(this.s, v[ELEMENT_KEY]);
  }
  async findAll(css) {
    const v = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return v.map((e) => new Element(this.s, e[ELEMENT_KEY]));
  }
  /** The element reference as a script argument. */
  get ref() {
    return { [ELEMENT_KEY]: this.id };
  }
}
