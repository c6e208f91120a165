# Sourced by .ci/run: installs and starts what the test suites need on a fresh machine.
# Each step is idempotent, so a developer can source it too.

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    log "apt-get install ${missing[*]}"
    if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# JavaScript peers (jose for JWT interoperability, playwright-core for browser tests) and Debian's
# Chromium for the browser tests. Nothing downloads a browser of its own.
if ! command -v node >/dev/null 2>&1; then
  apt_install nodejs npm
fi
apt_install chromium
if [[ ! -d tests/js/node_modules/jose || ! -d tests/js/node_modules/playwright-core ]]; then
  log "npm ci (tests/js)"
  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
fi
export SESSIONCORE_CHROMIUM="${SESSIONCORE_CHROMIUM:-$(command -v chromium || true)}"
