#!/usr/bin/env bash
# Builds the installable Linux packages of the desktop app with the Tauri bundler: a .deb and an
# .rpm of a release build (`--locked`, the UI embedded, the shipped tauri.conf.json), copied to
# dist/release/<version>/ with SHA256SUMS beside them, then checks what is in them: the binary,
# the .desktop file (desktop-file-validate) and the icons; that /usr/bin holds the app only;
# that every shared library the app needs comes with a package the .deb depends on; the .rpm's
# digests (`rpm -K --nosignature`). scripts/package-test.sh then installs, upgrades and removes
# the .deb on this machine.
#
#   bash scripts/release.sh                          # install what is needed, build, bundle, check
#   RELEASE_SKIP_INSTALL=1 bash scripts/release.sh   # no apt-get / npm ci (they are done)
#   RELEASE_SKIP_BUILD=1 bash scripts/release.sh     # reuse the last bundles, check them again
#
# The last line names the folder; `sha256sum -c SHA256SUMS` inside it checks the artefacts.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/confidant-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
t0=$SECONDS
say() { printf 'release: %s\n' "$*"; }
die() { printf 'release: %s\n' "$*" >&2; exit 1; }

if [ -z "${RELEASE_SKIP_INSTALL:-}" ]; then
  bash scripts/install-system-deps.sh
  bash scripts/check-toolchain.sh
fi
# The Tauri CLI is a dev dependency of the UI (@tauri-apps/cli, a prebuilt binary).
if [ ! ui/node_modules/.package-lock.json -nt ui/package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi
[ -x ui/node_modules/.bin/tauri ] || die "ui/node_modules/.bin/tauri is missing (npm ci in ui/)"

version="$(node -p "require('./src-tauri/tauri.conf.json').version")"
out="$repo/dist/release/$version"

bundle="$CARGO_TARGET_DIR/release/bundle"
build_secs=0
if [ -z "${RELEASE_SKIP_BUILD:-}" ]; then
  # --- A snapshot of the working tree to build from -------------------------------------------
  # The Tauri bundler puts every binary target of the app's package into the packages, and
  # src-tauri has a second one, `export-bindings` (a developer tool that writes the TypeScript
  # bindings). The bundler leaves out a binary whose `required-features` are off, so the build
  # runs on a copy of the tracked (and new, not ignored) files in which that binary requires a
  # feature nobody turns on. The repository's manifest is not touched, and a plain
  # `cargo run --bin export-bindings` keeps working. Adding the same `required-features` to
  # src-tauri/Cargo.toml (and the feature to the commands that run the tool) would make the copy
  # unnecessary. The copy builds into the same target dir; the commit and its date still come
  # from this repository (GIT_DIR below), so `--version` and Settings → About name the commit.
  stage="$CARGO_TARGET_DIR/release-src"
  say "snapshot of the working tree in $stage"
  rm -rf "$stage"
  mkdir -p "$stage"
  git ls-files -z --cached --others --exclude-standard \
    | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null \
    | tar -xf - -C "$stage"
  ln -s "$repo/ui/node_modules" "$stage/ui/node_modules"
  manifest="$stage/src-tauri/Cargo.toml"
  grep -q '^path = "src/bin/export_bindings.rs"$' "$manifest" \
    || die "src-tauri/Cargo.toml: the [[bin]] export-bindings entry changed; update this script"
  sed -i \
    -e 's|^path = "src/bin/export_bindings.rs"$|&\nrequired-features = ["export-bindings"]|' \
    -e 's|^\[features\]$|&\nexport-bindings = []|' \
    "$manifest"
  gated="$(cd "$stage" && cargo metadata --locked --no-deps --format-version 1 \
    | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{
        const p=JSON.parse(s).packages.find(p=>p.name==='confidant-app');
        const t=p.targets.find(t=>t.name==='export-bindings');
        console.log((t['required-features']||[]).join(','));})")"
  [ "$gated" = "export-bindings" ] || die "could not keep export-bindings out of the packages"

  # --- Build and bundle ------------------------------------------------------------------------
  rm -rf "$bundle/deb" "$bundle/rpm"
  say "tauri build --bundles deb,rpm (release, --locked; runs the UI's npm run build first)"
  tb=$SECONDS
  (cd "$stage" && GIT_DIR="$repo/.git" ui/node_modules/.bin/tauri build --ci --bundles deb,rpm -- --locked)
  build_secs=$((SECONDS - tb))
fi

debs=("$bundle"/deb/*.deb)
rpms=("$bundle"/rpm/*.rpm)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || die "expected one .deb in $bundle/deb"
[ ${#rpms[@]} -eq 1 ] && [ -f "${rpms[0]}" ] || die "expected one .rpm in $bundle/rpm"

# The usual file names: name_version_arch.deb, name-version-release.arch.rpm.
rm -rf "$out"
mkdir -p "$out"
deb="$out/$(dpkg-deb -f "${debs[0]}" Package)_$(dpkg-deb -f "${debs[0]}" Version)_$(dpkg-deb -f "${debs[0]}" Architecture).deb"
rpm_file="$out/$(rpm -qp --qf '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}' "${rpms[0]}" 2>/dev/null).rpm"
cp "${debs[0]}" "$deb"
cp "${rpms[0]}" "$rpm_file"
(cd "$out" && sha256sum -- *.deb *.rpm >SHA256SUMS && sha256sum --quiet -c SHA256SUMS)

# --- What is in the .deb ---------------------------------------------------------------------
say "checking $(basename "$deb")"
dpkg-deb -I "$deb"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || die ".deb version is not $version"
contents="$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./||')"
bin_name="$(node -p "require('./src-tauri/tauri.conf.json').mainBinaryName")"
for f in "usr/bin/$bin_name" usr/share/applications/Confidant.desktop \
  "usr/share/icons/hicolor/32x32/apps/$bin_name.png" \
  "usr/share/icons/hicolor/128x128/apps/$bin_name.png"; do
  grep -qx "$f" <<<"$contents" || die ".deb lacks /$f"
done
extra_bins="$(grep '^usr/bin/.' <<<"$contents" | grep -vx "usr/bin/$bin_name" || true)"
[ -z "$extra_bins" ] || die ".deb ships more than the app in /usr/bin: $extra_bins"
x="$(mktemp -d)"
trap 'rm -rf "$x"' EXIT
dpkg-deb -x "$deb" "$x"
desktop-file-validate "$x/usr/share/applications/Confidant.desktop"
grep -qx "Exec=$bin_name" "$x/usr/share/applications/Confidant.desktop" || die "the .desktop file does not start $bin_name"
# Every shared library the app loads must come from a package that installing the .deb pulls
# in (its Depends, followed down), so a clean system gets them from apt.
depends="$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g' | grep .)"
# `apt-cache depends --recurse` prints each package of the closure on a line of its own.
# shellcheck disable=SC2086 # one package name per word
closure="$(apt-cache depends --recurse --important $depends | grep -v '^[ <]' | sed 's/:.*//' | sort -u)"
libs="$(ldd "$x/usr/bin/$bin_name" | awk '/=> \//{print $3}')"
# dpkg knows a file by the path its package ships (/lib or /usr/lib on a merged /usr): ask for
# each library under both, in one call.
owners="$(for lib in $libs; do echo "$lib"; echo "/usr${lib#/usr}"; readlink -f "$lib"; done \
  | sort -u | xargs dpkg -S 2>/dev/null || true)"
missing=()
for lib in $libs; do
  owner="$(awk -F': ' -v a="$lib" -v b="/usr${lib#/usr}" -v c="$(readlink -f "$lib")" \
    '$2 == a || $2 == b || $2 == c { split($1, p, /[:,]/); print p[1]; exit }' <<<"$owners")"
  if [ -z "$owner" ]; then missing+=("$lib (no package)"); continue; fi
  grep -qx "$owner" <<<"$closure" || missing+=("$lib ($owner)")
done
[ ${#missing[@]} -eq 0 ] || die "libraries not brought by the .deb's Depends ($depends): ${missing[*]}"
say "the .deb depends on $(paste -sd, <<<"$depends" | sed 's/,/, /g'), which bring all $(wc -w <<<"$libs") shared libraries the app loads"

# --- What is in the .rpm ---------------------------------------------------------------------
# This Debian machine cannot install an .rpm as a system package; it reads and checks it.
say "checking $(basename "$rpm_file") (read with rpm; not installed: this is a Debian system)"
rpm -qpi "$rpm_file"
echo "Requires:"
rpm -qpR "$rpm_file" | sed 's/^/  /'
rpm_list="$(rpm -qpl "$rpm_file")"
echo "Files:"
sed 's/^/  /' <<<"$rpm_list"
for f in "/usr/bin/$bin_name" /usr/share/applications/Confidant.desktop \
  "/usr/share/icons/hicolor/32x32/apps/$bin_name.png" \
  "/usr/share/icons/hicolor/128x128/apps/$bin_name.png"; do
  grep -qx "$f" <<<"$rpm_list" || die ".rpm lacks $f"
done
extra_bins="$(grep '^/usr/bin/.' <<<"$rpm_list" | grep -vx "/usr/bin/$bin_name" || true)"
[ -z "$extra_bins" ] || die ".rpm ships more than the app in /usr/bin: $extra_bins"
[ "$(rpm -qp --qf '%{VERSION}' "$rpm_file")" = "$version" ] || die ".rpm version is not $version"
[ "$(rpm -qp --qf '%{LICENSE}' "$rpm_file")" != "(none)" ] || die ".rpm has no licence"
rpm -K --nosignature "$rpm_file"

say "built in $((build_secs / 60)) min $((build_secs % 60)) s; all done in $(((SECONDS - t0) / 60)) min $(((SECONDS - t0) % 60)) s"
(cd "$out" && for f in *.deb *.rpm; do printf 'release:   %-40s %s\n' "$f" "$(du -h "$f" | cut -f1)"; done)
(cd "$out" && sed 's/^/release:   sha256 /' SHA256SUMS)
echo "release: packages and SHA256SUMS in $out"
