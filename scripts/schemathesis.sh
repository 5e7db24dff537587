#!/usr/bin/env bash
# schemathesis.sh: property-based tests of the live API. Seeds a relay with the demo data, serves it
# over mutual TLS on a free local port, logs in as the demo 居宅 (both stages, over the same mutual
# TLS), and runs schemathesis (PyPI, pinned, in a virtual environment kept under /var/tmp like moto's)
# against the document the relay serves: examples, coverage, fuzzing and the stateful phase that
# follows the document's links (login → send → 受信一覧 → データ取得 → 済, drafts). Every check but
# positive_data_acceptance (the standard's rules and the register decide more than the schema can
# say): no 5xx, every answer as documented (status, content type, headers, body schema, `{code,
# message}` errors), invalid data refused, authentication required where it is.
#
# Bounded: SCHEMATHESIS_MAX_EXAMPLES examples per operation (default 25) and SCHEMATHESIS_MAX_TIME
# seconds in all (default 150). The report (JUnit XML and the NDJSON events) is written to
# $CARGO_TARGET_DIR/schemathesis/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

venv="${CAREPLAN_SCHEMATHESIS_VENV:-/var/tmp/careplan-schemathesis}"
if [ ! -x "$venv/bin/schemathesis" ]; then
  require_debian_packages python3
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis==4.32.5'
fi

target="$(cargo_target_dir)"
cargo build --locked -q -p careplan-relay-cli --bin careplan-relay
data="$(mktemp -d /tmp/careplan-schemathesis.XXXXXX)"
report="$target/schemathesis"
mkdir -p "$report"
"$target/debug/careplan-relay" seed-demo --data "$data" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# No rate limit: every request of the run is one office's, far more than a person makes.
CAREPLAN_RATE_PER_MINUTE=0 RUST_LOG=warn "$target/debug/careplan-relay" serve --data "$data" \
  --listen "127.0.0.1:$port" >"$data/relay.log" 2>&1 &
relay=$!
stop() {
  kill "$relay" 2>/dev/null || true
  wait "$relay" 2>/dev/null || true
  rm -rf "$data"
}
trap stop EXIT
for _ in $(seq 200); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
  sleep 0.1
done

# The demo 居宅's certificate and a session of its own (both login stages).
eval "$(python3 scripts/demo_login.py "$data/demo.json" "https://localhost:$port" 1370000018)"

"$venv/bin/schemathesis" run "https://localhost:$port/v1/openapi.json" \
  --tls-verify "$ca" --request-cert "$cert" --request-cert-key "$key" \
  --header "Authorization: Bearer $token" \
  --exclude-path /v1/logout \
  --exclude-path /v1/events \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-25}" --max-time "${SCHEMATHESIS_MAX_TIME:-150}" \
  --seed "${SCHEMATHESIS_SEED:-20261201}" --workers 2 --request-timeout 30 \
  --report junit,ndjson --report-dir "$report"
