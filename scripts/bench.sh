#!/usr/bin/env bash
# `pnpm bench`: runs every bench/*.ts in turn; each prints its own JSON results.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bootstrap.sh
source scripts/bootstrap.sh
warren_bootstrap || exit 1

shopt -s nullglob
benches=(bench/*.ts)
if ((${#benches[@]} == 0)); then
  echo "No benchmarks in bench/."
  exit 0
fi

failed=0
for bench in "${benches[@]}"; do
  echo "=== $bench" >&2
  if ! pnpm exec tsx "$bench"; then
    echo "bench: $bench failed" >&2
    failed=1
  fi
done
exit "$failed"
