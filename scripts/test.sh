#!/usr/bin/env bash
# `npm test`: lint, typecheck, unit and integration tests (vitest), web build, e2e (Playwright),
# then the tests that restart the broker (serial, nothing else running).
# Every stage runs even when an earlier one failed, so each prints its own result; the last line
# is the summary from scripts/summarize-tests.mjs and the exit code is non-zero if any stage failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bootstrap.sh
source scripts/bootstrap.sh
warren_bootstrap --with-test-tools || exit 1

ARTIFACTS="$ROOT/.artifacts"
mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS/vitest.json" "$ARTIFACTS/playwright.json"
# Read by Playwright's json reporter when its config gives no outputFile.
export PLAYWRIGHT_JSON_OUTPUT_FILE="$ARTIFACTS/playwright.json"

declare -a results=()
declare -a failed_stages=()

stage() {
  local name=$1
  shift
  printf '\n=== %s: %s\n' "$name" "$*"
  local started=$SECONDS
  if "$@"; then
    results+=("$name: ok ($((SECONDS - started)) s)")
  else
    local status=$?
    results+=("$name: FAILED with exit code $status ($((SECONDS - started)) s)")
    failed_stages+=("$name")
  fi
}

# Lint and typecheck each keep one core busy: side by side, typecheck's output printed after lint's.
typecheck_log="$(mktemp)"
pnpm typecheck >"$typecheck_log" 2>&1 &
typecheck_pid=$!
stage lint pnpm lint
typecheck_result() {
  local status=0
  wait "$typecheck_pid" || status=$?
  cat "$typecheck_log"
  rm -f "$typecheck_log"
  return "$status"
}
stage typecheck typecheck_result
# docker-compose.yml parses and resolves, with and without the `scale` profile; no engine needed.
stage compose bash -c 'docker-compose config --quiet && docker-compose --profile scale config --quiet'
stage vitest pnpm exec vitest run
stage build pnpm --filter @warren/web build
stage playwright pnpm --filter @warren/e2e test
# Restarts the broker (rabbitmqctl stop_app, start_app), so it runs alone after every other stage.
# Its own reporter, so the vitest stage's JSON report stays as it was written.
stage broker-restart env WARREN_BROKER_RESTART_TESTS=1 pnpm exec vitest run --project server \
  --reporter=default test/broker-restart/

printf '\n=== summary\n'
printf '%s\n' "${results[@]}"

# A failed stage counts as one failed test unless its own report already shows a failure.
summary_args=()
for name in "${failed_stages[@]}"; do summary_args+=(--failed-stage "$name"); done
node scripts/summarize-tests.mjs \
  --vitest "$ARTIFACTS/vitest.json" \
  --playwright "$ARTIFACTS/playwright.json" \
  "${summary_args[@]}"
summary_status=$?

if ((${#failed_stages[@]} > 0 || summary_status != 0)); then exit 1; fi
exit 0
