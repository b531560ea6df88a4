#!/usr/bin/env bash
# Gets a machine ready to run Warren: pnpm, the workspace's dependencies and, when AMQP_URL
# points at this machine, a running RabbitMQ with the plugins Warren needs.
# Idempotent and quiet once everything is in place.
#
#   bash scripts/bootstrap.sh [--with-test-tools]
#   source scripts/bootstrap.sh && warren_bootstrap [--with-test-tools]   (keeps PATH changes)

WARREN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WARREN_PLUGINS=(rabbitmq_management rabbitmq_consistent_hash_exchange rabbitmq_event_exchange)

warren_log() { printf '[bootstrap] %s\n' "$*" >&2; }

# True when something accepts TCP connections on host:port.
warren_port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# Waits up to $3 seconds for host:port to accept connections.
warren_wait_port() {
  local host=$1 port=$2 seconds=$3 i
  for ((i = 0; i < seconds; i++)); do
    warren_port_open "$host" "$port" && return 0
    sleep 1
  done
  warren_port_open "$host" "$port"
}

warren_ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1; then return 0; fi
  # npm's global bin directory may be missing from PATH (a custom prefix, a fresh shell).
  local prefix
  prefix="$(npm prefix -g 2>/dev/null)"
  case ":$PATH:" in *":$prefix/bin:"*) ;; *) PATH="$prefix/bin:$PATH" && export PATH ;; esac
  if command -v pnpm >/dev/null 2>&1; then return 0; fi
  warren_log "installing pnpm 10 (npm install -g pnpm@10)"
  npm install -g pnpm@10 --no-fund --no-audit --loglevel=error || return 1
  command -v pnpm >/dev/null 2>&1
}

# Skips the install when node_modules already matches the lockfile and every package.json.
warren_deps_current() {
  local stamp="$WARREN_ROOT/node_modules/.modules.yaml"
  [[ -f "$stamp" && -f "$WARREN_ROOT/node_modules/.pnpm/lock.yaml" ]] || return 1
  cmp -s "$WARREN_ROOT/pnpm-lock.yaml" "$WARREN_ROOT/node_modules/.pnpm/lock.yaml" || return 1
  local newer
  newer="$(find "$WARREN_ROOT" -name package.json -not -path '*/node_modules/*' \
    -newer "$stamp" -print -quit 2>/dev/null)"
  [[ -z "$newer" ]]
}

warren_ensure_deps() {
  if warren_deps_current; then return 0; fi
  warren_log "installing dependencies (pnpm install --frozen-lockfile)"
  (cd "$WARREN_ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 pnpm install --frozen-lockfile \
    --config.confirmModulesPurge=false)
}

# Prints "host port" of an amqp:// or amqps:// URL.
warren_amqp_endpoint() {
  local url=$1 rest host port
  rest="${url#*://}"
  rest="${rest##*@}"
  rest="${rest%%/*}"
  rest="${rest%%\?*}"
  if [[ "$rest" == \[*\]* ]]; then
    host="${rest%%]*}]"
    port="${rest#"$host"}"
    port="${port#:}"
  else
    host="${rest%%:*}"
    port="${rest#"$host"}"
    port="${port#:}"
  fi
  if [[ -z "$port" ]]; then
    if [[ "$url" == amqps://* ]]; then port=5671; else port=5672; fi
  fi
  printf '%s %s\n' "$host" "$port"
}

warren_plugins_enabled() {
  local file=${RABBITMQ_ENABLED_PLUGINS_FILE:-/etc/rabbitmq/enabled_plugins} plugin
  [[ -r "$file" ]] || return 1
  for plugin in "${WARREN_PLUGINS[@]}"; do
    grep -q "\b$plugin\b" "$file" || return 1
  done
}

# Starts the local RabbitMQ (a Debian package install) and enables Warren's plugins. A broker
# elsewhere is left alone: Warren reports plainly when it cannot reach it.
warren_ensure_broker() {
  local url=${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672} host port
  read -r host port < <(warren_amqp_endpoint "$url")
  case "$host" in
    localhost | 127.0.0.1 | '[::1]') ;;
    *) return 0 ;;
  esac
  local plugins_cmd
  plugins_cmd="$(command -v rabbitmq-plugins || true)"
  [[ -z "$plugins_cmd" && -x /usr/sbin/rabbitmq-plugins ]] && plugins_cmd=/usr/sbin/rabbitmq-plugins
  if [[ -z "$plugins_cmd" ]]; then
    warren_port_open 127.0.0.1 "$port" ||
      warren_log "no RabbitMQ at $host:$port and none installed here; see README (docker compose up)"
    return 0
  fi
  local sbin
  sbin="$(dirname "$plugins_cmd")"

  if ! warren_port_open 127.0.0.1 "$port"; then
    warren_log "starting RabbitMQ (rabbitmq-server -detached)"
    "$sbin/rabbitmq-server" -detached >/dev/null 2>&1 || true
    if ! warren_wait_port 127.0.0.1 "$port" 60; then
      warren_log "RabbitMQ did not open port $port within 60 s"
      return 1
    fi
  fi

  if ! warren_plugins_enabled || ! warren_port_open 127.0.0.1 15672; then
    warren_log "enabling ${WARREN_PLUGINS[*]}"
    local out
    if ! out="$("$plugins_cmd" enable "${WARREN_PLUGINS[@]}" 2>&1)"; then
      printf '%s\n' "$out" >&2
      warren_log "could not enable the RabbitMQ plugins"
      return 1
    fi
    if ! warren_wait_port 127.0.0.1 15672 60; then
      warren_log "the management API did not open port 15672 within 60 s"
      return 1
    fi
  fi
}

# Installs Debian packages the tests need and the machine lacks: Chromium for the e2e tests,
# pika for running the Python code Warren exports.
warren_ensure_test_tools() {
  local packages=()
  [[ -x /usr/bin/chromium ]] || packages+=(chromium)
  /usr/bin/python3 -c 'import pika' >/dev/null 2>&1 || packages+=(python3-pika)
  # Validates docker-compose.yml without a Docker engine (`docker-compose config`).
  command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)
  ((${#packages[@]} == 0)) && return 0
  warren_log "installing ${packages[*]} (apt-get install)"
  local sudo=()
  [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1 && sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
}

# The saved-diagrams tests run on PostgreSQL too (TEST_POSTGRES_URL, default this machine's at
# 127.0.0.1:5432): starts the local cluster of a Debian install when it is not running.
warren_ensure_postgres() {
  [[ -n "${TEST_POSTGRES_URL:-}" ]] && return 0
  warren_port_open 127.0.0.1 5432 && return 0
  command -v pg_ctlcluster >/dev/null 2>&1 || {
    warren_log "no PostgreSQL at 127.0.0.1:5432; the PostgreSQL store tests will fail"
    return 0
  }
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
  [[ -n "$version" ]] || return 0
  warren_log "starting PostgreSQL $version (pg_ctlcluster)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  warren_wait_port 127.0.0.1 5432 30 || warren_log "PostgreSQL did not open port 5432 within 30 s"
}

# Returns non-zero only when Warren cannot run at all (no pnpm, no dependencies). A broker or
# browser problem is reported and left for the tests to show.
warren_bootstrap() {
  local with_test_tools=0 arg
  for arg in "$@"; do
    case "$arg" in
      --with-test-tools | --with-chromium) with_test_tools=1 ;;
      *) warren_log "unknown option $arg" && return 2 ;;
    esac
  done
  warren_ensure_pnpm || { warren_log "could not install pnpm"; return 1; }
  warren_ensure_deps || { warren_log "pnpm install failed"; return 1; }
  warren_ensure_broker || warren_log "continuing without a ready local broker"
  if ((with_test_tools)); then
    warren_ensure_test_tools || warren_log "could not install the test tools; some tests will fail"
    warren_ensure_postgres
  fi
  return 0
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  warren_bootstrap "$@"
fi
