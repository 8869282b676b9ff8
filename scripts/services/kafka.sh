#!/usr/bin/env bash
# Real Apache Kafka broker (single-node KRaft, combined broker+controller) for
# the Kafka sink tests. No Docker, no distro package: the broker and its
# runtime dependencies are pulled from Maven Central with `mvn` and run with
# the machine's Java 17 straight from the jar directory.
#
# Usage: scripts/services/kafka.sh install|start|stop|restart|reset|status
#
# Client listeners, all on 127.0.0.1 (inter-broker and controller traffic stay
# PLAINTEXT; there is no authorizer, so any authenticated client may do anything):
#   PLAINTEXT       KAFKA_PORT       no auth, no TLS
#   SASL_PLAINTEXT  KAFKA_SASL_PORT  SASL PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512,
#                                    user "seclog", password "seclog-secret"
#   SSL             KAFKA_SSL_PORT   TLS, server cert for CN=localhost with SANs
#                                    DNS:localhost and IP:127.0.0.1, signed by a
#                                    throwaway CA (PEM: <run dir>/kafka/tls/ca.pem);
#                                    no client certificates
#
# Environment:
#   KAFKA_PORT             PLAINTEXT listener port             (default 19092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port on 127.0.0.1 (default KAFKA_PORT+1)
#   KAFKA_SASL_PORT        SASL_PLAINTEXT listener port  (default KAFKA_PORT+2)
#   KAFKA_SSL_PORT         SSL listener port             (default KAFKA_PORT+3)
#   KAFKA_HEAP_OPTS        JVM heap flags            (default -Xms256m -Xmx512m)
#   KAFKA_JVM_OPTS         extra JVM flags           (default -XX:TieredStopAtLevel=1)
#   SECLOG_CACHE           download cache root       (default ~/.cache/seclog)
#   SECLOG_RUN_DIR         data/log root             (default /tmp/seclog-services)
#
# `start` prints these lines on stdout, in this order (KAFKA_BOOTSTRAP first):
#   KAFKA_BOOTSTRAP=127.0.0.1:<port>
#   KAFKA_SASL_BOOTSTRAP=127.0.0.1:<sasl port>
#   KAFKA_SASL_USER=seclog
#   KAFKA_SASL_PASSWORD=seclog-secret
#   KAFKA_SSL_BOOTSTRAP=127.0.0.1:<ssl port>
#   KAFKA_CA=<absolute path of ca.pem>
# Everything else (progress, errors) goes to stderr.
#
# Kafka CLI tools are on the same classpath, e.g.:
#   java -cp "$SECLOG_CACHE/kafka-4.3.1/libs/*" org.apache.kafka.tools.TopicCommand \
#     --bootstrap-server 127.0.0.1:19092 --create --topic t --partitions 3
set -euo pipefail

# 4.3.1 is the newest version whose artifacts (incl. kafka-tools) Maven
# Central serves here; the 4.x broker needs Java 17+, which we have.
KAFKA_VERSION=4.3.1
LOG4J_VERSION=2.25.4            # must match the log4j-core that kafka-server pulls in

PORT=${KAFKA_PORT:-19092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}
# Default to PORT+2/PORT+3 (19094/19095 for the default PORT) so a dev copy
# that only moves KAFKA_PORT does not collide with the default broker.
SASL_PORT=${KAFKA_SASL_PORT:-$((PORT + 2))}
SSL_PORT=${KAFKA_SSL_PORT:-$((PORT + 3))}
SASL_USER=seclog
SASL_PASSWORD=seclog-secret
SCRAM_MECHANISMS=(SCRAM-SHA-256 SCRAM-SHA-512)
HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}
# C1-only JIT roughly halves broker startup on a 2-core machine (~4-5 s instead
# of ~9-10 s); peak throughput is lower, which does not matter for tests.
# Set KAFKA_JVM_OPTS= (empty) for the full JIT.
JVM_OPTS=${KAFKA_JVM_OPTS--XX:TieredStopAtLevel=1}
CACHE_ROOT=${SECLOG_CACHE:-${HOME:-/tmp}/.cache/seclog}
INSTALL_DIR=$CACHE_ROOT/kafka-$KAFKA_VERSION
LIBS=$INSTALL_DIR/libs
RUN_DIR=${SECLOG_RUN_DIR:-/tmp/seclog-services}/kafka
DATA_DIR=$RUN_DIR/data
LOG_DIR=$RUN_DIR/logs
PID_FILE=$RUN_DIR/kafka.pid
CONFIG=$RUN_DIR/server.properties
LOG4J_CONFIG=$RUN_DIR/log4j2.properties
TOOLS_LOG4J_CONFIG=$RUN_DIR/tools-log4j2.properties
TLS_DIR=$RUN_DIR/tls
CA_PEM=$TLS_DIR/ca.pem
KEYSTORE=$TLS_DIR/server.p12
KEYSTORE_PASSWORD=seclog-keystore
# Present once the data dir's metadata holds the SCRAM credentials below (see
# ensure_scram_users); its content records which credentials were added.
SCRAM_MARKER=$DATA_DIR/.seclog-scram-users
SCRAM_MARKER_CONTENT="${SCRAM_MECHANISMS[*]} $SASL_USER $SASL_PASSWORD"
SERVER_LOG=$LOG_DIR/server.log
START_TIMEOUT=90
STOP_TIMEOUT=30

log() { echo "kafka.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=scripts/services/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Serialise install and start/stop between concurrent callers (parallel test
# workers). Install uses fd 8, start/stop fd 9, so `start` may install while
# holding its own lock. These fds must never leak into the broker process, or
# the lock would stay held for as long as the broker runs (see start).
with_lock() {
  local fd=$1 lock=$2; shift 2
  mkdir -p "$(dirname "$lock")"
  eval "exec $fd>\"\$lock\""
  flock -w 300 "$fd" || die "timed out waiting for lock $lock"
  "$@"
  eval "exec $fd>&-"
}

is_installed() { [[ -f $INSTALL_DIR/.installed ]]; }

do_install() {
  is_installed && return 0
  command -v java >/dev/null || die "java not found (Kafka $KAFKA_VERSION needs Java 17+)"
  command -v mvn >/dev/null || die "mvn not found (needed to fetch Kafka from Maven Central)"
  log "installing Kafka $KAFKA_VERSION into $INSTALL_DIR (from Maven Central)"
  # Beside the install directory, so that the jars can be hard links to Maven's copies (see maven_fetch).
  mkdir -p "$CACHE_ROOT"
  local tmp; tmp=$(mktemp -d "$CACHE_ROOT/.kafka-install.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  # - kafka_2.13 is the broker (kafka.Kafka, kafka.tools.StorageTool) and pulls
  #   in kafka-server, -raft, -metadata, -storage, coordinators, scala, ...
  # - kafka-tools gives TopicCommand/ConsoleProducer/ConsoleConsumer for tests;
  #   its connect-runtime dependency (Jetty, Jersey, ...) is not needed for those.
  # - Kafka declares slf4j-api 1.7.x but no binding (the binary distribution adds
  #   one itself): without log4j-slf4j-impl the broker logs nothing at all, and
  #   the readiness check below depends on its log.
  cat >"$tmp/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>seclog.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-tools</artifactId>
      <version>$KAFKA_VERSION</version>
      <exclusions>
        <exclusion>
          <groupId>org.apache.kafka</groupId>
          <artifactId>connect-runtime</artifactId>
        </exclusion>
      </exclusions>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>$LOG4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  if ! maven_fetch "$tmp" "$tmp/libs" "$tmp/mvn.log"; then
    tail -n 40 "$tmp/mvn.log" >&2
    die "mvn failed to fetch Kafka $KAFKA_VERSION"
  fi
  [[ -f $tmp/libs/kafka_2.13-$KAFKA_VERSION.jar ]] || die "kafka_2.13-$KAFKA_VERSION.jar missing after mvn"
  rm -rf "$INSTALL_DIR"
  mkdir -p "$INSTALL_DIR"
  mv "$tmp/libs" "$LIBS"
  cp "$tmp/pom.xml" "$INSTALL_DIR/pom.xml"
  touch "$INSTALL_DIR/.installed"
  local jars=("$LIBS"/*.jar)
  log "installed ${#jars[@]} jars"
}

install() {
  is_installed && return 0   # fast path without taking the lock
  with_lock 8 "$CACHE_ROOT/kafka-$KAFKA_VERSION.lock" do_install
}

# PID of our broker if it is alive; guards against PID reuse by checking the
# command line mentions kafka.Kafka and this run dir's config.
running_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid; pid=$(<"$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local cmd; cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmd == *kafka.Kafka* && $cmd == *"$CONFIG"* ]] || return 1
  echo "$pid"
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Kafka cluster ids are 16 random bytes, base64url without padding; like
# Kafka's own Uuid.randomUuid, avoid ids starting with '-' (confuse CLI parsers).
random_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id != -* ]] && { echo "$id"; return; }
  done
}

write_config() {
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  # Rewritten on every start so port changes apply; the data dir keeps the
  # cluster id and node id in meta.properties, which must stay consistent.
  cat >"$CONFIG" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,SASL_PLAINTEXT://127.0.0.1:$SASL_PORT,SSL://127.0.0.1:$SSL_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT,SASL_PLAINTEXT://127.0.0.1:$SASL_PORT,SSL://127.0.0.1:$SSL_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT
# SASL_PLAINTEXT: PLAIN checks the user_<name> entries of its JAAS config; the
# SCRAM mechanisms check credentials stored in the cluster metadata (added at
# format time or by ensure_scram_users).
listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$SASL_USER="$SASL_PASSWORD";
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
# SSL: server authentication only.
listener.name.ssl.ssl.keystore.type=PKCS12
listener.name.ssl.ssl.keystore.location=$KEYSTORE
listener.name.ssl.ssl.keystore.password=$KEYSTORE_PASSWORD
listener.name.ssl.ssl.key.password=$KEYSTORE_PASSWORD
listener.name.ssl.ssl.client.auth=none
log.dirs=$DATA_DIR
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
# Few threads: the machine has 2 cores shared with the tests.
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
background.threads=2
EOF
  # Log to a file only (the broker's stdout/stderr also go to a file).
  # No log4j shutdown hook: the File appender flushes every line anyway, and
  # with the hook log4j prints a spurious "Unable to register Log4j shutdown
  # hook" warning when broker threads log during JVM shutdown.
  cat >"$LOG4J_CONFIG" <<EOF
status = warn
shutdownHook = disable
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $SERVER_LOG
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
# Per-request and config-dump chatter is noise for tests.
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = WARN
EOF
  # CLI tools run by this script (ConfigCommand): warnings and errors only, to
  # stderr, which the caller redirects to a log file.
  cat >"$TOOLS_LOG4J_CONFIG" <<EOF
status = warn
shutdownHook = disable
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
EOF
}

# Throwaway CA and broker certificate for the SSL listener, generated with
# openssl (~0.5 s) on the first start and again only if a file is missing or
# the server certificate expires within a day. Never called while the broker
# runs, so the broker's keystore always matches ca.pem.
ensure_tls() {
  if [[ -f $CA_PEM && -f $KEYSTORE ]] &&
     openssl x509 -in "$TLS_DIR/server.pem" -noout -checkend 86400 >/dev/null 2>&1; then
    return 0
  fi
  command -v openssl >/dev/null || die "openssl not found (needed for the SSL listener's certificates)"
  log "generating CA and broker certificate in $TLS_DIR"
  local tmp=$RUN_DIR/tls.tmp
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! (
    set -e
    cd "$tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
      -subj "/CN=seclog test CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
    openssl req -new -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost"
    printf '%s\n' basicConstraints=critical,CA:FALSE \
      keyUsage=critical,digitalSignature,keyEncipherment extendedKeyUsage=serverAuth \
      subjectAltName=DNS:localhost,IP:127.0.0.1 >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
      -out server.pem -days 3650 -extfile server.ext
    openssl pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem -name kafka \
      -out server.p12 -passout "pass:$KEYSTORE_PASSWORD"
    # Only ca.pem (for clients), server.pem (expiry check) and the keystore are
    # needed from here on; the CA key is not kept.
    rm -f ca.key server.key server.csr server.ext ca.srl
  ) >"$LOG_DIR/tls.log" 2>&1; then
    cat "$LOG_DIR/tls.log" >&2
    rm -rf "$tmp"
    die "generating TLS certificates failed"
  fi
  rm -rf "$TLS_DIR"
  mv "$tmp" "$TLS_DIR"
}

java_opts() {
  # shellcheck disable=SC2206  # HEAP_OPTS/JVM_OPTS are deliberately word-split
  JAVA_OPTS=($HEAP_OPTS $JVM_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$LOG4J_CONFIG" "-Dkafka.logs.dir=$LOG_DIR"
    -cp "$LIBS/*")
}

format_storage_once() {
  [[ -f $DATA_DIR/meta.properties ]] && return 0
  local cid; cid=$(random_cluster_id)
  log "formatting storage in $DATA_DIR (cluster id $cid)"
  # The SCRAM credentials go into the bootstrap metadata, so they exist from
  # the broker's first start on, at no extra cost.
  local scram=() mech
  for mech in "${SCRAM_MECHANISMS[@]}"; do
    scram+=(--add-scram "$mech=[name=$SASL_USER,password=$SASL_PASSWORD]")
  done
  # StorageTool prints to stdout; keep our stdout for the result lines.
  if ! java -Xmx256m "-Dlog4j2.configurationFile=$LOG4J_CONFIG" -cp "$LIBS/*" \
         kafka.tools.StorageTool format -t "$cid" -c "$CONFIG" "${scram[@]}" \
         >"$LOG_DIR/format.log" 2>&1; then
    cat "$LOG_DIR/format.log" >&2
    die "kafka-storage format failed"
  fi
  echo "$SCRAM_MARKER_CONTENT" >"$SCRAM_MARKER"
}

# A data dir formatted by an older kafka.sh (before the SASL listener) has no
# SCRAM credentials. Add them once through the running broker's PLAINTEXT
# listener with ConfigCommand, then write the marker so later starts skip
# this. Costs ~2-3 s per mechanism, once per old data dir; topics and data in
# it are kept (re-formatting would lose them). Re-adding existing credentials
# just overwrites them, so a lost marker is harmless. One call per mechanism:
# the controller rejects two mechanisms of one user in the same request ("A
# user credential cannot be altered twice in the same request").
ensure_scram_users() {
  [[ -f $SCRAM_MARKER && $(<"$SCRAM_MARKER") == "$SCRAM_MARKER_CONTENT" ]] && return 0
  log "adding SCRAM credentials for user $SASL_USER (data dir predates the SASL listener)"
  local mech
  : >"$LOG_DIR/scram.log"
  for mech in "${SCRAM_MECHANISMS[@]}"; do
    if ! java -Xmx256m -XX:TieredStopAtLevel=1 "-Dlog4j2.configurationFile=$TOOLS_LOG4J_CONFIG" \
           -cp "$LIBS/*" kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$PORT" \
           --alter --entity-type users --entity-name "$SASL_USER" \
           --add-config "$mech=[password=$SASL_PASSWORD]" >>"$LOG_DIR/scram.log" 2>&1; then
      cat "$LOG_DIR/scram.log" >&2
      die "adding $mech credentials failed (broker keeps running; the next start retries)"
    fi
  done
  echo "$SCRAM_MARKER_CONTENT" >"$SCRAM_MARKER"
}

print_env() {
  echo "KAFKA_BOOTSTRAP=127.0.0.1:$PORT"
  echo "KAFKA_SASL_BOOTSTRAP=127.0.0.1:$SASL_PORT"
  echo "KAFKA_SASL_USER=$SASL_USER"
  echo "KAFKA_SASL_PASSWORD=$SASL_PASSWORD"
  echo "KAFKA_SSL_BOOTSTRAP=127.0.0.1:$SSL_PORT"
  echo "KAFKA_CA=$(cd "$TLS_DIR" && pwd)/ca.pem"
}

fail_start() {
  log "error: $1"
  log "---- tail of $SERVER_LOG ----"
  tail -n 60 "$SERVER_LOG" >&2 2>/dev/null || true
  log "---- tail of $LOG_DIR/kafka.out ----"
  tail -n 20 "$LOG_DIR/kafka.out" >&2 2>/dev/null || true
  exit 1
}

do_start() {
  if running_pid >/dev/null; then
    port_open "$PORT" || die "broker process is up but port $PORT is closed (see $SERVER_LOG)"
    if port_open "$SASL_PORT" && port_open "$SSL_PORT"; then
      ensure_scram_users
      print_env
      return 0
    fi
    # Started by an older kafka.sh without the SASL/SSL listeners (or with
    # other ports): restart it with the current config; the data is kept.
    log "running broker has no listeners on ports $SASL_PORT/$SSL_PORT; restarting it"
    do_stop
  fi
  install
  for p in "$PORT" "$CONTROLLER_PORT" "$SASL_PORT" "$SSL_PORT"; do
    port_open "$p" && die "port $p on 127.0.0.1 is already in use by another process"
  done
  write_config
  ensure_tls
  format_storage_once

  # The server log is appended across restarts; only lines written after this
  # offset count for the readiness check.
  local offset=0
  # Keep one older log; long-lived run dirs (many test runs) would otherwise grow it without bound.
  if [[ -f $SERVER_LOG ]] && (( $(stat -c %s "$SERVER_LOG") > 50 * 1024 * 1024 )); then mv -f "$SERVER_LOG" "$SERVER_LOG.1"; fi
  [[ -f $SERVER_LOG ]] && offset=$(stat -c %s "$SERVER_LOG")

  local t0=$SECONDS
  # setsid: own session, so the broker survives the caller's terminal/process
  # group going away. All fds are redirected (and the lock fds 8, 9 closed) so a
  # caller reading our stdout through a pipe gets EOF when this script exits.
  # The inner shell writes its own PID and then execs java, so the PID file
  # holds the JVM's PID whether or not setsid had to fork.
  rm -f "$PID_FILE"
  java_opts
  # shellcheck disable=SC2016  # $$/$0/$@ expand in the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    java "${JAVA_OPTS[@]}" kafka.Kafka "$CONFIG" \
    </dev/null >"$LOG_DIR/kafka.out" 2>&1 8>&- 9>&- &
  disown 2>/dev/null || true

  local pid=""
  while (( SECONDS - t0 < START_TIMEOUT )); do
    [[ -z $pid && -s $PID_FILE ]] && pid=$(<"$PID_FILE")
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      fail_start "broker process $pid exited during startup"
    fi
    # "Kafka Server started" is logged by KafkaRaftServer once the broker is
    # unfenced and serving; the port alone opens a little earlier. Not grep -q:
    # it exits at the first match, tail then dies of SIGPIPE on a large log, and
    # pipefail turns the match into a failure.
    if [[ -n $pid ]] && port_open "$PORT" && [[ -f $SERVER_LOG ]] &&
       tail -c +"$((offset + 1))" "$SERVER_LOG" | grep 'Kafka Server started' >/dev/null; then
      log "broker ready on 127.0.0.1:$PORT (SASL $SASL_PORT, SSL $SSL_PORT; pid $pid) after $((SECONDS - t0))s"
      ensure_scram_users
      print_env
      return 0
    fi
    sleep 0.5
  done
  if [[ -n $pid ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PID_FILE"
  fail_start "broker not ready after ${START_TIMEOUT}s"
}

do_stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    return 0
  fi
  log "stopping broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "broker did not stop within ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
}

run_locked() { with_lock 9 "$RUN_DIR.lock" "$@"; }

case "${1:-}" in
  install) install ;;
  start)   run_locked do_start ;;
  stop)    run_locked do_stop ;;
  restart) run_locked do_stop; run_locked do_start ;;
  reset)   run_locked do_stop; rm -rf "$RUN_DIR"; log "removed $RUN_DIR" ;;
  status)
    if pid=$(running_pid); then
      log "running (pid $pid) on 127.0.0.1:$PORT (SASL $SASL_PORT, SSL $SSL_PORT)"; exit 0
    fi
    log "not running"; exit 1 ;;
  *) echo "usage: $0 install|start|stop|restart|reset|status" >&2; exit 2 ;;
esac
