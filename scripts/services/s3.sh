#!/usr/bin/env bash
# Local S3-compatible object store for seclog's S3 sink tests: S3Proxy
# (org.gaul:s3proxy from Maven Central) with its on-disk "filesystem" backend.
#
#   scripts/services/s3.sh install   fetch the S3Proxy jar into the cache (idempotent)
#   scripts/services/s3.sh start     install if needed, start in the background, wait until ready,
#                                    then print S3_ENDPOINT / S3_ACCESS_KEY / S3_SECRET_KEY
#   scripts/services/s3.sh stop      SIGTERM, then SIGKILL after 20 s
#   scripts/services/s3.sh restart   stop + start (data kept)
#   scripts/services/s3.sh reset     stop + delete the stored data
#   scripts/services/s3.sh status    exit 0 when running, 3 when not
#
# Environment:
#   SECLOG_CACHE        install cache        (default $HOME/.cache/seclog)
#   SECLOG_RUN_DIR      pid, log, config     (default /tmp/seclog-services); data in $SECLOG_RUN_DIR/s3
#   S3_PORT             listen port on 127.0.0.1 (default 19000)
#   S3_ACCESS_KEY       access key id        (default seclog)
#   S3_SECRET_KEY       secret access key    (default seclog-secret-key)
#   S3PROXY_VERSION     S3Proxy version      (default 4.1.0; needs Java 17+)
#   S3_START_TIMEOUT    readiness timeout, s (default 60)
#   S3_JAVA_OPTS        JVM options          (default -Xms64m -Xmx1g -XX:+UseSerialGC)
#
# Clients must use path-style addressing (AWS SDK v3: forcePathStyle: true) and
# region us-east-1; SigV2 and SigV4 (incl. aws-chunked/trailing checksums) are accepted.
set -euo pipefail

TOOL=s3proxy
VERSION="${S3PROXY_VERSION:-4.1.0}"
ARTIFACT="org.gaul:s3proxy:${VERSION}:jar:jar-with-dependencies"
CACHE_ROOT="${SECLOG_CACHE:-${HOME:-/root}/.cache/seclog}"
INSTALL_DIR="${CACHE_ROOT}/${TOOL}-${VERSION}"
JAR="${INSTALL_DIR}/s3proxy.jar"
RUN_DIR="${SECLOG_RUN_DIR:-/tmp/seclog-services}"
DATA_DIR="${RUN_DIR}/s3"
PID_FILE="${RUN_DIR}/s3.pid"
LOG_FILE="${RUN_DIR}/s3.log"
CONF_FILE="${RUN_DIR}/s3.properties"
STATE_FILE="${RUN_DIR}/s3.env"
HOST=127.0.0.1
PORT="${S3_PORT:-19000}"
ACCESS_KEY="${S3_ACCESS_KEY:-seclog}"
SECRET_KEY="${S3_SECRET_KEY:-seclog-secret-key}"
START_TIMEOUT="${S3_START_TIMEOUT:-60}"
STOP_TIMEOUT=20
JAVA_OPTS_DEFAULT="-Xms64m -Xmx1g -XX:+UseSerialGC"
# logback's own start-up chatter off; everything S3Proxy logs still goes to the log file
JAVA_FIXED_OPTS=(-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener)

log() { printf 's3.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=scripts/services/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---------------------------------------------------------------- java / maven
java_major() { # $1 = java binary; prints the major version (8, 11, 17, ...)
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1") ? v[2] : v[1]; exit }'
}

find_java() {
  local cand major
  for cand in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" \
      /usr/lib/jvm/*/bin/java; do
    [[ -n "$cand" && -x "$cand" ]] || continue
    major="$(java_major "$cand" || true)"
    if [[ "$major" =~ ^[0-9]+$ ]] && (( major >= 17 )); then
      printf '%s\n' "$cand"
      return 0
    fi
  done
  return 1
}

cmd_install() {
  if [[ -s "$JAR" && -f "${INSTALL_DIR}/.installed" ]]; then
    return 0
  fi
  find_java >/dev/null || die "S3Proxy ${VERSION} needs Java 17 or newer (none found; set JAVA_HOME or install openjdk-17-jre-headless)"
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to fetch ${ARTIFACT} from Maven Central (apt-get install maven)"
  mkdir -p "$CACHE_ROOT"
  # One installer at a time per version (parallel CI jobs, several run dirs).
  if command -v flock >/dev/null 2>&1; then
    exec 8>"${CACHE_ROOT}/.${TOOL}-${VERSION}.lock"
    flock -w 600 8 || die "timed out waiting for ${CACHE_ROOT}/.${TOOL}-${VERSION}.lock"
    if [[ -s "$JAR" && -f "${INSTALL_DIR}/.installed" ]]; then
      exec 8>&-
      return 0
    fi
  fi
  local tmp t0
  tmp="$(mktemp -d "${CACHE_ROOT}/.${TOOL}-${VERSION}.XXXXXX")"
  t0=$SECONDS
  log "installing S3Proxy ${VERSION} into ${INSTALL_DIR} (${ARTIFACT} from Maven Central)"
  # The one self-contained jar; what its pom lists is inside it already.
  cat >"$tmp/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>seclog.local</groupId><artifactId>s3proxy-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.gaul</groupId><artifactId>s3proxy</artifactId><version>${VERSION}</version>
      <classifier>jar-with-dependencies</classifier>
      <exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>
    </dependency>
  </dependencies>
</project>
EOF
  if ! maven_fetch "$tmp" "$tmp" "$tmp/mvn.log"; then
    cat "$tmp/mvn.log" >&2 || true
    rm -rf "$tmp"
    die "could not fetch ${ARTIFACT} with Maven"
  fi
  local got="$tmp/s3proxy-${VERSION}-jar-with-dependencies.jar" java
  java="$(find_java)"
  if [[ ! -s "$got" ]] || ! "$java" "${JAVA_FIXED_OPTS[@]}" -cp "$got" org.gaul.s3proxy.Main --version 2>&1 | grep -qF "] ${VERSION}"; then
    rm -rf "$tmp"
    die "downloaded ${ARTIFACT} is missing or not a working S3Proxy jar"
  fi
  mv "$got" "$tmp/s3proxy.jar"
  rm -f "$tmp/mvn.log" "$tmp/pom.xml" "$tmp/classpath.txt"
  chmod 755 "$tmp"
  printf '%s\n' "$ARTIFACT" >"$tmp/.installed"
  rm -rf "$INSTALL_DIR"
  mv "$tmp" "$INSTALL_DIR"
  exec 8>&- || true
  log "installed S3Proxy ${VERSION} in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- process state
running_pid() { # prints the pid and returns 0 when our server is alive
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against pid reuse: the process must be our S3Proxy.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--properties ${CONF_FILE}" || return 1
  printf '%s\n' "$pid"
}

http_status() { # prints the HTTP status code of GET / (000 when nothing answers)
  local code
  if command -v curl >/dev/null 2>&1; then
    code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://${HOST}:${1}/" 2>/dev/null || true)"
    printf '%s\n' "${code:-000}"
    return 0
  fi
  # Fallback without curl: bash's /dev/tcp.
  local line=""
  if exec 3<>"/dev/tcp/${HOST}/${1}" 2>/dev/null; then
    printf 'GET / HTTP/1.0\r\nHost: %s:%s\r\n\r\n' "$HOST" "$1" >&3 || true
    IFS= read -r -t 2 line <&3 || true
    exec 3<&- 3>&- || true
  fi
  code="$(printf '%s' "$line" | awk '{ print $2 }')"
  printf '%s\n' "${code:-000}"
}

print_env() {
  # Print what the running server actually uses (it may have been started with other settings).
  if [[ -f "$STATE_FILE" ]]; then
    cat "$STATE_FILE"
  else
    printf 'S3_ENDPOINT=http://%s:%s\nS3_ACCESS_KEY=%s\nS3_SECRET_KEY=%s\n' "$HOST" "$PORT" "$ACCESS_KEY" "$SECRET_KEY"
  fi
}

check_running_settings() {
  local want
  want="$(printf 'S3_ENDPOINT=http://%s:%s\nS3_ACCESS_KEY=%s\nS3_SECRET_KEY=%s' "$HOST" "$PORT" "$ACCESS_KEY" "$SECRET_KEY")"
  if [[ -f "$STATE_FILE" && "$(cat "$STATE_FILE")" != "$want" ]]; then
    log "warning: the running server was started with other settings (port/credentials); run '$0 restart' to apply the current ones"
  fi
}

with_lock() { # serialise start/stop/reset between concurrent callers
  mkdir -p "$RUN_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"${RUN_DIR}/s3.lock"
    flock -w 120 9 || die "timed out waiting for ${RUN_DIR}/s3.lock"
  fi
  "$@"
}

# ---------------------------------------------------------------- commands
do_start() {
  local pid java t0 code
  if pid="$(running_pid)"; then
    check_running_settings
    print_env
    return 0
  fi
  cmd_install
  java="$(find_java)" || die "Java 17 or newer not found"
  [[ "$PORT" =~ ^[0-9]+$ ]] || die "S3_PORT must be a number, got '${PORT}'"
  code="$(http_status "$PORT")"
  [[ "$code" == 000 ]] || die "port ${PORT} on ${HOST} is already in use by another process (HTTP ${code}); set S3_PORT"

  mkdir -p "$DATA_DIR"
  rm -f "$PID_FILE"
  (
    umask 077
    cat >"$CONF_FILE" <<EOF
# generated by scripts/services/s3.sh
s3proxy.endpoint=http://${HOST}:${PORT}
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=${ACCESS_KEY}
s3proxy.credential=${SECRET_KEY}
s3proxy.ignore-unknown-headers=true
s3proxy.v4-max-non-chunked-request-size=134217728
jclouds.provider=filesystem
jclouds.filesystem.basedir=${DATA_DIR}
EOF
    printf 'S3_ENDPOINT=http://%s:%s\nS3_ACCESS_KEY=%s\nS3_SECRET_KEY=%s\n' \
      "$HOST" "$PORT" "$ACCESS_KEY" "$SECRET_KEY" >"$STATE_FILE"
  )

  printf '\n==== %s starting S3Proxy %s on %s:%s ====\n' "$(date -u +%FT%TZ)" "$VERSION" "$HOST" "$PORT" >>"$LOG_FILE"
  t0=$SECONDS
  (
    # Close every inherited descriptor above 2 (our lock, a caller's pipes) so that the
    # daemon holds nothing open for whoever ran this script.
    for fd in "/proc/$BASHPID/fd/"*; do
      fd="${fd##*/}"
      if [[ "$fd" =~ ^[0-9]+$ ]] && (( fd > 2 )); then eval "exec ${fd}>&-" 2>/dev/null || true; fi
    done
    # shellcheck disable=SC2086  # S3_JAVA_OPTS is a word list on purpose
    exec setsid nohup "$java" "${JAVA_FIXED_OPTS[@]}" ${S3_JAVA_OPTS:-$JAVA_OPTS_DEFAULT} \
      -jar "$JAR" --properties "$CONF_FILE" </dev/null >>"$LOG_FILE" 2>&1
  ) &
  pid=$!
  printf '%s\n' "$pid" >"$PID_FILE"

  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "S3Proxy exited during startup; last lines of ${LOG_FILE}:"
      tail -n 40 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      exit 1
    fi
    code="$(http_status "$PORT")"
    [[ "$code" != 000 ]] && break
    if (( SECONDS - t0 >= START_TIMEOUT )); then
      log "S3Proxy did not answer on http://${HOST}:${PORT} within ${START_TIMEOUT} s; last lines of ${LOG_FILE}:"
      tail -n 40 "$LOG_FILE" >&2 || true
      do_stop >/dev/null 2>&1 || true
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
      exit 1
    fi
    sleep 0.25
  done
  log "S3Proxy ${VERSION} ready on http://${HOST}:${PORT} (pid ${pid}, $((SECONDS - t0)) s; data ${DATA_DIR}; log ${LOG_FILE})"
  print_env
}

do_stop() {
  local pid i
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_TIMEOUT * 4; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid ${pid} still alive after ${STOP_TIMEOUT} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
  fi
  rm -f "$PID_FILE"
  log "stopped (pid ${pid})"
}

do_restart() {
  do_stop
  do_start
}

do_reset() {
  do_stop
  rm -rf "$DATA_DIR" "$STATE_FILE" "$CONF_FILE"
  log "deleted ${DATA_DIR}"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    printf 'running: S3Proxy %s, pid %s, %s\n' "$VERSION" "$pid" "$(head -n1 "$STATE_FILE" 2>/dev/null || true)"
    printf 'data: %s\nlog: %s\n' "$DATA_DIR" "$LOG_FILE"
    return 0
  fi
  printf 'not running\n'
  return 3
}

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

case "${1:-}" in
  install) cmd_install ;;
  start) with_lock do_start ;;
  stop) with_lock do_stop ;;
  restart) with_lock do_restart ;;
  reset) with_lock do_reset ;;
  status) cmd_status ;;
  *) usage ;;
esac
