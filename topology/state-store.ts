/**
 * A named store of processor state. The engine creates stores from their factories, calls
 * `init` once, and hands them to the processors connected to them.
 */
export interface StateStore {
  readonly name: string;
  init?(): Promise<void>;
  close?(): void | Promise<void>;
}

/**
 * A store whose whole state can be written as one checkpoint and restored from it. The engine
 * writes the checkpoint to the store's changelog topic inside the commit, with the input
 * offsets it covers, and restores the newest committed one at start.
 */
export interface CheckpointableStore extends StateStore {
  checkpoint(): Promise<Uint8Array>;
  restore(bytes: Uint8Array): Promise<void>;
}

export function isCheckpointable(store: StateStore): store is CheckpointableStore {
  const candidate = store as Partial<CheckpointableStore>;
  return typeof candidate.checkpoint === 'function' && typeof candidate.restore === 'function';
}

/** A small in-memory key-value store whose checkpoint is its entries as JSON. */
export class InMemoryKeyValueStore<V> implements CheckpointableStore {
  private readonly entries = new Map<string, V>();

  constructor(readonly name: string) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  put(key: string, value: V): void {
    this.entries.set(key, value);
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  all(): ReadonlyMap<string, V> {
    return this.entries;
  }

  async checkpoint(): Promise<Uint8Array> {
    return Buffer.from(JSON.stringify([...this.entries]), 'utf8');
  }

  async restore(bytes: Uint8Array): Promise<void> {
    const pairs = JSON.parse(Buffer.from(bytes).toString('utf8')) as Array<[string, V]>;
    this.entries.clear();
    for (const [k, v] of pairs) this.entries.set(k, v);
  }
}
