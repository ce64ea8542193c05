import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

// page.evaluate serialises what the expression returns: one that returns the map (jumpTo,
// fitBounds, …) or the engine walks their whole object graph, which took 10–30 s with the
// life-circle or coverage layers loaded. End such expressions with `, undefined`.

/** Launch flags that give WebGL2 through SwiftShader without a GPU (see shared/docs/browser-testing.md). */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--no-default-browser-check',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

export const BASE_URL = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:4173/';

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface OpenedPage {
  page: Page;
  /** Requests that tried to leave localhost (aborted). */
  external: string[];
  consoleErrors: string[];
  dialogs: string[];
}

/** Opens a page with every non-localhost request aborted and recorded. */
export async function openPage(browser: Browser, path: string, viewport = { width: 1440, height: 900 }, opts: { reducedMotion?: boolean; routes?: (page: Page) => Promise<void> } = {}): Promise<OpenedPage> {
  // The service worker (offline app) is tested on its own (offline.test.ts); elsewhere it
  // would download the whole precache per test and hide requests from page.route.
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, serviceWorkers: 'block', ...(opts.reducedMotion ? { reducedMotion: 'reduce' as const } : {}) });
  const page = await context.newPage();
  const external: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local = url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    if (local) return route.continue();
    external.push(url.toString());
    return route.abort();
  });
  // Every Content-Security-Policy violation is recorded for the tests to assert on.
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // A test's own routes come after the guard above, so they are asked first.
  await opts.routes?.(page);
  await page.goto(new URL(path, BASE_URL).toString());
  return { page, external, consoleErrors, dialogs };
}

/** Waits for the app to boot and every visible layer to draw, then for an idle map. */
export async function waitSettled(page: Page, timeout = 90_000): Promise<void> {
  await page.waitForFunction(() => window.__atlasBoot !== undefined, undefined, { timeout });
  await page.evaluate(async () => {
    const h = await window.__atlasBoot;
    if (!h) throw new Error('the app did not boot');
    await h.settled();
  });
}

export interface Pixels {
  png: PNG;
  at(x: number, y: number): [number, number, number, number];
}

export async function screenshotPixels(page: Page, path?: string): Promise<Pixels> {
  const buf = await page.screenshot({ path });
  const png = PNG.sync.read(buf);
  return {
    png,
    at(x, y) {
      const i = (Math.round(y) * png.width + Math.round(x)) * 4;
      return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!, png.data[i + 3]!];
    },
  };
}

/** Euclidean RGB distance. */
export function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

const CNEMC = new URL('../fixtures/cnemc/', import.meta.url);

/**
 * Imports the GBK CNEMC fixtures (a station list and one hourly file), and
 * any `extra` files, through the real air-import dialog; resolves once the
 * dialog shows its summary (the dialog stays open).
 */
export async function importCnemcFiles(page: Page, extra: { name: string; mimeType: string; buffer: Buffer }[] = [], timeout = 60_000): Promise<void> {
  await page.locator('.import-btn').click();
  await page.locator('.import-file').setInputFiles([
    ...['stations.gbk.csv', 'hourly-2022-01-01T01.gbk.csv'].map((name) => ({ name, mimeType: 'text/csv', buffer: readFileSync(new URL(name, CNEMC)) })),
    ...extra,
  ]);
  await page.locator('.import-go').click();
  await page.locator('.import-summary').waitFor({ timeout });
}
