// `npx tsx bench/summarize.ts bench/results/A.json B.json C.json`: the README's performance table
// from several bench runs, each figure as min-max over the runs (one run: its value).
import { readFileSync } from 'node:fs';
import { shareOfModelOnly } from './model-only-share';

interface Training {
  readonly backend: string;
  readonly window: number;
  readonly windows: number;
  readonly imagesPerSecond: number;
  readonly rssMiB: readonly [number, number];
}
interface EndToEnd {
  readonly label: string;
  readonly backend?: string;
  readonly training?: 'plain' | 'default';
  readonly optimizer?: string;
  readonly result: { readonly steadyRecordsPerSecond: number; readonly recordsPerSecond: number; readonly meanCommitMs: number; readonly rssMiB: readonly [number, number] };
}
interface Run {
  readonly machine: string;
  readonly records: number;
  /** Absent in runs before the Kafka path got its own record count (it was `records` then). */
  readonly kafkaRecords?: number;
  readonly checkpoint?: { readonly checkpointMs: number; readonly compressedBytes: number } | null;
  readonly engine?: { readonly recordsPerSecond: number };
  readonly sync?: ReadonlyArray<{ readonly instances: number; readonly recordsPerSecond: number }>;
  readonly training: readonly Training[];
  readonly producer: { readonly recordsPerSecond: number };
  readonly endToEnd: readonly EndToEnd[];
}

function range(values: readonly number[], unit: string): string {
  const format = (v: number) => Math.round(v).toLocaleString('en-US');
  const low = Math.min(...values);
  const high = Math.max(...values);
  return `${format(low)}${high !== low ? `-${format(high)}` : ''} ${unit}`;
}

function rows(runs: readonly Run[]): string[] {
  const first = runs[0];
  if (first === undefined) throw new Error('give one or more bench JSON files');
  const lines = ['| what | figure |', '| --- | --- |'];
  for (const t of first.training) {
    const same = runs.map((r) => r.training.find((x) => x.backend === t.backend && x.window === t.window));
    const speeds = same.map((x) => x?.imagesPerSecond ?? NaN);
    const over = t.window === 500 ? ` (${t.windows} windows: one epoch)` : ` (${t.windows} windows)`;
    lines.push(`| model only, ${t.backend}, windows of ${t.window}${over} | ${range(speeds, 'img/s')} |`);
    if (t.window === 500) {
      const rss = same.map((x) => `${Math.round(x?.rssMiB[0] ?? NaN)} → ${Math.round(x?.rssMiB[1] ?? NaN)}`);
      lines.push(`| resident memory over that epoch (at 1/4, at the end), ${t.backend} | ${rss.join('; ')} MiB |`);
    }
  }
  const checkpoints = runs.flatMap((r) => (r.checkpoint ? [r.checkpoint.checkpointMs] : []));
  if (checkpoints.length) lines.push(`| one checkpoint of the default training, replay buffer full | ${range(checkpoints, 'ms')} |`);
  lines.push(`| producer, \`--delay 0\`, ${(first.kafkaRecords ?? first.records).toLocaleString('en-US')} records | ${range(runs.map((r) => r.producer.recordsPerSecond), 'records/s')} |`);
  for (const e of first.endToEnd) {
    const same = runs.map((r) => r.endToEnd.find((x) => x.label === e.label)?.result);
    const shares = runs.flatMap((r) => {
      const run = r.endToEnd.find((x) => x.label === e.label);
      const share = run ? shareOfModelOnly(run, run.result.steadyRecordsPerSecond, r.training) : null;
      return share === null ? [] : [share];
    });
    const share = shares.length ? ` (${range(shares, '%').replace(' %', '%')} of model only)` : '';
    lines.push(`| through the broker, ${e.label}, after the first window | ${range(same.map((x) => x?.steadyRecordsPerSecond ?? NaN), 'records/s')}${share} |`);
  }
  const engines = runs.flatMap((r) => (r.engine ? [r.engine.recordsPerSecond] : []));
  if (engines.length) lines.push(`| the engine alone (MemoryIO), consume+decode+window | ${range(engines, 'records/s')} |`);
  for (const instances of [1, 2]) {
    const sync = runs.flatMap((r) => (r.sync ?? []).filter((x) => x.instances === instances).map((x) => x.recordsPerSecond));
    if (sync.length) lines.push(`| model sync, ${instances} instance${instances > 1 ? 's' : ''}, default training | ${range(sync, 'records/s')} |`);
  }
  return lines;
}

const runs = process.argv.slice(2).map((file): Run => JSON.parse(readFileSync(file, 'utf8')) as Run);
console.log(`${runs.length} runs on ${[...new Set(runs.map((r) => r.machine))].join(', ')}\n`);
console.log(rows(runs).join('\n'));
