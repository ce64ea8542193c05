/**
 * Kiosk endurance: the kiosk loops through the four cities' stories with its
 * clock compressed (?kioskRate), and the JS heap (after forced garbage
 * collection) is read after a warm-up loop and again after at least 200 more
 * slide transitions. The baseline is the warmed-up heap of the same run; the
 * target is growth under 50 MB.
 */
import type { Browser } from 'playwright-core';

export interface KioskBench {
  transitions: number;
  warmMB: number;
  endMB: number;
  growthMB: number;
  minutes: number;
}

export async function benchKiosk(browser: Browser, url: string, transitions = Number(process.env.BENCH_KIOSK_TRANSITIONS ?? 220)): Promise<KioskBench> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.route('**/*', (r) => (r.request().url().startsWith(url) ? r.continue() : r.abort()));
  const cdp = await context.newCDPSession(page);
  const heapMB = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usedSize / 1048576;
  };
  const count = () => page.evaluate('window.__kiosk?.transitions ?? 0') as Promise<number>;
  const waitFor = async (n: number) => {
    while ((await count()) < n) await page.waitForTimeout(500);
  };
  await page.goto(`${url}?mode=kiosk&kioskRate=40`);
  const t0 = Date.now();
  // One loop through every story loads every city's data: that is the working set, not growth.
  await waitFor(30);
  const warm = await heapMB();
  const start = await count();
  await waitFor(start + transitions);
  const end = await heapMB();
  const done = (await count()) - start;
  await context.close();
  return { transitions: done, warmMB: warm, endMB: end, growthMB: end - warm, minutes: (Date.now() - t0) / 60000 };
}

export function printKiosk(r: KioskBench): void {
  console.log(`\nKiosk endurance, 4 stories looped with the clock ×40, ${r.transitions} slide transitions after warm-up (${r.minutes.toFixed(1)} min)`);
  console.log(
    `  JS heap after GC: warmed up ${r.warmMB.toFixed(1)} MB (baseline), after ${r.endMB.toFixed(1)} MB, growth ${r.growthMB.toFixed(1)} MB (ratio ${(r.endMB / r.warmMB).toFixed(2)}×)   target growth < 50 MB: ${r.growthMB < 50 ? 'met' : 'MISSED'}`,
  );
}
