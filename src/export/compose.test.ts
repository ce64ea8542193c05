import { describe, expect, it } from 'vitest';
import { exportFileName, exportSize, haversine, LEGEND, legendRows, MAX_SIDE, metresPerPixel, overWhite, plainText, provenanceLines, scaleBar, slug, swatchRect, wrapText } from './compose';

describe('exportSize', () => {
  it('multiplies the CSS size by the ratio asked when it fits', () => {
    expect(exportSize(1440, 900, 2, 16384)).toEqual({ ratio: 2, width: 2880, height: 1800, capped: false });
    expect(exportSize(1440, 900, 1)).toEqual({ ratio: 1, width: 1440, height: 900, capped: false });
  });

  it('caps a 4K screen at 4× to the side limit and says so', () => {
    const s = exportSize(3840, 2160, 4, 16384);
    expect(s.capped).toBe(true);
    expect(s.width).toBeLessThanOrEqual(MAX_SIDE);
    expect(s.width * s.height).toBeLessThanOrEqual(7680 * 4320);
    expect(s.ratio).toBeCloseTo(2, 5);
  });

  it("keeps within the GPU's own limit when it is lower", () => {
    const s = exportSize(1440, 900, 4, 4096);
    expect(s.width).toBeLessThanOrEqual(4096);
    expect(s.capped).toBe(true);
  });
});

describe('scale bar', () => {
  it('measures metres per pixel like MapLibre (512 px tiles)', () => {
    expect(metresPerPixel(0, 0)).toBeCloseTo(78271.5, 0);
    expect(metresPerPixel(60, 1)).toBeCloseTo(78271.5 / 4, 0);
  });

  it('picks the longest 1-2-5 length that fits', () => {
    expect(scaleBar(10, 120)).toEqual({ metres: 1000, px: 100, label: '1 km' });
    expect(scaleBar(1, 120)).toEqual({ metres: 100, px: 100, label: '100 m' });
    expect(scaleBar(2, 120)).toMatchObject({ metres: 200, label: '200 m' });
    expect(scaleBar(45, 120)).toMatchObject({ metres: 5000, label: '5 km' });
    expect(scaleBar(0.05, 120)).toMatchObject({ metres: 5, label: '5 m' });
    const b = scaleBar(37.3, 120);
    expect(b.px).toBeLessThanOrEqual(120);
    expect(b.px).toBeGreaterThan(120 / 2.5);
  });

  it('measures great-circle distance', () => {
    // One degree of longitude at Shenzhen's latitude.
    expect(haversine([114, 22.5], [115, 22.5])).toBeCloseTo(102_800, -3);
    expect(haversine([114, 22.5], [114, 22.5])).toBe(0);
  });
});

describe('file names', () => {
  it('names city, layers, time and resolution', () => {
    expect(exportFileName({ city: 'shenzhen', what: ['parks', 'air'], time: '2025-12-31T23', suffix: '2x', ext: 'png' })).toBe('civic-atlas-shenzhen-parks+air-2025-12-31T23-2x.png');
    expect(exportFileName({ city: 'jinan', what: [], time: '2025', ext: 'geojson' })).toBe('civic-atlas-jinan-map-2025.geojson');
  });

  it('never lets a hostile name reach the file system as a path', () => {
    expect(slug('../../etc/passwd')).toBe('etc-passwd');
    expect(slug('=cmd|\' /C calc\'!A0')).toBe('cmd-C-calc-A0');
    expect(slug('深圳 公园')).toBe('深圳-公园');
    expect(slug('///')).toBe('x');
    expect(exportFileName({ city: 'a/b', what: ['<x>'], time: 't', ext: 'csv' })).toBe('civic-atlas-a-b-x-t.csv');
  });
});

describe('lines', () => {
  it('gives one provenance line per layer, each source once, modelled marked', () => {
    const e = (layer: string, source: string, modelled: boolean) => ({ layer, source, license: 'CC0-1.0', vintage: 2025, modelled });
    expect(provenanceLines([e('公园', 'Model', true), e('公园', 'Model', true), e('空气', 'CNEMC', false)], 'zh')).toEqual(['公园：Model, CC0-1.0, 2025，模拟数据', '空气：CNEMC, CC0-1.0, 2025']);
    expect(provenanceLines([e('Parks', 'Model', true)], 'en')).toEqual(['Parks: Model, CC0-1.0, 2025, modelled']);
    // A planner's own file: no year, no claim either way.
    expect(provenanceLines([{ layer: '你的数据: a.csv', source: '使用者导入的文件 a.csv', license: '由使用者提供', vintage: null, modelled: null }], 'zh')).toEqual(['你的数据: a.csv：使用者导入的文件 a.csv, 由使用者提供']);
  });

  it('turns attribution HTML into text', () => {
    expect(plainText('<a href="https://openfreemap.org" target="_blank">OpenFreeMap</a> &copy; <b>OSM</b> &amp; co')).toBe('OpenFreeMap © OSM & co');
  });

  it('wraps Chinese anywhere and other text at spaces', () => {
    const m = (s: string) => s.length * 10;
    expect(wrapText('深圳市公园绿地服务半径覆盖率', 50, m)).toEqual(['深圳市公园', '绿地服务半', '径覆盖率']);
    expect(wrapText('one two three four', 90, m)).toEqual(['one two', 'three', 'four']);
  });
});

describe('legend layout', () => {
  it('composites a swatch over white exactly', () => {
    expect(overWhite([34, 120, 60, 255])).toEqual([34, 120, 60]);
    expect(overWhite([34, 120, 60, 0])).toEqual([255, 255, 255]);
    expect(overWhite([34, 120, 60, 210])).toEqual([73, 144, 94]);
  });

  it('puts the first layer under its title, item after item', () => {
    const legend = { title: 'Parks', items: [{ color: [1, 2, 3, 255] as [number, number, number, number], label: 'a' }, { color: [4, 5, 6, 255] as [number, number, number, number], label: 'b', shape: 'circle' as const }], note: 'note' };
    const { rows, top, bottom } = legendRows([{ legend, modelled: true }], (t) => [t]);
    expect(rows.map((r) => r.kind)).toEqual(['title', 'item', 'item', 'text']);
    expect(top).toBe(LEGEND.margin + LEGEND.titleHeight + LEGEND.gap);
    expect(rows[1]!.y).toBe(top + LEGEND.pad + LEGEND.titleLine);
    expect(rows[2]!.y - rows[1]!.y).toBe(LEGEND.line);
    expect(swatchRect(rows[1]!)).toEqual({ x: LEGEND.margin + LEGEND.pad, y: rows[1]!.y + (LEGEND.line - LEGEND.swatch) / 2, size: LEGEND.swatch });
    expect(bottom).toBeGreaterThan(rows[3]!.y);
  });
});
