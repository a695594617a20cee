#!/usr/bin/env bash
# Stops the local broker started by kafka/start.sh on $KAFKA_PORT (default 9092): SIGTERM (a
# clean shutdown, so the next start needs no log recovery), then SIGKILL after
# KAFKA_STOP_TIMEOUT seconds (default 30). Does nothing when it is not running.
set -euo pipefail
# shellcheck source=kafka/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
kafka_usage_or_no_args "${BASH_SOURCE[0]}" "$@"

TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

if ! pid="$(kafka_running_pid)"; then
  rm -f "$KAFKA_PID_FILE"
  kafka_log "not running (no broker started from this checkout on port $KAFKA_PORT)"
  exit 0
fi

kafka_log "stopping Kafka (pid $pid) ..."
started_at=$(date +%s)
clean=1
kill -TERM "$pid" 2>/dev/null || true
while kill -0 "$pid" 2>/dev/null; do
  if [ $(($(date +%s) - started_at)) -ge "$TIMEOUT" ]; then
    kafka_err "still running after ${TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    clean=0
    sleep 0.5
    break
  fi
  sleep 0.2
done
rm -f "$KAFKA_PID_FILE"

# a class-data-sharing archive the JVM wrote as it exited (see start.sh): keep it when complete
for tmp in "$KAFKA_JARS"/*.jsa."$KAFKA_PORT".tmp; do
  [ -e "$tmp" ] || continue
  if [ "$clean" = 1 ] && [ -s "$tmp" ]; then mv -f "$tmp" "${tmp%."$KAFKA_PORT".tmp}"; else rm -f "$tmp"; fi
done
kafka_log "stopped after $(($(date +%s) - started_at))s"
