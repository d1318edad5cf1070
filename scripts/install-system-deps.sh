#!/usr/bin/env bash
# Installs the system packages Confidant needs to build and test, on Debian/Ubuntu.
# Safe to run again: apt skips what is already there. Other platforms: see README.md.
set -euo pipefail

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: no apt-get here; install the packages listed in README.md by hand." >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(
  # Build: C toolchain for SQLCipher's vendored OpenSSL, D-Bus headers for the Secret Service store.
  build-essential pkg-config perl libdbus-1-dev
  # Keyring tests against a real Secret Service, in a private D-Bus session.
  dbus dbus-x11 gnome-keyring libsecret-tools
  # Desktop app (Tauri 2): WebKitGTK, GTK, tray/appindicator and SVG icon support, libsoup.
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev libssl-dev
  # End-to-end tests of the desktop app: a virtual X screen, WebKitWebDriver, screenshots.
  xvfb webkit2gtk-driver imagemagick xdotool x11-utils
  # Backup interop tests: the reference age CLI; a Python venv for an independent SQLCipher 4 reader.
  age python3-venv
  # Document tests read the PDFs back (pdftotext, pdfinfo).
  poppler-utils
  # Release packages (scripts/release.sh, scripts/package-test.sh): rpm to inspect and check the
  # .rpm, desktop-file-validate for the .desktop file; the installed app (its shipped, incognito
  # webview refuses WebDriver) is driven through the accessibility tree (AT-SPI) and closed the
  # way a window manager closes it (WM_DELETE_WINDOW, python3-xlib).
  rpm desktop-file-utils at-spi2-core python3-gi gir1.2-atspi-2.0 python3-xlib
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
