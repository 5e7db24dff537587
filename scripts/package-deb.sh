#!/usr/bin/env bash
# The .deb of the default theme, as a user would get it: built in release mode by the Tauri CLI,
# inspected, installed on this machine with dpkg, started under Xvfb through WebDriver against a
# demo relay, and removed again. (The MSI needs Windows: .github/workflows/windows-msi.yml.)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

require_rust
require_tauri_libraries
require_node
require_desktop_driver
[ -x node_modules/.bin/tauri ] || npm ci --no-audit --no-fund --loglevel=error

target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
package=careplan-exchange

echo "== the .deb: tauri build --bundles deb (release)"
rm -rf "$target_dir/release/bundle/deb"
npx tauri build --bundles deb
deb=$(ls "$target_dir"/release/bundle/deb/*.deb)
echo "built $deb ($(du -h "$deb" | cut -f1))"

echo "== the .deb: what it holds"
[ "$(dpkg-deb -f "$deb" Package)" = "$package" ] || { echo "the package is not named $package" >&2; exit 1; }
dpkg-deb -f "$deb" Package Version Architecture Depends
contents=$(dpkg-deb -c "$deb")
for path in usr/bin/careplan-desktop usr/share/applications/$package.desktop \
  usr/share/icons/hicolor/128x128/apps/careplan-desktop.png; do
  grep -q " $path\$" <<<"$contents" || { echo "$path is not in the package" >&2; exit 1; }
done

echo "== the .deb: dpkg -i, start, dpkg -r"
dpkg -i "$deb"
trap 'dpkg -r "$package" >/dev/null' EXIT
grep -q '^Name=ケアプランデータ連携$' "/usr/share/applications/$package.desktop"
CAREPLAN_INSTALLED_APP=/usr/bin/careplan-desktop xvfb-run -a -s "-screen 0 1366x768x24" \
  cargo test --locked -p careplan-desktop-e2e --test package -- --ignored
