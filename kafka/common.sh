# shellcheck shell=bash disable=SC2034  # the variables are used by the scripts that source this
# Shared by kafka/*.sh (sourced, not run). Sets paths, the port and the java command.
#
# Environment:
#   KAFKA_PORT        broker port on 127.0.0.1 (default 9092); the KRaft controller
#                     listens on KAFKA_CONTROLLER_PORT (default KAFKA_PORT+1)
#   KAFKA_HEAP_OPTS   JVM heap (default "-Xms256m -Xmx512m")
#   KAFKA_CLUSTER_ID  cluster id used when formatting a new data dir (fixed default)
#   JAVA_HOME         a Java 17+ to use instead of the `java` on PATH

KAFKA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_JARS="$KAFKA_DIR/.jars"
KAFKA_PORT="${KAFKA_PORT:-9092}"
case "$KAFKA_PORT" in
  '' | *[!0-9]*) printf 'KAFKA_PORT must be a port number, got %s\n' "'$KAFKA_PORT'" >&2; exit 2 ;;
esac
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_HOST=127.0.0.1
KAFKA_BOOTSTRAP="$KAFKA_HOST:$KAFKA_PORT"
KAFKA_DATA="$KAFKA_DIR/.data/$KAFKA_PORT"        # server.properties, pid file, log.dirs
KAFKA_LOGS="$KAFKA_DIR/.logs/$KAFKA_PORT"        # server.log (log4j2), stdout.log (JVM)
KAFKA_PID_FILE="$KAFKA_DATA/broker.pid"

kafka_log() { printf '[kafka:%s] %s\n' "$KAFKA_PORT" "$*"; }
kafka_err() { printf '[kafka:%s] %s\n' "$KAFKA_PORT" "$*" >&2; }

kafka_alternatives() {
  cat >&2 <<'MSG'
  Or, without Java and Maven:
    - point the app and the tests at an existing cluster:  KAFKA_BROKERS=host:port
    - or run Kafka in Docker from the project root:         docker compose up -d
      (then KAFKA_BROKERS=127.0.0.1:9092)
MSG
}

# Sets JAVA to a Java 17+ binary or exits with a message.
kafka_require_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    JAVA="$(command -v java)"
  else
    kafka_err "Java 17 or newer is needed to run the local Kafka broker, and no 'java' was found."
    kafka_err "Install a JDK/JRE 17+ (e.g. 'apt-get install openjdk-17-jre-headless', 'brew install openjdk@17')"
    kafka_err "or set JAVA_HOME to one."
    kafka_alternatives
    exit 1
  fi
  local v major
  v="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  major="${v%%.*}"
  [ "$major" = 1 ] && major="$(printf '%s' "$v" | cut -d. -f2)"   # 1.8.0_x -> 8
  case "$major" in '' | *[!0-9]*) major=0 ;; esac
  if [ "$major" -lt 17 ]; then
    kafka_err "Kafka 4 needs Java 17 or newer; '$JAVA' is version '${v:-unknown}'."
    kafka_err "Install a JDK/JRE 17+ and put it first on PATH or set JAVA_HOME to it."
    kafka_alternatives
    exit 1
  fi
  JAVA_VERSION="$v"
}

# The class-data-sharing archive of the broker JVM for this Java and this jars directory (the
# archive is only valid for both): loading Kafka's classes from it instead of the jars makes a
# start about twice as fast. start.sh creates it at the first broker's exit (stop.sh moves it in).
kafka_cds_archive() {
  local id
  id="$(printf '%s %s' "$JAVA_VERSION" "$KAFKA_JARS" | cksum | cut -d' ' -f1)"
  printf '%s\n' "$KAFKA_JARS/kafka-cds-$id.jsa"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
kafka_port_open() {
  (exec 3<>"/dev/tcp/$KAFKA_HOST/$1") >/dev/null 2>&1
}

# Prints the pid from the pid file when that process is alive and is our broker.
kafka_running_pid() {
  [ -f "$KAFKA_PID_FILE" ] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$KAFKA_PID_FILE")"
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # guard against a recycled pid: the process must be a JVM running kafka.Kafka
  ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  printf '%s\n' "$pid"
}

# Runs a Kafka CLI class from the jars, e.g. kafka_tool org.apache.kafka.tools.TopicCommand --list ...
kafka_tool() {
  local main="$1"; shift
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2-tools.properties" \
    -cp "$KAFKA_JARS/*" "$main" "$@"
}

# The scripts take no arguments (they read the environment): --help prints the script's header
# comment, anything else is an error, so that `npm run kafka:start -- --port 1234` does not
# silently start a broker on 9092.
kafka_usage_or_no_args() {
  local script="$1"
  shift
  case "${1:-}" in
    '') return 0 ;;
    -h | --help)
      sed -n '2,/^[^#]/{/^#/{s/^# \{0,1\}//;p;};}' "$script"
      exit 0
      ;;
    *)
      printf '%s takes no arguments (got %s); it reads the environment, e.g. KAFKA_PORT=19092. --help lists the variables\n' \
        "kafka/$(basename "$script")" "'$1'" >&2
      exit 2
      ;;
  esac
}
