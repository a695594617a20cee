#!/usr/bin/env bash
# Starts a local single-node Apache Kafka (KRaft broker+controller) on 127.0.0.1:$KAFKA_PORT
# (default 9092; controller on KAFKA_PORT+1) in the background and waits until it serves.
#   data:  kafka/.data/<port>/   (formatted on first start, kept across restarts)
#   logs:  kafka/.logs/<port>/server.log
# Downloads the jars with Maven on first use (kafka/fetch.sh). Running it again while the
# broker runs only reports it. Stop it with kafka/stop.sh (same KAFKA_PORT).
#   KAFKA_START_TIMEOUT  seconds to wait for the broker (default 60)
#   KAFKA_HEAP_OPTS      JVM heap options (default "-Xms128m -Xmx512m")
#   KAFKA_CDS=0          do not use or create the JVM class-data-sharing archive (which makes
#                        starts about twice as fast; see kafka_cds_archive in common.sh)
#   KAFKA_SERVER_OVERRIDES  extra broker settings, "key=value key=value ...", applied on top of
#                        kafka/server.properties (e.g. "log.retention.hours=1")
set -euo pipefail
# shellcheck source=kafka/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
kafka_usage_or_no_args "${BASH_SOURCE[0]}" "$@"

TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
# any valid Kafka cluster id (22 chars of url-safe base64 of 16 bytes); fixed so that it is
# the same on every machine and in every test run
CLUSTER_ID="${KAFKA_CLUSTER_ID:-c3RyZWFtdHJhaW4tbG9jYQ}"
PROPS="$KAFKA_DATA/server.properties"
LOG_DIRS="$KAFKA_DATA/logs"
SERVER_LOG="$KAFKA_LOGS/server.log"
STDOUT_LOG="$KAFKA_LOGS/stdout.log"

kafka_require_java
bash "$KAFKA_DIR/fetch.sh"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_DIR/pom.xml")"

mkdir -p "$KAFKA_DATA" "$KAFKA_LOGS"
# one start.sh at a time per port (e.g. two test runs starting together)
if command -v flock >/dev/null 2>&1; then
  exec 9>"$KAFKA_DATA/start.lock"
  flock 9
fi

started_at=$(date +%s)
elapsed() { echo $(($(date +%s) - started_at)); }

# 0 when the broker serves: the port accepts connections and this run's log says it started
# (KafkaRaftServer logs "Kafka Server started" once the broker is registered and unfenced)
log_offset=0
is_ready() {
  kafka_port_open "$KAFKA_PORT" || return 1
  [ -f "$SERVER_LOG" ] || return 1
  # the log rolled over (50 MB) since the start: read the new file from its beginning
  [ "$(wc -c <"$SERVER_LOG" | tr -d ' ')" -ge "$log_offset" ] || log_offset=0
  tail -c "+$((log_offset + 1))" "$SERVER_LOG" 2>/dev/null | grep -q 'Kafka Server started'
}

show_logs() {
  kafka_err "last lines of $SERVER_LOG:"
  tail -n 40 "$SERVER_LOG" 2>/dev/null | sed 's/^/    /' >&2 || true
  if [ -s "$STDOUT_LOG" ]; then
    kafka_err "last lines of $STDOUT_LOG:"
    tail -n 15 "$STDOUT_LOG" | sed 's/^/    /' >&2
  fi
}

if pid="$(kafka_running_pid)"; then
  # ours and alive; it may still be starting (another start.sh launched it)
  for _ in $(seq 1 $((TIMEOUT * 5))); do
    kafka_port_open "$KAFKA_PORT" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kafka_port_open "$KAFKA_PORT"; then
    kafka_log "already running (pid $pid) on $KAFKA_BOOTSTRAP"
    echo "KAFKA_BROKERS=$KAFKA_BOOTSTRAP"
    exit 0
  fi
  kafka_err "broker pid $pid is alive but does not listen on $KAFKA_BOOTSTRAP; stop it with"
  kafka_err "KAFKA_PORT=$KAFKA_PORT bash kafka/stop.sh and start again"
  show_logs
  exit 1
fi
rm -f "$KAFKA_PID_FILE"

for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
  if kafka_port_open "$p"; then
    kafka_err "port $p on $KAFKA_HOST is already in use by another process (not a broker started"
    kafka_err "from this checkout). If it is a Kafka broker, use it: KAFKA_BROKERS=$KAFKA_HOST:$p;"
    kafka_err "otherwise pick other ports: KAFKA_PORT=<port> (controller on port+1)."
    exit 1
  fi
done

sed -e "s|@PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
  -e "s|@LOG_DIRS@|$LOG_DIRS|g" "$KAFKA_DIR/server.properties" >"$PROPS"
if [ -n "${KAFKA_SERVER_OVERRIDES:-}" ]; then
  printf '\n# KAFKA_SERVER_OVERRIDES (the last value of a key wins)\n' >>"$PROPS"
  for kv in $KAFKA_SERVER_OVERRIDES; do printf '%s\n' "$kv" >>"$PROPS"; done
fi

if [ ! -f "$LOG_DIRS/meta.properties" ]; then
  kafka_log "formatting $LOG_DIRS (cluster id $CLUSTER_ID)"
  if ! out="$(kafka_tool kafka.tools.StorageTool format --cluster-id "$CLUSTER_ID" \
                --config "$PROPS" --ignore-formatted 2>&1)"; then
    printf '%s\n' "$out" >&2
    kafka_err "formatting the storage failed"
    exit 1
  fi
fi

[ -f "$SERVER_LOG" ] && log_offset=$(wc -c <"$SERVER_LOG" | tr -d ' ')
printf '\n===== %s start (Kafka %s, port %s) =====\n' "$(date '+%F %T')" "$version" "$KAFKA_PORT" >>"$STDOUT_LOG"

# shellcheck disable=SC2206
heap=(${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m})
# AppCDS (Java 17 has no -XX:+AutoCreateSharedArchive): use the archive when there is one, else
# have this JVM write one when it exits; stop.sh puts it in place after a clean exit
cds=()
if [ "${KAFKA_CDS:-1}" != 0 ]; then
  archive="$(kafka_cds_archive)"
  if [ -s "$archive" ]; then
    cds=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
  else
    cds=(-XX:ArchiveClassesAtExit="$archive.$KAFKA_PORT.tmp" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
fi
jvm=(
  "${heap[@]}" ${cds[@]+"${cds[@]}"}
  -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
  -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true -Dlog4j2.shutdownHookEnabled=false
  -Dkafka.logs.dir="$KAFKA_LOGS"
  -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties"
  -cp "$KAFKA_JARS/*"
)
launcher=()
command -v setsid >/dev/null 2>&1 && launcher=(setsid)
# detached from this shell and its terminal (its own session when setsid exists), so that it
# outlives the command that started it; all stdio goes to files, and the start lock (fd 9) is
# not inherited (the broker would hold it for its lifetime). The small bash writes its own pid
# and then becomes the JVM (exec), so the pid file is right even if setsid had to fork.
# shellcheck disable=SC2016  # $$, $0 and $@ are the inner bash's
${launcher[@]+"${launcher[@]}"} nohup bash -c 'echo $$ >"$0" && exec "$@"' "$KAFKA_PID_FILE" \
  "$JAVA" "${jvm[@]}" kafka.Kafka "$PROPS" </dev/null >>"$STDOUT_LOG" 2>&1 9>&- &
for _ in $(seq 1 50); do
  [ -s "$KAFKA_PID_FILE" ] && break
  sleep 0.1
done
pid="$(cat "$KAFKA_PID_FILE" 2>/dev/null || true)"
if [ -z "$pid" ]; then
  kafka_err "could not launch the broker JVM"
  show_logs
  exit 1
fi
kafka_log "starting Kafka $version (pid $pid) on $KAFKA_BOOTSTRAP, controller on port $KAFKA_CONTROLLER_PORT ..."

deadline=$((started_at + TIMEOUT))
until is_ready; do
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$KAFKA_PID_FILE"
    kafka_err "the broker exited during startup"
    show_logs
    exit 1
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    kafka_err "the broker did not come up within ${TIMEOUT}s; stopping it"
    show_logs
    KAFKA_PORT="$KAFKA_PORT" bash "$KAFKA_DIR/stop.sh" >&2 || true
    exit 1
  fi
  sleep 0.2
done

kafka_log "Kafka $version is up after $(elapsed)s (pid $pid; data kafka/.data/$KAFKA_PORT, logs kafka/.logs/$KAFKA_PORT)"
echo "KAFKA_BROKERS=$KAFKA_BOOTSTRAP"
