// The presenter's screenshot set: three slides per city at 3840×2160 and 1920×1080, in test-results/present/.
// `npx tsx scripts/dev/present-shots.mts` with `vite preview` serving the build (E2E_BASE_URL).
import { mkdirSync, readFileSync } from 'node:fs';
import { launch, openPage, waitSettled } from '../../tests/e2e/browser';
mkdirSync('test-results/present', { recursive: true });
const browser = await launch();
try {
  for (const [w, h] of [[3840, 2160], [1920, 1080]] as const) {
    for (const city of ['shenzhen', 'ningbo', 'jinan', 'qingdao']) {
      const n = JSON.parse(readFileSync(`data/stories/${city}.json`, 'utf8')).slides.length as number;
      for (const slide of [1, 3, n]) {
        const { page } = await openPage(browser, `?mode=present&city=${city}&slide=${slide}`, { width: w, height: h });
        await waitSettled(page);
        for (let i = 0; i < 100 && (await page.evaluate('window.__atlas.view.map.isMoving()')); i++) await page.waitForTimeout(200);
        await page.evaluate('window.__atlas.settled()');
        await page.waitForTimeout(400);
        const out = `test-results/present/${city}-${slide}-${w}x${h}.png`;
        await page.screenshot({ path: out });
        console.log('wrote', out);
        await page.context().close();
      }
    }
  }
} finally {
  await browser.close();
}
