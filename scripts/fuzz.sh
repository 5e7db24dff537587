#!/usr/bin/env bash
# fuzz.sh [SECONDS]: coverage-guided fuzzing (cargo-fuzz, libFuzzer) of what reads untrusted bytes:
# csv_reader (the standard's CSV reader and validator), file_name (the name parser, the Windows rule,
# the saved name, the relay's name check) and multipart_intake (the relay's upload intake). Built
# without a sanitizer (`-s none`), so that stable Rust builds it. Each target runs SECONDS (default
# 30) from the committed seeds (fuzz/corpus/<target>/seed-*) on a working copy of the corpus; a crash
# stops the run with the input in fuzz/artifacts/<target>/, to be turned into a regression test.
# A longer run: `bash scripts/fuzz.sh 3600`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_rust
if ! command -v cargo-fuzz >/dev/null 2>&1 && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo-fuzz" ]; then
  cargo install cargo-fuzz --locked
fi
seconds="${1:-30}"
cd fuzz
cargo fuzz build -s none
for target in csv_reader file_name multipart_intake; do
  work="$(mktemp -d /tmp/careplan-fuzz-$target.XXXXXX)"
  log="$work.log"
  status=0
  cargo fuzz run -s none "$target" "$work" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1 || status=$?
  executions=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  echo "fuzz $target: ${executions:-?} executions in ${seconds} s, ${coverage:-cov: ?}, corpus $(ls "$work" | wc -l) inputs"
  if [ "$status" -ne 0 ]; then
    tail -40 "$log" >&2
    echo "fuzz $target found a crash: see fuzz/artifacts/$target/ and make it a regression test" >&2
    rm -rf "$work"
    exit 1
  fi
  rm -rf "$work" "$log"
done
