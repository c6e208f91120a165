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

# JavaScript peers (jose and oauth4webapi for JWT and OAuth interoperability, dpop for RFC 9449 proofs,
# playwright-core for browser tests) and Debian's
# Chromium for the browser tests. Nothing downloads a browser of its own.
if ! command -v node >/dev/null 2>&1; then
  apt_install nodejs npm
fi
apt_install chromium
if [[ ! -d tests/js/node_modules/jose || ! -d tests/js/node_modules/oauth4webapi || ! -d tests/js/node_modules/dpop || ! -d tests/js/node_modules/playwright-core ]]; then
  log "npm ci (tests/js)"
  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
fi
export SESSIONCORE_CHROMIUM="${SESSIONCORE_CHROMIUM:-$(command -v chromium || true)}"

# Native AOT links the core-only sample with the platform's C toolchain (NativeAotTests).
apt_install clang zlib1g-dev

# Adds a command to the EXIT trap without dropping what other steps registered.
ci_on_exit() {
  local previous
  previous=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
  # shellcheck disable=SC2064
  trap "${previous:+$previous; }$1" EXIT
}

# --- Redis: a throw-away server for the Redis store's tests (SESSIONCORE_REDIS) ---------------------
# Debian's redis-server also puts redis-server on PATH for the outage test, which runs its own.
apt_install redis-server
if [[ -z "${SESSIONCORE_REDIS:-}" ]]; then
  redis_port=
  for candidate in $(seq 6390 6499); do
    # A refused connection means nothing listens there.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      redis_port=$candidate
      break
    fi
  done
  [[ -n "$redis_port" ]] || { echo "no free port for redis-server"; exit 1; }
  redis_dir=$(mktemp -d)
  log "redis-server on 127.0.0.1:$redis_port"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
  redis_stop() {
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 \
      || { [[ -f "$redis_dir/redis.pid" ]] && kill "$(cat "$redis_dir/redis.pid")" 2>/dev/null; } || true
    rm -rf "$redis_dir"
  }
  ci_on_exit redis_stop
  for _ in $(seq 1 100); do
    [[ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" == "PONG" ]] && break
    sleep 0.1
  done
  [[ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" == "PONG" ]] || { echo "redis-server did not answer"; cat "$redis_dir/redis.log"; exit 1; }
  export SESSIONCORE_REDIS="127.0.0.1:$redis_port"
fi
