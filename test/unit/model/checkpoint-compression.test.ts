import { OnlineClassifier, selectBackend, CheckpointFormatError } from '../../../model';
import { compressCheckpoint, decompressCheckpoint } from '../../../model/checkpoint-compression';
import { decodeCheckpoint } from '../../../model/checkpoint-format';
import { syntheticWindow } from '../../../model/synthetic';

const magic = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 4)).toString('latin1');
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
});

describe('checkpoint compression', () => {
  it('gives back the very bytes, whatever their length (not only whole 4-byte words)', async () => {
    for (const length of [0, 1, 7, 4096, 4099]) {
      const file = new Uint8Array(length).map((_, i) => (i * 7919) % 251);
      file.set(Buffer.from('STCK').subarray(0, Math.min(4, length)));
      const stored = await compressCheckpoint(file);
      expect(magic(stored)).toBe('STCZ');
      expect(same(await decompressCheckpoint(stored), file)).toBe(true);
    }
  });

  describe.each(['sgd', 'adam'] as const)('a trained %s classifier', (optimizer) => {
    let writer: OnlineClassifier;
    beforeAll(async () => {
      writer = await OnlineClassifier.create({ imageSize: 28, classes: 10, seed: 5, optimizer, learningRate: 0.001, l2: 1e-4, batchSize: 16 });
      const w = syntheticWindow(32, 28, 10, 3);
      await writer.learn(w.images, w.labels, w.count);
    });
    afterAll(() => writer.dispose());

    it('stores a compressed checkpoint, smaller than the file it holds', async () => {
      const stored = await writer.checkpoint({ window: 1 });
      const file = await decompressCheckpoint(stored);
      expect(magic(stored)).toBe('STCZ');
      expect(magic(file)).toBe('STCK');
      expect(stored.length).toBeLessThan(file.length * 0.95);
    });

    it('restores both a compressed checkpoint and an uncompressed one written before compression existed', async () => {
      const stored = await writer.checkpoint({ window: 1 });
      const old = await decompressCheckpoint(stored); // byte for byte what earlier releases wrote
      const expected = decodeCheckpoint(old);
      for (const bytes of [stored, old]) {
        const reader = await OnlineClassifier.create({ imageSize: 28, classes: 10, seed: 99, optimizer, learningRate: 0.001, l2: 1e-4, batchSize: 16 });
        expect(await reader.restore(bytes)).toEqual({ window: 1 });
        expect(decodeCheckpoint(await decompressCheckpoint(await reader.checkpoint({ window: 1 })))).toEqual(expected);
        reader.dispose();
      }
    });
  });

  it('names what is wrong with bytes that are neither form', async () => {
    const stored = await compressCheckpoint(new Uint8Array(1000).fill(3));
    const otherCodec = stored.slice();
    otherCodec[4] = 9;
    const wrongLength = stored.slice();
    wrongLength[8] += 1;
    await expect(decompressCheckpoint(Buffer.from('JUNKJUNKJUNKJUNK'))).rejects.toThrow(/starts with neither the magic "STCZ" \(compressed\) nor "STCK" \(uncompressed\)/);
    await expect(decompressCheckpoint(otherCodec)).rejects.toThrow(/compression codec 9 is not supported/);
    await expect(decompressCheckpoint(wrongLength)).rejects.toThrow(/decompresses to 1000 bytes, not the 1001/);
    await expect(decompressCheckpoint(stored.subarray(0, stored.length - 2))).rejects.toBeInstanceOf(CheckpointFormatError);
  });
});
