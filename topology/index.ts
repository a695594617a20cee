// The topology core: the DSL, the engine and the test driver. It imports neither node-rdkafka
// nor TensorFlow.js; the node-rdkafka runtime is `./kafka/` (KafkaStreamsApp), and
// nothing here imports it, node-rdkafka, TensorFlow.js or MNIST.
export { TopologyBuilder } from './builder';
export type { SinkOptions, SourceOptions, StoreOptions } from './builder';
export { Topology } from './topology';
export type { ProcessorNode, SinkNode, SourceNode, StoreSpec, TopologyNode } from './topology';
export { StreamRecord, textHeader } from './record';
export type { Header, Headers } from './record';
export type { Cancellable, Logger, Processor, ProcessorContext, ProcessorFactory, PunctuationType, Punctuator, RecordMetadata } from './processor';
export { InMemoryKeyValueStore, isCheckpointable } from './state-store';
export type { CheckpointableStore, StateStore } from './state-store';
export { ProcessingError, TopologyError } from './errors';
export { AbortableError, StreamLoop } from './stream-loop';
export type { LoopOptions } from './stream-loop';
export { StreamTask } from './task';
export { TopologyTestDriver, TestInputTopic, TestOutputTopic } from './test-driver';
export type { TestDriverOptions, TestRecord } from './test-driver';
export { ManualClock, MemoryIO } from './memory-io';
export type { Clock, InputRecord, OutputRecord, RuntimeIO, TopicPartition, TopicPartitionOffset } from './seam';
export { createLogger, memoryLogger } from './logger';
