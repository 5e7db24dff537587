#!/usr/bin/env bash
# The main job: a local relay with the demo offices, and the desktop app already set up for it.
#   bash scripts/run-main.sh            # with a display: the desktop app; without one: the same exchange
#                                       # driven by the careplan command line
#   bash scripts/run-main.sh PATH...    # only validate your own files or folders
# Everything runs from a temporary folder; closing the app (or Ctrl+C) stops the relay and removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

require_rust
require_debian_packages python3
cargo build --release --locked -p careplan-cli -p careplan-relay-cli
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

# A local relay with the demo offices, on a free port.
demo=$(mktemp -d /tmp/careplan-demo.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
portal_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$relay_bin" seed-demo --data "$demo" >/dev/null
# The portal (利用状況Webサイト) on a second listener; its mail (セキュリティメール) goes into a folder.
"$relay_bin" serve --data "$demo" --listen "127.0.0.1:$port" --portal-listen "127.0.0.1:$portal_port" \
  --mail-dir "$demo/mail" 2>"$demo/relay.log" &
relay=$!
# Every step may fail here (the relay is already gone, say) without stopping the clean-up.
trap 'kill $relay 2>/dev/null || true; wait $relay 2>/dev/null || true; rm -rf "$demo"' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
relay_url="https://127.0.0.1:$port"
portal_url="https://localhost:$portal_port/"

# Reads demo.json: a demo office's settings, as shell exports or as the desktop app's settings.json.
demo_office() {
  python3 - "$demo/demo.json" "$@" <<'PY'
import json, shlex, sys
info = json.load(open(sys.argv[1]))
office = info["offices"][int(sys.argv[2])]
if sys.argv[3] == "env":
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
else:
    # The PEM certificate needs no password in the keyring; the IDs are filled in, not the passwords.
    print(json.dumps({
        "relay_url": sys.argv[4],
        "ca_certificate": info["ca_certificate"],
        "certificate": office["certificate"],
        "terminal_name": "デモ端末",
        "save_folder": sys.argv[5],
        "personal_id": office["personal_user_id"],
        "office_user_id": office["office_user_id"],
    }, ensure_ascii=False))
PY
}

newcomer() {
  python3 - "$demo/demo.json" <<'PY'
import json, sys
n = json.load(open(sys.argv[1]))["newcomer"]
print(f"   事業所ユーザID {n['office_user_id']}（{n['name']}、事業所番号 {n['number']}）")
print(f"   仮パスワード {n['temporary_password']}、証明書発行用パスワード {n['issuance_password']}")
PY
}

export CAREPLAN_RELAY="$relay_url" CAREPLAN_TERMINAL="デモ端末"
echo "== 連携基盤（デモ）: $relay_url"
echo "== 利用状況Webサイト（デモ）: $portal_url （ブラウザで開き、証明書の警告はデモの認証局のため続行してください）"
echo "   まだ利用申請していない事業所で、ログインから利用開始まで試せます:"
newcomer
echo "   セキュリティメールの確認コードは $demo/mail に .eml ファイルで届きます。"
echo "   認証局の証明書（アプリの設定で使います）: $demo/pki/ca.pem"
echo "== ひだまり居宅介護支援事業所 が 5月分の利用票を送ります"
eval "$(demo_office 0 env)"
show send --to 1370000026 --message "5月分のサービス利用票です。" fixtures/valid/v41-use-sheet

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  require_tauri_libraries
  require_node
  build_ui
  cargo build --release --locked -p careplan-desktop
  app_home="$demo/app"
  mkdir -p "$app_home/config" "$demo/受信データ"
  demo_office 1 settings "$relay_url" "$demo/受信データ" >"$app_home/config/settings.json"
  cat <<TEXT

== デスクトップアプリを起動します（ひまわりヘルパーステーションの設定済み）
   個人ユーザID c1370000026a と 事業所ユーザID KJ137000002601 は入力済みです。
   パスワードはどちらも demo-pass-2025 です。
   受信一覧で「データ取得」を押すと、$demo/受信データ に保存できます。
   利用状況Webサイトで利用を始めた事業所として送るには: 電子証明書の画面で .p12 を受け取り、
   アプリの「設定」でその証明書を取り込み（連携基盤の URL はそのまま）、発行した個人ユーザIDと
   事業所ユーザIDでログインし直してください。
   アプリを閉じると、デモの連携基盤も止まり、デモのデータは消えます。
TEXT
  CAREPLAN_APP_HOME="$app_home" "$(cargo_target_dir)/release/careplan-desktop"
else
  echo
  echo "== 画面がないため、デスクトップアプリの代わりに careplan で受信します"
  echo "== ひまわりヘルパーステーション が受信して取得します"
  eval "$(demo_office 1 env)"
  received="$demo/受信データ"
  mkdir -p "$received"
  show inbox
  show fetch --all --to "$received"
  echo
  echo "== ひだまり居宅介護支援事業所 の送信一覧（ダウンロード状況）"
  eval "$(demo_office 0 env)"
  show outbox
fi
echo
echo "careplan: $bin"
echo "careplan-relay: $relay_bin"
