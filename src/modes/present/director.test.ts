import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDirector, slidePatch, FLY_MS, SETTLE_TIMEOUT_MS } from './director';
import { createStore } from '../../state/store';
import type { AppState } from '../../state/types';
import type { Slide } from './story';

const base = { city: 'shenzhen', layers: ['parks'], view: null, time: '2025-12-31T23', lang: 'zh', mode: 'present', theme: 'auto', pollutant: 'pm25', step: 'day', period: ['2025-01-01', '2025-01-02'], surface: true, dock: null, story: null, slide: 1, controls: true, selection: { layer: 'parks', id: 'x' } } as unknown as AppState;
const slide = (o: Partial<Slide> = {}): Slide => ({ id: 's1', city: 'qingdao', camera: { lon: 120.3, lat: 36.1, zoom: 10, bearing: 10, pitch: 30 }, layers: ['air', 'parks'], title: { zh: 't', en: 't' }, caption: { zh: '', en: '' }, kpis: [], ...o });

function setup(settled: () => Promise<void> = () => Promise.resolve()) {
  const store = createStore(base);
  const sets: Partial<AppState>[] = [];
  const orig = store.set;
  store.set = (p) => { sets.push(p); orig(p); };
  const map = { stop: vi.fn(), flyTo: vi.fn() };
  const view = { map, jumpTo: vi.fn(), flyTo: vi.fn() } as any;
  const player = { play: vi.fn(), pause: vi.fn() } as any;
  const d = createDirector({ store, view, player, settled, layerOrder: ['parks', 'restoration', 'air', 'lifecircle'] });
  return { store, sets, map, view, player, d };
}
afterEach(() => { vi.useRealTimers(); vi.unstubAllGlobals(); });

describe('director', () => {
  it('applies the whole slide in one store change, resetting omitted settings and the selection', async () => {
    const t = setup();
    await t.d.show(slide({ time: '2025-03-01T08' }), { animate: true });
    expect(t.sets).toHaveLength(1);
    expect(t.store.get()).toMatchObject({ city: 'qingdao', layers: ['parks', 'air'], view: { lon: 120.3, lat: 36.1, zoom: 10, bearing: 10, pitch: 30 }, time: '2025-03-01T08', pollutant: 'aqi', step: 'hour', surface: false, period: null, selection: null });
    expect(t.view.flyTo).toHaveBeenCalledWith({ lon: 120.3, lat: 36.1, zoom: 10, bearing: 10, pitch: 30 }, FLY_MS);
    expect(t.view.jumpTo).not.toHaveBeenCalled();
    expect(t.player.pause).toHaveBeenCalled();
    expect(t.player.play).not.toHaveBeenCalled();
  });
  it('keeps the clock when the slide has no time; applies given settings', () => {
    const p = slidePatch(slide({ settings: { pollutant: 'o3', step: 'day', surface: true, period: ['2025-02-01', '2025-02-07'] } }));
    expect('time' in p).toBe(false);
    expect(p).toMatchObject({ pollutant: 'o3', step: 'day', surface: true, period: ['2025-02-01', '2025-02-07'], layers: ['air', 'parks'], compareYear: null, drawnParks: [] });
    // A restoration slide may show a swipe compare; the divider starts in the middle.
    expect(slidePatch(slide({ settings: { step: 'year', compare: 2015 } }))).toMatchObject({ step: 'year', compareYear: 2015, swipe: 0.5 });
    // A slide names its basemap; one that does not shows the offline base, whatever the slide before showed.
    expect(slidePatch(slide({ settings: { basemap: 'amap' } })).basemap).toBe('amap');
    expect(slidePatch(slide()).basemap).toBe('offline');
    // A slide may map a period's means; one that does not shows the clock.
    expect(slidePatch(slide({ settings: { period: ['2025-01-05', '2025-01-12'], airMap: 'period' } }))).toMatchObject({ period: ['2025-01-05', '2025-01-12'], airMap: 'period' });
    expect(slidePatch(slide()).airMap).toBe('clock');
  });
  it('jumps without animation and when reduced motion is asked for', async () => {
    const t = setup();
    await t.d.show(slide(), { animate: false });
    expect(t.view.jumpTo).toHaveBeenCalledTimes(1);
    vi.stubGlobal('matchMedia', (q: string) => ({ matches: q.includes('reduce') }));
    await t.d.show(slide({ id: 's2' }), { animate: true });
    expect(t.view.jumpTo).toHaveBeenCalledTimes(2);
    expect(t.view.flyTo).not.toHaveBeenCalled();
  });
  it('plays after the slide has settled, at its speed', async () => {
    let release!: () => void;
    const t = setup(() => new Promise<void>((r) => (release = r)));
    const done = t.d.show(slide({ play: { speed: 4 } }), { animate: true });
    await Promise.resolve();
    expect(t.player.play).not.toHaveBeenCalled();
    release();
    await done;
    expect(t.player.play).toHaveBeenCalledWith(4);
  });
  it('a newer show wins: the older one does not start playback', async () => {
    const waits: (() => void)[] = [];
    const t = setup(() => new Promise<void>((r) => waits.push(r)));
    const a = t.d.show(slide({ id: 'a', play: { speed: 2 } }), { animate: true });
    const b = t.d.show(slide({ id: 'b' }), { animate: true });
    expect(waits).toHaveLength(1); // one settled() wait shared, never stacked
    waits[0]!();
    await Promise.all([a, b]);
    expect(t.player.play).not.toHaveBeenCalled();
    expect(t.player.pause).toHaveBeenCalledTimes(2);
    expect(t.map.stop).toHaveBeenCalledTimes(2);
  });
  it('does not wait forever for layers that never settle', async () => {
    vi.useFakeTimers();
    const t = setup(() => new Promise<void>(() => {}));
    const done = t.d.show(slide({ play: { speed: 1 } }), { animate: true });
    await vi.advanceTimersByTimeAsync(FLY_MS + SETTLE_TIMEOUT_MS - 1);
    expect(t.player.play).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(t.player.play).toHaveBeenCalledWith(1);
  });
});
