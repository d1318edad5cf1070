#!/usr/bin/python3
"""Drives the INSTALLED Confidant app through its accessibility tree, as a screen reader sees it.

The shipped window is `incognito` (an ephemeral WebKit context), and WebKitWebDriver cannot
attach to one, so the WebDriver tooling of tests/e2e cannot drive the packaged binary (the e2e
build turns incognito off; this test must not). Instead the app is started the way its .desktop
file says, and this script finds buttons and fields in the AT-SPI tree (WebKitGTK exposes the
page: roles, accessible names, HTML ids), presses buttons through their accessible action,
types with real X key events (xdotool), takes screenshots of the virtual screen (ImageMagick's
`import`) and closes the window the way a window manager does (WM_DELETE_WINDOW).

Runs inside the e2e session (tests/e2e/lib/in-session.sh: Xvfb, a private D-Bus session bus,
which also starts the accessibility bus on demand). Run by scripts/package-test.sh:

  drive.py write --home DIR --out DIR   first run: open the demo journal, add a client, lock,
                                        unlock with the demo passphrase, see the client, close
  drive.py check --home DIR --out DIR   after the upgrade: open the demo journal again, the
                                        client is still there, lock, unlock, still there, close

Visible texts come from the UI's own English catalog (ui/src/lib/i18n/en.ts).
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import warnings

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402
from Xlib import X, Xatom, display  # noqa: E402
from Xlib.protocol import event as xevent  # noqa: E402

warnings.filterwarnings("ignore", category=DeprecationWarning)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DESKTOP_FILE = "/usr/share/applications/Confidant.desktop"
DEMO_PASSPHRASE = "demo lingonberry harbour 2026"  # README; fictional data only
# The client this test adds before the upgrade and looks for after it.
GIVEN, FAMILY = "Ingrid", "Paketsson"
LISTED = f"{FAMILY}, {GIVEN}"  # how the client list names a client


def log(msg):
    print(f"package-test: {msg}", flush=True)


# --- the UI's texts -------------------------------------------------------------------------

_catalog = None


def msg(key):
    """The English text of a catalog key such as `first_run.demo` (same walk as tests/e2e/lib/ui.mjs)."""
    global _catalog
    if _catalog is None:
        with open(os.path.join(REPO, "ui", "src", "lib", "i18n", "en.ts"), encoding="utf-8") as f:
            _catalog = f.read()
    pos = 0
    parts = key.split(".")
    for i, part in enumerate(parts):
        if i == len(parts) - 1:
            m = re.compile(r"\b%s\s*:\s*(['\"`])((?:\\.|(?!\1).)*)\1" % re.escape(part), re.S).search(_catalog, pos)
            if not m:
                break
            return re.sub(r"\\(['\"`\\])", r"\1", m.group(2))
        m = re.compile(r"\b%s\s*:\s*\{" % re.escape(part)).search(_catalog, pos)
        if not m:
            break
        pos = m.end()
    raise KeyError(f"no key {key} in ui/src/lib/i18n/en.ts")


# --- the accessibility tree -----------------------------------------------------------------


class App:
    def __init__(self, home, out, label):
        self.home, self.out, self.label = home, out, label
        self.proc = None
        self.root = None
        self.wid = None

    # Starting and stopping

    def exec_line(self):
        """The command of the installed .desktop file (what a menu or launcher runs)."""
        with open(DESKTOP_FILE, encoding="utf-8") as f:
            for line in f:
                if line.startswith("Exec="):
                    argv = [a for a in shlex.split(line[5:].strip()) if not a.startswith("%")]
                    path = shutil.which(argv[0])
                    if path is None:
                        raise SystemExit(f"{DESKTOP_FILE}: Exec={argv[0]} is not on PATH")
                    return [path] + argv[1:]
        raise SystemExit(f"{DESKTOP_FILE} has no Exec line")

    def start(self):
        argv = self.exec_line()
        log(f"{self.label}: starting {' '.join(argv)} (from {DESKTOP_FILE})")
        h = self.home
        env = dict(os.environ)
        env.update(
            HOME=h,
            XDG_DATA_HOME=f"{h}/.local/share",
            XDG_CONFIG_HOME=f"{h}/.config",
            XDG_CACHE_HOME=f"{h}/.cache",
            LANG="C.UTF-8",
            LANGUAGE="en",
            # Under Xvfb (no GPU) WebKitGTK's DMA-BUF renderer paints only the first frame.
            WEBKIT_DISABLE_DMABUF_RENDERER="1",
        )
        env.pop("CONFIDANT_VAULT", None)  # the default place, the one a therapist gets
        for d in (".local/share", ".config", ".cache"):
            os.makedirs(os.path.join(h, d), exist_ok=True)
        logf = open(os.path.join(self.out, f"app-{self.label}.log"), "ab")
        self.proc = subprocess.Popen(argv, env=env, stdout=logf, stderr=subprocess.STDOUT)
        self.root = self.wait(self._find_app, what="the app in the accessibility tree", timeout=60)

    def _find_app(self):
        if self.proc.poll() is not None:
            raise SystemExit(f"the app exited with code {self.proc.returncode} (see app-{self.label}.log)")
        desk = Atspi.get_desktop(0)
        for i in range(desk.get_child_count()):
            a = desk.get_child_at_index(i)
            try:
                if a is not None and a.get_process_id() == self.proc.pid:
                    return a
            except gi.repository.GLib.Error:
                pass
        return None

    def close(self):
        """Closes the window as a window manager would, and waits for the app to exit."""
        d = display.Display()
        wid = self.window_id()
        w = d.create_resource_object("window", wid)
        protocols = d.intern_atom("WM_PROTOCOLS")
        delete = d.intern_atom("WM_DELETE_WINDOW")
        ev = xevent.ClientMessage(window=w, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
        w.send_event(ev, event_mask=X.NoEventMask)
        d.flush()
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise SystemExit("the app did not exit within 30 s of closing its window")
        log(f"{self.label}: window closed, the app exited with code {code}")
        if code != 0:
            raise SystemExit(f"the app exited with code {code} after its window was closed")

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def window_id(self):
        """The app's top-level X window (by _NET_WM_PID, which GTK sets)."""
        if self.wid is None:
            d = display.Display()
            pid_atom = d.intern_atom("_NET_WM_PID")

            def search():
                for w in d.screen().root.query_tree().children:
                    p = w.get_full_property(pid_atom, Xatom.CARDINAL)
                    if p is not None and p.value[0] == self.proc.pid:
                        attrs = w.get_attributes()
                        if attrs.map_state == X.IsViewable:
                            return w.id
                return None

            self.wid = self.wait(search, what="the app's window", timeout=30)
        return self.wid

    # Finding things

    def walk(self, node=None):
        stack = [node or self.root]
        while stack:
            n = stack.pop()
            if n is None:
                continue
            yield n
            try:
                count = n.get_child_count()
            except gi.repository.GLib.Error:
                continue
            for i in reversed(range(count)):
                try:
                    stack.append(n.get_child_at_index(i))
                except gi.repository.GLib.Error:
                    pass

    def wait(self, fn, what, timeout=30):
        end = time.monotonic() + timeout
        while True:
            try:
                v = fn()
            except gi.repository.GLib.Error:
                v = None
            if v:
                return v
            if time.monotonic() > end:
                self.fail(f"timed out after {timeout} s waiting for {what}")
            time.sleep(0.2)

    def find(self, role=None, name=None, html_id=None, contains=None):
        for n in self.walk():
            try:
                if role is not None and n.get_role_name() != role:
                    continue
                if name is not None and n.get_name() != name:
                    continue
                if contains is not None and contains not in (n.get_name() or ""):
                    continue
                if html_id is not None and (n.get_attributes() or {}).get("id") != html_id:
                    continue
                return n
            except gi.repository.GLib.Error:
                continue
        return None

    def wait_for(self, what=None, timeout=30, **kw):
        return self.wait(lambda: self.find(**kw), what=what or repr(kw), timeout=timeout)

    def texts(self):
        """Every accessible name and text on the page (for assertions and failure reports)."""
        out = []
        for n in self.walk():
            try:
                if n.get_name():
                    out.append(n.get_name())
                t = n.get_text_iface()
                if t is not None:
                    s = t.get_text(0, -1)
                    if s and s.strip("\ufffc \n"):
                        out.append(s)
            except gi.repository.GLib.Error:
                pass
        return out

    def dump(self):
        lines = []

        def rec(n, depth):
            try:
                attrs = n.get_attributes() or {}
                ident = f" #{attrs['id']}" if "id" in attrs else ""
                lines.append(f"{'  ' * depth}{n.get_role_name()} {n.get_name()!r}{ident}")
                for i in range(n.get_child_count()):
                    rec(n.get_child_at_index(i), depth + 1)
            except (gi.repository.GLib.Error, AttributeError):
                pass

        if self.root is not None:
            rec(self.root, 0)
        return "\n".join(lines)

    def fail(self, why):
        base = os.path.join(self.out, f"failure-{self.label}")
        try:
            with open(base + ".txt", "w", encoding="utf-8") as f:
                f.write(self.dump())
            self.screenshot(base + ".png")
        except Exception as e:  # the report is best effort; the failure is what matters
            log(f"could not save the failure report: {e}")
        raise SystemExit(f"{self.label}: {why} (accessibility tree and screenshot: {base}.txt/.png)")

    # Acting

    def press(self, node):
        action = node.get_action_iface()
        if action is None or action.get_n_actions() == 0:
            self.fail(f"{node.get_role_name()} {node.get_name()!r} has no action")
        action.do_action(0)

    def press_button(self, name, timeout=30):
        self.press(self.wait_for(role="push button", name=name, what=f"the button {name!r}", timeout=timeout))

    def type_into(self, node, text):
        """Focuses the field and types `text` with X key events, as a person at the keyboard."""
        wid = self.window_id()
        subprocess.run(["xdotool", "windowfocus", "--sync", str(wid)], check=True)
        node.get_component_iface().grab_focus()
        self.wait(lambda: node.get_state_set().contains(Atspi.StateType.FOCUSED), what="the field to have focus", timeout=10)
        subprocess.run(["xdotool", "type", "--delay", "15", "--window", str(wid), text], check=True)
        typed = node.get_text_iface()
        if typed is not None:
            # Echoed fields show what was typed; password fields show bullets of the same length.
            self.wait(lambda: typed.get_character_count() == len(text), what="the typed text in the field", timeout=10)

    def screenshot(self, path):
        subprocess.run(["import", "-window", "root", path], check=True)
        log(f"{self.label}: screenshot {path}")


# --- the steps ------------------------------------------------------------------------------


def open_demo(app):
    app.press_button(msg("first_run.demo"), timeout=60)
    wait_main(app)
    log(f"{app.label}: the demo journal is open")


def wait_main(app, timeout=60):
    # The main window has the Lock button; after a full unlock the app may first offer a PIN
    # for the day, which this test declines.
    lock, skip = msg("main.lock"), msg("quick.offer_skip")

    def main_or_offer():
        if app.find(role="push button", name=lock):
            return "main"
        if app.find(role="push button", name=skip):
            return "offer"
        return None

    if app.wait(main_or_offer, what="the main window", timeout=timeout) == "offer":
        app.press_button(skip)
        app.wait_for(role="push button", name=lock, what="the main window")


def client_listed(app):
    """The client is in the client list, or its page is open (a narrow window folds the list away)."""
    return (
        app.find(role="list item", name=LISTED) is not None
        or app.find(role="heading", name=f"{GIVEN} {FAMILY}") is not None
    )


def lock_and_unlock(app):
    app.press_button(msg("main.lock"))
    field = app.wait_for(role="password text", what="the unlock screen's passphrase field", timeout=30)
    # A locked window holds no client data.
    if any(FAMILY in t for t in app.texts()):
        app.fail(f"{FAMILY} is still on the screen after locking")
    log(f"{app.label}: locked; unlocking with the demo passphrase")
    app.type_into(field, DEMO_PASSPHRASE)
    t0 = time.monotonic()
    app.press_button(msg("unlock.submit"))
    wait_main(app)
    log(f"{app.label}: unlocked in {time.monotonic() - t0:.1f} s")


def add_client(app):
    # "Add client" is offered twice (home page and client list); either opens the form.
    app.press_button(msg("clients.add"))
    given = app.wait_for(html_id="add-given", what="the new-client form")
    app.type_into(given, GIVEN)
    app.type_into(app.wait_for(html_id="add-family", what="the family-name field"), FAMILY)
    app.press_button(msg("clients.add_submit"))
    app.wait(lambda: client_listed(app), what=f"the page of {GIVEN} {FAMILY}")
    log(f"{app.label}: added the client {GIVEN} {FAMILY}")


def phase_write(app):
    open_demo(app)
    if client_listed(app):
        app.fail(f"{LISTED} is there before this test added it: not a fresh home")
    add_client(app)
    lock_and_unlock(app)
    app.wait(lambda: client_listed(app), what=f"{LISTED} after unlocking")
    app.screenshot(os.path.join(app.out, "installed-before-upgrade.png"))


def phase_check(app):
    open_demo(app)
    # The journal opens on the home page, with the client list beside it.
    app.wait_for(role="list item", name=LISTED, what=f"{LISTED}, added before the upgrade", timeout=15)
    log(f"{app.label}: {LISTED}, added before the upgrade, is in the demo journal")
    lock_and_unlock(app)
    app.wait(lambda: client_listed(app), what=f"{LISTED} after unlocking")
    app.screenshot(os.path.join(app.out, "installed-after-upgrade.png"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("phase", choices=["write", "check"])
    ap.add_argument("--home", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    app = App(a.home, a.out, a.phase)
    try:
        app.start()
        {"write": phase_write, "check": phase_check}[a.phase](app)
        app.close()
    finally:
        app.kill()


if __name__ == "__main__":
    sys.exit(main())
