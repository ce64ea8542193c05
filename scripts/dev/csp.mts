// Lists Content-Security-Policy violations of the built app: `npx tsx scripts/dev/csp.mts [query]`.
import { cspViolations, launch, openPage, waitSettled } from '../../tests/e2e/browser';
const browser = await launch();
const { page, consoleErrors } = await openPage(browser, process.argv[2] ?? '?city=shenzhen');
await waitSettled(page);
console.log('violations:', await cspViolations(page));
console.log('console errors:', consoleErrors.slice(0, 5));
await browser.close();
