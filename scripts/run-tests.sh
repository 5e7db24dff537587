#!/usr/bin/env bash
# Every test of the project: formatting, lints, unit/property/fixture/CLI/relay/portal tests (the relay's on
# SQLite, again on a throwaway PostgreSQL, and its blob storage on a throwaway S3), schemathesis against
# the live relay, fuzzing, and the checks that generated files (fixtures, TypeScript bindings, the
# OpenAPI document) are committed as their generators write them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

require_rust
require_debian_packages python3 iconv:libc-bin git openssl chattr:e2fsprogs
require_tauri_libraries
require_node
require_desktop_driver
# A session bus and a notification server for the desktop's notifications (scripts/notification_server.py).
require_debian_packages dbus-daemon:dbus dbus-send:dbus
require_debian_libraries python3-dbus python3-gi
require_browser_driver
require_smtp_server
require_debian_packages xwininfo:x11-utils pdfinfo:poppler-utils
already_running="$(processes_started_by_tests)"

echo "== UI: install, type check, build (the desktop shell embeds ui/dist), lint, screen and theme tests"
build_ui
npm run lint --workspace ui
npm run test --workspace ui
echo "== 印刷: the forms printed to PDF by Chromium with the app's print styles (pages, A4 orientation, page breaks)"
npm run test:print --workspace ui

echo "== a vendor's build: the sample theme (tauri build --config ui/themes/aozora/tauri.conf.json)"
vendor_app="$(cargo_target_dir)/vendor/aozora-careplan"
npx tauri build --debug --no-bundle \
  --config ui/themes/aozora/tauri.conf.json --config ui/themes/aozora/tauri.linux.conf.json
mkdir -p "$(dirname "$vendor_app")"
mv "$(cargo_target_dir)/debug/aozora-careplan" "$vendor_app"
# Everything below uses the default theme again.
npm run build --workspace ui

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test --locked --workspace
echo "== the desktop app end to end: WebDriver (tauri-driver, WebKitWebDriver) under Xvfb, real relay"
CAREPLAN_VENDOR_APP="$vendor_app" xvfb-run -a -s "-screen 0 1366x768x24" \
  cargo test --locked -p careplan-desktop-e2e -- --ignored --skip installed_deb
echo "== the office portal in headless Chromium (chromedriver, axe-core on every page) and its mail through a real SMTP server (aiosmtpd)"
cargo test --locked -p careplan-portal -- --ignored
echo "== the .deb of the default theme: build, install, start, remove"
bash scripts/package-deb.sh
echo "== relay tests again, on PostgreSQL"
bash scripts/with-postgres.sh cargo test --locked -p careplan-relay -p careplan-relay-cli -p careplan-portal --tests
echo "== the live API against its OpenAPI document: schemathesis over mutual TLS, seeded relay, bounded"
bash scripts/schemathesis.sh
echo "== fuzzing: the CSV reader, the file-name rules, the multipart intake (cargo-fuzz, 30 s each)"
bash scripts/fuzz.sh 30
echo "== relay blob storage and exchange tests again, on S3 (moto)"
bash scripts/with-s3.sh cargo test --locked -p careplan-relay --lib --test exchange --test bulk --test drafts --test purge \
  -- --include-ignored
echo "== TypeScript bindings and the forms' screen-test data are up to date (ts-rs: the API's types, the desktop commands' own, the standard's records; open_files and reconcile_files over fixtures)"
# Written afresh, so that a binding whose Rust type is gone shows as deleted.
rm -f ui/src/bindings/*.ts ui/src/bindings/records/*.ts ui/src/forms/fixtures/*.json
cargo test --locked -p careplan-api -p careplan-desktop -p careplan-records --lib -- export_bindings form_fixtures >/dev/null
if [ -n "$(git status --porcelain -- ui/src/bindings ui/src/forms/fixtures)" ]; then
  git status --porcelain -- ui/src/bindings ui/src/forms/fixtures | head -20
  echo "ui/src/bindings or ui/src/forms/fixtures differs from what the Rust side writes: run cargo test -p careplan-api -p careplan-desktop -p careplan-records --lib, and commit the result" >&2
  exit 1
fi
echo "== benchmarks build and run on a small scale"
cargo test --locked -p careplan-spec --bench validate_throughput
cargo test --locked -p careplan-records --bench records_throughput
cargo test --locked -p careplan-relay-cli --bench relay_throughput
cargo test --locked -p careplan-relay-cli --bench feed_idle
cargo test --locked -p careplan-relay-cli --bench records_lifecycle
bash scripts/bench-desktop.sh --quick
echo "== fixtures are up to date with fixtures/generate.py"
python3 fixtures/generate.py >/dev/null
if [ -n "$(git status --porcelain -- fixtures)" ]; then
  git status --porcelain -- fixtures | head -20
  echo "fixtures/ differs from what fixtures/generate.py writes: run it and commit the result" >&2
  exit 1
fi
echo "== nothing the tests started is still running"
check_nothing_left_running "$already_running"
echo "all checks passed"
