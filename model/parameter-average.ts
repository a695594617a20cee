// Parameter averaging (DL4J's ParameterAveragingTrainingMaster, federated averaging) over the
// classifier's weights alone (`weights()`, `setWeights()`): not through a checkpoint, which
// would compress, copy and restore the optimizer state and the whole replay buffer at every
// sync. A publication is a checkpoint file (checkpoint-format.ts) holding the weights only, not
// compressed: compression takes a trained CNN's weights only from 2.24 to 1.83 MB and costs a
// Brotli pass at every sync on each side; decompressCheckpoint reads both forms.
import { decompressCheckpoint } from './checkpoint-compression';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointTensor } from './checkpoint-format';
import { CheckpointMismatchError } from './errors';
import type { JsonValue } from './json';

/** A replica's parameters and how much they count in an average (records trained). */
export interface WeightedParameters {
  readonly weights: readonly CheckpointTensor[];
  readonly weight: number;
}

/** The weights as a publication: no optimizer state (a third of a checkpoint with Adam's two moments). */
export function encodeParameters(weights: readonly CheckpointTensor[], extra: JsonValue = null): Uint8Array {
  return encodeCheckpoint({ optimizer: { type: 'none', iterations: 0 }, weights, slots: [], extra });
}

export async function decodeParameters(publication: Uint8Array): Promise<{ weights: CheckpointTensor[]; extra: JsonValue }> {
  const contents = decodeCheckpoint(await decompressCheckpoint(publication));
  return { weights: [...contents.weights], extra: contents.extra };
}

/**
 * The average of the replicas' weights, each weighted by its `weight` (records trained): the
 * FedAvg update. Replicas of another network (other names or shapes) are refused.
 */
export function averageParameters(replicas: readonly WeightedParameters[]): CheckpointTensor[] {
  const [first] = replicas;
  if (!first) throw new RangeError('averaging needs at least one replica');
  const total = replicas.reduce((sum, r) => sum + r.weight, 0);
  if (!(total > 0)) throw new RangeError(`averaging needs a positive total weight, got ${total}`);
  for (const r of replicas) checkSameNetwork(first.weights, r.weights);
  return first.weights.map((tensor, t) => {
    const values = new Float32Array(tensor.values.length);
    for (const r of replicas) {
      const share = r.weight / total;
      const source = r.weights[t]?.values ?? values;
      for (let i = 0; i < values.length; i++) values[i] += share * (source[i] ?? 0);
    }
    return { name: tensor.name, shape: tensor.shape, values };
  });
}

/** What averaging needs of a classifier: its weights (OnlineClassifier has them). */
export interface Replica {
  weights(): Promise<readonly CheckpointTensor[]>;
  setWeights(weights: readonly CheckpointTensor[]): Promise<void>;
}

/** Peer parameters as published (encodeParameters) and their weight. */
export interface PublishedParameters {
  readonly parameters: Uint8Array;
  readonly weight: number;
}

/**
 * Replaces the replica's weights by the weighted average of its own (`ownWeight`) and the
 * peers'; its optimizer state and training state stay its own. Returns its weights afterwards
 * as a publication, or null when not `publish`. With no peers the replica is left as it is.
 */
export async function averageIntoReplica(replica: Replica, ownWeight: number, peers: readonly PublishedParameters[], publish: boolean): Promise<Uint8Array | null> {
  let weights = await replica.weights();
  if (peers.length > 0) {
    const others = await Promise.all(peers.map(async (p) => ({ weights: (await decodeParameters(p.parameters)).weights, weight: p.weight })));
    weights = averageParameters([{ weights, weight: ownWeight }, ...others]);
    await replica.setWeights(weights);
  }
  return publish ? encodeParameters(weights) : null;
}

/** The largest absolute difference between two sets of weights: how far apart two replicas are. */
export function parameterDistance(a: readonly CheckpointTensor[], b: readonly CheckpointTensor[]): number {
  checkSameNetwork(a, b);
  let max = 0;
  a.forEach((tensor, t) => {
    const other = b[t]?.values ?? tensor.values;
    for (let i = 0; i < tensor.values.length; i++) max = Math.max(max, Math.abs((tensor.values[i] ?? 0) - (other[i] ?? 0)));
  });
  return max;
}

function checkSameNetwork(a: readonly CheckpointTensor[], b: readonly CheckpointTensor[]): void {
  const describe = (ws: readonly CheckpointTensor[]) => ws.map((w) => `${w.name}[${w.shape.join('x')}]`).join(', ');
  if (describe(a) !== describe(b)) {
    throw new CheckpointMismatchError(`its parameters (${describe(b)}) are not those of this network (${describe(a)}); every instance of an app.id must run the same model`);
  }
}
