#!/usr/bin/env bash
# Make sure the PostgreSQL server binaries (initdb, pg_ctl) are on this machine, for the ledger and
# gateway tests: packages/testkit/src/postgres.ts (@fomo/testkit/postgres) starts a throwaway cluster
# from them (and, under CI=true, fails rather than skips when they are missing). Installs Debian's postgresql with apt-get when
# needed, without creating or starting a system cluster. Nothing to do when DATABASE_URL points at
# a server, or when the binaries are already there.
set -euo pipefail

log() { printf '[ci-postgres] %s\n' "$*" >&2; }
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

have_binaries() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then return 0; fi
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && return 0
  command -v initdb >/dev/null 2>&1
}

case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*) log "DATABASE_URL is set: the tests use that server"; exit 0 ;;
esac
if have_binaries; then
  log "PostgreSQL server binaries found"
  exit 0
fi
require_apt "install PostgreSQL (initdb, pg_ctl), set PG_BIN, or set DATABASE_URL"

# The tests make their own cluster: tell Debian's packaging not to create and start one.
as_root mkdir -p /etc/postgresql-common
if ! grep -qs '^create_main_cluster *= *false' /etc/postgresql-common/createcluster.conf; then
  echo 'create_main_cluster = false' | as_root tee -a /etc/postgresql-common/createcluster.conf >/dev/null
fi

apt_install postgresql

if ! have_binaries; then
  log "postgresql installed but initdb was not found"
  exit 1
fi
log "PostgreSQL server binaries installed: $(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n1)"
