#!/usr/bin/env bash
# A real single-node OpenSearch (default 2.19.6) on loopback, for testing seclog's `_bulk` sink.
# No distribution tarball can be downloaded here, so the node is assembled from OpenSearch's own
# artifacts on Maven Central: the server jar (org.opensearch:opensearch, which holds the whole REST
# API: _bulk, index templates, data streams, date-math index names, ...), the HTTP/transport module
# (org.opensearch.plugin:transport-netty4-client) and the analysis-common, mapper-extras and
# ingest-common modules, started through a ~60-line launcher written below (the way OpenSearch's
# own test framework starts an in-JVM node). Not included: the security plugin (no TLS), painless
# and the other optional modules/plugins.
#
#   scripts/services/search.sh start     install if missing (Maven + JDK 17), start, print env, wait for yellow
#   scripts/services/search.sh stop
#   scripts/services/search.sh restart   stop + start; indices are kept
#   scripts/services/search.sh reset     delete all data (indices, templates, data streams); restarts if running
#   scripts/services/search.sh status    print env and whether it is running (exit 1 if not)
#   scripts/services/search.sh env       print the env lines only (of the running node, if one runs)
#   scripts/services/search.sh install   only assemble the node (Maven download + javac)
#
# Environment:
#   SECLOG_RUN_DIR          base run directory (default /tmp/seclog-services); this service uses <it>/search
#   SEARCH_PORT             HTTP port (default 19200); SEARCH_TRANSPORT_PORT (default 19300)
#   SEARCH_USER, SEARCH_PASSWORD   when both are set, every request needs that HTTP Basic auth (else 401)
#   SEARCH_API_KEY          when set, `Authorization: ApiKey <SEARCH_API_KEY>` is accepted too (else 401)
#   SEARCH_HEAP             JVM heap (default 1g)
#   OPENSEARCH_VERSION      (default 2.19.6; 2.x runs on Java 17, 3.x needs Java 21+: set JAVA_HOME)
#   JAVA_HOME               JDK to use (default: java/javac on PATH)
set -euo pipefail

RUN_ROOT="${SECLOG_RUN_DIR:-/tmp/seclog-services}"
DIR="$RUN_ROOT/search"
PORT="${SEARCH_PORT:-19200}"
TPORT="${SEARCH_TRANSPORT_PORT:-19300}"
HOST=127.0.0.1
URL="http://$HOST:$PORT"
OS_VERSION="${OPENSEARCH_VERSION:-2.19.6}"
HEAP="${SEARCH_HEAP:-1g}"
DIST="$DIR/dist-$OS_VERSION"
NODE_HOME="$DIR/home"
PIDFILE="$DIR/search.pid"
LOG="$DIR/search.log"

log() { echo "search.sh: $*" >&2; }

if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; JAVAC="$JAVA_HOME/bin/javac"; else JAVA=java; JAVAC=javac; fi

auth_args() { # curl arguments for the configured auth
  if [ -n "${SEARCH_USER:-}" ] && [ -n "${SEARCH_PASSWORD:-}" ]; then echo "-u" "$SEARCH_USER:$SEARCH_PASSWORD";
  elif [ -n "${SEARCH_API_KEY:-}" ]; then echo "-H" "Authorization: ApiKey $SEARCH_API_KEY"; fi
}

print_env() {
  echo "SEARCH_URL=$URL"
  if [ -n "${SEARCH_USER:-}" ] && [ -n "${SEARCH_PASSWORD:-}" ]; then
    echo "SEARCH_USER=$SEARCH_USER"; echo "SEARCH_PASSWORD=$SEARCH_PASSWORD"
  fi
  if [ -n "${SEARCH_API_KEY:-}" ]; then echo "SEARCH_API_KEY=$SEARCH_API_KEY"; fi
  echo "SEARCH_FLAVOR=opensearch"
  echo "SEARCH_VERSION=$OS_VERSION"
}

write_sources() {
  local b="$1"
  mkdir -p "$b/src/seclog"
  cat >"$b/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>seclog.services</groupId><artifactId>search-node</artifactId><version>1</version>
  <properties><os.version>$OS_VERSION</os.version></properties>
  <dependencies>
    <dependency><groupId>org.opensearch</groupId><artifactId>opensearch</artifactId><version>\${os.version}</version></dependency>
    <dependency><groupId>org.opensearch.plugin</groupId><artifactId>transport-netty4-client</artifactId><version>\${os.version}</version></dependency>
    <dependency><groupId>org.opensearch.plugin</groupId><artifactId>analysis-common</artifactId><version>\${os.version}</version></dependency>
    <dependency><groupId>org.opensearch.plugin</groupId><artifactId>mapper-extras-client</artifactId><version>\${os.version}</version></dependency>
    <dependency><groupId>org.opensearch.plugin</groupId><artifactId>ingest-common</artifactId><version>\${os.version}</version></dependency>
  </dependencies>
</project>
EOF
  cat >"$b/src/seclog/SearchNode.java" <<'EOF'
package seclog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestHandler;

/** Starts one OpenSearch node in this JVM, with the modules found on the classpath. */
public final class SearchNode {
  static final class EmbeddedNode extends Node {
    EmbeddedNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
      super(env, plugins, true);
    }
  }

  /** Optional HTTP auth (Basic and/or ApiKey) in front of every REST handler; the stock node has none. */
  public static final class TestAuthPlugin extends Plugin implements ActionPlugin {
    @Override
    public UnaryOperator<RestHandler> getRestHandlerWrapper(ThreadContext threadContext) {
      String user = System.getenv("SEARCH_USER"), pass = System.getenv("SEARCH_PASSWORD"), key = System.getenv("SEARCH_API_KEY");
      List<String> accepted = new ArrayList<>();
      if (user != null && !user.isEmpty() && pass != null && !pass.isEmpty()) {
        accepted.add("Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8)));
      }
      if (key != null && !key.isEmpty()) accepted.add("ApiKey " + key);
      if (accepted.isEmpty()) return null;
      return handler -> new RestHandler.Wrapper(handler) {
        @Override
        public void handleRequest(org.opensearch.rest.RestRequest request, org.opensearch.rest.RestChannel channel,
            org.opensearch.client.node.NodeClient client) throws Exception {
          String got = request.header("Authorization");
          if (got != null && accepted.contains(got.trim())) {
            super.handleRequest(request, channel, client);
            return;
          }
          BytesRestResponse r = new BytesRestResponse(RestStatus.UNAUTHORIZED, "application/json; charset=UTF-8",
              "{\"error\":{\"root_cause\":[{\"type\":\"security_exception\",\"reason\":\"missing or wrong authentication credentials for REST request\"}],"
                  + "\"type\":\"security_exception\",\"reason\":\"missing or wrong authentication credentials for REST request\"},\"status\":401}");
          r.addHeader("WWW-Authenticate", "Basic realm=\"seclog-test\" charset=\"UTF-8\"");
          channel.sendResponse(r);
        }
      };
    }
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Plugin> firstClass(boolean required, String... names) {
    for (String n : names) {
      try {
        return (Class<? extends Plugin>) Class.forName(n);
      } catch (ClassNotFoundException e) {
        // try the next name (module classes were renamed between 2.x and 3.x)
      }
    }
    if (required) throw new IllegalStateException("none of these classes is on the classpath: " + String.join(", ", names));
    System.err.println("warning: module not found, skipped: " + String.join(", ", names));
    return null;
  }

  public static void main(String[] args) throws Exception {
    String home = System.getProperty("search.home");
    String port = System.getProperty("search.port", "19200");
    Settings settings = Settings.builder()
        .put("path.home", home)
        .put("path.data", Path.of(home, "data").toString())
        .put("path.logs", Path.of(home, "logs").toString())
        .put("cluster.name", "seclog-test")
        .put("node.name", "seclog-test-node")
        .put("network.host", System.getProperty("search.host", "127.0.0.1"))
        .put("http.port", port)
        .put("transport.port", System.getProperty("search.transport.port", "19300"))
        .put("discovery.type", "single-node")
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .put("http.max_content_length", System.getProperty("search.max_content_length", "100mb"))
        .put("logger.level", System.getProperty("search.log_level", "WARN"))
        .build();
    LogConfigurator.configureWithoutConfig(settings);
    List<Class<? extends Plugin>> plugins = new ArrayList<>();
    plugins.add(firstClass(true, "org.opensearch.transport.Netty4Plugin", "org.opensearch.transport.Netty4ModulePlugin"));
    for (Class<? extends Plugin> c : List.of(
        firstClass(false, "org.opensearch.analysis.common.CommonAnalysisPlugin", "org.opensearch.analysis.common.CommonAnalysisModulePlugin"),
        firstClass(false, "org.opensearch.index.mapper.MapperExtrasPlugin", "org.opensearch.index.mapper.MapperExtrasModulePlugin"),
        firstClass(false, "org.opensearch.ingest.common.IngestCommonPlugin", "org.opensearch.ingest.common.IngestCommonModulePlugin"))) {
      if (c != null) plugins.add(c);
    }
    plugins.add(TestAuthPlugin.class);
    Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), null, () -> "seclog-test-node");
    Node node = new EmbeddedNode(env, plugins);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        e.printStackTrace();
      }
      closed.countDown();
    }));
    node.start();
    System.out.println("seclog search node started on http://127.0.0.1:" + port);
    closed.await();
  }
}
EOF
}

install_if_missing() {
  mkdir -p "$DIR"
  local stamp_want
  stamp_want="$OS_VERSION $(sed -n '/^write_sources()/,/^install_if_missing_end()/p' "${BASH_SOURCE[0]}" | cksum | cut -d' ' -f1)"
  if [ -f "$DIST/.stamp" ] && [ "$(cat "$DIST/.stamp")" = "$stamp_want" ]; then return 0; fi
  local need=()
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
  if ! command -v "$JAVAC" >/dev/null 2>&1 && [ ! -x "$JAVAC" ]; then need+=(openjdk-17-jdk-headless); fi
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends "${need[@]}" >"$DIR/apt.log" 2>&1; then
      apt-get update >>"$DIR/apt.log" 2>&1
      apt-get install -y --no-install-recommends "${need[@]}" >>"$DIR/apt.log" 2>&1 || { log "apt-get failed, see $DIR/apt.log"; exit 1; }
    fi
  fi
  log "assembling OpenSearch $OS_VERSION from Maven Central into $DIST"
  local b="$DIST.build"
  rm -rf "$b" "$DIST"
  write_sources "$b"
  (cd "$b" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$b/lib") >"$DIR/mvn.log" 2>&1 \
    || { cat "$DIR/mvn.log" >&2; log "maven failed, see $DIR/mvn.log"; exit 1; }
  # The server jar declares log4j-core optional (the distribution ships it): add the one matching log4j-api.
  local l4j
  l4j="$(cd "$b/lib" && ls log4j-api-*.jar | sed -E 's/^log4j-api-(.*)\.jar$/\1/' | head -1)"
  (cd "$b" && mvn -q -B dependency:copy -Dartifact="org.apache.logging.log4j:log4j-core:$l4j" -DoutputDirectory="$b/lib") >>"$DIR/mvn.log" 2>&1 \
    || { cat "$DIR/mvn.log" >&2; log "maven failed (log4j-core $l4j), see $DIR/mvn.log"; exit 1; }
  mkdir -p "$b/classes"
  "$JAVAC" -nowarn -d "$b/classes" -cp "$b/lib/*" "$b/src/seclog/SearchNode.java" >"$DIR/javac.log" 2>&1 \
    || { cat "$DIR/javac.log" >&2; log "javac failed"; exit 1; }
  echo "$stamp_want" >"$b/.stamp"
  mv "$b" "$DIST"
}
install_if_missing_end() { :; }

pid_running() {
  [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

port_listening() {
  if command -v ss >/dev/null 2>&1; then ss -H -tln "sport = :$1" 2>/dev/null | grep -q .
  else (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; fi
}

start() {
  mkdir -p "$DIR"
  if pid_running; then log "already running (pid $(cat "$PIDFILE"))"; print_env; return 0; fi
  install_if_missing
  for p in "$PORT" "$TPORT"; do
    if port_listening "$p"; then log "port $p is already taken by another process"; exit 1; fi
  done
  mkdir -p "$NODE_HOME/config"
  # shellcheck disable=SC2046
  setsid nohup "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
    -Dlog4j2.formatMsgNoLookups=true -Dlog4j.shutdownHookEnabled=false -Dio.netty.allocator.numDirectArenas=0 \
    -Dsearch.home="$NODE_HOME" -Dsearch.port="$PORT" -Dsearch.transport.port="$TPORT" \
    -cp "$DIST/classes:$DIST/lib/*" seclog.SearchNode >"$LOG" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PIDFILE"
  local deadline=$((SECONDS + 180)) code
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then tail -50 "$LOG" >&2; rm -f "$PIDFILE"; log "the node exited"; exit 1; fi
    # shellcheck disable=SC2046
    code="$(curl -s -o /dev/null -w '%{http_code}' $(auth_args) "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null || true)"
    [ "$code" = 200 ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then tail -50 "$LOG" >&2; log "not ready within 180 s"; exit 1; fi
    sleep 0.3
  done
  # Single node: new indices get no replicas, so they are green, not yellow. (Only honoured as a
  # cluster-state setting, not as a node setting.)
  # shellcheck disable=SC2046
  curl -s -o /dev/null $(auth_args) -XPUT "$URL/_cluster/settings" -H 'content-type: application/json' \
    -d '{"persistent":{"cluster.default_number_of_replicas":0}}' || true
  print_env | tee "$DIR/env"
}

stop() {
  if ! pid_running; then rm -f "$PIDFILE"; log "not running"; return 0; fi
  local pid; pid="$(cat "$PIDFILE")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "pid $pid did not stop on TERM; sending KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
  log "stopped"
}

reset() {
  local was_running=0
  if pid_running; then was_running=1; stop; fi
  rm -rf "$NODE_HOME"
  log "data deleted"
  if [ "$was_running" = 1 ]; then start; fi
}

status() {
  if pid_running && [ -s "$DIR/env" ]; then cat "$DIR/env"; else print_env; fi
  if pid_running; then echo "SEARCH_PID=$(cat "$PIDFILE")"; echo "running"; else echo "stopped"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  reset) reset ;;
  status) status ;;
  env) if pid_running && [ -s "$DIR/env" ]; then cat "$DIR/env"; else print_env; fi ;;
  install) install_if_missing ;;
  *) echo "usage: $0 start|stop|restart|reset|status|env|install" >&2; exit 2 ;;
esac
