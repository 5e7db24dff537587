#!/usr/bin/env bash
# with-s3.sh COMMAND...: runs COMMAND with a throwaway S3-compatible server (moto, from PyPI, in a
# virtual environment kept under /var/tmp so repeated runs reuse it) on a free local port. Exports the
# AWS_* variables the relay's S3 blob store reads and BLOB_STORE_URL, the bucket the tests
# use; the server is stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

venv="${CAREPLAN_MOTO_VENV:-/var/tmp/careplan-moto}"
if [ ! -x "$venv/bin/moto_server" ]; then
  require_debian_packages python3 curl
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'moto[server]==5.2.5'
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp /tmp/careplan-moto.XXXXXX)
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
server=$!
stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$log"
}
trap stop EXIT
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done
curl -sf -X PUT -o /dev/null "http://127.0.0.1:$port/careplan-test"

export AWS_ENDPOINT="http://127.0.0.1:$port"
export AWS_ALLOW_HTTP=true
export AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=careplan-test
export AWS_SECRET_ACCESS_KEY=careplan-test
export BLOB_STORE_URL="s3://careplan-test"
echo "S3 (moto $("$venv/bin/pip" show moto | awk '/^Version/ {print $2}')) on port $port"
"$@"
