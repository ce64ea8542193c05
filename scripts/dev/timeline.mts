// Where start-up time goes: when the map paints, the engine is ready, each layer is ready.
import { launch, openPage } from '../../tests/e2e/browser';
const browser = await launch();
const { page } = await openPage(browser, process.argv[2] ?? '?city=shenzhen');
const t: Record<string, number> = await page.evaluate(`(async () => {
  const marks = {};
  const h = await window.__atlasBoot;
  marks.boot = performance.now();
  h.engine.then(() => (marks.engine = performance.now()));
  await new Promise((resolve) => {
    const tick = () => {
      for (const s of h.controller.statuses()) if (s.phase === 'ready' && !marks[s.def.id]) marks[s.def.id] = performance.now();
      if (h.controller.statuses().every((s) => !s.visible || s.phase === 'ready' || s.phase === 'error')) resolve();
      else setTimeout(tick, 50);
    };
    tick();
  });
  await h.settled();
  marks.settled = performance.now();
  marks.firstPaint = h.firstPaintMs;
  for (const m of performance.getEntriesByType('measure')) { marks[m.name + ' (end)'] = m.startTime + m.duration; marks[m.name + ' (took)'] = m.duration; }
  for (const m of performance.getEntriesByType('mark')) if (m.name.endsWith(':engine') || m.name.startsWith('boot:')) marks[m.name] = m.startTime;
  return marks;
})()`);
console.log(Object.entries(t).sort((a, b) => a[1] - b[1]).map(([k, v]) => `${k.padEnd(12)} ${v.toFixed(0)} ms`).join('\n'));
await browser.close();
