#!/usr/bin/env bash
# Make sure a redis-server binary is on this machine, for the Redis rate-limit tests:
# packages/gateway/test/support/redis.ts starts a throwaway server from it (and, under CI=true,
# fails rather than skips when it is missing). Installs Debian's redis-server with apt-get when
# needed; a system service the package may start is stopped and disabled, the tests run their own.
set -euo pipefail
log() { printf '[ci-redis] %s\n' "$*" >&2; }
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

have_binary() {
  if [ -n "${REDIS_SERVER:-}" ]; then [ -x "$REDIS_SERVER" ]; return; fi
  command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]
}

if have_binary; then
  log "redis-server found"
  exit 0
fi
require_apt "install redis-server, or set REDIS_SERVER to its path"
apt_install redis-server

# On a host with systemd the package starts a server on :6379 that nothing here uses.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  as_root systemctl disable --now redis-server >/dev/null 2>&1 || true
fi

if ! have_binary; then
  log "redis-server installed but not found"
  exit 1
fi
log "redis-server installed: $(redis-server --version | head -n1)"
