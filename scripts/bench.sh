#!/usr/bin/env bash
# `pnpm bench`: runs every bench/*.ts in turn (or those named: `pnpm bench observation canvas`);
# each prints its own JSON results, kept in .artifacts/bench/. Then one table of the headline
# figures is written to bench/results/latest.json and latest.md (the README shows it).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bootstrap.sh
source scripts/bootstrap.sh
warren_bootstrap || exit 1

shopt -s nullglob
benches=()
if (($# > 0)); then
  for name in "$@"; do benches+=("bench/${name%.ts}.ts"); done
else
  for bench in bench/*.ts; do
    [[ $bench == *.test.ts ]] || benches+=("$bench")
  done
fi
if ((${#benches[@]} == 0)); then
  echo "No benchmarks in bench/."
  exit 0
fi

out=.artifacts/bench
# Named benches replace their own results only; the table keeps the others' last figures.
if (($# == 0)); then rm -rf "$out"; fi
mkdir -p "$out"
BENCH_START_LOAD="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)"
export BENCH_START_LOAD
# The web app is served by the canvas bench.
[[ -f apps/web/dist/index.html ]] || pnpm build >/dev/null

failed=0
for bench in "${benches[@]}"; do
  name="$(basename "$bench" .ts)"
  echo "=== $bench" >&2
  started=$SECONDS
  pnpm exec tsx "$bench" | tee "$out/$name.out"
  code=${PIPESTATUS[0]}
  echo "$code $((SECONDS - started))" >"$out/$name.status"
  if ((code != 0)); then
    echo "bench: $bench failed" >&2
    failed=1
  fi
done
pnpm exec tsx bench/lib/write-results.ts "$out"
pnpm exec prettier --log-level warn --write bench/results
exit "$failed"
