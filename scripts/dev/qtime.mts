// Times one layer's queries in the browser after start-up: `npx tsx scripts/dev/qtime.mts`.
import { launch, openPage, waitSettled } from '../../tests/e2e/browser';
const browser = await launch();
const { page } = await openPage(browser, '?city=shenzhen');
await waitSettled(page);
const r = await page.evaluate(`(async () => {
  const h = window.__atlas;
  const e = await h.engine;
  const out = {};
  let t = performance.now();
  await e.query('SELECT count(*) FROM "shenzhen__air_hourly" WHERE epoch_ms(ts) = $1', [Date.UTC(2025, 5, 1)]);
  out.filterOnly = performance.now() - t;
  t = performance.now();
  h.store.set({ time: '2025-06-01T08' });
  await h.settled();
  out.airStep = performance.now() - t;
  t = performance.now();
  await e.query('SELECT 1');
  out.trivial = performance.now() - t;
  return out;
})()`);
console.log(r);
await browser.close();
