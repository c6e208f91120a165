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

# --- Redis Cluster: three primaries on loopback for the Redis store's tests (SESSIONCORE_REDIS_CLUSTER) ------------
# The Redis conformance kit and the multi-node invalidation tests run against it as well as against the single server.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -z "${SESSIONCORE_REDIS_CLUSTER:-}" ]]; then
  cluster_base=
  for candidate in $(seq 7100 3 7190); do
    if port_free "$candidate" && port_free $((candidate + 1)) && port_free $((candidate + 2)) \
      && port_free $((candidate + 10000)) && port_free $((candidate + 10001)) && port_free $((candidate + 10002)); then
      cluster_base=$candidate
      break
    fi
  done
  [[ -n "$cluster_base" ]] || { echo "no free ports for the Redis Cluster"; exit 1; }
  cluster_dir=$(mktemp -d)
  cluster_ports=("$cluster_base" $((cluster_base + 1)) $((cluster_base + 2)))
  log "redis cluster on 127.0.0.1:${cluster_ports[*]}"
  for port in "${cluster_ports[@]}"; do
    mkdir -p "$cluster_dir/$port"
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "$cluster_dir/$port/nodes.conf" \
      --cluster-node-timeout 2000 --save '' --appendonly no --daemonize yes --dir "$cluster_dir/$port" \
      --pidfile "$cluster_dir/$port/redis.pid" --logfile "$cluster_dir/$port/redis.log"
  done
  cluster_stop() {
    for port in "${cluster_ports[@]}"; do
      redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 \
        || { [[ -f "$cluster_dir/$port/redis.pid" ]] && kill "$(cat "$cluster_dir/$port/redis.pid")" 2>/dev/null; } || true
    done
    rm -rf "$cluster_dir"
  }
  ci_on_exit cluster_stop
  for port in "${cluster_ports[@]}"; do
    for _ in $(seq 1 100); do
      [[ "$(redis-cli -p "$port" ping 2>/dev/null)" == "PONG" ]] && break
      sleep 0.1
    done
  done
  redis-cli --cluster create "127.0.0.1:${cluster_ports[0]}" "127.0.0.1:${cluster_ports[1]}" "127.0.0.1:${cluster_ports[2]}" \
    --cluster-replicas 0 --cluster-yes >"$cluster_dir/create.log" 2>&1 \
    || { echo "redis-cli --cluster create failed"; cat "$cluster_dir/create.log"; exit 1; }
  cluster_ok=
  for _ in $(seq 1 300); do
    cluster_ok=yes
    for port in "${cluster_ports[@]}"; do
      redis-cli -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || { cluster_ok=; break; }
    done
    [[ -n "$cluster_ok" ]] && break
    sleep 0.1
  done
  [[ -n "$cluster_ok" ]] || { echo "the Redis Cluster did not reach cluster_state:ok"; redis-cli -p "${cluster_ports[0]}" cluster info; exit 1; }
  export SESSIONCORE_REDIS_CLUSTER="127.0.0.1:${cluster_ports[0]},127.0.0.1:${cluster_ports[1]},127.0.0.1:${cluster_ports[2]}"
fi
