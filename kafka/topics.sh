#!/usr/bin/env bash
# Topic admin with Kafka's own TopicCommand against the local broker (or $KAFKA_BROKERS):
#   bash kafka/topics.sh                                   # list
#   bash kafka/topics.sh --describe [--topic NAME]
#   bash kafka/topics.sh --create --topic NAME [--partitions 3] [--config max.message.bytes=20000000]
#   bash kafka/topics.sh --delete --topic NAME
# Any kafka-topics.sh option works. KAFKA_PORT selects the local broker (default 9092).
set -euo pipefail
# shellcheck source=kafka/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

kafka_require_java
bash "$KAFKA_DIR/fetch.sh"
[ $# -eq 0 ] && set -- --list
kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "${KAFKA_BROKERS:-$KAFKA_BOOTSTRAP}" "$@"
