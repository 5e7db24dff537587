#!/usr/bin/env bash
# Every test of the project: formatting, lints, unit/property/fixture/CLI tests, and the check that the
# committed fixtures are what fixtures/generate.py writes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

require_rust
require_debian_packages python3 iconv:libc-bin git

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test --locked --workspace
echo "== benchmark builds and runs on a small batch"
cargo test --locked -p careplan-spec --bench validate_throughput
echo "== fixtures are up to date with fixtures/generate.py"
python3 fixtures/generate.py >/dev/null
if [ -n "$(git status --porcelain -- fixtures)" ]; then
  git status --porcelain -- fixtures | head -20
  echo "fixtures/ differs from what fixtures/generate.py writes: run it and commit the result" >&2
  exit 1
fi
echo "all checks passed"
