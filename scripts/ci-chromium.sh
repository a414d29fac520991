#!/usr/bin/env bash
# Make sure Debian's chromium is on this machine, for the web app's browser tests (apps/web/e2e, driven
# by playwright-core through apps/web/e2e/browser.ts, which looks for /usr/bin/chromium or
# FOMO_CHROMIUM). Installs Debian's `chromium` with apt-get when it is missing; never
# `playwright install` (no browser download from anywhere but the distribution). Under CI=true
# `./fomo test` fails when chromium is missing; elsewhere the browser tests are skipped with one line.
set -euo pipefail

log() { printf '[ci-chromium] %s\n' "$*" >&2; }
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

CHROMIUM="${FOMO_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  log "chromium found: $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if [ -n "${FOMO_CHROMIUM:-}" ]; then
  log "FOMO_CHROMIUM=$FOMO_CHROMIUM is not an executable"
  exit 1
fi
require_apt "install Debian's chromium, or set FOMO_CHROMIUM to a Chromium binary"
apt_install chromium
if [ ! -x /usr/bin/chromium ]; then
  log "chromium installed but /usr/bin/chromium was not found"
  exit 1
fi
log "chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
