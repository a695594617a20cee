import type { AppConfig } from '../config/load';
import { mnistTopology } from '../cli/mnist-app';
import { loadMnist } from '../data/mnist';
import { encodeMnistRecords, mnistRecordKey } from '../serdes';
import { ManualClock, MemoryIO } from '../topology/memory-io';
import { memoryLogger } from '../topology/logger';
import { StreamLoop } from '../topology/stream-loop';
import { idleLearner } from './kafka-pipeline';

export interface EngineFigures {
  readonly records: number;
  readonly recordsPerSecond: number;
  readonly microsPerRecord: number;
}

/**
 * The engine alone: the MNIST topology (decode, window, a learner that does nothing) run by the
 * same loop as on Kafka, over MemoryIO, the records already in memory. What consume+decode+window
 * costs our code on one core; the rest of the through-the-broker figure is the Kafka client's.
 */
export async function engineThroughput(config: AppConfig, records: number): Promise<EngineFigures> {
  await timedRun(config, Math.min(records, 20000)); // a warm-up: the figure is of compiled code, as in a long run
  const { done, seconds } = await timedRun(config, records);
  return { records: done, recordsPerSecond: done / seconds, microsPerRecord: (seconds * 1e6) / done };
}

async function timedRun(config: AppConfig, records: number): Promise<{ done: number; seconds: number }> {
  const topology = mnistTopology(config, async () => idleLearner(), null);
  const io = new MemoryIO(new ManualClock(0), topology.sourceTopics());
  const topic = config.topics.source;
  io.createTopic(topic, 1);
  const train = loadMnist('train');
  const pixels = train.rows * train.cols;
  const wire = encodeMnistRecords(train.images, train.labels, train.rows, { classes: config.model.classes });
  for (let i = 0; i < records; i += 1) {
    const index = i % train.count;
    io.append(topic, 0, Buffer.from(mnistRecordKey(index)), wire.subarray(index * (pixels + 1), (index + 1) * (pixels + 1)), i);
  }
  const loop = new StreamLoop(topology, io, { appId: config.app.id, log: memoryLogger(), maxPollRecords: 500, pollTimeoutMs: 0, commitIntervalMs: null, idleNoticeAfterMs: null });
  await loop.start();
  const started = performance.now();
  let done = 0;
  for (let n = await loop.pollOnce(); n > 0; n = await loop.pollOnce()) done += n;
  return { done, seconds: (performance.now() - started) / 1000 };
}
