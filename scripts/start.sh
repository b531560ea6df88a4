#!/usr/bin/env bash
# `npm start`: prepare the machine, build the web app, run the server (web app + API + websocket).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bootstrap.sh
source scripts/bootstrap.sh
warren_bootstrap

pnpm --filter @warren/web build

host=${HOST:-127.0.0.1}
case "$host" in 0.0.0.0 | :: | '[::]') host=localhost ;; esac
echo
echo "Warren: http://$host:${PORT:-8080}"
echo
exec pnpm --filter @warren/server start
