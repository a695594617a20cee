#!/usr/bin/env bash
# Downloads the Kafka broker + tools jars (versions pinned in kafka/pom.xml) from Maven
# Central into kafka/.jars/, once. Does nothing when the jars for the current pom are there.
# FORCE=1 downloads again.
set -euo pipefail
# shellcheck source=kafka/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

POM="$KAFKA_DIR/pom.xml"
STAMP="$KAFKA_JARS/.complete"
# the stamp holds a checksum of the pom, so editing the pom (e.g. the Kafka version) refetches
pom_sum="$(cksum <"$POM" | cut -d' ' -f1)"

fetched() { [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$pom_sum" ]; }
if [ "${FORCE:-0}" != 1 ] && fetched; then
  exit 0
fi
# one download at a time (brokers on two ports starting together); then check again
mkdir -p "$KAFKA_DIR/.data"
if command -v flock >/dev/null 2>&1; then
  exec 8>"$KAFKA_DIR/.data/fetch.lock"
  flock 8
  if [ "${FORCE:-0}" != 1 ] && fetched; then
    exit 0
  fi
fi

kafka_require_java
if ! command -v mvn >/dev/null 2>&1; then
  kafka_err "Maven ('mvn', 3.6+) is needed once, to download the Kafka jars pinned in kafka/pom.xml"
  kafka_err "from Maven Central into kafka/.jars/. Install it (e.g. 'apt-get install maven',"
  kafka_err "'brew install maven', or https://maven.apache.org/download.cgi) and run this again."
  kafka_alternatives
  exit 1
fi

version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")"
kafka_log "downloading Apache Kafka $version jars with Maven into kafka/.jars/ (first run only) ..."
# download straight into kafka/.jars/ (emptied first: no stale jars of another version on the
# classpath); the stamp is written last, so an interrupted download is redone next time
rm -rf "$KAFKA_JARS"
mkdir -p "$KAFKA_JARS"
mvn_log="$KAFKA_JARS/.mvn.log"
if ! mvn -q -B -f "$POM" dependency:copy-dependencies -Djars.dir="$KAFKA_JARS" >"$mvn_log" 2>&1; then
  cat "$mvn_log" >&2
  kafka_err "Maven could not download the Kafka jars (output above). Maven Central must be reachable"
  kafka_err "(a proxy goes in ~/.m2/settings.xml)."
  kafka_alternatives
  exit 1
fi
rm -f "$mvn_log"
printf '%s\n' "$pom_sum" >"$STAMP"
kafka_log "$(find "$KAFKA_JARS" -name '*.jar' | wc -l | tr -d ' ') jars in kafka/.jars/"
