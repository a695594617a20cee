import type { ApiError, BrokerStatus, DashboardSnapshot, LagRow, MetricsRecord, Prediction } from '../protocol';
import { ProbabilityChart, WindowChart } from './charts';
import { DigitPad } from './draw';
import { carriesDrift, driftFlags } from './drift';
import { count, element, fillTable, fixed, percent } from './format';
import { historyKey, historyLabel, modelOf } from './histories';

/** Windows by history (see histories.ts: one a model and instance). */
const models = new Map<string, MetricsRecord[]>();
let selected: string | null = null;
/** Once the user picks a model, a newer one does not take the view away. */
let userChose = false;
let broker: BrokerStatus | null = null;
let streamLost = false;

const accuracy = new WindowChart(
  element('chart-accuracy'),
  [
    { label: 'prequential', stroke: '#3b6fd4', value: (m) => m.prequentialAccuracy },
    { label: 'holdout', stroke: '#d4533b', value: (m) => m.holdoutAccuracy, sparse: true },
  ],
  [0, 1],
);
const loss = new WindowChart(element('chart-loss'), [{ label: 'loss', stroke: '#7a3bd4', value: (m) => m.loss }]);
const speed = new WindowChart(element('chart-rps'), [
  { label: 'arrival', stroke: '#2f9e6a', value: arrivalSpeed },
  { label: 'training', stroke: '#c28a12', value: trainSpeed },
]);
const probabilities = new ProbabilityChart(element('chart-probabilities'));

// Records written before the two speeds were named carry only recordsPerSecond (the arrival rate).
function arrivalSpeed(m: MetricsRecord): number | null {
  return typeof m.arrivalRecordsPerSecond === 'number' ? m.arrivalRecordsPerSecond : typeof m.recordsPerSecond === 'number' ? m.recordsPerSecond : null;
}

function trainSpeed(m: MetricsRecord): number | null {
  return typeof m.trainRecordsPerSecond === 'number' ? m.trainRecordsPerSecond : null;
}

function newestModel(): string | null {
  let best: string | null = null;
  let at = '';
  for (const [name, windows] of models) {
    const last = windows.at(-1)?.emittedAt ?? '';
    if (best === null || last > at) [best, at] = [name, last];
  }
  return best;
}

function renderModelList(): void {
  const select = element<HTMLSelectElement>('model-select');
  const keys = [...models.keys()].sort();
  if (!userChose || selected === null || !models.has(selected)) selected = newestModel();
  const labels = keys.map((key) => historyLabel(key, keys));
  if ([...select.options].map((o) => o.text).join('\n') !== labels.join('\n')) {
    select.replaceChildren(...keys.map((key, i) => new Option(labels[i], key)));
  }
  if (selected !== null) select.value = selected;
}

function renderModel(): void {
  const windows = selected === null ? [] : (models.get(selected) ?? []);
  const last = windows.at(-1);
  const holdout = [...windows].reverse().find((m) => typeof m.holdoutAccuracy === 'number');
  element('empty').hidden = last !== undefined;
  element('stat-window').textContent = last === undefined ? '–' : String(last.window);
  element('stat-holdout').textContent = percent(holdout?.holdoutAccuracy);
  element('stat-holdout-note').textContent = holdout === undefined ? '' : `window ${holdout.window}, ${count(holdout.holdoutSize)} images`;
  element('stat-prequential').textContent = percent(last?.prequentialAccuracy);
  element('stat-loss').textContent = fixed(last?.loss, 4);
  const arrival = last === undefined ? null : arrivalSpeed(last);
  const training = last === undefined ? null : trainSpeed(last);
  element('stat-rps').textContent = count(arrival === null ? undefined : Math.round(arrival));
  element('stat-rps-note').textContent = training === null ? '' : `training ${count(Math.round(training))}/s`;
  element('stat-backend').textContent = last?.backend ?? '–';
  element('stat-trained').textContent = count(last?.trainedTotal);
  element('stat-updated').textContent = last === undefined ? '–' : new Date(last.emittedAt).toLocaleTimeString('en-GB');
  accuracy.show(windows);
  loss.show(windows);
  speed.show(windows);
  const flags = driftFlags(windows);
  const list = element('drift');
  list.replaceChildren(
    ...(flags.length === 0 ? [carriesDrift(windows) ? 'no drift detected' : 'the metrics carry no drift flags (detection off)'] : flags).map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      return li;
    }),
  );
}

function renderLag(rows: readonly LagRow[]): void {
  fillTable('lag', rows.map((r) => [r.model, String(r.partition), r.committed === null ? 'none yet' : count(r.committed), count(r.end), r.lag === null ? '–' : count(r.lag)]), 'no lag to show yet');
}

function renderDeadLetters(counts: Readonly<Record<string, number>>): void {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  fillTable('dead-letters', rows.map(([code, n]) => [code, count(n)]), 'none');
}

function renderBanner(): void {
  const banner = element('banner');
  const problems = [
    ...(streamLost ? ['Lost the connection to the dashboard server; reconnecting…'] : []),
    ...(broker !== null && !broker.ok ? [broker.message] : []),
  ];
  banner.hidden = problems.length === 0;
  banner.textContent = problems.join(' — ');
}

function applySnapshot(snapshot: DashboardSnapshot): void {
  models.clear();
  for (const model of snapshot.models) for (const m of model.windows) addWindow(model.name, m);
  broker = snapshot.broker;
  element('source').textContent = `${snapshot.topics.metrics} on ${snapshot.brokers}`;
  renderModelList();
  renderModel();
  renderLag(snapshot.lag);
  renderDeadLetters(snapshot.deadLetters);
  renderBanner();
}

function addWindow(model: string, metrics: MetricsRecord): void {
  const key = historyKey(model, metrics);
  models.set(key, [...(models.get(key) ?? []), metrics]);
}

function connect(): void {
  // EventSource reconnects by itself; each reconnection starts with a fresh snapshot.
  const events = new EventSource('/api/events');
  const on = <T>(name: string, handle: (data: T) => void): void =>
    events.addEventListener(name, (e) => handle(JSON.parse((e as MessageEvent<string>).data) as T));
  on<DashboardSnapshot>('snapshot', applySnapshot);
  on<{ model: string; metrics: MetricsRecord }>('window', ({ model, metrics }) => {
    addWindow(model, metrics);
    renderModelList();
    if (historyKey(model, metrics) === selected) renderModel();
  });
  on<{ rows: LagRow[] }>('lag', ({ rows }) => renderLag(rows));
  on<{ counts: Record<string, number> }>('dead-letters', ({ counts }) => renderDeadLetters(counts));
  on<{ status: BrokerStatus }>('broker', ({ status }) => {
    broker = status;
    renderBanner();
  });
  events.onopen = () => {
    streamLost = false;
    renderBanner();
  };
  events.onerror = () => {
    streamLost = true;
    renderBanner();
  };
}

async function predict(pad: DigitPad): Promise<void> {
  const pixels = pad.pixels();
  const out = element('prediction');
  if (pixels === null) return;
  out.className = 'note';
  out.textContent = 'predicting…';
  try {
    const response = await fetch('/api/predict', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pixels, ...(selected === null ? {} : { model: modelOf(selected) }) }),
    });
    const body = (await response.json()) as Prediction | ApiError;
    if ('error' in body) throw new Error(body.error);
    probabilities.show(body.probabilities);
    out.dataset.probabilities = JSON.stringify(body.probabilities);
    out.textContent = `It is a ${body.digit} (${percent(body.probabilities[body.digit])}), says the model exported at ${new Date(body.exportedAt).toLocaleTimeString('en-GB')}.`;
  } catch (error) {
    out.className = 'note error';
    delete out.dataset.probabilities;
    out.textContent = error instanceof Error ? error.message : String(error);
  }
}

const pad = new DigitPad(element<HTMLCanvasElement>('pad'), () => void predict(pad));
element('clear').addEventListener('click', () => {
  pad.clear();
  probabilities.show(Array<number>(10).fill(0));
});
element<HTMLSelectElement>('model-select').addEventListener('change', (e) => {
  selected = (e.target as HTMLSelectElement).value;
  userChose = true;
  renderModel();
});
window.addEventListener('resize', () => [accuracy, loss, speed, probabilities].forEach((chart) => chart.resize()));
connect();
