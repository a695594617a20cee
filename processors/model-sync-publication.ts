import type { Serde } from '../serdes/serde';

/**
 * What an instance publishes to `<app.id>-model-sync` at a sync (keyed by its instance): its
 * parameters after the sync, and the records it trained since its previous publication, which
 * is how much they count in the others' averages.
 */
export interface SyncPublication {
  readonly instance: string;
  readonly records: number;
  /** The publisher's wall clock: a peer silent for longer than `sync.peerTimeoutMs` drops out. */
  readonly publishedAt: number;
  /** Publications by this instance so far, this one included. */
  readonly sequence: number;
  /**
   * Per peer, the `publishedAt` of its newest publication averaged into these parameters: a
   * reader whose latest publication is not in them counts its own contribution again.
   */
  readonly averaged: Readonly<Record<string, number>>;
  /** The model's parameters, as the app's ParameterAveraging writes them (model/parameter-average.ts). */
  readonly parameters: Uint8Array;
}

const VERSION = 1;
const PREFIX_BYTES = 8;

/**
 * A publication on the wire: u32 LE version, u32 LE length J of a JSON header (instance,
 * records, publishedAt, sequence, averaged), the header, then the parameters' bytes. The header is read
 * without touching the parameters, so a reader decodes only the parameters it averages.
 */
export function syncPublicationSerde(): Serde<SyncPublication | null> {
  return {
    serialize: (p) => {
      if (p === null) return null;
      const header = Buffer.from(JSON.stringify({ instance: p.instance, records: p.records, publishedAt: p.publishedAt, sequence: p.sequence, averaged: p.averaged }), 'utf8');
      const prefix = Buffer.alloc(PREFIX_BYTES);
      prefix.writeUInt32LE(VERSION, 0);
      prefix.writeUInt32LE(header.length, 4);
      return Buffer.concat([prefix, header, p.parameters]);
    },
    deserialize: (bytes) => {
      if (bytes === null) return null;
      const fail = (why: string): never => {
        throw new Error(`a model-sync publication ${why}; the topic holds records not written by this app's model sync`);
      };
      if (bytes.length < PREFIX_BYTES || bytes.readUInt32LE(0) !== VERSION) return fail(`does not start with format version ${VERSION}`);
      const length = bytes.readUInt32LE(4);
      if (PREFIX_BYTES + length > bytes.length) return fail(`says its header is ${length} bytes, more than the record holds`);
      let header: unknown;
      try {
        header = JSON.parse(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + length).toString('utf8'));
      } catch {
        return fail('has a header that is not JSON');
      }
      const h = header as Partial<Record<keyof SyncPublication, unknown>>;
      if (typeof h.instance !== 'string' || typeof h.records !== 'number' || typeof h.publishedAt !== 'number' || typeof h.sequence !== 'number' || !isTimes(h.averaged)) {
        return fail('has a header without instance, records, publishedAt, sequence and averaged');
      }
      const { instance, records, publishedAt, sequence, averaged } = h;
      return { instance, records, publishedAt, sequence, averaged, parameters: bytes.subarray(PREFIX_BYTES + length) };
    },
  };
}

function isTimes(value: unknown): value is Record<string, number> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((t) => typeof t === 'number');
}
