#!/usr/bin/env bash
# The main job, until the desktop app joins: build `careplan` and `careplan-relay`, validate sample files,
# then start a local relay with demo data and exchange files between two demo offices with `careplan`.
#   bash scripts/run-main.sh            # validation samples, then the exchange
#   bash scripts/run-main.sh PATH...    # validate your own files or folders instead
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

require_rust
require_debian_packages python3
cargo build --release --locked -p careplan-cli -p careplan-relay
bin="$(cargo_target_dir)/release/careplan"
relay_bin="$(cargo_target_dir)/release/careplan-relay"
install_on_path "$bin"
install_on_path "$relay_bin"

if [ "$#" -gt 0 ]; then
  exec "$bin" validate "$@"
fi

show() {
  echo
  echo "\$ careplan $*"
  "$bin" "$@" || echo "(終了コード $?)"
}
show validate fixtures/valid/v41-plan-with-attachments
show validate fixtures/invalid/record.day_grid
show validate fixtures/invalid/csv.encoding.bom
show validate fixtures/invalid/name.unknown_prefix

# A local relay with the demo offices, on a free port, removed afterwards.
demo=$(mktemp -d /tmp/careplan-demo.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$relay_bin" seed-demo --data "$demo" >/dev/null
"$relay_bin" serve --data "$demo" --listen "127.0.0.1:$port" 2>"$demo/relay.log" &
relay=$!
trap 'kill $relay 2>/dev/null; wait $relay 2>/dev/null; rm -rf "$demo"' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

# The demo offices' settings, from demo.json.
office_env() {
  python3 - "$demo/demo.json" "$1" <<'PY'
import json, shlex, sys
info = json.load(open(sys.argv[1]))
office = info["offices"][int(sys.argv[2])]
for key, value in {
    "CAREPLAN_CA": info["ca_certificate"],
    "CAREPLAN_CERT": office["pkcs12"],
    "CAREPLAN_CERT_PASSWORD": office["pkcs12_password"],
    "CAREPLAN_USER": office["personal_user_id"],
    "CAREPLAN_PASSWORD": office["personal_password"],
    "CAREPLAN_OFFICE_USER": office["office_user_id"],
    "CAREPLAN_OFFICE_PASSWORD": office["office_password"],
}.items():
    print(f"export {key}={shlex.quote(value)}")
PY
}
export CAREPLAN_RELAY="https://127.0.0.1:$port" CAREPLAN_TERMINAL="デモ端末"
echo
echo "== 連携基盤（デモ）: $CAREPLAN_RELAY"
echo "== ひだまり居宅介護支援事業所 が 5月分の利用票を送ります"
eval "$(office_env 0)"
show send --to 1370000026 --message "5月分のサービス利用票です。" fixtures/valid/v41-use-sheet
echo
echo "== ひまわりヘルパーステーション が受信して取得します"
eval "$(office_env 1)"
received="$demo/受信データ"
mkdir -p "$received"
show inbox
show fetch --all --to "$received"
echo
echo "== ひだまり居宅介護支援事業所 の送信一覧（ダウンロード状況）"
eval "$(office_env 0)"
show outbox
echo
echo "careplan: $bin"
echo "careplan-relay: $relay_bin"
