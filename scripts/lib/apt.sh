# Sourced by scripts/ci-*.sh, which install the servers the tests start (from Debian, with apt-get)
# when a machine lacks them. The sourcing script defines log().

# as_root CMD ARGS...: CMD as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# require_apt HINT: exit 1 unless apt-get can be run as root here; HINT says what to do instead.
require_apt() {
  if ! command -v apt-get >/dev/null 2>&1; then
    log "no apt-get: $1"
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    log "not root and no sudo, cannot use apt-get: $1"
    exit 1
  fi
}

# apt_install PACKAGE...: quietly, without recommends (sudo drops the environment: pass it to env).
apt_install() {
  log "installing $* with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
