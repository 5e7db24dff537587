#!/usr/bin/env bash
# The desktop app's start-up to the login screen and its idle memory, next to a bare Tauri window
# (tests/desktop/bare-window) built with the same profile on the same machine; then 帳票ビュー and
# 予実突合 from drop to drawn, next to the validator over the same bytes. Prints the figures.
#
#   scripts/bench-desktop.sh            release builds, 5 runs each, warm page cache
#   scripts/bench-desktop.sh --cold     the same with the page cache dropped before each run (root)
#   scripts/bench-desktop.sh --quick    debug builds, one short run: only shows that the bench works
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

profile=release runs=5 idle=5 people=500 extra=()
for arg in "$@"; do
  case "$arg" in
    --quick) profile=dev runs=1 idle=1 people=20 ;;
    --cold) extra+=(--cold) ;;
    *) echo "usage: $0 [--quick] [--cold]" >&2; exit 2 ;;
  esac
done

require_rust
require_tauri_libraries
require_node
require_desktop_driver
[ -f ui/dist/index.html ] || build_ui

cargo build --locked --profile "$profile" -p careplan-desktop -p careplan-bare-window
cargo build --locked --profile "$profile" -p careplan-desktop-e2e --bin desktop-startup --bin desktop-forms
dir="$(cargo_target_dir)/$([ "$profile" = dev ] && echo debug || echo "$profile")"
xvfb-run -a -s "-screen 0 1366x768x24" "$dir/desktop-startup" \
  --app "$dir/careplan-desktop" --bare "$dir/careplan-bare-window" \
  --runs "$runs" --idle-seconds "$idle" ${extra[@]+"${extra[@]}"}
xvfb-run -a -s "-screen 0 1366x768x24" "$dir/desktop-forms" --app "$dir/careplan-desktop" --runs "$runs" --people "$people"
