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
 * to `onMessage` until each partition has reached its end; the assignment stays (a caller that
 * is done unassigns). `batch` bounds the messages held at once (checkpoints are megabytes each).
 */
export async function readToEnd(
  consumer: KafkaConsumer,
  topic: string,
  partitions: readonly number[],
  starts: readonly number[],
  batch: number,
  onMessage: (message: Message) => void,
): Promise<void> {
  const atEnd = new Set<number>();
  const onEof = (eof: { partition: number }) => atEnd.add(eof.partition);
  consumer.on('partition.eof', onEof);
  consumer.assign(partitions.map((partition, i) => ({ topic, partition, offset: starts[i] ?? OFFSET_BEGINNING })));
  consumer.setDefaultConsumeTimeout(200);
  const deadline = Date.now() + DEADLINE_MS;
  try {
    while (atEnd.size < partitions.length) {
      if (Date.now() > deadline) throw new Error(`topic ${topic} could not be read to its end within ${DEADLINE_MS / 1000} s; check the broker`);
      for (const m of await call<Message[]>((cb) => consumer.consume(batch, cb))) {
        atEnd.delete(m.partition);
        onMessage(m);
      }
    }
  } finally {
    consumer.removeListener('partition.eof', onEof);
  }
}
