# Shared helpers for the set-up scripts. Sourced, not run.

cargo_target_dir() {
  echo "${CARGO_TARGET_DIR:-target}"
}

# The Rust toolchain cannot be downloaded here (only package registries are reachable), so it must be
# on the machine already: say so plainly if it is not, or if it is older than the newest rust-version a
# crate asks for (the relay's).
require_rust() {
  local needed
  needed="$(sed -n 's/^rust-version = "\(.*\)"/\1/p' crates/careplan-relay/Cargo.toml)"
  if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo が見つかりません。Rust（stable, ${needed} 以降）をインストールしてから実行してください。" >&2
    exit 2
  fi
  local have
  have="$(rustc --version | awk '{print $2}')"
  if [ "$(printf '%s\n%s\n' "$needed" "$have" | sort -V | head -1)" != "$needed" ]; then
    echo "Rust ${have} では古すぎます。Rust（stable, ${needed} 以降）に更新してから実行してください（rustup update stable）。" >&2
    exit 2
  fi
}

# require_debian_packages COMMAND[:PACKAGE]...: installs the Debian package of each missing command.
require_debian_packages() {
  local missing=()
  for spec in "$@"; do
    local command="${spec%%:*}" package="${spec#*:}"
    command -v "$command" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

# Links the binary into ~/.cargo/bin (on PATH wherever Rust is installed with rustup).
install_on_path() {
  local bin="$1" dir="$HOME/.cargo/bin"
  if [ -d "$dir" ]; then
    ln -sf "$(realpath "$bin")" "$dir/$(basename "$bin")"
  fi
}

# require_debian_libraries PACKAGE...: installs the Debian packages (libraries, not commands) not yet
# installed.
require_debian_libraries() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

# What the desktop shell (Tauri 2 on WebKitGTK) needs to build, and Japanese fonts to show its screens.
require_tauri_libraries() {
  require_debian_libraries libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev \
    libjavascriptcoregtk-4.1-dev librsvg2-dev pkg-config fonts-noto-cjk
}

# Node.js and npm, for the UI.
require_node() {
  require_debian_packages node:nodejs npm:npm
}

# Installs the UI's packages exactly as locked and builds ui/dist (type check included), which the
# desktop shell embeds.
build_ui() {
  npm ci --no-audit --no-fund --loglevel=error
  npm run build --workspace ui
}

# What the desktop end-to-end tests and the start-up benchmark drive the app with: Xvfb, WebKit's
# WebDriver and tauri-driver in front of it.
require_desktop_driver() {
  require_debian_packages xvfb-run:xvfb WebKitWebDriver:webkit2gtk-driver
  command -v tauri-driver >/dev/null 2>&1 || [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ] ||
    cargo install tauri-driver --locked
}

# The throwaway SMTP server of the portal's mail tests: aiosmtpd from PyPI in a virtual environment
# kept under /var/tmp (repeated runs reuse it), run by scripts/smtp_capture.py. The tests find its
# Python through CAREPLAN_SMTP_PYTHON.
require_smtp_server() {
  local venv="${CAREPLAN_SMTP_VENV:-/var/tmp/careplan-aiosmtpd}"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    require_debian_packages python3
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'aiosmtpd==1.4.6'
  fi
  export CAREPLAN_SMTP_PYTHON="$venv/bin/python"
}

# What the portal's browser tests drive: Debian's Chromium and its WebDriver.
require_browser_driver() {
  require_debian_packages chromium:chromium chromedriver:chromium-driver
}

# What the tests start and must stop again: the relay, the desktop app and its WebKit processes, the
# WebDriver servers, the throwaway S3 server, schemathesis.
STARTED_BY_TESTS='tauri-driver|WebKitWebDriver|WebKitWebProcess|WebKitNetworkProcess|careplan-desktop|aozora-careplan|careplan-relay serve|moto_server|schemathesis run|chromedriver|chromium|smtp_capture.py|notification_server.py|dbus-daemon --session --nofork'

# The ids of such processes running now, one per line.
processes_started_by_tests() {
  local pid
  for pid in $(pgrep -f "$STARTED_BY_TESTS" || true); do
    # A zombie has ended already: what is left is its parent's bookkeeping (an orphan of a process
    # group the tests killed waits there until init reaps it), not a running process.
    [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ] || echo "$pid"
  done
}

# check_nothing_left_running BEFORE: fails (after killing them) if processes of that kind are running
# that were not in BEFORE, the list taken when the run began.
check_nothing_left_running() {
  local before="$1" left=()
  for pid in $(processes_started_by_tests); do
    grep -qx "$pid" <<<"$before" || left+=("$pid")
  done
  if [ "${#left[@]}" -gt 0 ]; then
    echo "processes the tests started are still running:" >&2
    ps -o pid=,args= -p "$(IFS=,; echo "${left[*]}")" >&2 || true
    kill -9 "${left[@]}" 2>/dev/null || true
    return 1
  fi
}
