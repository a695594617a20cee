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
