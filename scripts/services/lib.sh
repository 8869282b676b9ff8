# shellcheck shell=bash
# Shared by the service scripts (sourced, not run). Each script defines log() before sourcing this.

# apt_install LOGFILE PACKAGE...: installs Debian packages non-interactively, as root or through password-less sudo;
# refreshes the package index only when the first attempt fails (a fresh machine has none). Waits for dpkg's lock
# (the test suite's setup runs several scripts at once, and more than one may install packages).
apt_install() {
  local logfile=$1; shift
  [ $# -gt 0 ] || return 0
  log "installing $*"
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
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

# Maven: one version of the dependency plugin for every script (Maven 3.8's default, 2.8, would be a second plugin tree
# to download), and one Maven run at a time: Maven 3.8 does not lock its local repository (~/.m2), and the test
# suite's setup installs several services at once. Resolving is a few seconds per service on a fast network.
SECLOG_DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

# maven_fetch POM_DIR LIB_DIR LOGFILE: resolves the runtime dependencies of POM_DIR/pom.xml from Maven Central into
# Maven's local repository (~/.m2) and puts each jar into LIB_DIR as a hard link to the repository's file (a copy when
# the two are on different file systems), so that a jar is stored on disk once. LIB_DIR should be beside the install
# directory (same file system). Returns non-zero when Maven fails (its output is in LOGFILE).
maven_fetch() {
  local dir=$1 lib=$2 logfile=$3 jar
  local lock="${SECLOG_CACHE:-${HOME:-/tmp}/.cache/seclog}/.maven.lock"
  mkdir -p "$(dirname "$lock")" "$lib"
  (
    flock -w 900 7 || { echo "timed out waiting for $lock" >&2; exit 1; }
    cd "$dir" && mvn -B -q "$SECLOG_DEPENDENCY_PLUGIN:build-classpath" -DincludeScope=runtime -Dmdep.outputFile="$dir/classpath.txt"
  ) 7>"$lock" >"$logfile" 2>&1 || return 1
  [ -s "$dir/classpath.txt" ] || { echo "no classpath written" >>"$logfile"; return 1; }
  # (The file has no final newline: `|| [ -n "$jar" ]` reads its last entry.)
  tr ':' '\n' <"$dir/classpath.txt" | while IFS= read -r jar || [ -n "$jar" ]; do
    [ -n "$jar" ] || continue
    ln -f "$jar" "$lib/" 2>/dev/null || cp -f "$jar" "$lib/" || exit 1
  done
}
