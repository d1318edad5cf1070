#!/usr/bin/env bash
# Installs the release .deb on this machine (as root) and uses the installed app the way a
# therapist would: install the previous package, start the app from its .desktop entry under
# Xvfb, open the demo journal, add a client, lock and unlock with the passphrase, close; upgrade
# to the new package, start again, the client is still there, lock and unlock; then uninstall
# (remove, then purge) and check that the program is gone and the journal folder is untouched.
# The .rpm is read and checked with rpm (this Debian machine cannot install it).
#
#   bash scripts/release.sh && bash scripts/package-test.sh
#
# Needs the artefacts of scripts/release.sh in dist/release/<version>/. The app runs with its
# own HOME and XDG folders in a temp dir (the journal in its default place there). Screenshots
# and logs: tests/screenshots/package/ (PACKAGE_TEST_OUT). The installed app's window is
# incognito, which WebDriver cannot attach to, so tests/package/drive.py works through the
# accessibility tree instead (see there).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
t0=$SECONDS
say() { printf 'package-test: %s\n' "$*"; }
die() { printf 'package-test: FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf '\npackage-test: == %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

version="$(node -p "require('./src-tauri/tauri.conf.json').version")"
bin="/usr/bin/$(node -p "require('./src-tauri/tauri.conf.json').mainBinaryName")"
desktop=/usr/share/applications/Confidant.desktop
dir="$repo/dist/release/$version"
out="${PACKAGE_TEST_OUT:-$repo/tests/screenshots/package}"
debs=("$dir"/*.deb)
rpms=("$dir"/*.rpm)
[ -f "${debs[0]}" ] && [ -f "${rpms[0]}" ] || die "no packages in $dir: run scripts/release.sh first"
deb="${debs[0]}"
rpm_file="${rpms[0]}"
(cd "$dir" && sha256sum --quiet -c SHA256SUMS) || die "the artefacts do not match $dir/SHA256SUMS"
pkg="$(dpkg-deb -f "$deb" Package)"
arch="$(dpkg-deb -f "$deb" Architecture)"
prev_version="${version}~previous"
installed_version() { { dpkg-query -W -f='${db:Status-Status} ${Version}' "$pkg" 2>/dev/null || true; } | sed -n 's/^installed //p'; }

# This test installs and removes the package system-wide: it does not replace a copy of the app
# it did not install itself (one left by an interrupted run has one of its two versions).
iv="$(installed_version)"
if [ -n "$iv" ]; then
  [ "$iv" = "$version" ] || [ "$iv" = "$prev_version" ] \
    || die "$pkg $iv is installed on this machine; this test would replace it (remove it first)"
  say "removing $pkg $iv left by an earlier run"
  $SUDO apt-get remove -y -qq "$pkg" >/dev/null
fi

rm -rf "$out"
mkdir -p "$out/logs"
work="$(mktemp -d "${TMPDIR:-/tmp}/confidant-package-test.XXXXXX")"
chmod 755 "$work" # apt reads local .deb files as its own user
cleanup() {
  local rc=$?
  if [ -n "$(installed_version)" ]; then $SUDO apt-get remove -y -qq "$pkg" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
home="$work/home"
vault="$home/.local/share/confidant/vault-demo" # README: the demo journal beside the vault

# Drives the installed app in a fresh virtual screen and private session bus (the e2e harness).
drive() {
  KEYRING_HOME="$work/keyring-$1" E2E_OUT="$out" dbus-run-session -- \
    bash scripts/with-keyring.sh bash tests/e2e/lib/in-session.sh \
    /usr/bin/python3 tests/package/drive.py "$1" --home "$home" --out "$out"
}
apt_install() { $SUDO apt-get install -y -q --no-install-recommends "$1" >"$out/logs/apt-$2.log" 2>&1 || { cat "$out/logs/apt-$2.log"; die "apt-get install $1"; }; }

step "previous package ($pkg $prev_version)"
# The package of the last release, made here by giving this build a lower version. A real
# release pipeline installs the last release's published artefact (checked against its
# SHA256SUMS) instead, so that what is tested is an upgrade across real changes.
dpkg-deb -R "$deb" "$work/prev"
sed -i "s/^Version: .*/Version: $prev_version/" "$work/prev/DEBIAN/control"
prev_deb="$work/${pkg}_${prev_version}_${arch}.deb"
# Uncompressed: xz-packing 90 MB again would take a minute for a file used once.
dpkg-deb --root-owner-group -Znone -b "$work/prev" "$prev_deb" >/dev/null
rm -rf "$work/prev"
ti=$SECONDS
apt_install "$prev_deb" previous
[ "$(installed_version)" = "$prev_version" ] || die "$pkg $prev_version is not installed"
[ -x "$bin" ] && [ -f "$desktop" ] || die "$bin or $desktop missing after install"
say "installed $pkg $prev_version with apt-get in $((SECONDS - ti)) s"
td=$SECONDS
drive write
say "first use of the installed app took $((SECONDS - td)) s"
[ -f "$vault/vault.db" ] && [ -f "$vault/keys.json" ] || die "no demo journal in $vault"

step "upgrade to $pkg $version"
tu=$SECONDS
apt_install "$deb" upgrade
[ "$(installed_version)" = "$version" ] || die "$pkg $version is not installed after the upgrade"
grep -q "over ($prev_version)" "$out/logs/apt-upgrade.log" || die "apt did not upgrade from $prev_version (see logs/apt-upgrade.log)"
say "upgraded $prev_version → $version in $((SECONDS - tu)) s"
td=$SECONDS
drive check
say "use after the upgrade took $((SECONDS - td)) s"

step "uninstall"
# A checksum of every file of the journal folder, before and after: uninstalling never
# touches a therapist's data.
sums() { (cd "$vault" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
before="$(sums)"
$SUDO apt-get remove -y -q "$pkg" >"$out/logs/apt-remove.log" 2>&1 || { cat "$out/logs/apt-remove.log"; die "apt-get remove"; }
[ ! -e "$bin" ] || die "$bin is still there after apt-get remove"
[ ! -e "$desktop" ] || die "$desktop is still there after apt-get remove"
[ "$(sums)" = "$before" ] || die "the journal folder changed when the package was removed"
# The package has no configuration files, so remove leaves nothing to purge; dpkg --purge
# makes sure of it.
$SUDO dpkg --purge "$pkg" >"$out/logs/dpkg-purge.log" 2>&1 || { cat "$out/logs/dpkg-purge.log"; die "dpkg --purge"; }
[ -z "$(installed_version)" ] && ! dpkg-query -W -f='${db:Status-Status}\n' "$pkg" 2>/dev/null | grep -qv not-installed \
  || die "$pkg is still known to dpkg after purge"
[ "$(sums)" = "$before" ] || die "the journal folder changed when the package was purged"
say "removed and purged: $bin and $desktop are gone; the journal folder is unchanged ($(wc -l <<<"$before") files, $(du -sh "$vault" | cut -f1))"

step "the .rpm (checked with rpm; a Debian system cannot install it as a system package)"
rpm -K --nosignature "$rpm_file"
rpm_list="$(rpm -qpl "$rpm_file")"
for f in "$bin" "$desktop" /usr/share/icons/hicolor/128x128/apps/"$(basename "$bin")".png; do
  grep -qx "$f" <<<"$rpm_list" || die ".rpm lacks $f"
done
say "$(basename "$rpm_file"): $(rpm -qp --qf '%{NAME} %{VERSION}-%{RELEASE} %{ARCH}, licence %{LICENSE}' "$rpm_file"), $(wc -l <<<"$rpm_list") files, requires $(rpm -qpR "$rpm_file" | grep -v '^rpmlib' | paste -sd' ')"

step "summary"
(cd "$dir" && for f in *.deb *.rpm; do
  printf 'package-test:   %-34s %6s  sha256 %s\n' "$f" "$(du -h "$f" | cut -f1)" "$(sha256sum "$f" | cut -d' ' -f1)"
done)
say "installed, used, upgraded with the journal kept, removed and purged with the journal kept: ok ($((SECONDS - t0)) s)"
say "screenshots and logs in $out"
