// The dashboard as a person meets it: the app has trained on data produced before it started,
// the dashboard runs as `npm run dashboard -- --config FILE`, and a real chromium opens the page.
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { mnistTopics } from '../../cli/mnist-app';
import { produceMnist } from '../../cli/mnist-producer';
import { ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import type { AppConfig } from '../../config/load';
import type { DashboardSnapshot } from '../../dashboard/protocol';
import { drawSeven, isHidden, launchBrowser, waitForText } from './browser';
import { PROJECT_ROOT, canRestartBroker, startBroker, stopBroker } from './broker';
import { configFile, runCli, type ChildRun } from './child-app';
import { startApp } from './in-process-app';
import { brokers, produceRaw, readMetrics, testConfig, waitFor } from './support';

const RECORDS = 3000;
const OUTPUT = path.join(PROJECT_ROOT, 'test-output');
const percent = (x: number) => `${(x * 100).toFixed(2)}%`;
const text = (page: Page, selector: string) => page.$eval(selector, (e) => e.textContent ?? '');

let config: AppConfig;
let dashboard: ChildRun;
let url: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  config = testConfig({ model: { exportDir: mkdtempSync(path.join(os.tmpdir(), 'dashboard-it-export-')) }, dashboard: { port: 0 } });
  dashboard = runCli('dashboard.ts', ['--config', configFile(config)]);
  await waitFor('the dashboard URL in its log', () => /http:\/\/127\.0\.0\.1:\d+\//.test(dashboard.output()), 60000);
  url = /http:\/\/127\.0\.0\.1:\d+\//.exec(dashboard.output())?.[0] ?? '';
  browser = await launchBrowser();
}, 120000);

afterAll(async () => {
  await browser?.close();
  dashboard?.child.kill('SIGINT');
  await dashboard?.exited;
});

async function state(): Promise<DashboardSnapshot> {
  return (await (await fetch(`${url}api/state`)).json()) as DashboardSnapshot;
}

describe('the dashboard in a real browser', () => {
  it('says on the page that there is no model to predict with before the first export', async () => {
    const early = await browser.newPage();
    try {
      await early.goto(url);
      await drawSeven(early);
      const message = await waitForText(early, '#prediction', (t) => t.startsWith('no exported model yet'), 'the no-export message');
      expect(message).toContain(`no exported model yet in ${config.model.exportDir}: the app writes one at its first commit`);
      expect(await early.$eval('#prediction', (e) => e.className)).toContain('error');
    } finally {
      await early.close();
    }
  });

  it('shows the history at load, follows new windows live, and predicts a drawn digit', async () => {
    // Data first, then the app: the history is in the topic before anyone looks.
    await ensureTopics(brokers(), mnistTopics(config), memoryLogger());
    // Bad records in the middle: windows close on count, so they ride in a window that does close.
    await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: RECORDS / 2, epochs: 1 });
    await produceRaw(config.topics.source, [
      { key: Buffer.from('bad-1'), value: Buffer.alloc(500, 1) },
      { key: Buffer.from('bad-2'), value: Buffer.alloc(500, 2) },
      { key: Buffer.from('bad-3'), value: Buffer.concat([Buffer.alloc(784), Buffer.from([12])]) },
    ]);
    await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: RECORDS / 2, epochs: 1 });
    const app = await startApp(config);
    try {
      await waitFor('every record trained or dead-lettered', () => app.accounted() >= RECORDS + 3, 240000);
      await waitFor('every window committed', async () => (await readMetrics(config.topics.metrics)).at(-1)?.trainedTotal === RECORDS, 60000);
      const metrics = await readMetrics(config.topics.metrics);
      const last = metrics.at(-1);
      const lastHoldout = [...metrics].reverse().find((m) => m.holdoutAccuracy !== null);
      if (last === undefined || lastHoldout?.holdoutAccuracy == null) throw new Error('the metrics topic holds no holdout accuracy');

      page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('requestfailed', (r) => problems.push(`${r.url()} failed`));
      await page.setViewport({ width: 1400, height: 1000 });
      await page.goto(url);
      await waitForText(page, '#stat-window', (t) => t === String(last.window), `window ${last.window}`);
      expect(await text(page, '#stat-holdout')).toBe(percent(lastHoldout.holdoutAccuracy));
      expect(await text(page, '#stat-holdout-note')).toBe(`window ${lastHoldout.window}, ${lastHoldout.holdoutSize} images`);
      expect(await text(page, '#stat-backend')).toBe(last.backend);
      expect(await text(page, '#model-select')).toContain(config.app.id);
      await waitForText(page, '#dead-letters tbody', (t) => t.includes('bad-length2'), 'two bad-length dead letters');
      expect(await text(page, '#dead-letters tbody')).toContain('label-out-of-range1');
      // model, partition 0, committed = end = every record: no lag.
      await waitForText(page, '#lag tbody', (t) => t === `${config.app.id}0${(RECORDS + 3).toLocaleString('en')}${(RECORDS + 3).toLocaleString('en')}0`, 'the lag row');
      expect(await isHidden(page, '#banner')).toBe(true);

      // Live: a new window reaches the open page with no reload.
      await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: 100, epochs: 1 });
      await waitFor('the new window trained', () => app.accounted() >= RECORDS + 103, 60000);
      const trainedAt = Date.now();
      await waitForText(page, '#stat-window', (t) => t === String(last.window + 1), `window ${last.window + 1}`);
      // A figure for the README, not an assertion: speed is measured, not tested.
      process.stderr.write(`dashboard: window ${last.window + 1} on the page ${Date.now() - trainedAt} ms after it was trained\n`);

      // Draw a 7 with the mouse; the server predicts it with the export of the last commit.
      await drawSeven(page);
      await page.waitForSelector('#prediction[data-probabilities]', { timeout: 30000 });
      const probabilities = JSON.parse(await page.$eval('#prediction', (e) => e.getAttribute('data-probabilities') ?? '[]')) as number[];
      expect(probabilities).toHaveLength(10);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
      expect(await text(page, '#prediction')).toMatch(/^It is a \d \(\d+\.\d\d%\), says the model exported at /);

      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: path.join(OUTPUT, 'dashboard.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await app.stop();
    }
  }, 300000);

  (canRestartBroker() ? it : it.skip)('says on the page that the broker is away, and catches up by itself once it is back', async () => {
    if (page === undefined) throw new Error('the first test opened no page');
    const shown = (await state()).models.find((m) => m.name === config.app.id)?.windows.length ?? 0;
    await stopBroker();
    try {
      await waitFor('the banner', async () => !(await isHidden(page, '#banner')), 60000);
      expect(await text(page, '#banner')).toMatch(/^Kafka at 127\.0\.0\.1:\d+ does not answer .*retries every 2 s/);
      expect(dashboard.output()).toMatch(/WARN +\[dashboard\] dashboard: Kafka at .* does not answer/);
    } finally {
      await startBroker();
    }
    await waitFor('the banner gone', () => isHidden(page, '#banner'), 60000);
    // New windows after the outage reach the page: the reader reconnected by itself.
    const app = await startApp(config);
    try {
      await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: 100, epochs: 1 });
      await waitForText(page, '#stat-window', (t) => t === String(shown), `window ${shown}`, 90000);
    } finally {
      await app.stop();
    }
    expect(dashboard.output()).toMatch(/INFO +\[dashboard\] dashboard: Kafka at .* answers/);
  }, 300000);
});
