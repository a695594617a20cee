import type { BrokerStatus, DashboardEvent, DashboardSnapshot, LagRow, MetricsRecord, ModelHistory } from './protocol';

/** Windows kept per model: a 60,000-record run has 120; this bounds memory on a long-lived topic. */
const MAX_WINDOWS_PER_MODEL = 20000;

type Listener = (event: DashboardEvent) => void;

/**
 * What the dashboard knows, filled by the Kafka readers and read by the page: the history of
 * every model on the metrics topic, lag, dead-letter counts and whether the broker answers.
 * Every change is also an event for the pages that are connected.
 */
export class DashboardState {
  private readonly models = new Map<string, MetricsRecord[]>();
  private lag: readonly LagRow[] = [];
  private readonly deadLetters = new Map<string, number>();
  private broker: BrokerStatus = { ok: false, message: 'connecting to Kafka', since: new Date().toISOString() };
  private readonly listeners = new Set<Listener>();

  constructor(private readonly context: Pick<DashboardSnapshot, 'brokers' | 'topics'>) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addWindow(model: string, metrics: MetricsRecord): void {
    const windows = this.models.get(model) ?? [];
    windows.push(metrics);
    if (windows.length > MAX_WINDOWS_PER_MODEL) windows.splice(0, windows.length - MAX_WINDOWS_PER_MODEL);
    this.models.set(model, windows);
    this.emit({ type: 'window', model, metrics });
  }

  addDeadLetter(code: string): void {
    this.deadLetters.set(code, (this.deadLetters.get(code) ?? 0) + 1);
    this.emit({ type: 'dead-letters', counts: Object.fromEntries(this.deadLetters) });
  }

  setLag(rows: readonly LagRow[]): void {
    this.lag = rows;
    this.emit({ type: 'lag', rows });
  }

  /** Emits only on a change, so a broker that stays away is one event, not one per retry. */
  setBroker(ok: boolean, message: string): boolean {
    if (this.broker.ok === ok && this.broker.message === message) return false;
    this.broker = { ok, message, since: new Date().toISOString() };
    this.emit({ type: 'broker', status: this.broker });
    return true;
  }

  hasModel(name: string): boolean {
    return this.models.has(name);
  }

  /** Model names, the one with the newest window first. */
  modelsByRecency(): string[] {
    const last = (name: string) => this.models.get(name)?.at(-1)?.emittedAt ?? '';
    return [...this.models.keys()].sort((a, b) => last(b).localeCompare(last(a)));
  }

  snapshot(): DashboardSnapshot {
    const models: ModelHistory[] = this.modelsByRecency().map((name) => ({ name, windows: [...(this.models.get(name) ?? [])] }));
    return { ...this.context, broker: this.broker, models, lag: this.lag, deadLetters: Object.fromEntries(this.deadLetters) };
  }

  private emit(event: DashboardEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
