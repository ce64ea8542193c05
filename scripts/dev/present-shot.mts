// Screenshots of presenter slides: `npx tsx scripts/dev/present-shot.mts <city> <slide> <w> <h> <out.png> [waitMs]`.
import { launch, openPage, waitSettled } from '../../tests/e2e/browser';
const [city = 'ningbo', slide = '1', w = '1920', h = '1080', out = 'test-results/present.png', wait = '1500'] = process.argv.slice(2);
const browser = await launch();
try {
  const { page, consoleErrors } = await openPage(browser, `?mode=present&city=${city}&slide=${slide}`, { width: Number(w), height: Number(h) });
  await waitSettled(page);
  await page.waitForTimeout(Number(wait));
  await page.evaluate('window.__atlas.settled()');
  await page.screenshot({ path: out });
  console.log(`wrote ${out}; console errors: ${consoleErrors.length}`, consoleErrors.slice(0, 3));
} finally {
  await browser.close();
}
