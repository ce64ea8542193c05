import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { colourDistance, cspViolations, launch, openPage, screenshotPixels, waitSettled, importCnemcFiles } from './browser';
import { AQI_LEVELS, aqiLevel, iaqi } from '../../src/standards/aqi';

/**
 * The air-quality view in real Chromium: one clock driving the station layer,
 * the legend and the charts; charts and map selecting each other; the
 * interpolated surface; the CNEMC importer. Pixels are read from screenshots.
 */
const OUT = resolve(__dirname, '../../test-results');
mkdirSync(OUT, { recursive: true });

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const hexRgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const zhDay = (t: string) => `${Number(t.slice(0, 4))}年${Number(t.slice(5, 7))}月${Number(t.slice(8, 10))}日`;

/** What the clock, the legend's live line and the chart cursor say, read in one task so they cannot drift apart in between. */
async function readClock(page: Page): Promise<{ time: string; legend: string; cursor: string; slider: string }> {
  return page.evaluate(`(() => ({
    time: window.__atlas.store.get().time,
    legend: document.querySelector('.side .legend-live[data-live="air"]')?.textContent ?? '',
    cursor: document.querySelector('.dock-chart .ca-cursor text')?.textContent ?? '',
    slider: document.querySelector('.time-label')?.textContent ?? '',
  }))()`);
}

/** Screen position of a station and its drawn fill, and the level the inspector reports for it. */
async function stationOnScreen(page: Page, id: string): Promise<{ x: number; y: number }> {
  return page.evaluate(`(async () => {
    const h = window.__atlas;
    const e = await h.engine;
    const t = await e.query("SELECT __xmin AS lon, __ymin AS lat FROM " + JSON.stringify(h.store.get().city + '__stations') + " WHERE id = '${id}'");
    const r = t.get(0);
    const p = h.view.map.project([r.lon, r.lat]);
    return { x: p.x, y: p.y };
  })()`);
}

describe('air quality: one clock for layer, legend and charts', () => {
  it('plays a week at 16× with the layer, the chart cursor and the legend in step', async () => {
    const { page, external, consoleErrors } = await openPage(
      browser,
      // Centred on station JN02, which is selected: clear of the panels and the chart dock.
      '?city=jinan&layers=air&dock=station&sel=air:JN02&period=2025-03-01..2025-03-07&t=2025-03-01T00&v=117.08466,36.64951,11',
    );
    await waitSettled(page);
    await page.waitForSelector('.dock-chart .ca-cursor');
    // Every frame the map draws during play: the hour the air layer was drawn
    // for (its update trigger), and what the legend, time bar and chart cursor
    // say in that same frame (read after all of the frame's handlers ran).
    await page.evaluate(`(() => {
      const h = window.__atlas;
      window.__frames = [];
      h.view.map.on('render', () => queueMicrotask(() => {
        const layer = h.view.overlay._deck?.layerManager?.getLayers().find((l) => l.id === 'air');
        window.__frames.push({
          drawn: layer?.props.updateTriggers?.getFillColor ?? null,
          legend: document.querySelector('.side .legend-live[data-live="air"]')?.textContent ?? '',
          label: document.querySelector('.time-label')?.textContent ?? '',
          cursor: document.querySelector('.dock-chart .ca-cursor text')?.textContent ?? '',
        });
      }));
    })()`);
    await page.locator('.time-speed').selectOption('16');
    await page.locator('.time-play').click();
    await page.waitForTimeout(2500);
    await page.screenshot({ path: resolve(OUT, 'air-playing-16x.png') });
    await page.waitForTimeout(2500);
    await page.keyboard.press('Space');
    await expect.poll(() => page.evaluate('document.querySelector(".time-play").getAttribute("aria-pressed")')).toBe('false');
    const frames = (await page.evaluate('window.__frames')) as { drawn: string | null; legend: string; label: string; cursor: string }[];
    const played = frames.filter((f) => f.drawn && f.drawn.startsWith('2025-03'));
    const hours = new Set(played.map((f) => f.drawn));
    expect(hours.size).toBeGreaterThan(5);
    for (const f of played) {
      const time = f.drawn!.split('|')[0]!;
      expect(time >= '2025-03-01T00' && time <= '2025-03-07T23').toBe(true);
      const [day, hour] = time.split('T');
      expect(f.legend.startsWith(`${day} ${hour}:00`), `legend "${f.legend}" in the frame of ${time}`).toBe(true);
      expect(f.label.startsWith(`${day} ${hour}:00`), `time bar "${f.label}" in the frame of ${time}`).toBe(true);
      expect(f.cursor.startsWith(`${zhDay(time)} ${hour}:00`), `cursor "${f.cursor}" in the frame of ${time}`).toBe(true);
    }

    // Paused: the station is drawn in the level colour of the AQI the inspector reports for the hour.
    await page.evaluate(`window.__atlas.settled()`);
    await page.waitForTimeout(200);
    const sub = (await page.locator('.inspector-sub').textContent()) ?? '';
    const aqi = Number(/AQI (\d+)/.exec(sub)?.[1]);
    expect(aqi).toBeGreaterThan(0);
    const pos = await stationOnScreen(page, 'JN02');
    const shot = await screenshotPixels(page, resolve(OUT, 'air-paused.png'));
    // Between the number in the middle and the selection ring at the edge.
    const px = shot.at(pos.x - 8, pos.y + 2);
    expect(colourDistance(px, hexRgb(aqiLevel(aqi).colour))).toBeLessThan(60);
    const now = await readClock(page);
    expect(now.legend.startsWith(`${now.time.slice(0, 10)} ${now.time.slice(11)}:00`)).toBe(true);
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('brushing the series sets the period and moves the clock; a calendar day moves it too; stations select both ways', async () => {
    const { page } = await openPage(browser, '?city=qingdao&layers=air&dock=station&step=day&t=2025-06-15T12');
    await waitSettled(page);
    const svg = page.locator('.dock-chart svg').first();
    await svg.waitFor();
    const box = (await page.locator('.dock-chart .ca-brush .overlay').boundingBox())!;
    // Drag across roughly the second quarter of the year.
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    const s1 = (await page.evaluate('window.__atlas.store.get()')) as { period: [string, string] | null; time: string };
    expect(s1.period).not.toBeNull();
    expect(s1.period![0] >= '2025-03-15' && s1.period![0] <= '2025-04-15').toBe(true);
    expect(s1.period![1] > s1.period![0]).toBe(true);
    expect(s1.time.slice(0, 10)).toBe(s1.period![0]);
    await expect.poll(() => page.locator('.time-period').textContent()).toContain(s1.period![0]);

    // The brush filters the map: each station shows its mean over the period, asked of DuckDB, and the legend says so.
    await expect.poll(() => page.evaluate('window.__atlas.store.get().airMap')).toBe('period');
    await expect.poll(() => page.locator('.side .legend-title').first().textContent(), { timeout: 10_000 }).toContain('时段平均小时 AQI');
    expect(await page.locator('.side .legend-live[data-live="air"]').textContent()).toContain(`${s1.period![0]} – ${s1.period![1]}`);
    await page.evaluate(`window.__atlas.store.set({ pollutant: 'pm25' })`);
    await page.evaluate('window.__atlas.settled()');
    await page.waitForTimeout(200);
    const stationId = (await page.locator('.dock-station option').nth(2).getAttribute('value'))!;
    // The expected means straight from the rows, filtered and averaged here in JS; IAQIs from the standards module's JS.
    const [p0, p1] = s1.period!;
    const lo = Date.parse(`${p0}T00:00:00Z`) - 8 * 3_600_000;
    const hi = Date.parse(`${p1}T23:00:00Z`) - 8 * 3_600_000;
    const raw = (await page.evaluate(`(async () => {
      const e = await window.__atlas.engine;
      const t = await e.query("SELECT epoch_ms(ts)::DOUBLE AS t, pm25::DOUBLE AS v FROM qingdao__air_hourly WHERE station_id = ?", [${JSON.stringify(stationId)}]);
      return t.toArray().map((r) => [r.t, r.v]);
    })()`)) as [number, number | null][];
    const inPeriod = raw.filter(([t, v]) => t >= lo && t <= hi && v !== null).map(([, v]) => v!);
    expect(inPeriod.length).toBeGreaterThan(24 * 20);
    const meanPm = inPeriod.reduce((a, v) => a + v, 0) / inPeriod.length;
    const iaqis = inPeriod.map((v) => iaqi('pm25', '1h', v)).filter((v): v is number => v !== null);
    const meanIaqi = iaqis.reduce((a, v) => a + v, 0) / iaqis.length;
    const at = await stationOnScreen(page, stationId);
    const periodShot = await screenshotPixels(page, resolve(OUT, 'air-period-means.png'));
    expect(colourDistance(periodShot.at(at.x - 8, at.y + 2), hexRgb(aqiLevel(meanIaqi).colour))).toBeLessThan(60);
    await page.mouse.move(at.x, at.y);
    await expect.poll(() => page.locator('.tooltip .tt-sub').textContent(), { timeout: 5_000 }).toContain(`PM2.5 均值 ${Math.round(meanPm)} µg/m³`);
    // The export writes what the map shows: each station's means over the period.
    await page.mouse.move(5, 5);
    await page.locator('.export-btn').click();
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.locator('.export-geojson').click()]);
    const gj = JSON.parse(readFileSync((await dl.path())!, 'utf8')) as { features: { properties: Record<string, unknown> }[]; civicAtlas: { layers: { id: string; filter: string }[] } };
    expect(gj.civicAtlas.layers.find((l) => l.id === 'air')!.filter).toContain(`${p0} 至 ${p1}`);
    const exported = gj.features.find((f) => f.properties.id === stationId)!.properties;
    expect(exported).toMatchObject({ period_from: p0, period_to: p1, metric: 'pm25', hours: inPeriod.length });
    expect(Number(exported.mean)).toBeCloseTo(meanPm, 1);
    await page.keyboard.press('Escape');
    // Back to the clock from the layer's own control; the period stays for the charts.
    await page.mouse.move(5, 5);
    await page.locator('.air-map-choice input[value="clock"]').check();
    await expect.poll(() => page.locator('.side .legend-title').first().textContent(), { timeout: 10_000 }).not.toContain('均值');
    expect((await page.evaluate('window.__atlas.store.get()')) as { period: unknown; airMap: string }).toMatchObject({ period: s1.period, airMap: 'clock' });
    await page.evaluate(`window.__atlas.store.set({ pollutant: 'aqi' })`);

    // Calendar: clicking a day cell moves the clock to it.
    await page.locator('.dock-tabs [data-tab="calendar"]').click();
    const cell = page.locator('.dock-chart .ca-cal-cells rect').nth(200);
    await cell.click();
    const t2 = (await page.evaluate('window.__atlas.store.get().time')) as string;
    expect(t2.slice(0, 10)).toBe('2025-07-20');

    // Map → chart: a click on a station selects it in the dock's station list.
    await page.locator('.dock-tabs [data-tab="station"]').click();
    await page.locator('.dock-station').waitFor();
    const first = (await page.evaluate(`window.__atlas.store.get().city`)) as string;
    expect(first).toBe('qingdao');
    const id = (await page.locator('.dock-station option').nth(2).getAttribute('value'))!;
    const pos = await stationOnScreen(page, id);
    await page.mouse.click(pos.x, pos.y);
    await expect.poll(() => page.locator('.dock-station').inputValue()).toBe(id);
    await expect.poll(() => page.locator('.dock-chart .ca-title, .dock-chart text').first().textContent()).toBeTruthy();
    // Chart → map: choosing another station selects it on the map (inspector).
    const other = (await page.locator('.dock-station option').nth(4).getAttribute('value'))!;
    await page.locator('.dock-station').selectOption(other);
    await expect.poll(() => page.evaluate('window.__atlas.store.get().selection?.id')).toBe(other);
    await expect.poll(() => page.locator('.inspector:not([hidden]) .inspector-title').textContent()).toBeTruthy();
    await page.context().close();
  }, 180_000);

  it('keyboard: , and . step the clock, Shift a day, the day step and Home/End on the bar, Space plays', async () => {
    const { page } = await openPage(browser, '?city=shenzhen&layers=air&t=2025-05-01T08');
    await waitSettled(page);
    const time = () => page.evaluate('window.__atlas.store.get().time') as Promise<string>;
    await page.locator('#map').click({ position: { x: 700, y: 200 } });
    await page.keyboard.press('.');
    expect(await time()).toBe('2025-05-01T09');
    await page.keyboard.press(',');
    await page.keyboard.press(',');
    expect(await time()).toBe('2025-05-01T07');
    await page.keyboard.press('Shift+.');
    expect(await time()).toBe('2025-05-02T07');
    await page.locator('.time-unit button').nth(1).click();
    expect(await page.evaluate('window.__atlas.store.get().step')).toBe('day');
    await page.locator('.time-slider').focus();
    await page.keyboard.press('Shift+ArrowRight');
    expect(await time()).toBe('2025-05-09T07');
    await page.keyboard.press('End');
    expect(await time()).toBe('2025-12-31T23');
    await page.keyboard.press('Home');
    expect(await time()).toBe('2025-01-01T00');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('.time-play').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('.time-play').getAttribute('aria-pressed')).toBe('false');
    await page.context().close();
  }, 120_000);

  it('four-city comparison: good-day shares, the ranked table, Ningbo’s own 92.9 % labelled as its figure', async () => {
    const { page } = await openPage(browser, '?city=ningbo&layers=air&dock=cities');
    await waitSettled(page);
    await page.locator('.dock-table table').waitFor({ timeout: 120_000 });
    const rows = await page.locator('.dock-table tbody tr').count();
    expect(rows).toBe(4);
    const bars = await page.locator('.ca-gd-row').count();
    expect(bars).toBe(4);
    const reported = page.locator('.ca-gd-reported');
    expect(await reported.count()).toBe(1);
    expect((await page.locator('.dock-cities').textContent()) ?? '').toMatch(/城市自报|92\.9/);
    expect((await page.locator('.dock-note').textContent()) ?? '').toContain('模拟数据');
    await page.screenshot({ path: resolve(OUT, 'air-cities.png') });
    await page.context().close();
  }, 180_000);

  it('the interpolated surface colours land between stations and says it is interpolation', async () => {
    const { page } = await openPage(browser, '?city=shenzhen&layers=air&t=2025-01-15T08');
    await waitSettled(page);
    const before = await screenshotPixels(page);
    await page.evaluate(`window.__atlas.store.set({ surface: true })`);
    await page.evaluate(`window.__atlas.settled()`);
    await page.waitForTimeout(300);
    const after = await screenshotPixels(page, resolve(OUT, 'air-surface.png'));
    // Sample a grid over the map area clear of the panels: the surface changes a good share of it.
    let changed = 0;
    let total = 0;
    for (let x = 420; x < 1000; x += 40) for (let y = 150; y < 500; y += 40) {
      total++;
      if (colourDistance(before.at(x, y), after.at(x, y)) > 25) changed++;
    }
    expect(changed / total).toBeGreaterThan(0.3);
    expect((await page.locator('.side .legend-note').first().textContent()) ?? '').toContain('插值');
    // Colours of changed pixels lean towards a level colour (blended at alpha 150 over the base).
    const levels = AQI_LEVELS.map((l) => hexRgb(l.colour));
    const px = after.at(700, 300);
    expect(Math.min(...levels.map((l) => colourDistance(px, l)))).toBeLessThan(200);
    await page.context().close();
  }, 180_000);
});

describe('air quality: importing the CNEMC archive', () => {
  it('loads a GBK station list and an hourly file, draws the measured stations, and a bad file loses nothing', async () => {
    const { page, consoleErrors } = await openPage(browser, '?city=ningbo&layers=air');
    await waitSettled(page);
    await importCnemcFiles(page, [{ name: 'junk.csv', mimeType: 'text/csv', buffer: Buffer.from([0, 159, 146, 150, 0, 1, 2, 3, 255, 254]) }]);
    const results = (await page.locator('.import-results').textContent()) ?? '';
    expect(results).toContain('junk.csv');
    expect(results).toMatch(/GBK/);
    await page.keyboard.press('Escape');
    // The clock moves into the imported hours and the layer draws the imported (measured) stations.
    await expect.poll(() => page.evaluate('window.__atlas.store.get().time'), { timeout: 30_000 }).toBe('2022-01-01T01');
    await page.evaluate('window.__atlas.settled()');
    expect((await page.locator('.side .air-source').textContent()) ?? '').toContain('实测');
    expect((await page.locator('.side .legend-note').nth(0).textContent()) ?? '').toBeTruthy();
    const pos = (await page.evaluate(`window.__atlas.view.map.project([121.5001, 29.8702])`)) as { x: number; y: number };
    await page.mouse.click(pos.x, pos.y);
    await expect.poll(() => page.locator('.inspector-title').textContent()).toBe('示范公园');
    // Hourly AQI from the file's concentrations (o3 columns swapped back): PM10 60 µg/m³ → IAQI 55.
    expect((await page.locator('.inspector-sub').textContent()) ?? '').toContain('AQI 55');

    // A second import of a broken file: a message in Chinese, and the stations stay.
    await page.locator('.import-btn').click();
    await page.locator('.import-file').setInputFiles([{ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c\n1,2,3\n') }]);
    await page.locator('.import-go').click();
    await page.locator('.import-results').waitFor({ timeout: 60_000 });
    expect((await page.locator('.import-results').textContent()) ?? '').toMatch(/[\u4e00-\u9fff]/);
    await page.keyboard.press('Escape');
    await page.evaluate('window.__atlas.settled()');
    await page.mouse.click(pos.x, pos.y);
    await expect.poll(() => page.locator('.inspector-title').textContent()).toBe('示范公园');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 180_000);
});
