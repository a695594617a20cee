import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Debian's chromium (or CHROMIUM_PATH): puppeteer's own browser download cannot work here. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(`no chromium at ${candidates.join(', ')}: install Debian's (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
  return found;
}

/** A headless chromium; as root (CI) it needs --no-sandbox. */
export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** Polls the text of `selector` until `matches` holds: the page updates by itself, never by reload. */
export async function waitForText(page: Page, selector: string, matches: (text: string) => boolean, what: string, timeoutMs = 30000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = await page.$eval(selector, (e) => e.textContent ?? '').catch(() => '');
    if (matches(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${selector} shows "${last}"`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const isHidden = (page: Page, selector: string): Promise<boolean> => page.$eval(selector, (e) => e.hasAttribute('hidden'));

/** Draws a 7 on the page's pad with mouse events, as a person would. */
export async function drawSeven(page: Page): Promise<void> {
  const pad = await page.$('#pad');
  // Mouse events land only on what is in the viewport.
  await pad?.scrollIntoView();
  const box = await pad?.boundingBox();
  if (!box) throw new Error('no drawing pad on the page');
  const stroke: Array<[number, number]> = [[70, 60], [210, 60], [160, 150], [120, 240]];
  const [first = [0, 0], ...rest] = stroke;
  await page.mouse.move(box.x + first[0], box.y + first[1]);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(box.x + x, box.y + y, { steps: 12 });
  await page.mouse.up();
}
