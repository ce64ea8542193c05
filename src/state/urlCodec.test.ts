import { describe, expect, it } from 'vitest';
import { decodeUrlState, encodeUrlState, isValidTime } from './urlCodec';
import type { AppState } from './types';
import { addHours, clockToUtcMs, utcMsToClock } from './clock';

const state: AppState = {
  city: 'ningbo',
  layers: ['parks', 'air'],
  view: { lon: 121.55, lat: 29.87, zoom: 11.25, bearing: 30, pitch: 45 },
  time: '2025-03-09T07',
  lang: 'en',
  mode: 'planner',
  theme: 'dark',
  basemap: 'amap',
  pack: 'jinan-meeting',
  pollutant: 'o3',
  controls: false,
  step: 'day',
  period: ['2025-03-01', '2025-03-07'],
  surface: true,
  airMap: 'period',
  dock: 'calendar',
  story: 'ningbo',
  compareYear: 2016,
  iso: [121.55123, 29.87456],
  facTypes: ['kindergarten', 'market'],
  isoDistances: [250, 500, 900],
  addedFacilities: [{ type: 'kindergarten', lon: 121.55, lat: 29.87 }],
  swipe: 0.375,
  drawnParks: [
    [[121.5, 29.8], [121.501, 29.8], [121.501, 29.80123]],
    [[121.6, 29.9], [121.602, 29.9], [121.602, 29.902], [121.6, 29.902]],
  ],
  parkFilter: { area: [400, 10000], districts: ['ningbo-haishu', 'ningbo-yinzhou'] },
  slide: 1,
  selection: { layer: 'parks', id: 'NB-P0012' },
};
const defaults = { city: 'shenzhen', lang: 'zh' as const, mode: 'planner' as const };

describe('URL codec', () => {
  it('round-trips the whole state', () => {
    const qs = encodeUrlState(state, defaults);
    expect(qs).toContain('layers=parks,air');
    const back = decodeUrlState(qs, () => {});
    expect(back).toEqual({ ...state, mode: undefined, slide: undefined, view: back.view } as unknown as AppState & { mode: undefined });
    expect(back.view!.lon).toBeCloseTo(121.55, 5);
    expect(back.view!.zoom).toBeCloseTo(11.25, 2);
    expect(back.view!.bearing).toBeCloseTo(30, 1);
  });

  it('keeps the pack in the link; a name that is not a pack name is dropped', () => {
    expect(encodeUrlState(state, defaults)).toContain('pack=jinan-meeting');
    expect(encodeUrlState({ ...state, pack: null }, defaults)).not.toContain('pack');
    expect(decodeUrlState('?pack=jinan-meeting').pack).toBe('jinan-meeting');
    expect(decodeUrlState('?pack=../../x').pack).toBeUndefined();
  });

  it('keeps the basemap in the link, but never a key', () => {
    expect(encodeUrlState(state, defaults)).toContain('basemap=amap');
    expect(encodeUrlState({ ...state, basemap: 'offline' }, defaults)).not.toContain('basemap');
    expect(decodeUrlState('?basemap=tianditu').basemap).toBe('tianditu');
  });
  it('encodes "no layers" distinctly from "default layers"', () => {
    const qs = encodeUrlState({ ...state, layers: [] }, defaults);
    expect(decodeUrlState(qs, () => {}).layers).toEqual([]);
    expect(decodeUrlState('', () => {}).layers).toBeUndefined();
  });

  it('drops invalid values with a warning and never throws', () => {
    const warnings: string[] = [];
    const hostile =
      '?city=<script>alert(1)</script>&layers=parks,<img src=x>,air&v=NaN,1,2&t=2025-02-30T08&lang=fr&mode=evil&sel=a:b:c&theme=<b>&controls=1&basemap=https://evil.example/{z}';
    const out = decodeUrlState(hostile, (m) => warnings.push(m));
    expect(out.city).toBeUndefined();
    expect(out.layers).toEqual(['parks', 'air']);
    expect(out.view).toBeUndefined();
    expect(out.time).toBeUndefined();
    expect(out.lang).toBeUndefined();
    expect(out.mode).toBeUndefined();
    expect(out.selection).toBeUndefined();
    expect(out.theme).toBeUndefined();
    expect(out.controls).toBeUndefined();
    expect(out.basemap).toBeUndefined();
    expect(warnings.length).toBe(10);
    // Warnings never echo the hostile value back.
    expect(warnings.join(' ')).not.toContain('<');
  });

  it('keeps drawn parks readable in the link and drops malformed ones', () => {
    const qs = encodeUrlState(state, defaults);
    expect(qs).toContain('park=121.5,29.8;121.501,29.8;121.501,29.80123');
    const warnings: string[] = [];
    const out = decodeUrlState('?park=1,2;3,4&park=114,22;114.01,22;114.01,22.01&park=114,22;x,1;2,3&park=200,1;2,3;4,5', (m) => warnings.push(m));
    expect(out.drawnParks).toEqual([[[114, 22], [114.01, 22], [114.01, 22.01]]]);
    expect(warnings).toHaveLength(1);
    expect(decodeUrlState('?park=114.123456789,22;114.01,22;114.01,22.01', () => {}).drawnParks![0]![0]).toEqual([114.12346, 22]);
    expect(decodeUrlState('', () => {}).drawnParks).toBeUndefined();
  });

  it('rejects out-of-range views', () => {
    expect(decodeUrlState('?v=200,20,10', () => {}).view).toBeUndefined();
    expect(decodeUrlState('?v=114,22,30', () => {}).view).toBeUndefined();
    expect(decodeUrlState('?v=114,22,10,-90,20', () => {}).view).toEqual({ lon: 114, lat: 22, zoom: 10, bearing: 270, pitch: 20 });
  });
});

describe('clock', () => {
  it('validates calendar hours', () => {
    expect(isValidTime('2024-02-29T23')).toBe(true);
    expect(isValidTime('2025-02-29T00')).toBe(false);
    expect(isValidTime('2025-01-01T24')).toBe(false);
  });
  it('is China Standard Time (UTC+8)', () => {
    expect(new Date(clockToUtcMs('2025-01-01T08')).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(utcMsToClock(Date.UTC(2024, 11, 31, 16))).toBe('2025-01-01T00');
    expect(addHours('2025-12-31T23', 1)).toBe('2026-01-01T00');
  });
});
