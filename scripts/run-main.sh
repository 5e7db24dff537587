#!/usr/bin/env bash
# The main job, for now: build `careplan` and validate the standard's sample files with it.
#   bash scripts/run-main.sh            # a valid plan unit with attachments, then three real-world mistakes
#   bash scripts/run-main.sh PATH...    # validate your own files or folders instead
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

require_rust
cargo build --release --locked -p careplan-cli
bin="$(cargo_target_dir)/release/careplan"
install_on_path "$bin"

if [ "$#" -gt 0 ]; then
  exec "$bin" validate "$@"
fi

show() {
  echo
  echo "\$ careplan validate $*"
  "$bin" validate "$@" || true
}
show fixtures/valid/v41-plan-with-attachments
show fixtures/invalid/record.day_grid
show fixtures/invalid/csv.encoding.bom
show fixtures/invalid/name.unknown_prefix
echo
echo "careplan: $bin"
