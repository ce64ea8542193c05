import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import { colourDistance, launch, openPage, waitSettled } from './browser';
import { legendRows, overWhite, swatchRect } from '../../src/export/compose';
import type { Legend } from '../../src/layers/types';

/** The Export dialog in real Chromium: a 2× PNG with its legend (checked by pixels) and the GeoJSON. */
const OUT = resolve(__dirname, '../../test-results');
mkdirSync(OUT, { recursive: true });

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function download(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.locator(selector).click()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

describe('export', () => {
  it('saves a 2× PNG with the legend drawn in it, and the features as GeoJSON with provenance', async () => {
    // A modest screen: SwiftShader draws and the encoder compresses 4× its pixels.
    const { page, consoleErrors } = await openPage(browser, '?city=shenzhen&layers=parks', { width: 1024, height: 640 });
    const t0 = Date.now();
    await waitSettled(page);
    const info = (await page.evaluate(`(() => {
      const h = window.__atlas; const el = h.view.map.getContainer();
      const parks = h.controller.statuses().find((s) => s.def.id === 'parks');
      return { w: el.clientWidth, h: el.clientHeight, legend: parks.legend, canvas: h.view.map.getCanvas().width };
    })()`)) as { w: number; h: number; legend: Legend; canvas: number };
    expect(info.legend.items.length).toBeGreaterThanOrEqual(3);

    await page.locator('.export-btn').click();
    await page.locator('.export-dialog').waitFor();
    const png = await download(page, '.export-png[data-ratio="2"]');
    expect(png.name).toMatch(/^civic-atlas-shenzhen-parks-.+-2x\.png$/);
    const img = PNG.sync.read(png.bytes);
    writeFileSync(resolve(OUT, 'export-2x.png'), png.bytes);
    expect([img.width, img.height]).toEqual([info.w * 2, info.h * 2]);
    const at = (x: number, y: number) => {
      const i = (Math.round(y) * img.width + Math.round(x)) * 4;
      return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!] as [number, number, number];
    };

    // Every swatch of the parks legend is where the layout puts it, in its colour over the legend's white box.
    const { rows } = legendRows([{ legend: info.legend, modelled: true }], (t) => [t]);
    const items = rows.filter((r) => r.kind === 'item');
    expect(items).toHaveLength(info.legend.items.length);
    for (const r of items) {
      const s = swatchRect(r);
      const want = overWhite(r.color!);
      for (const [dx, dy] of [[0.5, 0.5], [0.25, 0.25], [0.75, 0.75], [0.25, 0.75]] as const) {
        expect(colourDistance(at((s.x + s.size * dx) * 2, (s.y + s.size * dy) * 2), want)).toBeLessThan(4);
      }
    }

    // deck.gl drew at the raised ratio over the whole map: park greens on both the right half's top and bottom.
    const green = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y += 6) for (let x = x0; x < x1; x += 6) {
        const [r, g, b] = at(x, y);
        if (g > r + 30 && g > b + 10) n++;
      }
      return n;
    };
    expect(green(img.width / 2, 140, img.width - 100, img.height / 2)).toBeGreaterThan(30);
    expect(green(img.width / 2, img.height / 2, img.width - 100, img.height - 160)).toBeGreaterThan(30);
    // The screen's own pixel ratio is back.
    expect(await page.evaluate(() => window.__atlas!.view.map.getCanvas().width)).toBe(info.canvas);
    await expect.poll(() => page.locator('.export-status').textContent()).toMatch(/已保存|Saved/);

    const pngMs = Date.now() - t0;
    const gj = await download(page, '.export-geojson');
    expect(gj.name).toMatch(/^civic-atlas-shenzhen-parks-.+\.geojson$/);
    const fc = JSON.parse(gj.bytes.toString('utf8')) as {
      type: string;
      features: { properties: { layer: string } }[];
      civicAtlas: { layers: { id: string; count: number; provenance: { source: string; license: string; vintage: number; modelled: boolean }[] }[] };
    };
    const n = Number(await page.evaluate(`(async () => { const e = await window.__atlas.engine; return Number((await e.query('SELECT count(*) AS n FROM shenzhen__parks')).get(0).n); })()`));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(n);
    expect(fc.features.every((f) => f.properties.layer === 'parks')).toBe(true);
    expect(fc.civicAtlas.layers[0]).toMatchObject({ id: 'parks', count: n });
    expect(fc.civicAtlas.layers[0]!.provenance[0]).toMatchObject({ license: 'CC0-1.0', vintage: 2025, modelled: true });
    console.log(`export e2e: to PNG checked ${pngMs} ms, total ${Date.now() - t0} ms`);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 60_000);
});
