#!/usr/bin/env bash
# `npm run demos [-- <lesson id>...]`: plays the lesson demos (e2e/demos) at a watchable pace,
# with captions, chapters and a cursor, and writes each to .artifacts/demos/<lesson>/:
# video.mp4 (screencast frames encoded by the system's ffmpeg), chapters.vtt, captions.vtt,
# trace.zip and screenshots/. Installs Chromium and ffmpeg (Debian packages) when missing.
#
#   npm run demos                 every lesson
#   npm run demos -- topic rpc    only these lessons
#   npm run demos -- classroom    a live classroom, as a student sees it
#   WARREN_DEMO_PACE=1.5 npm run demos -- topic    slower
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bootstrap.sh
source scripts/bootstrap.sh
warren_bootstrap --with-test-tools || exit 1

warren_ensure_ffmpeg() {
  command -v "${FFMPEG:-ffmpeg}" >/dev/null 2>&1 && return 0
  warren_log "installing ffmpeg (apt-get install)"
  local sudo=()
  [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1 && sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >/dev/null
}
warren_ensure_ffmpeg || { warren_log "could not install ffmpeg; no video can be encoded"; exit 1; }

OUT="$ROOT/.artifacts/demos"
mkdir -p "$OUT"
# Each lesson's demo file is e2e/demos/<number>-<lesson id>.demo.ts; other demos (the
# classroom) are e2e/demos/<name>.demo.ts.
filters=()
for id in "$@"; do
  if compgen -G "e2e/demos/[0-9]*-$id.demo.ts" >/dev/null; then
    filters+=("[0-9]-$id\\.demo\\.ts\$")
  elif [[ -f "e2e/demos/$id.demo.ts" ]]; then
    filters+=("demos/$id\\.demo\\.ts\$")
  else
    warren_log "no demo for lesson \"$id\" (see e2e/demos/)"
    exit 2
  fi
done

# The web app the server serves must be current.
pnpm --filter @warren/web build >/dev/null || exit 1

export WARREN_DEMO_PACE="${WARREN_DEMO_PACE:-1}"
export WARREN_DEMO_DIR="$OUT"
cd e2e && pnpm exec playwright test --project=demos --reporter=list "${filters[@]}"
status=$?
cd "$ROOT"
printf '\n'
for dir in "$OUT"/*/; do
  [[ -f "$dir/video.mp4" ]] || continue
  printf '%s  %s\n' "$(du -h "$dir/video.mp4" | cut -f1)" "${dir#"$ROOT"/}video.mp4"
done
exit $status
