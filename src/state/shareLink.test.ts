import { describe, expect, it } from 'vitest';
import { deflateSync, strToU8 } from 'fflate';
import { encodeShareToken, expandShareLink, MAX_JSON_BYTES, MAX_TOKEN_CHARS, readShareToken, shareUrl } from './shareLink';
import { decodeUrlState, encodeUrlState, MAX_DRAWN_PARKS } from './urlCodec';
import type { AppState, DrawnRing } from './types';

const defaults = { city: 'shenzhen', lang: 'zh' as const, mode: 'planner' as const };

const rich: AppState = {
  city: 'ningbo',
  layers: ['parks', 'parkcoverage', 'air'],
  view: { lon: 121.55, lat: 29.87, zoom: 11.25, bearing: 30, pitch: 45 },
  time: '2025-03-09T07',
  lang: 'en',
  mode: 'planner',
  theme: 'dark',
  basemap: 'amap',
  pack: 'jinan-meeting',
  pollutant: 'o3',
  controls: true,
  step: 'day',
  period: ['2025-03-01', '2025-03-07'],
  surface: true,
  airMap: 'period',
  dock: 'calendar',
  story: null,
  slide: 1,
  compareYear: 2016,
  swipe: 0.375,
  iso: [121.55123, 29.87456],
  facTypes: ['kindergarten', 'market'],
  isoDistances: [250, 500, 900],
  addedFacilities: [
    { type: 'kindergarten', lon: 121.55, lat: 29.87 },
    { type: 'market', lon: 121.56001, lat: 29.86 },
  ],
  drawnParks: [
    [[121.5, 29.8], [121.501, 29.8], [121.501, 29.80123]],
    [[-0.00001, 0.5], [0.00002, 0.5], [0.00002, -0.49999], [-0.00001, -0.5]],
  ],
  parkFilter: { area: [400, 10000], districts: ['ningbo-haishu', 'ningbo-yinzhou'] },
  selection: { layer: 'parks', id: 'NB-P0012' },
};

/** What a state looks like after a trip through the URL codec (the view keeps 5 decimals; mode and slide are not written in the planner). */
const viaCodec = (s: AppState) => decodeUrlState(encodeUrlState(s, { ...defaults, city: '' }), () => {});

const tokenOf = (s: AppState) => encodeShareToken(s, defaults);
const stateOf = (token: string) => {
  const r = readShareToken(token);
  if ('problem' in r) throw new Error(`${r.problem.en} ${r.problem.details.join('; ')}`);
  return decodeUrlState(r.query, () => {});
};

/** A drawn park as a planner draws one: a closed walk of short steps around a centre. */
function walkRing(cx: number, cy: number, n: number, seed: number): DrawnRing {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, (_, i) => {
    const a = (i / n) * 2 * Math.PI;
    const r = 0.004 + rnd() * 0.0015;
    return [Math.round((cx + r * Math.cos(a)) * 1e5) / 1e5, Math.round((cy + r * Math.sin(a)) * 1e5) / 1e5] as [number, number];
  });
}

const manyParks: AppState = { ...rich, drawnParks: Array.from({ length: MAX_DRAWN_PARKS }, (_, i) => walkRing(121.45 + i * 0.012, 29.85 + (i % 3) * 0.01, 80, i + 1)) };
const base = 'https://atlas.example.cn/civic-atlas/';
const plainLen = `${base}?${encodeUrlState(manyParks, defaults)}`.length;
const shortLen = shareUrl(base, manyParks, defaults).length;
const ratio = plainLen / shortLen;

describe('share links', () => {
  it('restore the whole state: decode(encode(x)) is what the URL codec restores', () => {
    const token = tokenOf(rich);
    expect(token).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    expect(stateOf(token)).toEqual(viaCodec(rich));
    const back = stateOf(token);
    expect(back.drawnParks).toEqual(rich.drawnParks);
    expect(back.addedFacilities).toEqual(rich.addedFacilities);
    expect(back.selection).toEqual(rich.selection);
    expect(back.iso).toEqual(rich.iso);
    expect(back.view).toEqual(rich.view);
    expect(back.parkFilter).toEqual(rich.parkFilter);
  });

  it('are stable: encode(decode(token)) gives the same token', () => {
    for (const s of [rich, manyParks, { ...rich, layers: [], view: null, pack: null, drawnParks: [], selection: null }]) {
      const token = tokenOf(s);
      const again = tokenOf({ ...s, ...stateOf(token) } as AppState);
      expect(again).toBe(token);
    }
  });

  it('always name the city (the receiving browser may default to another)', () => {
    const s = { ...rich, city: 'shenzhen' };
    expect(stateOf(tokenOf(s)).city).toBe('shenzhen');
    expect(encodeUrlState(s, defaults)).not.toContain('city=');
  });

  it('keep "no layers" apart from "the default layers"', () => {
    expect(stateOf(tokenOf({ ...rich, layers: [] })).layers).toEqual([]);
  });

  it(`are much shorter than the plain address with many drawn park vertices (${plainLen} → ${shortLen} characters, ${ratio.toFixed(1)}× shorter)`, () => {
    console.log(`[share] 10 drawn parks × 80 vertices: plain ${plainLen} chars, share ${shortLen} chars, ${ratio.toFixed(1)}× shorter`);
    expect(ratio).toBeGreaterThan(3);
    expect(stateOf(tokenOf(manyParks)).drawnParks).toEqual(manyParks.drawnParks);
    // The most the URL codec keeps still fits the token cap.
    const most: AppState = { ...rich, drawnParks: Array.from({ length: MAX_DRAWN_PARKS }, (_, i) => walkRing(121.4 + i * 0.02, 29.8, 100, 7 * i + 3)) };
    expect(tokenOf(most).length).toBeLessThan(MAX_TOKEN_CHARS);
  });

  it('are shorter than the plain address without drawn parks too (the preset dictionary)', () => {
    const noParks = { ...rich, drawnParks: [] };
    const plain = encodeUrlState(noParks, defaults).length;
    const token = `s=${tokenOf(noParks)}`.length;
    console.log(`[share] a rich state without drawn parks: plain ${plain} chars, share ${token} chars`);
    expect(token).toBeLessThan(plain * 0.8);
    const simple: AppState = { ...noParks, city: 'shenzhen', layers: ['parks', 'restoration', 'air', 'lifecircle'], lang: 'zh', theme: 'auto', basemap: 'offline', pack: null, pollutant: 'aqi', step: 'hour', period: null, surface: false, dock: null, compareYear: null, iso: null, facTypes: [], isoDistances: null, addedFacilities: [], parkFilter: { area: null, districts: [] }, selection: null };
    expect(`s=${tokenOf(simple)}`.length).toBeLessThan(encodeUrlState(simple, defaults).length);
  });

  it('expand ?s= into the plain query; plain parameters beside it win', () => {
    const token = tokenOf(rich);
    const e = expandShareLink(`?s=${token}`);
    expect(e.shared).toBe(true);
    expect(e.problem).toBeNull();
    expect(decodeUrlState(e.search, () => {})).toEqual(viaCodec(rich));
    const over = expandShareLink(`?lang=zh&s=${token}&mode=embed`);
    expect(decodeUrlState(over.search, () => {})).toMatchObject({ lang: 'zh', mode: 'embed', city: 'ningbo' });
    expect(new URLSearchParams(over.search).has('s')).toBe(false);
    expect(expandShareLink('?city=qingdao')).toEqual({ search: '?city=qingdao', shared: false, problem: null });
  });

  describe('never trust the token', () => {
    const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const pack = (json: string) => `1.${b64(deflateSync(strToU8(json)))}`;
    const problemOf = (token: string) => {
      const r = readShareToken(token);
      expect('problem' in r).toBe(true);
      return 'problem' in r ? r.problem : null!;
    };

    it('garbled, truncated or empty tokens are refused with a bilingual message', () => {
      const good = tokenOf(rich);
      for (const t of ['', '1.', 'abc', '1.abc', '1.!!!!', `1.${good.slice(2, 30)}`, good.slice(0, -5), `${good}%`, '1.AAAA', '01', '1.a.b']) {
        const p = problemOf(t);
        expect(p.zh).toMatch(/[\u4e00-\u9fff]/);
        expect(p.en).toMatch(/share link/);
      }
    });

    it('a token from a newer version says so', () => {
      expect(problemOf(`2.${tokenOf(rich).slice(2)}`).en).toMatch(/newer version/);
    });

    it('oversized tokens and decompression bombs are refused before use', () => {
      expect(problemOf(`1.${'A'.repeat(MAX_TOKEN_CHARS + 1)}`).en).toMatch(/too long/);
      const bomb = `{"city":"${' '.repeat(MAX_JSON_BYTES * 4)}"}`;
      const t = pack(bomb);
      expect(t.length).toBeLessThan(MAX_TOKEN_CHARS);
      expect(problemOf(t).en).toMatch(/too much/);
    });

    it('payloads not shaped like ours are refused', () => {
      for (const json of ['[1,2]', 'null', '"x"', '{"Evil":"1"}', '{"a b":"1"}', '{"s":"1.x"}', '{"__proto__":{"city":"x"}}', '{"park":[[1,2,3]]}', '{"park":[[1.5,2,3,4,5,6]]}', '{"park":"1,2;3,4;5,6"}', '{"city":7}', '{"addfac":[1,2]}', '{"fac":{"a":1}}', '{"t":"' + 'x'.repeat(5000) + '"}', '{"city":"ningbo"', '\u00ff']) {
        problemOf(pack(json));
      }
      // Invalid UTF-8 inside a valid deflate stream.
      problemOf(`1.${b64(deflateSync(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))}`);
    });

    it('values pass the URL codec; any it refuses makes the whole link refused', () => {
      const p = problemOf(pack('{"city":"<script>alert(1)</script>","layers":"parks"}'));
      expect(p.en).toMatch(/refuses/);
      expect(p.details.join(' ')).not.toContain('<');
      problemOf(pack('{"park":[[18100000,2200000,1,0,0,1]]}'));
      problemOf(pack('{"sel":"a:b:c"}'));
      expect(readShareToken(pack('{"city":"qingdao","layers":"-"}'))).toEqual({ query: 'city=qingdao&layers=-' });
      // A name the codec does not know is carried and then ignored by it: no state comes of it.
      const r = readShareToken(pack('{"city":"qingdao","origins":"https://evil.example"}'));
      expect('query' in r && decodeUrlState(r.query, () => {})).toEqual({ city: 'qingdao' });
    });

    it('a refused token leaves the plain parameters beside it, and nothing else', () => {
      const e = expandShareLink('?s=1.garbage&lang=en');
      expect(e.shared).toBe(true);
      expect(e.problem).not.toBeNull();
      expect(decodeUrlState(e.search, () => {})).toEqual({ lang: 'en' });
    });

    it('random input never throws', () => {
      let seed = 42;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const chars = 'AZaz09-_.=+/%1';
      const good = tokenOf(manyParks);
      for (let i = 0; i < 400; i++) {
        let t = i % 2 ? good.split('').map((c) => (rnd() < 0.01 ? chars[Math.floor(rnd() * chars.length)] : c)).join('') : `1.${Array.from({ length: Math.floor(rnd() * 200) }, () => chars[Math.floor(rnd() * chars.length)]).join('')}`;
        if (i % 7 === 0) t = t.slice(0, Math.floor(rnd() * t.length));
        expect(() => expandShareLink(`?s=${encodeURIComponent(t)}`)).not.toThrow();
      }
    });
  });
});
