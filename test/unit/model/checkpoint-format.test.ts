import { CheckpointFormatError } from '../../../model';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointContents } from '../../../model/checkpoint-format';
import { crc32, portableCrc32 } from '../../../model/crc32';

const contents: CheckpointContents = {
  architecture: 'mlp',
  optimizer: { type: 'adam', iterations: 7 },
  weights: [
    { name: 'conv/kernel', shape: [2, 3], values: Float32Array.from([1, -2.5, 3e-8, 4, 5, 6]) },
    { name: 'conv/bias', shape: [3], values: Float32Array.from([0, -0, 1e30]) },
  ],
  slots: [{ name: 'conv/kernel/m', shape: [2, 3], values: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) }],
  training: { random: 12345, replay: { size: 2 } },
  blobs: [{ name: 'replay/labels', bytes: Uint8Array.from([3, 255, 0]) }],
  extra: { offsets: { '0': 41, '1': 7 }, note: 'ünïcode', list: [1, null, true] },
};

describe('checkpoint format', () => {
  it('round-trips the architecture, weights, optimizer state, training state, byte blobs and the extra JSON', () => {
    expect(decodeCheckpoint(encodeCheckpoint(contents))).toEqual(contents);
  });

  it('reads a version-1 checkpoint (no architecture, training state or blobs) as a CNN', () => {
    const { architecture, training, blobs, ...v1 } = contents;
    void [architecture, training, blobs];
    const bytes = encodeCheckpoint(v1);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setUint32(4, 1, true);
    expect(decodeCheckpoint(bytes)).toEqual({ ...v1, architecture: 'cnn', training: null, blobs: [] });
  });

  it('starts with the magic, the version and the header length, and stores float32 little-endian', () => {
    const bytes = encodeCheckpoint(contents);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('STCK');
    expect(view.getUint32(4, true)).toBe(2);
    const headerLength = view.getUint32(8, true);
    const header: unknown = JSON.parse(Buffer.from(bytes.subarray(12, 12 + headerLength)).toString('utf8'));
    expect(header).toMatchObject({
      architecture: 'mlp',
      optimizer: { type: 'adam', iterations: 7 },
      tensors: [
        { group: 'weights', name: 'conv/kernel', shape: [2, 3], dtype: 'float32', offset: 0, byteLength: 24 },
        { group: 'weights', name: 'conv/bias', shape: [3], dtype: 'float32', offset: 24, byteLength: 12 },
        { group: 'slots', name: 'conv/kernel/m', shape: [2, 3], dtype: 'float32', offset: 36, byteLength: 24 },
        { group: 'blobs', name: 'replay/labels', shape: [3], dtype: 'uint8', offset: 60, byteLength: 3 },
      ],
      dataByteLength: 63,
    });
    const dataStart = 12 + Math.ceil(headerLength / 4) * 4;
    expect(view.getFloat32(dataStart + 4, true)).toBe(-2.5);
    expect(bytes[dataStart + 61]).toBe(255);
    expect(bytes.length).toBe(dataStart + 63);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    // The JavaScript sum (Node 20 releases without zlib.crc32) is the same sum.
    expect(portableCrc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const bytes = Uint8Array.from({ length: 4099 }, (_, i) => (i * 7919) % 251);
    expect(portableCrc32(bytes)).toBe(crc32(bytes));
  });

  it('rejects every truncation with a CheckpointFormatError', () => {
    const bytes = encodeCheckpoint(contents);
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodeCheckpoint(bytes.subarray(0, length))).toThrow(CheckpointFormatError);
    }
  });

  it('rejects an unknown version, a damaged header and damaged data with the reason', () => {
    const bytes = encodeCheckpoint(contents);
    const version = bytes.slice();
    new DataView(version.buffer).setUint32(4, 3, true);
    expect(() => decodeCheckpoint(version)).toThrow(/format version 3 is not supported/);
    const header = bytes.slice();
    header[12] = 0x5b; // '[' instead of '{': valid JSON is no longer an object, or not JSON at all
    expect(() => decodeCheckpoint(header)).toThrow(/invalid checkpoint: (the header is not valid JSON|header is not an object)/);
    const data = bytes.slice();
    data[data.length - 1] ^= 1;
    expect(() => decodeCheckpoint(data)).toThrow(/does not match its CRC-32.*restore from an intact copy/);
  });

  it('refuses to encode a tensor whose values do not fill its shape', () => {
    const bad = { ...contents, weights: [{ name: 'w', shape: [2, 2], values: new Float32Array(3) }] };
    expect(() => encodeCheckpoint(bad)).toThrow(/3 values for shape \[2, 2\]/);
  });
});
