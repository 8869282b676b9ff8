# shellcheck shell=bash
# Shared by the service scripts (sourced, not run). Each script defines log() before sourcing this.

# apt_install LOGFILE PACKAGE...: installs Debian packages non-interactively, as root or through password-less sudo;
# refreshes the package index only when the first attempt fails (a fresh machine has none).
apt_install() {
  local logfile=$1; shift
  [ $# -gt 0 ] || return 0
  log "installing $*"
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
  [ "$(id -u)" -eq 0 ] || apt=(sudo -n "${apt[@]}")
  if ! "${apt[@]}" install -y --no-install-recommends "$@" >"$logfile" 2>&1; then
    "${apt[@]}" update >>"$logfile" 2>&1
    "${apt[@]}" install -y --no-install-recommends "$@" >>"$logfile" 2>&1 || { log "apt-get install failed, see $logfile"; exit 1; }
  fi
}

# pidfile_running PIDFILE: true when the process the file names is alive.
pidfile_running() {
  local pid
  [ -s "$1" ] && pid="$(cat "$1" 2>/dev/null)" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# pidfile_stop PIDFILE SECONDS: SIGTERM, then SIGKILL if still alive after SECONDS; removes the pid file.
pidfile_stop() {
  local pidfile=$1 seconds=$2 pid
  if ! pidfile_running "$pidfile"; then rm -f "$pidfile"; log "not running"; return 0; fi
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq $((seconds * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "pid $pid did not stop on TERM; sending KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"
  log "stopped"
}

# tcp_listening HOST PORT: true when something listens (ss avoids connecting, so no TLS handshake noise).
tcp_listening() {
  if command -v ss >/dev/null 2>&1; then ss -H -tln "sport = :$2" 2>/dev/null | grep -q .
  else (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; fi
}
