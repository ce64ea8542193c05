/**
 * Screenshots of the built app in headless Chromium, for looking at what we
 * ship: `npx tsx scripts/dev/screenshot.ts [query] [out.png] [width] [height]`.
 * Needs `vite preview` running on 127.0.0.1:4173.
 */
import { launch, openPage, waitSettled } from '../../tests/e2e/browser';

const [query = '', out = 'test-results/shot.png', w = '1440', h = '900'] = process.argv.slice(2);
const browser = await launch();
try {
  const { page, external, consoleErrors } = await openPage(browser, query, { width: Number(w), height: Number(h) });
  await waitSettled(page);
  await page.waitForTimeout(500);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}; external requests: ${external.length}; console errors: ${consoleErrors.length}`);
  for (const e of consoleErrors.slice(0, 10)) console.log('  console:', e.slice(0, 300));
} finally {
  await browser.close();
}
