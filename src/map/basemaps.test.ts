import { describe, expect, it, vi } from 'vitest';
import type { StyleSpecification } from 'maplibre-gl';
import { BASEMAP_IDS, BASEMAPS, basemapOrigins, tiandituKey } from './basemaps';
import { composeStyle, isBasemapSource } from './basemapStyle';
import { BasemapWatch, fetchStyle } from './basemapWatch';
import { OVERLAY_LAYER_IDS } from './offlineStyle';
import { DARK, LIGHT } from './theme';
import { CSP } from '../../vite.config';

const compose = (id: keyof typeof BASEMAPS, extra: Partial<Parameters<typeof composeStyle>[0]> = {}) =>
  composeStyle({ def: BASEMAPS[id], theme: LIGHT, dark: false, lang: 'zh', ...extra });

describe('basemap registry', () => {
  it('offers the offline base first and four online ones, each with attribution and the datum of its tiles', () => {
    expect(BASEMAP_IDS[0]).toBe('offline');
    for (const id of BASEMAP_IDS.slice(1)) {
      expect(BASEMAPS[id].attribution.length).toBeGreaterThan(5);
      expect(BASEMAPS[id].origins.every((o) => o.startsWith('https://'))).toBe(true);
    }
    expect(BASEMAPS.amap.datum).toBe('gcj02');
    expect(BASEMAP_IDS.filter((id) => BASEMAPS[id].datum === 'gcj02')).toEqual(['amap']);
  });
  it('the CSP takes images from exactly the basemaps\' origins beyond its own; connections (imports from an address, live sources) only over https', () => {
    const directive = (name: string) => CSP.split(';').map((d) => d.trim().split(/\s+/)).find((d) => d[0] === name)!.slice(1);
    expect(new Set(directive('img-src').filter((v) => v.startsWith('http')))).toEqual(new Set(basemapOrigins()));
    expect(directive('connect-src')).toEqual(["'self'", 'blob:', 'data:', 'https:']);
    expect(directive('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  });
  it('checks a Tianditu key\'s shape and keeps it in localStorage only', () => {
    expect(tiandituKey.valid('0123456789abcdef0123456789ABCDEF')).toBe(true);
    expect(tiandituKey.valid('0123')).toBe(false);
    expect(tiandituKey.valid('<script>alert(1)</script>0123456789')).toBe(false);
    const store = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v), removeItem: (k: string) => store.delete(k) });
    tiandituKey.set('0123456789abcdef0123456789abcdef');
    expect(tiandituKey.get()).toBe('0123456789abcdef0123456789abcdef');
    tiandituKey.set(null);
    expect(tiandituKey.get()).toBeNull();
    vi.stubGlobal('localStorage', { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('blocked'); } });
    expect(tiandituKey.get()).toBeNull();
    expect(() => tiandituKey.set('x')).not.toThrow();
    vi.unstubAllGlobals();
  });
});

describe('composeStyle', () => {
  it('the offline base requests nothing: no tiles, glyphs or sprites, only inline GeoJSON', () => {
    const s = compose('offline');
    expect(s.glyphs).toBeUndefined();
    expect(s.sprite).toBeUndefined();
    expect(Object.values(s.sources).every((src) => src.type === 'geojson' && typeof (src as { data: unknown }).data === 'object')).toBe(true);
    expect(s.layers.map((l) => l.id)).toEqual(expect.arrayContaining(['background', 'land', 'surroundings-land', 'shore-districts', ...OVERLAY_LAYER_IDS]));
  });
  it('a raster base goes under the district outlines, without the offline land', () => {
    const s = compose('amap');
    const ids = s.layers.map((l) => l.id);
    expect(ids[0]).toBe('background');
    expect(ids[1]).toBe('bm:amap-0');
    expect(ids.slice(-2)).toEqual(OVERLAY_LAYER_IDS);
    expect(ids).not.toContain('land');
    expect((s.sources['bm:amap-0'] as { tiles: string[] }).tiles[0]).toMatch(/^https:\/\/webrd01\.is\.autonavi\.com\/appmaptile\?lang=zh_cn.*style=8&x=\{x\}&y=\{y\}&z=\{z\}$/);
  });
  it('Tianditu: roads then labels in the UI\'s language, with the key URL-encoded; dimmed in the dark theme', () => {
    const s = compose('tianditu', { key: 'abc&x=1', lang: 'en', dark: true, theme: DARK });
    const urls = ['bm:tianditu-0', 'bm:tianditu-1'].map((id) => (s.sources[id] as { tiles: string[] }).tiles);
    expect(urls[0]).toHaveLength(8);
    expect(urls[0]![0]).toContain('T=vec_w');
    expect(urls[1]![0]).toContain('T=eva_w');
    expect(urls[0]![0]).toContain('tk=abc%26x%3D1');
    const layer = s.layers.find((l) => l.id === 'bm:tianditu-0') as unknown as { paint: Record<string, number> };
    expect(layer.paint['raster-brightness-max']).toBeLessThan(1);
    expect(compose('imagery', { dark: true }).layers.find((l) => l.id === 'bm:imagery-0')).toMatchObject({ paint: {} });
  });
  it('a provider\'s style is prefixed, keeps its glyphs and sprite, and loses its attribution HTML', () => {
    const remote: StyleSpecification = {
      version: 8,
      glyphs: 'https://tiles.openfreemap.org/fonts/{fontstack}/{range}.pbf',
      sprite: 'https://tiles.openfreemap.org/sprites/ofm',
      sources: { openmaptiles: { type: 'vector', url: 'https://tiles.openfreemap.org/planet', attribution: '<img src=x onerror=alert(1)>' } as never },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#eee' } },
        { id: 'water', type: 'fill', source: 'openmaptiles', 'source-layer': 'water' },
      ],
    };
    const s = compose('osm', { remote });
    expect(s.layers.map((l) => l.id)).toEqual(['bm:background', 'bm:water', ...OVERLAY_LAYER_IDS]);
    expect((s.layers[1] as { source: string }).source).toBe('bm:openmaptiles');
    expect(JSON.stringify(s.sources['bm:openmaptiles'])).not.toContain('onerror');
    expect(s.glyphs).toBe(remote.glyphs);
    expect(s.sprite).toBe(remote.sprite);
    expect(isBasemapSource('bm:openmaptiles')).toBe(true);
    expect(isBasemapSource('districts')).toBe(false);
  });
});

describe('BasemapWatch', () => {
  it('works once a tile loads; later errors are no failure', () => {
    vi.useFakeTimers();
    const out = vi.fn();
    const w = new BasemapWatch(out, { timeoutMs: 5000, maxErrors: 3 });
    w.tileError('404');
    w.tileLoaded();
    w.tileError('a');
    w.tileError('b');
    w.tileError('c');
    vi.advanceTimersByTime(10_000);
    expect(out.mock.calls).toEqual([[{ ok: true }]]);
    vi.useRealTimers();
  });
  it('fails after enough errors with none loaded, or after the timeout, once', () => {
    vi.useFakeTimers();
    const a = vi.fn();
    const w = new BasemapWatch(a, { timeoutMs: 5000, maxErrors: 2 });
    w.tileError('x');
    w.tileError('Failed to fetch');
    vi.advanceTimersByTime(10_000);
    expect(a.mock.calls).toEqual([[{ ok: false, reason: 'errors', detail: 'Failed to fetch' }]]);
    const b = vi.fn();
    new BasemapWatch(b, { timeoutMs: 5000, maxErrors: 2 });
    vi.advanceTimersByTime(4999);
    expect(b).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(b.mock.calls).toEqual([[{ ok: false, reason: 'timeout', detail: '5 s' }]]);
    const c = vi.fn();
    new BasemapWatch(c, { timeoutMs: 5000, maxErrors: 2 }).cancel();
    vi.advanceTimersByTime(10_000);
    expect(c).not.toHaveBeenCalled();
    vi.useRealTimers();
  });
  it('fetchStyle refuses what is not a style, says HTTP errors, and gives up on silence', async () => {
    const json = (body: unknown, status = 200) => (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;
    await expect(fetchStyle('u', 1000, json({ version: 8, layers: [], sources: {} }))).resolves.toMatchObject({ version: 8 });
    await expect(fetchStyle('u', 1000, json({ hello: 1 }))).rejects.toThrow('not a MapLibre style');
    await expect(fetchStyle('u', 1000, json({}, 403))).rejects.toThrow('HTTP 403');
    const silent = ((_u: string, init: RequestInit) =>
      new Promise((_r, reject) => init.signal!.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))))) as unknown as typeof fetch;
    await expect(fetchStyle('u', 50, silent)).rejects.toThrow('no answer in 0 s');
  });
});

describe('tile errors as the user reads them', () => {
  it('name the host, never the URL with its key', async () => {
    const { shortError } = await import('./basemapSwitch');
    expect(shortError('AJAXError: Failed to fetch (0): https://t3.tianditu.gov.cn/DataServer?T=vec_w&x=1&tk=0123456789abcdef0123456789abcdef')).toBe(
      'Failed to fetch (0): t3.tianditu.gov.cn',
    );
  });
});
