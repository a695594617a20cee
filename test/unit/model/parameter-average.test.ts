// Parameter averaging over the classifier's checkpoint API: the weighted average, the replica's
// own optimizer state kept, and publications that fit Kafka's default 1 MB record for the CNN.
import { OnlineClassifier, selectBackend } from '../../../model';
import { decodeCheckpoint } from '../../../model/checkpoint-format';
import { decompressCheckpoint } from '../../../model/checkpoint-compression';
import { averageIntoReplica, averageParameters, decodeParameters, encodeParameters, parameterDistance } from '../../../model/parameter-average';
import { syntheticWindow } from '../../../model/synthetic';
import { syncPublicationSerde } from '../../../processors/model-sync-publication';

const tensor = (name: string, values: number[]) => ({ name, shape: [values.length], values: Float32Array.from(values) });

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
});

describe('parameter averaging', () => {
  it('weights each replica by the records it trained', () => {
    const averaged = averageParameters([
      { weights: [tensor('w', [0, 10])], weight: 3 },
      { weights: [tensor('w', [4, 2])], weight: 1 },
    ]);
    expect([...(averaged[0]?.values ?? [])]).toEqual([1, 8]);
  });

  it('refuses the parameters of another network, and a zero total weight', () => {
    expect(() => averageParameters([{ weights: [tensor('w', [1])], weight: 1 }, { weights: [tensor('w', [1, 2])], weight: 1 }])).toThrow('every instance of an app.id must run the same model');
    expect(() => averageParameters([{ weights: [tensor('w', [1])], weight: 0 }])).toThrow('positive total weight');
  });

  it('averages into a real replica its weights only: its optimizer state stays its own', async () => {
    const options = { imageSize: 8, classes: 10, seed: 1, optimizer: 'adam' as const, learningRate: 0.01, l2: 0, batchSize: null };
    const [mine, peer] = [await OnlineClassifier.create(options), await OnlineClassifier.create({ ...options, seed: 2 })];
    const data = syntheticWindow(50, 8, 10, 3);
    await mine.learn(data.images, data.labels, 50);
    const slotsBefore = decodeCheckpoint(await decompressCheckpoint(await mine.checkpoint())).slots;
    const [own, theirs] = [await mine.weights(), await peer.weights()];

    const published = await averageIntoReplica(mine, 50, [{ parameters: encodeParameters(theirs), weight: 150 }], true);

    const expected = averageParameters([{ weights: own, weight: 50 }, { weights: theirs, weight: 150 }]);
    expect(parameterDistance(await mine.weights(), expected)).toBeLessThan(1e-6);
    expect(parameterDistance((await decodeParameters(published ?? new Uint8Array())).weights, expected)).toBe(0);
    const slotsAfter = decodeCheckpoint(await decompressCheckpoint(await mine.checkpoint())).slots;
    expect(slotsAfter.map((s) => [...s.values.slice(0, 8)])).toEqual(slotsBefore.map((s) => [...s.values.slice(0, 8)]));
    mine.dispose();
    peer.dispose();
  });

  it('publishes the MNIST CNN\'s weights without Adam\'s two moments: about a third of its checkpoint file', async () => {
    const cnn = await OnlineClassifier.create({ imageSize: 28, classes: 10, seed: 1, optimizer: 'adam', learningRate: 0.002, l2: 1e-4, batchSize: 50 });
    const data = syntheticWindow(100, 28, 10, 4);
    await cnn.learn(data.images, data.labels, 100);
    const checkpoint = await cnn.checkpoint();
    const parameters = encodeParameters(await cnn.weights());
    const record = syncPublicationSerde().serialize({ instance: '1', records: 100, publishedAt: 0, sequence: 1, averaged: {}, parameters });
    // ~2.2 MB for ~560k float32 parameters: over Kafka's default 1 MB, so the sync topic is
    // created with the changelog's record limit (MAX_RECORD_BYTES).
    expect(cnn.parameterCount).toBeGreaterThan(500000);
    expect(record?.length ?? Infinity).toBeLessThan(0.4 * (await decompressCheckpoint(checkpoint)).length);
    cnn.dispose();
  });
});
