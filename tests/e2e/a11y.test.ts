import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launch, openPage } from './browser';

/**
 * Accessibility: axe-core on the planner, on the planner with a dialog open
 * and on a small embed, failing on serious and critical violations; and the
 * keyboard: Tab reaches every control of the top bar and the layer panel,
 * each with a visible focus ring; Enter and Space toggle a layer (and the
 * keyboard stays on it while the panel redraws); Esc closes the dialogs and
 * returns focus to the button that opened them.
 */
const AXE = readFileSync(resolve(__dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * The DOM is what is checked here, not the map: ready once every visible
 * layer has its data (the panels stop redrawing), without waiting for the
 * map to go idle as waitSettled does.
 */
async function waitReady(p: Page): Promise<void> {
  await p.waitForFunction(() => window.__atlasBoot !== undefined, undefined, { timeout: 90_000 });
  await p.evaluate(async () => {
    const h = await window.__atlasBoot;
    if (!h) throw new Error('the app did not boot');
    for (;;) {
      const st = h.controller.statuses().filter((x) => x.visible);
      if (st.every((x) => x.phase === 'ready' || x.phase === 'error')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
  });
}

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launch();
  page = (await openPage(browser, '?city=shenzhen')).page;
  await waitReady(page);
});
afterAll(async () => {
  await browser?.close();
});

type Violation = { id: string; impact: string; help: string; nodes: string[] };

/**
 * Runs axe in the page. The app's CSP (script-src 'self') refuses an injected
 * <script>; evaluating the source through the DevTools protocol is not
 * subject to it.
 */
async function axe(p: Page, context: string | null = null): Promise<Violation[]> {
  if (!(await p.evaluate(() => 'axe' in window))) {
    const cdp = await p.context().newCDPSession(p);
    const r = (await cdp.send('Runtime.evaluate', { expression: AXE })) as { exceptionDetails?: { text: string } };
    await cdp.detach();
    if (r.exceptionDetails) throw new Error(`axe did not load: ${r.exceptionDetails.text}`);
  }
  const found = (await p.evaluate(async (ctx) => {
    type Result = { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
    const a = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<Result> } }).axe;
    const list = (r: Result) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 6).map((n) => n.target.join(' ')) }));
    const all = list(await a.run(ctx ?? document, { resultTypes: ['violations'] }));
    // Over the map canvas axe cannot tell a panel's background and leaves its
    // text contrast undecided; with the map hidden the panels are measured
    // against the page behind them (near their own translucent white).
    const map = document.getElementById('map')!;
    map.style.visibility = 'hidden';
    try {
      const contrast = list(await a.run(ctx ?? document, { runOnly: ['color-contrast'], resultTypes: ['violations'] }));
      return [...all.filter((v) => v.id !== 'color-contrast'), ...contrast];
    } finally {
      map.style.visibility = '';
    }
  }, context)) as Violation[];
  const minor = found.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length) console.log(`[a11y] ${p.url().replace(/^.*\?/, '?')}: minor/moderate: ${minor.map((v) => `${v.id} (${v.nodes.join(', ')})`).join('; ')}`);
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const report = (vs: Violation[]) => vs.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');

describe('accessibility', () => {
  it('axe finds no serious or critical problems in the planner (1440×900)', async () => {
    const vs = await axe(page);
    expect(vs, report(vs)).toEqual([]);
  });

  it('…nor with the data packs dialog open; Esc closes it and focus returns', async () => {
    await page.locator('.packs-btn').focus();
    await page.keyboard.press('Enter');
    await page.locator('.pack-dialog').waitFor();
    const vs = await axe(page);
    expect(vs, report(vs)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.pack-dialog').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('packs-btn');
  });

  it('Tab reaches every control of the top bar and the layer panel, each with a visible focus ring', async () => {
    // What should be reachable: every enabled, shown control (a radio group is one stop).
    const wanted = await page.evaluate(() => {
      const els = [...document.querySelectorAll<HTMLElement>('.topbar, .side')].flatMap((c) => [
        ...c.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], summary, [tabindex]'),
      ]);
      return els
        // checkVisibility: not display:none, nor inside a closed <details> (content-visibility: hidden).
        .filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.checkVisibility({ visibilityProperty: true }))
        .filter((el) => !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked && document.querySelector(`input[type=radio][name="${el.name}"]:checked`)))
        .map((el, i) => {
          el.dataset.a11yStop = String(i);
          return i;
        }).length;
    });
    expect(wanted).toBeGreaterThan(15);
    await page.evaluate(() => {
      const w = window as unknown as { __stops: { stop: string | null; ring: boolean; where: string }[] };
      w.__stops = [];
      document.addEventListener('focusin', (e) => {
        const el = e.target as HTMLElement;
        const cs = getComputedStyle(el);
        const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
        w.__stops.push({ stop: el.dataset.a11yStop ?? null, ring, where: `${el.tagName.toLowerCase()}.${el.className}#${el.id}` });
      });
      // Tab starts where focus last was: begin from a stop placed before everything else.
      const start = document.createElement('button');
      start.id = 'a11y-start';
      document.body.prepend(start);
      start.focus();
    });
    // From the top of the page until the last of them is passed (or far more presses than controls).
    for (let i = 0; i < wanted + 40; i++) {
      await page.keyboard.press('Tab');
      if (i > wanted && (await page.evaluate(() => !document.activeElement?.closest('.topbar, .side, .map')))) break;
    }
    const stops = await page.evaluate(() => {
      document.getElementById('a11y-start')?.remove();
      return (window as unknown as { __stops: { stop: string | null; ring: boolean; where: string }[] }).__stops;
    });
    const reached = new Set(stops.filter((s) => s.stop !== null).map((s) => Number(s.stop)));
    const missed = await page.evaluate((got) => [...document.querySelectorAll<HTMLElement>('[data-a11y-stop]')].filter((el) => !got.includes(Number(el.dataset.a11yStop))).map((el) => el.outerHTML.slice(0, 120)), [...reached]);
    expect(missed).toEqual([]);
    console.log(`[a11y] Tab: ${reached.size} of ${wanted} controls of the top bar and layer panel reached in ${stops.length} stops`);
    const noRing = stops.filter((s) => s.stop !== null && !s.ring).map((s) => s.where);
    expect(noRing).toEqual([]);
    // The order people expect: the top bar, then the layers, then the map (not the map's controls first).
    const tabbed = stops.filter((s) => !s.where.endsWith('#a11y-start'));
    expect(tabbed[0]!.stop, tabbed[0]!.where).toBe('0');
    const firstMap = tabbed.findIndex((s) => s.stop === null);
    expect(firstMap === -1 || tabbed.slice(firstMap).every((s) => s.stop === null), tabbed.map((s) => s.where).join('\n')).toBe(true);
  });

  it('Enter and Space toggle a layer, and the keyboard stays on it', async () => {
    const layers = () => page.evaluate(() => window.__atlas!.store.get().layers);
    const box = page.locator('#layer-toggle-parks');
    await box.focus();
    await page.keyboard.press('Space');
    await expect.poll(layers).not.toContain('parks');
    await page.keyboard.press('Enter');
    await expect.poll(layers).toContain('parks');
    // The panel redraws as the layer loads; the focus is put back on the same checkbox.
    await waitReady(page);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('layer-toggle-parks');
    await page.keyboard.press('Space');
    await expect.poll(layers).not.toContain('parks');
    await page.keyboard.press('Space');
    await expect.poll(layers).toContain('parks');
    // The time bar rebuilds when its loop is switched: the keyboard stays on the switch.
    await page.locator('.time-loop').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('time-loop'))).toBe(true);
    await page.keyboard.press('Enter');
    await waitReady(page);
  });

  it('Esc closes the share and embed dialogs and returns focus to their buttons', async () => {
    for (const [btn, dlg] of [['.share-btn', '.share-dialog'], ['.embed-btn', '.embed-dialog']] as const) {
      await page.locator(btn).focus();
      await page.keyboard.press('Enter');
      await page.locator(dlg).waitFor();
      expect(await page.evaluate((d) => !!document.activeElement?.closest(d), dlg)).toBe(true);
      if (dlg === '.share-dialog') {
        const vs = await axe(page);
        expect(vs, report(vs)).toEqual([]);
      }
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator(dlg).count()).toBe(0);
      expect(await page.evaluate((b) => document.activeElement?.matches(b), btn)).toBe(true);
    }
  });

  it('axe finds no serious or critical problems in a 480×320 embed', async () => {
    const embed = (await openPage(browser, '?mode=embed&city=qingdao&layers=parks', { width: 480, height: 320 })).page;
    await waitReady(embed);
    const vs = await axe(embed);
    expect(vs, report(vs)).toEqual([]);
    await embed.context().close();
  });
});
