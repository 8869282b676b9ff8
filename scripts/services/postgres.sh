#!/usr/bin/env bash
# A private PostgreSQL server on loopback, for the SIEM service (`seclog siem`) and its tests: Debian's own server
# packages, its own cluster under $SECLOG_RUN_DIR/postgres (default /tmp/seclog-services/postgres), not the system's.
#
#   scripts/services/postgres.sh start     install if missing, create the cluster on first use, start, print the URL
#   scripts/services/postgres.sh stop      stop (fast shutdown: open transactions rolled back; data kept)
#   scripts/services/postgres.sh restart   stop + start; data kept (the tests restart it in the middle of an ingest)
#   scripts/services/postgres.sh reset     stop and delete the cluster (the next start creates an empty one)
#   scripts/services/postgres.sh status    print the URL and whether it is running (exit 1 if not)
#   scripts/services/postgres.sh env       print the URL lines only
#
# Listens on 127.0.0.1:${POSTGRES_PORT:-15432} (TCP, scram-sha-256) and on a Unix socket in the run directory.
# One role, `seclog` (password `seclog-secret`, superuser of this private cluster), and a database `seclog`.
# As root the server runs as Debian's `postgres` system user (PostgreSQL refuses to run as root).
#
# `start` prints on stdout:
#   POSTGRES_URL=postgres://seclog:seclog-secret@127.0.0.1:<port>/seclog
#   POSTGRES_PORT=<port>
# Everything else (progress, errors) goes to stderr.
set -euo pipefail

RUN_ROOT="${SECLOG_RUN_DIR:-/tmp/seclog-services}"
DIR="$RUN_ROOT/postgres"
DATA="$DIR/data"
SOCKETS="$DIR/sockets"
LOGFILE="$DIR/postgres.log"
PORT="${POSTGRES_PORT:-15432}"
HOST=127.0.0.1
USER_NAME=seclog
PASSWORD=seclog-secret
DATABASE=seclog

log() { echo "[postgres] $*" >&2; }
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# The newest PostgreSQL server of Debian's packages on the machine (its bin directory), or nothing.
pg_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

install() {
  pg_bin >/dev/null && return 0
  mkdir -p "$DIR"
  apt_install "$DIR/apt.log" postgresql
  pg_bin >/dev/null || { log "postgresql installed but no server binaries found under /usr/lib/postgresql"; exit 1; }
}

# Runs a command as the cluster's owner: the postgres system user when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

print_env() {
  echo "POSTGRES_URL=postgres://$USER_NAME:$PASSWORD@$HOST:$PORT/$DATABASE"
  echo "POSTGRES_PORT=$PORT"
}

running() {
  local bin; bin="$(pg_bin)" || return 1
  [ -f "$DATA/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

init_cluster() {
  local bin=$1
  [ -f "$DATA/PG_VERSION" ] && return 0
  log "creating the cluster in $DATA"
  mkdir -p "$DIR" "$SOCKETS"
  local pwfile="$DIR/.pw"
  printf '%s\n' "$PASSWORD" >"$pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$DIR"; chmod 700 "$DIR"; fi
  as_owner "$bin/initdb" -D "$DATA" -U "$USER_NAME" --pwfile="$pwfile" --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { rm -f "$pwfile"; log "initdb failed, see $DIR/initdb.log"; exit 1; }
  rm -f "$pwfile"
  # Loopback only; sockets in the run directory (not /var/run, which may not be ours); settings for a test server
  # that shares 2 cores with Kafka and the service.
  cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$SOCKETS'
max_connections = 100
shared_buffers = 256MB
wal_level = minimal
max_wal_senders = 0
synchronous_commit = on
fsync = on
# Bulk ingest: checkpoints rarely (fewer full-page images in the WAL), records compressed with lz4 (cheap) when TOASTed.
max_wal_size = 4GB
min_wal_size = 512MB
checkpoint_timeout = 15min
default_toast_compression = lz4
log_min_messages = warning
CONF
}

start() {
  install
  local bin; bin="$(pg_bin)"
  if running; then log "already running"; print_env; return 0; fi
  init_cluster "$bin"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$DIR"; fi
  log "starting on $HOST:$PORT"
  as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 start >/dev/null 2>&1 || { log "start failed, see $LOGFILE"; tail -5 "$LOGFILE" >&2 || true; exit 1; }
  # The database the service uses (created once).
  if ! PGPASSWORD="$PASSWORD" "$bin/psql" -h "$HOST" -p "$PORT" -U "$USER_NAME" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
    PGPASSWORD="$PASSWORD" "$bin/psql" -h "$HOST" -p "$PORT" -U "$USER_NAME" -d postgres -qc "CREATE DATABASE $DATABASE" >&2
  fi
  print_env
}

stop() {
  local bin
  if ! bin="$(pg_bin)" || ! running; then log "not running"; return 0; fi
  as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null 2>&1 || { log "stop failed, see $LOGFILE"; exit 1; }
  log "stopped"
}

reset() {
  stop
  rm -rf "$DATA"
  log "cluster deleted"
}

status() {
  print_env
  if running; then echo "running"; else echo "stopped"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  reset) reset ;;
  status) status ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|restart|reset|status|env" >&2; exit 2 ;;
esac
