#!/usr/bin/env bash
# A real single-node OpenSearch (default; 2.19.6) or Elasticsearch (SEARCH_FLAVOR=elasticsearch;
# 9.5.3) on loopback, for testing seclog's `_bulk` sink.
# No distribution tarball can be downloaded here, so the node is assembled from the project's own
# artifacts on Maven Central: the server jar (which holds the whole document/index REST API: _bulk,
# index templates, data streams, date-math index names, ...) and the Netty HTTP/transport module,
# started through a small launcher written below (the way the projects' own test frameworks start
# an in-JVM node).
#   opensearch:    org.opensearch:opensearch + transport-netty4-client, analysis-common,
#                  mapper-extras-client, ingest-common. Java 17. Optional HTTP auth (below), added by
#                  the launcher, since the security plugin is not part of it: no TLS.
#   elasticsearch: org.elasticsearch:elasticsearch + transport-netty4 (module path, as the real
#                  launcher does). Needs Java 21+ (the Temurin 25 JDK under /usr/lib/jvm is used).
#                  Without the modules that are not on Maven Central: no `GET /` (rest-root), no
#                  `_data_stream` API (data-streams; bulk `create` into a data stream does work), no
#                  ingest pipelines, no x-pack (so no auth, no TLS).
#
#   scripts/services/search.sh start     install if missing, start, print env, wait for yellow
#   scripts/services/search.sh stop
#   scripts/services/search.sh restart   stop + start; indices are kept
#   scripts/services/search.sh reset     delete all data (indices, templates, data streams); restarts if running
#   scripts/services/search.sh status    print env and whether it is running (exit 1 if not)
#   scripts/services/search.sh env       print the env lines only (of the running node, if one runs)
#   scripts/services/search.sh install   only assemble the node (Maven download + javac)
#
# Environment:
#   SECLOG_RUN_DIR          base run directory (default /tmp/seclog-services); this service uses <it>/search
#   SECLOG_CACHE            where the assembled node is kept (default ~/.cache/seclog; Maven's own copies: ~/.m2)
#   SEARCH_FLAVOR           opensearch (default) or elasticsearch; one node at a time per run dir
#   SEARCH_PORT             HTTP port (default 19200); SEARCH_TRANSPORT_PORT (default 19300)
#   SEARCH_USER, SEARCH_PASSWORD   (opensearch) when both are set, every request needs that HTTP Basic auth (else 401)
#   SEARCH_API_KEY          (opensearch) when set, `Authorization: ApiKey <SEARCH_API_KEY>` is accepted too (else 401)
#   SEARCH_HEAP             JVM heap (default 1g)
#   OPENSEARCH_VERSION      (default 2.19.6; 2.x runs on Java 17, 3.x would need Java 21+ and is untested)
#   ELASTICSEARCH_VERSION   (default 9.5.3)
#   JAVA_HOME               JDK to use (default: java/javac on PATH for opensearch; a JDK 21+ under /usr/lib/jvm for elasticsearch)
set -euo pipefail

RUN_ROOT="${SECLOG_RUN_DIR:-/tmp/seclog-services}"
DIR="$RUN_ROOT/search"
PIDFILE="$DIR/search.pid"
# A running node's flavor wins over the environment, so stop/status/reset find it.
if [ -s "$DIR/flavor" ] && [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  FLAVOR="$(cat "$DIR/flavor")"
else
  FLAVOR="${SEARCH_FLAVOR:-opensearch}"
fi
case "$FLAVOR" in
  opensearch) VERSION="${OPENSEARCH_VERSION:-2.19.6}" ;;
  elasticsearch) VERSION="${ELASTICSEARCH_VERSION:-9.5.3}" ;;
  *) echo "search.sh: SEARCH_FLAVOR must be opensearch or elasticsearch" >&2; exit 2 ;;
esac
PORT="${SEARCH_PORT:-19200}"
TPORT="${SEARCH_TRANSPORT_PORT:-19300}"
HOST=127.0.0.1
URL="http://$HOST:$PORT"
HEAP="${SEARCH_HEAP:-1g}"
CACHE_ROOT="${SECLOG_CACHE:-${HOME:-/tmp}/.cache/seclog}"
# The assembled node (jars, launcher) is shared by every run dir; data and logs are per run dir.
DIST="$CACHE_ROOT/search-$FLAVOR-$VERSION"
NODE_HOME="$DIR/home-$FLAVOR"
LOG="$DIR/search.log"

log() { echo "search.sh: $*" >&2; }
# shellcheck source=scripts/services/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

java_major() { # major version of the given java binary
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}

pick_java() { # sets JAVA and JAVAC
  if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; JAVAC="$JAVA_HOME/bin/javac"; return 0; fi
  if [ "$FLAVOR" = opensearch ]; then JAVA=java; JAVAC=javac; return 0; fi
  # Elasticsearch 9 needs Java 21+: the java on PATH if it is one, else the newest JDK under /usr/lib/jvm.
  if command -v javac >/dev/null 2>&1 && [ "$(java_major java)" -ge 21 ] 2>/dev/null; then JAVA=java; JAVAC=javac; return 0; fi
  local d
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    if [ -x "$d/bin/javac" ] && [ "$(java_major "$d/bin/java")" -ge 21 ] 2>/dev/null; then JAVA="${d%/}/bin/java"; JAVAC="${d%/}/bin/javac"; return 0; fi
  done
  log "Elasticsearch $VERSION needs a JDK 21+ (none on PATH or under /usr/lib/jvm; Debian 12 packages only 17): set JAVA_HOME"
  exit 1
}

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
  echo "SEARCH_FLAVOR=$FLAVOR"
  echo "SEARCH_VERSION=$VERSION"
}

write_sources() {
  if [ "$FLAVOR" = opensearch ]; then write_sources_opensearch "$1"; else write_sources_elasticsearch "$1"; fi
}

write_sources_opensearch() {
  local b="$1"
  mkdir -p "$b/src/seclog"
  cat >"$b/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>seclog.services</groupId><artifactId>search-node</artifactId><version>1</version>
  <properties><os.version>$VERSION</os.version></properties>
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

write_sources_elasticsearch() {
  local b="$1"
  mkdir -p "$b/src/seclog"
  cat >"$b/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>seclog.services</groupId><artifactId>search-node-es</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.elasticsearch</groupId><artifactId>elasticsearch</artifactId><version>$VERSION</version></dependency>
    <dependency><groupId>org.elasticsearch.plugin</groupId><artifactId>transport-netty4</artifactId><version>$VERSION</version></dependency>
  </dependencies>
</project>
EOF
  cat >"$b/src/seclog/EsNode.java" <<'EOF'
package seclog;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

/** Starts one Elasticsearch node in this JVM, with the modules under -Dsearch.modules (each with its plugin descriptor). */
public final class EsNode {
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
    Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "seclog-test-node");
    var modules = PluginsLoader.loadModulesBundles(Path.of(System.getProperty("search.modules")), false);
    Node node = new Node(env, PluginsLoader.createPluginsLoader(modules, Set.of(), Map.of()));
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
    System.out.println("seclog search node (elasticsearch) started on http://127.0.0.1:" + port);
    closed.await();
  }
}
EOF
}

install_if_missing() {
  mkdir -p "$DIR" "$CACHE_ROOT"
  pick_java
  local stamp_want
  stamp_want="$FLAVOR $VERSION $(sed -n '/^write_sources()/,/^install_if_missing_end()/p' "${BASH_SOURCE[0]}" | cksum | cut -d' ' -f1)"
  if [ -f "$DIST/.stamp" ] && [ "$(cat "$DIST/.stamp")" = "$stamp_want" ]; then return 0; fi
  # One assembler at a time per flavor and version (two run dirs may start the same node at once).
  exec 8>"$DIST.lock"
  flock -w 900 8 || { log "timed out waiting for $DIST.lock"; exit 1; }
  if [ -f "$DIST/.stamp" ] && [ "$(cat "$DIST/.stamp")" = "$stamp_want" ]; then exec 8>&-; return 0; fi
  local need=()
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v unzip >/dev/null 2>&1 || need+=(unzip)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
  if ! command -v "$JAVAC" >/dev/null 2>&1 && [ ! -x "$JAVAC" ]; then need+=(openjdk-17-jdk-headless); fi
  apt_install "$DIR/apt.log" "${need[@]}"
  log "assembling $FLAVOR $VERSION from Maven Central into $DIST"
  rm -rf "$DIR"/dist-*   # where older versions of this script assembled it
  local b="$DIST.build"
  rm -rf "$b" "$DIST"
  write_sources "$b"
  maven_fetch "$b" "$b/lib" "$DIR/mvn.log" || { cat "$DIR/mvn.log" >&2; log "maven failed, see $DIR/mvn.log"; exit 1; }
  if [ "$FLAVOR" = opensearch ]; then
    # The server jar declares log4j-core optional (the distribution ships it): add the one matching log4j-api.
    local l4j
    l4j="$(cd "$b/lib" && ls log4j-api-*.jar | sed -E 's/^log4j-api-(.*)\.jar$/\1/' | head -1)"
    mkdir -p "$b/log4j"
    cat >"$b/log4j/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>seclog.services</groupId><artifactId>search-node-log4j</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$l4j</version>
      <exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency>
  </dependencies>
</project>
EOF
    maven_fetch "$b/log4j" "$b/lib" "$DIR/mvn-log4j.log" || { cat "$DIR/mvn-log4j.log" >&2; log "maven failed (log4j-core $l4j), see $DIR/mvn-log4j.log"; exit 1; }
    mkdir -p "$b/classes"
    "$JAVAC" -nowarn -d "$b/classes" -cp "$b/lib/*" "$b/src/seclog/SearchNode.java" >"$DIR/javac.log" 2>&1 \
      || { cat "$DIR/javac.log" >&2; log "javac failed"; exit 1; }
  else
    # The module goes in its own directory with the plugin descriptor and entitlement policy that its
    # jar carries (META-INF/es-plugins/<name>/): the layout of the distribution's modules/ directory.
    # Its own jar and Netty move there; what it shares with the server (ssl-config, ...) stays on the
    # server's module path, as in the distribution.
    local m="$b/modules/transport-netty4" jar
    mkdir -p "$m"
    mv "$b"/lib/transport-netty4-*.jar "$b"/lib/netty-*.jar "$m/"
    jar="$(ls "$m"/transport-netty4-*.jar)"
    unzip -p "$jar" META-INF/es-plugins/transport-netty4/plugin-descriptor.properties >"$m/plugin-descriptor.properties"
    unzip -p "$jar" META-INF/es-plugins/transport-netty4/entitlement-policy.yaml >"$m/entitlement-policy.yaml" 2>/dev/null || rm -f "$m/entitlement-policy.yaml"
    [ -s "$m/plugin-descriptor.properties" ] || { log "no plugin descriptor in $jar"; exit 1; }
    mkdir -p "$b/classes"
    "$JAVAC" -nowarn -d "$b/classes" -cp "$b/lib/*" "$b/src/seclog/EsNode.java" >"$DIR/javac.log" 2>&1 \
      || { cat "$DIR/javac.log" >&2; log "javac failed"; exit 1; }
  fi
  echo "$stamp_want" >"$b/.stamp"
  mv "$b" "$DIST"
  exec 8>&-
}
install_if_missing_end() { :; }

pid_running() { pidfile_running "$PIDFILE"; }

port_listening() { tcp_listening "$HOST" "$1"; }

start() {
  mkdir -p "$DIR"
  if pid_running; then log "already running (pid $(cat "$PIDFILE"))"; print_env; return 0; fi
  if [ "$FLAVOR" = elasticsearch ] && [ -n "${SEARCH_USER:-}${SEARCH_PASSWORD:-}${SEARCH_API_KEY:-}" ]; then
    log "auth is not available with SEARCH_FLAVOR=elasticsearch (no x-pack security): unset SEARCH_USER/SEARCH_PASSWORD/SEARCH_API_KEY"
    exit 1
  fi
  install_if_missing
  for p in "$PORT" "$TPORT"; do
    if port_listening "$p"; then log "port $p is already taken by another process"; exit 1; fi
  done
  mkdir -p "$NODE_HOME/config"
  local jvm=(-Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -Djava.awt.headless=true -Dfile.encoding=UTF-8
    -Dlog4j2.formatMsgNoLookups=true -Dlog4j.shutdownHookEnabled=false -Dio.netty.allocator.numDirectArenas=0
    -Dsearch.home="$NODE_HOME" -Dsearch.port="$PORT" -Dsearch.transport.port="$TPORT")
  if [ "$FLAVOR" = opensearch ]; then
    jvm+=(-cp "$DIST/classes:$DIST/lib/*" seclog.SearchNode)
  else
    # The server is a named module (it reads its own module descriptor), so it goes on the module path.
    jvm+=(--module-path "$DIST/lib" --add-modules ALL-MODULE-PATH,jdk.incubator.vector --enable-native-access=ALL-UNNAMED
      -Dsearch.modules="$DIST/modules" -cp "$DIST/classes" seclog.EsNode)
  fi
  echo "$FLAVOR" >"$DIR/flavor"
  setsid nohup "$JAVA" "${jvm[@]}" >"$LOG" 2>&1 </dev/null &
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
  if [ "$FLAVOR" = opensearch ]; then
    # Single node: new indices get no replicas, so they are green, not yellow. (Only honoured as a
    # cluster-state setting, not as a node setting. Elasticsearch has no such setting.)
    # shellcheck disable=SC2046
    curl -s -o /dev/null $(auth_args) -XPUT "$URL/_cluster/settings" -H 'content-type: application/json' \
      -d '{"persistent":{"cluster.default_number_of_replicas":0}}' || true
  fi
  print_env | tee "$DIR/env"
}

stop() { pidfile_stop "$PIDFILE" 30; }

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
