import { CODES, Producer, type LibrdKafkaError } from 'node-rdkafka';
import { loadMnist, type MnistSplit } from '../data';
import { driftedExample, type DriftKind } from '../data/drift';
import { encodeMnistRecords, mnistRecordKey, mnistRecordSerde } from '../serdes';
import { asError, call, delay } from '../topology/kafka/callbacks';

export interface ProduceOptions {
  readonly brokers: string;
  readonly topic: string;
  readonly set: MnistSplit;
  /** Milliseconds between records; 0 = as fast as the broker takes them. */
  readonly delayMs: number;
  /** At most this many records (over all epochs); null = all. */
  readonly limit: number | null;
  readonly epochs: number;
  /** After this many records, send a transformed MNIST (a concept drift); null = never. */
  readonly drift?: { readonly after: number; readonly kind: DriftKind } | null;
  readonly producerSettings?: Readonly<Record<string, string | number | boolean>>;
  /** Called now and then with records sent so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stop early when this returns true. */
  readonly shouldStop?: () => boolean;
}

export interface ProduceResult {
  readonly sent: number;
  readonly failed: number;
  readonly seconds: number;
  readonly firstError: string | null;
}

/**
 * Streams MNIST into a topic in the reference's wire format: key the zero-padded index
 * ("00000"), value the 784 pixel bytes row-major then the label byte. Delivery reports are
 * counted as they come and awaited once at the end (a flush), never one per record.
 */
export async function produceMnist(options: ProduceOptions): Promise<ProduceResult> {
  const data = loadMnist(options.set);
  const serde = mnistRecordSerde({ classes: 10 });
  const pixels = data.rows * data.cols;
  const total = Math.min(options.limit ?? Infinity, data.count * options.epochs);
  // At --delay 0 records are batched hard: up to 20 ms of linger, large batches compressed with
  // lz4 (MNIST digits are mostly zero bytes, about 4x smaller on the wire and on the broker's disk).
  const fast = options.delayMs === 0;
  const producer = new Producer({
    'bootstrap.servers': options.brokers,
    'client.id': 'streamtrain-producer',
    'enable.idempotence': true,
    'linger.ms': fast ? 20 : 0,
    'batch.num.messages': 100000,
    'batch.size': 4 * 1024 * 1024,
    'compression.type': fast ? 'lz4' : 'none',
    'queue.buffering.max.messages': 500000,
    'queue.buffering.max.kbytes': 512 * 1024,
    dr_cb: true,
    ...options.producerSettings,
  });
  let delivered = 0;
  let failed = 0;
  let firstError: string | null = null;
  producer.on('delivery-report', (err: LibrdKafkaError | null) => {
    if (err) {
      failed += 1;
      firstError ??= err.message;
    } else delivered += 1;
  });
  producer.setPollInterval(20);
  await call((cb) => producer.connect({ timeout: 15000 }, (err) => cb(err, undefined)));
  const started = performance.now();
  let produced = 0;
  // Every record the run sends, in the wire format, encoded in one pass (as many as there are
  // distinct indexes); each record is then a view of it. One key and one value Buffer per
  // index, made once: later epochs reuse them (librdkafka copies what it sends).
  const distinct = Math.min(total, data.count);
  const wire = encodeMnistRecords(data.images.subarray(0, distinct * pixels), data.labels.subarray(0, distinct), data.rows, { classes: 10 });
  const keys: Buffer[] = [];
  const values: Buffer[] = [];
  try {
    for (; produced < total; produced += 1) {
      const index = produced % data.count;
      let value: Buffer | null = (values[index] ??= wire.subarray(index * (pixels + 1), (index + 1) * (pixels + 1)));
      if (options.drift && produced >= options.drift.after) {
        const drifted = driftedExample(options.drift.kind, data.images.subarray(index * pixels, (index + 1) * pixels), data.labels[index] ?? 0, data.rows);
        value = serde.serialize({ ...drifted, size: data.rows });
      }
      keys[index] ??= Buffer.from(mnistRecordKey(index), 'utf8');
      if (!tryProduce(producer, options.topic, value, keys[index])) {
        produced -= 1; // not queued: try the same record again once librdkafka has room
        producer.poll();
        await delay(2);
        continue;
      }
      // Without a delay the loop only yields now and then, so that delivery reports, progress and
      // a stop request get their turn without costing a promise per record.
      if (produced % 5000 === 0) {
        options.onProgress?.(produced, total);
        if (options.shouldStop?.()) break;
        if (options.delayMs === 0) await new Promise<void>((resolve) => setImmediate(resolve)); // not a timer: no 1 ms wait
      }
      if (options.delayMs > 0) {
        if (options.shouldStop?.()) break;
        await delay(options.delayMs);
      }
    }
    await call((cb) => producer.flush(120000, (err) => cb(err, undefined)));
    // flush() empties librdkafka's queue; the reports still reach us through poll events.
    const deadline = Date.now() + 30000;
    while (delivered + failed < produced && Date.now() < deadline) {
      producer.poll();
      await delay(10);
    }
  } finally {
    await call((cb) => producer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }
  options.onProgress?.(produced, total);
  const seconds = (performance.now() - started) / 1000;
  failed += produced - delivered - failed; // reports that never came count as failures
  return { sent: delivered, failed, seconds, firstError };
}

/** Queues one record; false when librdkafka's queue is full (the broker is slower than we are). */
function tryProduce(producer: Producer, topic: string, value: Buffer | null, key: Buffer): boolean {
  try {
    producer.produce(topic, null, value, key, null); // no timestamp: librdkafka stamps it with the time it is queued
    return true;
  } catch (error) {
    if (asError(error as Error).code !== CODES.ERRORS.ERR__QUEUE_FULL) throw error;
    return false;
  }
}
