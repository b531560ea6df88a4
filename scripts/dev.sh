#!/usr/bin/env bash
# `pnpm dev`: the server in watch mode and the Vite dev server, stopped together with Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bootstrap.sh
source scripts/bootstrap.sh
warren_bootstrap

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

# Each in its own process group, so stopping one stops its watchers and children too.
set -m
pnpm --filter @warren/server dev &
pids+=($!)
pnpm --filter @warren/web dev &
pids+=($!)
set +m

# When either exits, stop the other.
wait -n
