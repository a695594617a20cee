// A layer around the checkpoint file of checkpoint-format.ts, which it treats as opaque bytes:
//
//   offset 0   4 bytes  magic "STCZ"
//          4   u32 LE   codec (1: the bytes split into four planes, then Brotli)
//          8   u32 LE   length of the checkpoint file once decompressed
//         12   ...      the compressed bytes
//
// The float32 weights and Adam's moments compress poorly as they lie (gzip: -6%); their sign and
// exponent bytes are alike, so the bytes are regrouped by their position in each 4-byte word
// first (byte 0 of every word, then byte 1, ...), which makes them compress twice as well.
// Brotli at quality 1 is both smaller and faster than gzip here, and a fifth of quality 4's
// time for 2% more bytes (bench/checkpoint-cost.ts: a commit waits for it). An uncompressed checkpoint
// (magic "STCK", written before this layer existed) is passed through unchanged, so old
// changelogs still restore.
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import { promisify } from 'node:util';
import { CheckpointFormatError } from './errors';

const MAGIC = 'STCZ';
const UNCOMPRESSED_MAGIC = 'STCK';
const CODEC_PLANES_BROTLI = 1;
const PREFIX_BYTES = 12;
const WORD = 4;

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

function magicOf(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes.subarray(0, 4));
}

/** Byte i of every word, for i = 0..3, then the bytes after the last whole word. */
function toPlanes(bytes: Uint8Array): Uint8Array {
  const words = Math.floor(bytes.length / WORD);
  const out = new Uint8Array(bytes.length);
  for (let k = 0; k < WORD; k++) {
    const plane = k * words;
    for (let i = 0; i < words; i++) out[plane + i] = bytes[i * WORD + k];
  }
  out.set(bytes.subarray(words * WORD), words * WORD);
  return out;
}

function fromPlanes(planes: Uint8Array): Uint8Array {
  const words = Math.floor(planes.length / WORD);
  const out = new Uint8Array(planes.length);
  for (let k = 0; k < WORD; k++) {
    const plane = k * words;
    for (let i = 0; i < words; i++) out[i * WORD + k] = planes[plane + i];
  }
  out.set(planes.subarray(words * WORD), words * WORD);
  return out;
}

/** The compressed form of a checkpoint file, as stored in the changelog. */
export async function compressCheckpoint(file: Uint8Array): Promise<Uint8Array> {
  const body = await compress(toPlanes(file), {
    // One pass through the thread pool per MiB, not per 16 KiB (zlib's default): half the time.
    chunkSize: 1 << 20,
    params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: file.length },
  });
  const out = new Uint8Array(PREFIX_BYTES + body.length);
  const prefix = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  prefix.setUint32(4, CODEC_PLANES_BROTLI, true);
  prefix.setUint32(8, file.length, true);
  out.set(body, PREFIX_BYTES);
  return out;
}

/** The checkpoint file inside stored bytes: decompressed, or as given when it was stored uncompressed. */
export async function decompressCheckpoint(stored: Uint8Array): Promise<Uint8Array> {
  const magic = magicOf(stored);
  if (magic === UNCOMPRESSED_MAGIC) return stored;
  if (magic !== MAGIC || stored.length < PREFIX_BYTES) {
    throw new CheckpointFormatError(`it starts with neither the magic "${MAGIC}" (compressed) nor "${UNCOMPRESSED_MAGIC}" (uncompressed)`);
  }
  const prefix = new DataView(stored.buffer, stored.byteOffset, PREFIX_BYTES);
  const codec = prefix.getUint32(4, true);
  if (codec !== CODEC_PLANES_BROTLI) {
    throw new CheckpointFormatError(`compression codec ${codec} is not supported (this build reads codec ${CODEC_PLANES_BROTLI})`);
  }
  const length = prefix.getUint32(8, true);
  let planes: Buffer;
  try {
    planes = await decompress(stored.subarray(PREFIX_BYTES), { chunkSize: 1 << 20 });
  } catch (cause) {
    throw new CheckpointFormatError(`the compressed data does not decompress (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  if (planes.length !== length) {
    throw new CheckpointFormatError(`it decompresses to ${planes.length} bytes, not the ${length} its prefix states`);
  }
  return fromPlanes(planes);
}
