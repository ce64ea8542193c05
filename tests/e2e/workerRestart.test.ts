import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { cspViolations, launch, openPage, waitSettled, importCnemcFiles } from './browser';

/**
 * The DuckDB worker dies mid-session in real Chromium (the test calls
 * terminate() on the real worker, which no code of the app is told about):
 * the engine notices, restarts, loads the catalog table and the planner's
 * imported CNEMC files again, and the query that was pending when it died
 * is answered by the new worker. Then a query that runs too long is
 * cancelled, and the one queued behind it still answers.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});


const COUNTS = `(async () => {
  const e = await window.__atlas.engine;
  const n = async (t) => Number((await e.query('SELECT count(*)::DOUBLE AS n FROM ' + t)).get(0).n);
  return { parks: await n('jinan__parks'), stations: await n('user__cnemc_stations'), hourly: await n('user__cnemc_hourly') };
})()`;

describe('DuckDB worker restart', () => {
  it('after the worker is terminated, the pending query, the catalog table and the imported tables answer again', async () => {
    const t0 = Date.now();
    const laps: string[] = [];
    const lap = (what: string) => laps.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const { page, consoleErrors, external } = await openPage(browser, '?city=jinan&layers=parks,air');
    await waitSettled(page);
    lap('settled');

    // The planner imports a GBK station list and an hourly file through the real dialog.
    await importCnemcFiles(page, [], 30_000);
    await page.keyboard.press('Escape');
    await page.evaluate('window.__atlas.settled()');
    lap('imported');

    const before = (await page.evaluate(COUNTS)) as { parks: number; stations: number; hourly: number };
    expect(before.parks).toBeGreaterThan(0);
    expect(before.stations).toBeGreaterThan(0);
    expect(before.hourly).toBeGreaterThan(0);
    const journal = (await page.evaluate('window.__atlas.engine.then((e) => e.journal.keys())')) as string[];
    expect(journal).toContain('catalog:jinan__parks');
    expect(journal.some((k) => k.startsWith('air-import:'))).toBe(true);

    // Listen as the notice will, then kill the worker with a query in flight.
    const killed = (await page.evaluate(`(async () => {
      const e = await window.__atlas.engine;
      window.__engineEvents = [];
      e.onEvent((ev) => window.__engineEvents.push({ ...ev, at: performance.now() }));
      const old = e.current();
      window.__pending = e.query("SELECT count(*)::DOUBLE AS n FROM jinan__parks").then((t) => Number(t.get(0).n), (err) => 'error: ' + err.message);
      const at = performance.now();
      old.worker.terminate();
      return { at, watched: old.watched };
    })()`)) as { at: number; watched: boolean };
    expect(killed.watched).toBe(true);

    // Queries made right away wait for the restart; the pending one is retried once.
    const pending = await page.evaluate('window.__pending');
    expect(pending).toBe(before.parks);
    const after = await page.evaluate(COUNTS);
    expect(after).toEqual(before);
    lap('restarted');

    const events = (await page.evaluate('window.__engineEvents')) as ({ kind: string; at: number } & Record<string, unknown>)[];
    expect(events.map((e) => e.kind)).toEqual(['stopped', 'restarted']);
    expect(events[0]!.cause).toBe('died');
    expect(events[0]!.at - killed.at).toBeLessThan(1000); // noticed at once, not by a timeout
    const restarted = events[1]!;
    expect(restarted.failed).toEqual([]);
    expect(restarted.rebuilt).toEqual(expect.arrayContaining(['catalog:jinan__parks', ...journal.filter((k) => k.startsWith('air-import:'))]));
    console.log(
      `worker restart: noticed after ${Math.round(events[0]!.at - killed.at)} ms; back after ${restarted.ms} ms ` +
        `(DuckDB start ${restarted.startMs} ms, then ${(restarted.rebuilt as string[]).join(', ')})`,
    );

    // The user was told, in their language.
    await expect.poll(() => page.locator('[data-notice="engine-restart"]').textContent(), { timeout: 10_000 }).toContain('数据引擎已恢复');

    // The app goes on: a new worker, and the map still draws its layers.
    const same = await page.evaluate(`window.__atlas.engine.then((e) => e.current() !== null && e.restarts())`);
    expect(same).toBe(1);
    await waitSettled(page);
    lap('after the restart');

    // A query that runs too long is cancelled (DuckDB's worker is busy until it is done, so it is restarted); the query queued behind it still answers.
    const cancelled = (await page.evaluate(`(async () => {
      const e = await window.__atlas.engine;
      const long = e.query('SELECT sum(i) AS s FROM range(100000000000) t(i)').then(() => 'finished', (err) => err.name);
      const behind = e.query('SELECT count(*)::DOUBLE AS n FROM user__cnemc_stations').then((t) => Number(t.get(0).n), (err) => 'error: ' + err.message);
      await new Promise((r) => setTimeout(r, 1600));
      const activity = e.activity();
      const ran = performance.now() - activity.runningSince;
      const asked = await e.cancel();
      return { activity, ran, asked, long: await long, behind: await behind, restarts: e.restarts() };
    })()`)) as { activity: { runningKind: string; pending: number }; ran: number; asked: boolean; long: string; behind: unknown; restarts: number };
    expect(cancelled.activity).toMatchObject({ runningKind: 'query', pending: 2, restarting: false });
    expect(cancelled.ran).toBeGreaterThan(1500);
    expect(cancelled).toMatchObject({ asked: true, long: 'QueryCancelledError', behind: before.stations, restarts: 2 });
    const last = ((await page.evaluate('window.__engineEvents')) as { kind: string; cause?: string }[]).slice(2).map((e) => `${e.kind}:${e.cause}`);
    expect(last).toEqual(['stopped:cancel', 'restarted:cancel']);
    lap('cancelled');
    expect(external).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
    console.log(laps.join('; '));
  }, 120_000);
});
