import type { Deserializer } from '../serdes/serde';
import type { Processor, ProcessorContext } from '../topology/processor';
import { textHeader, type StreamRecord } from '../topology/record';
import { readableReason } from './dead-letter-reason';
import type { DecodeOutcome, Example } from './types';

export interface DecodeOptions {
  readonly keyDeserializer: Deserializer<string | null>;
  readonly valueDeserializer: Deserializer<{ readonly pixels: Uint8Array; readonly label: number }>;
  /** The topic the dead-letter child writes to: named once in the log, at the first rejection. */
  readonly deadLetterTopic: string;
}

/**
 * Header names on a dead-lettered record (names unchanged since the first release). `code` is a
 * short id such as `bad-length`; `reason` is the sentence, without ", " or ":" (see
 * dead-letter-reason.ts).
 */
export const DLQ_HEADERS = {
  code: 'streamtrain.error.code',
  reason: 'streamtrain.error',
  topic: 'streamtrain.source.topic',
  partition: 'streamtrain.source.partition',
  offset: 'streamtrain.source.offset',
} as const;

/**
 * Bytes in, typed examples out. A record that cannot be decoded is forwarded as a rejection
 * with its original key, value and headers, plus headers naming the error and where the record
 * came from: the window accounts for its offset and hands it to the dead-letter sink when it
 * closes. Never throws.
 */
export class DecodeProcessor implements Processor<Buffer | null, Buffer | null, Buffer | null, DecodeOutcome> {
  private context!: ProcessorContext<Buffer | null, DecodeOutcome>;
  private toldDeadLetterTopic = false;

  constructor(private readonly options: DecodeOptions) {}

  init(context: ProcessorContext<Buffer | null, DecodeOutcome>): void {
    this.context = context;
  }

  process(record: StreamRecord<Buffer | null, Buffer | null>): void {
    try {
      const key = this.options.keyDeserializer.deserialize(record.key);
      const decoded = this.options.valueDeserializer.deserialize(record.value);
      const example: Example = { key, pixels: decoded.pixels, label: decoded.label };
      this.context.forward(record.withValue<DecodeOutcome>({ kind: 'example', example }));
    } catch (error) {
      const code = errorCode(error);
      const reason = readableReason(error instanceof Error ? error.message : String(error));
      const meta = this.context.recordMetadata();
      const headers = [
        ...record.headers,
        textHeader(DLQ_HEADERS.code, code),
        textHeader(DLQ_HEADERS.reason, reason),
        textHeader(DLQ_HEADERS.topic, meta?.topic ?? ''),
        textHeader(DLQ_HEADERS.partition, String(meta?.partition ?? -1)),
        textHeader(DLQ_HEADERS.offset, String(meta?.offset ?? -1)),
      ];
      const rejected = record.withValue<DecodeOutcome>({
        kind: 'rejected',
        rejection: { code, reason, key: record.key, value: record.value, headers: record.headers },
      });
      this.context.forward(rejected.withHeaders(headers));
      const where = `${meta?.topic}/${meta?.partition}@${meta?.offset}`;
      if (!this.toldDeadLetterTopic) {
        this.toldDeadLetterTopic = true;
        this.context.log.info(
          `records that cannot be decoded go to topic ${this.options.deadLetterTopic} with the reason in headers ` +
            `${DLQ_HEADERS.code} and ${DLQ_HEADERS.reason} (first: ${where}, ${code})`,
        );
      }
      this.context.log.debug(`dead-lettered ${where}: ${reason}`);
    }
  }
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'reason' in error && typeof error.reason === 'string') return error.reason;
  return 'decode-error';
}
