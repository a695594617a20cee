import { randomUUID } from 'node:crypto';
import { KafkaConsumer, type Message } from 'node-rdkafka';
import { call } from './callbacks';
import { consumerSettings, consumerTopicSettings, type ClientSettings } from './settings';

export const OFFSET_BEGINNING = -2;
const DEADLINE_MS = 120000;

/**
 * A consumer of ours that reads by assignment (never a member of the app's group, never
 * committing): read_committed, with the app's record size limits, and end-of-partition events
 * for readToEnd. `purpose` names it.
 */
export function assignedConsumer(settings: ClientSettings, purpose: string): KafkaConsumer {
  const base = { ...consumerSettings(settings) };
  delete base['group.instance.id'];
  return new KafkaConsumer(
    {
      ...base,
      'group.id': `${settings.appId}-${purpose}-${randomUUID()}`,
      'client.id': `${settings.appId}-${settings.instance}-${purpose}`,
      'enable.partition.eof': true,
    },
    consumerTopicSettings,
  );
}

/**
 * Assigns `topic`'s partitions at `starts[i]` (partition `partitions[i]`) and hands every message
 * to `onMessage` until each partition has been read to its high watermark as first seen; the
 * assignment stays (a caller that is done unassigns). `batch` bounds the messages held at once
 * (checkpoints are megabytes each).
 *
 * read_committed ends a partition at its last stable offset, the first offset of the oldest open
 * transaction, not at its high watermark: while another instance's transaction is open on the
 * shared changelog, this instance's own newer committed checkpoints lie beyond it. So an end is
 * reached only at the high watermark of the first fetch, waiting (within the deadline) for open
 * transactions to commit or abort; stopping at the first end restored an older checkpoint of
 * this instance (CI caught it: window numbers ran again).
 */
export async function readToEnd(
  consumer: KafkaConsumer,
  topic: string,
  partitions: readonly number[],
  starts: readonly number[],
  batch: number,
  onMessage: (message: Message) => void,
): Promise<void> {
  // Per partition, the high watermark its first fetch response reported (getWatermarkOffsets'
  // cache; asked directly, queryWatermarkOffsets, a read_committed client gets the last stable
  // offset instead). A partition is read once an end-of-partition event or a message reaches it:
  // a message at or past it means every committed record before it has been delivered, so a
  // reader need not catch the exact end of a changelog another instance keeps writing to.
  const target = new Map<number, number>();
  const targetOf = (partition: number): number => {
    const known = target.get(partition);
    if (known !== undefined) return known;
    const high = consumer.getWatermarkOffsets(topic, partition).highOffset;
    target.set(partition, high);
    return high;
  };
  const read = new Set<number>();
  const onEof = (eof: { partition: number; offset: number }) => {
    if (eof.offset >= targetOf(eof.partition)) read.add(eof.partition);
  };
  const atEnd = () => read.size >= partitions.length;
  consumer.on('partition.eof', onEof);
  consumer.assign(partitions.map((partition, i) => ({ topic, partition, offset: starts[i] ?? OFFSET_BEGINNING })));
  consumer.setDefaultConsumeTimeout(200);
  const deadline = Date.now() + DEADLINE_MS;
  try {
    while (!atEnd()) {
      if (Date.now() > deadline) {
        throw new Error(
          `topic ${topic} could not be read to its end within ${DEADLINE_MS / 1000} s: check the broker, and whether a transaction holds it open ` +
            '(the broker aborts a dead producer\'s transaction after its transaction.timeout.ms)',
        );
      }
      for (const m of await call<Message[]>((cb) => consumer.consume(batch, cb))) {
        if (m.offset >= targetOf(m.partition)) read.add(m.partition);
        onMessage(m);
      }
    }
  } finally {
    consumer.removeListener('partition.eof', onEof);
  }
}
