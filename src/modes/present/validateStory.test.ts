import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Story } from './story';
import { DATA_METRICS, STORY_LIMITS, validateStory, validateStoryIndex } from './validateStory';

const repo = resolve(__dirname, '../../..');
const dataDir = resolve(repo, 'data');
const catalogPath = resolve(dataDir, 'catalog.json');
const haveCatalog = existsSync(catalogPath);
// The seed lives next to the repository (../shared); a clean clone (CI) has none.
const seedPath = resolve(repo, '../shared/seed/civilized-cities-2021.zh.txt');
const haveSeed = existsSync(seedPath);
const CITIES = ['shenzhen', 'ningbo', 'jinan', 'qingdao'];

const known = haveCatalog
  ? (() => {
      const c = JSON.parse(readFileSync(catalogPath, 'utf8')) as { cities: { id: string }[]; layers: { id: string }[] };
      return { cities: c.cities.map((x) => x.id), layers: c.layers.map((x) => x.id) };
    })()
  : { cities: CITIES, layers: ['parks', 'restoration', 'air', 'lifecircle'] };

const readJson = (rel: string): unknown => JSON.parse(readFileSync(resolve(dataDir, rel), 'utf8'));

/** A small valid story to break in the hostile tests. */
function good(): Record<string, unknown> {
  return {
    version: 1,
    id: 'test',
    city: 'ningbo',
    title: { zh: '测试', en: 'Test' },
    source: { zh: '来源', en: 'Source' },
    slides: [
      {
        id: 'nb-01',
        city: 'ningbo',
        camera: { lon: 121.5, lat: 29.9, zoom: 11, pitch: 30, bearing: 10 },
        layers: ['air'],
        settings: { pollutant: 'pm25', step: 'day', surface: true, period: ['2025-01-01', '2025-01-31'] },
        time: '2025-01-15T08',
        play: { speed: 4 },
        title: { zh: '标题', en: 'Title' },
        caption: { zh: '说明', en: 'Caption' },
        kpis: [
          { kind: 'reported', value: '92.9%', label: { zh: '优良率', en: 'Good days' }, quote: '空气质量优良率92.9%', source: { file: 'seed.txt', line: 91 } },
          { kind: 'data', metric: 'air.goodDayShare', label: { zh: '优良天', en: 'Good days' }, period: ['2025-01-01', '2025-01-31'] },
        ],
        duration: 20,
      },
    ],
  };
}
const slide0 = (s: Record<string, unknown>) => (s.slides as Record<string, unknown>[])[0]!;

describe('shipped stories', () => {
  const { index, problems: indexProblems } = validateStoryIndex(readJson('stories/index.json'));

  it('the index validates, in kiosk order shenzhen, ningbo, jinan, qingdao', () => {
    expect(indexProblems).toEqual([]);
    expect(index!.stories.map((s) => s.city)).toEqual(CITIES);
    for (const e of index!.stories) expect(existsSync(resolve(dataDir, e.path))).toBe(true);
  });

  for (const city of CITIES) {
    describe(city, () => {
      const raw = readJson(`stories/${city}.json`);
      const { story, problems } = validateStory(raw, known);

      it('validates with zero problems against the catalog ids and comes back as an equal copy', () => {
        expect(problems).toEqual([]);
        expect(story).not.toBeNull();
        expect(story).toEqual(raw);
        expect(story).not.toBe(raw);
        const entry = index!.stories.find((e) => e.city === city)!;
        expect(entry.id).toBe(story!.id);
        expect(entry.title).toEqual(story!.title);
      });

      it('follows the house rules: 4–6 slides, overview first, ids, cameras, durations, 1–3 KPIs', () => {
        const s = story as Story;
        expect(s.city).toBe(city);
        expect(s.slides.length).toBeGreaterThanOrEqual(4);
        expect(s.slides.length).toBeLessThanOrEqual(6);
        const prefix = s.slides[0]!.id.slice(0, 2);
        s.slides.forEach((sl, i) => {
          expect(sl.id).toBe(`${prefix}-${String(i + 1).padStart(2, '0')}`);
          expect(sl.city).toBe(city);
          expect(sl.camera.zoom).toBeGreaterThanOrEqual(9);
          expect(sl.camera.zoom).toBeLessThanOrEqual(14);
          expect(sl.camera.pitch).toBeLessThanOrEqual(50);
          expect(sl.duration).toBeGreaterThanOrEqual(12);
          expect(sl.duration).toBeLessThanOrEqual(25);
          expect(sl.kpis.length).toBeGreaterThanOrEqual(1);
          expect(sl.kpis.length).toBeLessThanOrEqual(3);
          expect(sl.title.zh).toMatch(/[\u4e00-\u9fff]/);
          expect(sl.caption.zh).toMatch(/[\u4e00-\u9fff]/);
          expect(sl.caption.en).toMatch(/^[\x20-\x7e\u00a0-\u024f\u2010-\u2027\u00b2µ≤…]+$/);
          // An air slide that plays must fit its period into the slide.
          if (sl.play) expect(sl.layers).toContain('air');
        });
        // The city's own figures and the app's figures both appear.
        const kinds = new Set(s.slides.flatMap((sl) => sl.kpis.map((k) => k.kind)));
        expect(kinds).toEqual(new Set(['reported', 'data']));
        // Each story shows at least three of the four layers.
        expect(new Set(s.slides.flatMap((sl) => sl.layers)).size).toBeGreaterThanOrEqual(3);
      });

      it('every reported KPI cites the seed file and a line', () => {
        for (const sl of (story as Story).slides) {
          for (const k of sl.kpis) {
            if (k.kind !== 'reported') continue;
            expect(k.source.file).toBe('civilized-cities-2021.zh.txt');
            expect(k.source.line).toBeGreaterThan(0);
            expect(k.quote.length).toBeGreaterThan(3);
          }
        }
      });

      it.skipIf(!haveSeed)('every reported KPI quote is verbatim on its stated line of the seed', () => {
        const lines = readFileSync(seedPath, 'utf8').split(/\r?\n/);
        for (const sl of (story as Story).slides) {
          for (const k of sl.kpis) {
            if (k.kind !== 'reported') continue;
            expect(lines[k.source.line - 1], `${sl.id}: ${k.quote}`).toContain(k.quote);
          }
        }
      });
    });
  }
});

describe('validateStory: malformed and hostile input', () => {
  it('accepts the small valid story as an equal deep copy sharing nothing with the input', () => {
    const input = good();
    const { story, problems } = validateStory(input, known);
    expect(problems).toEqual([]);
    expect(story).toEqual(input);
    slide0(input).title = { zh: 'changed', en: 'changed' };
    (slide0(input).layers as string[]).push('parks');
    expect(story!.slides[0]!.title.zh).toBe('标题');
    expect(story!.slides[0]!.layers).toEqual(['air']);
  });

  it('never throws and returns null for non-objects', () => {
    for (const v of [undefined, null, 0, 42, Number.NaN, 'story', true, [], [good()], () => 1, Symbol('x'), 10n]) {
      const r = validateStory(v, known);
      expect(r.story).toBeNull();
      expect(r.problems.length).toBeGreaterThan(0);
    }
  });

  it('rejects a wrong version, id or unknown city at story level', () => {
    for (const [k, v] of [
      ['version', 2],
      ['version', '1'],
      ['id', 'Bad Id'],
      ['id', 'x'.repeat(65)],
      ['city', 'atlantis'],
      ['title', 'just a string'],
      ['source', null],
      ['slides', {}],
    ] as const) {
      const s = good();
      s[k] = v;
      const r = validateStory(s, known);
      expect(r.story, `${k}=${String(v)}`).toBeNull();
      expect(r.problems.some((p) => p.startsWith(k)), r.problems.join('\n')).toBe(true);
    }
    const none = good();
    none.slides = [];
    expect(validateStory(none, known).story).toBeNull();
  });

  it('bounds-checks every camera number; NaN, Infinity and strings drop the slide', () => {
    const bad: [string, unknown][] = [
      ['lon', 181],
      ['lon', Number.NaN],
      ['lat', 86],
      ['lat', '29.9'],
      ['zoom', -1],
      ['zoom', 23],
      ['pitch', 86],
      ['pitch', -0.1],
      ['bearing', Number.POSITIVE_INFINITY],
      ['bearing', null],
    ];
    for (const [k, v] of bad) {
      const s = good();
      (slide0(s).camera as Record<string, unknown>)[k] = v;
      const r = validateStory(s, known);
      expect(r.story, `${k}=${String(v)}`).toBeNull();
      expect(r.problems.some((p) => p.startsWith(`slides[0].camera.${k}:`)), r.problems.join('\n')).toBe(true);
    }
  });

  it('normalises any finite bearing to 0–360', () => {
    for (const [b, want] of [
      [-90, 270],
      [725, 5],
      [360, 0],
      [-0, 0],
      [12.3, 12.3],
      [359.99, 359.99],
      [1e12 + 30, (1e12 + 30) % 360],
    ] as const) {
      const s = good();
      (slide0(s).camera as Record<string, unknown>).bearing = b;
      const r = validateStory(s, known);
      expect(r.problems).toEqual([]);
      expect(Object.is(r.story!.slides[0]!.camera.bearing, want)).toBe(true);
    }
  });

  it('drops unknown layers and duplicates, keeping the slide', () => {
    const s = good();
    slide0(s).layers = ['air', 'nukes', 'air', 42, 'parks'];
    const r = validateStory(s, known);
    expect(r.story!.slides[0]!.layers).toEqual(['air', 'parks']);
    expect(r.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^slides\[0\]\.layers\[1\]: unknown layer "nukes"/), expect.stringMatching(/^slides\[0\]\.layers\[2\]: duplicate/), expect.stringMatching(/^slides\[0\]\.layers\[3\]: must be an id/)]),
    );
  });

  it('drops a slide of an unknown city and duplicate slide ids', () => {
    const s = good();
    const a = slide0(s);
    s.slides = [a, { ...a, id: 'nb-02', city: 'atlantis' }, { ...a }, { ...a, id: 'nb-03' }];
    const r = validateStory(s, known);
    expect(r.story!.slides.map((x) => x.id)).toEqual(['nb-01', 'nb-03']);
    expect(r.problems.some((p) => p.startsWith('slides[1].city: unknown city'))).toBe(true);
    expect(r.problems.some((p) => p.startsWith('slides[2].id: duplicate slide id'))).toBe(true);
  });

  it('checks times, periods, speeds, durations and settings with the URL rules; bad optional values are left out', () => {
    const s = good();
    const sl = slide0(s);
    sl.time = '2025-02-30T00';
    sl.play = { speed: 20 };
    sl.duration = 2;
    sl.settings = { pollutant: 'radon', step: 'week', surface: 'yes', period: ['2025-02-01', '2025-01-01'], compare: '2015', theme: 'dark', basemap: 'google', airMap: 'mean' };
    const r = validateStory(s, known);
    const out = r.story!.slides[0]!;
    expect(out.time).toBeUndefined();
    expect(out.play).toBeUndefined();
    expect(out.duration).toBeUndefined();
    expect(out.settings).toEqual({});
    for (const p of ['slides[0].time', 'slides[0].play.speed', 'slides[0].duration', 'slides[0].settings.pollutant', 'slides[0].settings.step', 'slides[0].settings.surface', 'slides[0].settings.period', 'slides[0].settings.compare', 'slides[0].settings.basemap', 'slides[0].settings.airMap', 'slides[0].settings."theme"']) {
      expect(r.problems.some((x) => x.startsWith(`${p}:`)), `${p}\n${r.problems.join('\n')}`).toBe(true);
    }
    const ok = good();
    slide0(ok).settings = { period: null, basemap: 'amap', airMap: 'period' };
    slide0(ok).play = { speed: 0.5 };
    slide0(ok).duration = 600;
    expect(validateStory(ok, known).problems).toEqual([]);
    expect(validateStory(ok, known).story!.slides[0]!.settings).toEqual({ period: null, basemap: 'amap', airMap: 'period' });
  });

  it('caps string lengths, truncating with a problem', () => {
    const s = good();
    s.title = { zh: '长'.repeat(1_000_000), en: 'x'.repeat(121) };
    slide0(s).caption = { zh: '说'.repeat(601), en: 'ok' };
    const k = (slide0(s).kpis as Record<string, unknown>[])[0]!;
    k.quote = 'q'.repeat(301);
    const r = validateStory(s, known);
    expect(r.story!.title.zh.length).toBe(STORY_LIMITS.title);
    expect(r.story!.title.en.length).toBe(STORY_LIMITS.title);
    expect(r.story!.slides[0]!.caption.zh.length).toBe(STORY_LIMITS.caption);
    expect((r.story!.slides[0]!.kpis[0] as { quote: string }).quote.length).toBe(STORY_LIMITS.quote);
    for (const p of ['title.zh', 'title.en', 'slides[0].caption.zh', 'slides[0].kpis[0].quote']) expect(r.problems.some((x) => x.startsWith(`${p}: longer than`))).toBe(true);
    // Problems never echo the huge value.
    expect(r.problems.join('').length).toBeLessThan(2000);
  });

  it('does not split a surrogate pair when truncating, and removes control and bidi characters', () => {
    const s = good();
    s.title = { zh: `${'a'.repeat(119)}😀`, en: 'A\u0000B\u202Ec\u0007 \ud800' };
    slide0(s).caption = { zh: '第一行\n第二行', en: 'line\tone' };
    const r = validateStory(s, known);
    expect(r.story!.title.zh).toBe('a'.repeat(119));
    expect(r.story!.title.en).toBe('ABc \uFFFD');
    expect(r.story!.slides[0]!.caption).toEqual({ zh: '第一行\n第二行', en: 'line one' });
    expect(r.problems.some((p) => p.startsWith('title.en: control characters removed'))).toBe(true);
  });

  it('falls back to the other language for a missing one, and drops a slide without any title', () => {
    const s = good();
    slide0(s).title = { zh: '只有中文' };
    let r = validateStory(s, known);
    expect(r.story!.slides[0]!.title).toEqual({ zh: '只有中文', en: '只有中文' });
    expect(r.problems.some((p) => p.startsWith('slides[0].title.en'))).toBe(true);
    slide0(s).title = { zh: '   ', en: 7 };
    r = validateStory(s, known);
    expect(r.story).toBeNull();
  });

  it('drops unknown keys, including prototype-pollution keys, and returns plain objects', () => {
    const text = JSON.stringify(good()).replace(
      '"version":1',
      '"version":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"onload":"alert(1)"',
    );
    const withSlideKeys = text.replace('"id":"nb-01"', '"id":"nb-01","__proto__":{"isAdmin":true},"html":"<img src=x onerror=alert(1)>"');
    const parsed = JSON.parse(withSlideKeys) as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(parsed, '__proto__')).toBe(true);
    const r = validateStory(parsed, known);
    expect(r.story).not.toBeNull();
    expect(Object.getPrototypeOf(r.story)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(r.story!.slides[0])).toBe(Object.prototype);
    expect(Object.keys(r.story!)).toEqual(['version', 'id', 'city', 'title', 'source', 'slides']);
    expect((r.story as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect((r.story!.slides[0] as unknown as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.problems).toEqual(
      expect.arrayContaining(['"__proto__": unknown key dropped', '"constructor": unknown key dropped', '"onload": unknown key dropped', 'slides[0]."__proto__": unknown key dropped', 'slides[0]."html": unknown key dropped']),
    );
  });

  it('reads own properties only: inherited values do not count', () => {
    const proto = good();
    const s = Object.create(proto) as Record<string, unknown>;
    const r = validateStory(s, known);
    expect(r.story).toBeNull();
  });

  it('markup in strings stays plain text (a string, nothing else)', () => {
    const s = good();
    slide0(s).caption = { zh: '<script>alert(1)</script>', en: '<img src=x onerror=alert(1)>' };
    const r = validateStory(s, known);
    expect(r.story!.slides[0]!.caption.en).toBe('<img src=x onerror=alert(1)>');
    expect(JSON.parse(JSON.stringify(r.story))).toEqual(r.story);
  });

  it('survives getters that throw, proxies and cycles', () => {
    const s = good();
    Object.defineProperty(s, 'title', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(() => validateStory(s, known)).not.toThrow();
    expect(validateStory(s, known).story).toBeNull();

    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(() => validateStory(trap, known)).not.toThrow();
    expect(validateStory(trap, known).problems.length).toBeGreaterThan(0);

    const cyc = good();
    (cyc as Record<string, unknown>).self = cyc;
    (slide0(cyc).camera as Record<string, unknown>).loop = cyc;
    const r = validateStory(cyc, known);
    expect(r.story).not.toBeNull();
    expect(() => JSON.stringify(r.story)).not.toThrow();
  });

  it('validates KPIs: kinds, metrics, sources, and at most 6 per slide', () => {
    const s = good();
    const base = slide0(s).kpis as Record<string, unknown>[];
    slide0(s).kpis = [
      ...base,
      { kind: 'data', metric: 'air.everything', label: { zh: 'x', en: 'x' } },
      { kind: 'reported', value: '1', label: { zh: 'x', en: 'x' }, quote: 'q', source: { file: 'f', line: 0 } },
      { kind: 'opinion', value: '1' },
      { kind: 'data', metric: 'parks.count', label: { zh: '公园', en: 'Parks' }, period: ['2025-13-01', '2025-12-31'] },
      base[1],
      base[1],
      base[1],
    ];
    const r = validateStory(s, known);
    const kpis = r.story!.slides[0]!.kpis;
    expect(kpis.length).toBe(3);
    expect(kpis[2]).toEqual({ kind: 'data', metric: 'parks.count', label: { zh: '公园', en: 'Parks' } });
    for (const p of ['slides[0].kpis:', 'slides[0].kpis[2].metric:', 'slides[0].kpis[3].source.line:', 'slides[0].kpis[4].kind:', 'slides[0].kpis[5].period:']) {
      expect(r.problems.some((x) => x.startsWith(p)), `${p}\n${r.problems.join('\n')}`).toBe(true);
    }
    expect(DATA_METRICS).toContain('lifecircle.share15');
  });

  it('caps slides at 200 and the problem list at its limit', () => {
    const s = good();
    const a = slide0(s);
    s.slides = Array.from({ length: 250 }, (_, i) => ({ ...a, id: `s-${i}`, layers: ['x1', 'x2'] }));
    const r = validateStory(s, known);
    expect(r.story!.slides.length).toBe(STORY_LIMITS.slides);
    expect(r.problems[0]).toMatch(/^slides: at most 200 slides \(50 dropped\)/);
    expect(r.problems.length).toBe(STORY_LIMITS.problems + 1);
    expect(r.problems.at(-1)).toMatch(/^… and \d+ more problem/);
  });

  it('is fast on a huge array of junk (only the first 200 are read)', () => {
    const s = good();
    s.slides = new Array(1_000_000).fill(0);
    const t0 = performance.now();
    const r = validateStory(s, known);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.story).toBeNull();
  });

  it('tolerates a malformed `known` argument (everything is then unknown)', () => {
    const r = validateStory(good(), null as unknown as { cities: string[]; layers: string[] });
    expect(r.story).toBeNull();
    expect(r.problems.some((p) => p.startsWith('city: unknown city'))).toBe(true);
  });
});

describe('validateStoryIndex', () => {
  const entry = { id: 'ningbo', city: 'ningbo', path: 'stories/ningbo.json', title: { zh: '宁波', en: 'Ningbo' } };

  it('accepts a valid index and copies it', () => {
    const input = { version: 1, stories: [entry] };
    const r = validateStoryIndex(input);
    expect(r.problems).toEqual([]);
    expect(r.index).toEqual(input);
    expect(r.index!.stories[0]).not.toBe(entry);
  });

  it('rejects non-objects, wrong versions and a missing list', () => {
    for (const v of [null, 'x', [], { version: 2, stories: [] }, { version: 1 }, { version: 1, stories: {} }]) {
      const r = validateStoryIndex(v);
      expect(r.index).toBeNull();
      expect(r.problems.length).toBeGreaterThan(0);
    }
  });

  it('drops entries with unsafe paths, bad ids or duplicates', () => {
    const paths = ['../secrets.json', 'stories/../../x.json', '/etc/passwd.json', 'https://evil.example/s.json', 'javascript:alert(1).json', 'stories/ningbo.js', 'stories\\ningbo.json', 'Stories/Ningbo.json', ''];
    const r = validateStoryIndex({
      version: 1,
      stories: [entry, { ...entry }, ...paths.map((path, i) => ({ ...entry, id: `p${i}`, path })), { ...entry, id: 'Bad Id' }, { ...entry, id: 'extra', extra: 1 }],
    });
    expect(r.index!.stories.map((s) => s.id)).toEqual(['ningbo', 'extra']);
    expect(r.problems.filter((p) => /\.path: must be a relative \.json path/.test(p)).length).toBe(paths.length);
    expect(r.problems.some((p) => p.startsWith('stories[1].id: duplicate'))).toBe(true);
    expect(r.problems.some((p) => p.startsWith('stories[12]."extra": unknown key dropped'))).toBe(true);
  });

  it('never throws', () => {
    const trap = new Proxy({}, { get: () => { throw new Error('x'); }, ownKeys: () => { throw new Error('x'); } });
    expect(() => validateStoryIndex(trap)).not.toThrow();
    expect(validateStoryIndex(trap).index).toBeNull();
  });
});
