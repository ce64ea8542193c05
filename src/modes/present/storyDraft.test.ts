import { describe, expect, it } from 'vitest';
import type { AppState, ViewState } from '../../state/types';
import type { Story } from './story';
import {
  DRAFT_KEY,
  addSlide,
  completeTexts,
  exportStory,
  importStory,
  loadDraft,
  moveSlide,
  newStory,
  nextSlideId,
  removeSlide,
  saveDraft,
  slideFromState,
  storyGaps,
  updateSlide,
  type DraftStorage,
} from './storyDraft';

const known = { cities: ['qingdao', 'shenzhen'], layers: ['parks', 'air', 'districts'] };

class FakeStorage implements DraftStorage {
  readonly map = new Map<string, string>();
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, String(v));
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
}

const state = {
  city: 'qingdao',
  layers: ['districts', 'air'],
  view: null,
  time: '2025-01-15T08',
  lang: 'zh',
  mode: 'planner',
  theme: 'auto',
  pollutant: 'pm25',
  step: 'hour',
  period: ['2025-01-01', '2025-01-31'],
  surface: true,
  dock: null,
  story: null,
  slide: 1,
  controls: true,
  selection: null,
} as AppState;
const view: ViewState = { lon: 120.3826541234, lat: 36.0671234567, zoom: 10.456, bearing: -12.34, pitch: 30.06 };

function storyOf(n: number): Story {
  let story = newStory('qingdao', { zh: '青岛的绿', en: 'Green Qingdao' });
  for (let i = 0; i < n; i++) {
    const id = nextSlideId(story);
    story = addSlide(story, slideFromState(state, view, id, { zh: `第${i + 1}张`, en: `Slide ${i + 1}` }));
    story = updateSlide(story, id, { caption: { zh: `说明${i + 1}`, en: `Caption ${i + 1}` } });
  }
  return story;
}

const ids = (s: Story) => s.slides.map((x) => x.id);

describe('slideFromState', () => {
  it('captures the live view, layers, clock and settings', () => {
    const slide = slideFromState(state, view, 's1');
    expect(slide).toMatchObject({
      id: 's1',
      city: 'qingdao',
      camera: { lon: 120.382654, lat: 36.067123, zoom: 10.46, bearing: 347.7, pitch: 30.1 },
      layers: ['districts', 'air'],
      time: '2025-01-15T08',
      settings: { pollutant: 'pm25', step: 'hour', surface: true, period: ['2025-01-01', '2025-01-31'] },
      caption: { zh: '', en: '' },
      kpis: [],
      duration: 20,
    });
    expect(slide.title.zh).not.toBe('');
    // A copy, not the state's arrays.
    expect(slide.layers).not.toBe(state.layers);
    expect(slide.settings?.period).not.toBe(state.period);
  });

  it('keeps the camera inside the story format', () => {
    const c = slideFromState(state, { lon: 190, lat: 89, zoom: 30, bearing: 720.04, pitch: 90 }, 's1').camera;
    expect(c).toEqual({ lon: -170, lat: 85, zoom: 22, bearing: 0, pitch: 85 });
    expect(Object.is(slideFromState(state, { ...view, bearing: -0.01 }, 's1').camera.bearing, 0)).toBe(true);
  });
});

describe('texts before export', () => {
  it('finds titles and captions with neither language written', () => {
    let story = storyOf(2);
    expect(storyGaps(story)).toEqual([]);
    story = updateSlide(story, 's2', { caption: { zh: ' ', en: '' } });
    story = { ...story, title: { zh: '', en: '' } };
    expect(storyGaps(story)).toEqual([
      { slide: null, field: 'title' },
      { slide: 1, field: 'caption' },
    ]);
    expect(storyGaps(newStory('qingdao', { zh: '题', en: '' }))).toEqual([{ slide: null, field: 'slides' }]);
  });

  it('fills a one-language text from the other, so the file imports without problems', () => {
    let story = storyOf(1);
    story = updateSlide(story, 's1', { caption: { zh: '  只有中文 ', en: '' }, title: { zh: '', en: 'English' } });
    const done = completeTexts(story);
    expect(done.slides[0]!.caption).toEqual({ zh: '只有中文', en: '只有中文' });
    expect(done.slides[0]!.title).toEqual({ zh: 'English', en: 'English' });
    const back = importStory(exportStory(done), known);
    expect(back.problems).toEqual([]);
    expect(back.story).toEqual(done);
  });
});

describe('story operations', () => {
  it('are immutable', () => {
    const story = storyOf(3);
    const frozen = JSON.stringify(story);
    moveSlide(story, 's1', 1);
    removeSlide(story, 's2');
    updateSlide(story, 's3', { caption: { zh: '说明', en: 'Caption' } });
    addSlide(story, slideFromState(state, view, 's9'), 0);
    expect(JSON.stringify(story)).toBe(frozen);
  });

  it('moves slides and clamps at the ends', () => {
    const story = storyOf(3);
    expect(ids(moveSlide(story, 's1', 1))).toEqual(['s2', 's1', 's3']);
    expect(ids(moveSlide(story, 's3', -1))).toEqual(['s1', 's3', 's2']);
    expect(ids(moveSlide(story, 's1', 99))).toEqual(['s2', 's3', 's1']);
    expect(moveSlide(story, 's1', -1)).toBe(story);
    expect(moveSlide(story, 's3', 1)).toBe(story);
    expect(moveSlide(story, 'nope', 1)).toBe(story);
  });

  it('inserts at an index, clamped', () => {
    const story = storyOf(2);
    expect(ids(addSlide(story, slideFromState(state, view, 'x'), 0))).toEqual(['x', 's1', 's2']);
    expect(ids(addSlide(story, slideFromState(state, view, 'x'), 1))).toEqual(['s1', 'x', 's2']);
    expect(ids(addSlide(story, slideFromState(state, view, 'x'), -5))).toEqual(['x', 's1', 's2']);
    expect(ids(addSlide(story, slideFromState(state, view, 'x'), 50))).toEqual(['s1', 's2', 'x']);
  });

  it('keeps ids unique', () => {
    let story = storyOf(3);
    story = removeSlide(story, 's2');
    expect(nextSlideId(story)).not.toBe('s3');
    story = addSlide(story, slideFromState(state, view, nextSlideId(story)));
    // A slide with a taken id gets a fresh one.
    story = addSlide(story, slideFromState(state, view, 's1'));
    story = addSlide(story, slideFromState(state, view, 's1'), 0);
    // Shipped stories may use other id schemes.
    story = { ...story, slides: [...story.slides, { ...story.slides[0]!, id: 's7' }, { ...story.slides[0]!, id: 'harbour' }] };
    story = addSlide(story, slideFromState(state, view, nextSlideId(story)));
    // The id cannot be patched.
    story = updateSlide(story, 's1', { id: 's3' } as never);
    const all = ids(story);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toContain('s1');
    expect(all).toContain('s8');
  });

  it('updates one slide and removes by id', () => {
    const story = storyOf(2);
    const u = updateSlide(story, 's2', { caption: { zh: '港口', en: 'The harbour' }, duration: 30 });
    expect(u.slides[1]).toMatchObject({ id: 's2', caption: { zh: '港口', en: 'The harbour' }, duration: 30 });
    expect(u.slides[0]).toBe(story.slides[0]);
    expect(updateSlide(story, 'nope', { duration: 5 })).toBe(story);
    expect(ids(removeSlide(story, 's1'))).toEqual(['s2']);
    expect(removeSlide(story, 'nope')).toBe(story);
  });
});

describe('export and import', () => {
  it('round-trips: export → import equals', () => {
    let story = storyOf(3);
    story = updateSlide(story, 's2', { caption: { zh: '第一行\n第二行 “引号” \\ 反斜杠', en: 'Line one\nline "two"' }, duration: 45 });
    const text = exportStory(story);
    const back = importStory(text, known);
    expect(back.problems).toEqual([]);
    expect(back.story).toEqual(story);
    // Stable: exporting the imported story gives the same bytes.
    expect(exportStory(back.story!)).toBe(text);
  });

  it('writes pretty JSON in a stable key order', () => {
    const story = storyOf(1);
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
    const reversed = reverseKeys(story) as Story;
    expect(Object.keys(reversed)[0]).toBe('slides');
    expect(exportStory(reversed)).toBe(exportStory(story));
    const text = exportStory(story);
    expect(text.startsWith('{\n  "version": 1,\n  "id": ')).toBe(true);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['version', 'id', 'city', 'title', 'source', 'slides']);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('turns a syntax error into a problem, never a throw', () => {
    const r = importStory('{"version": 1, ', known);
    expect(r.story).toBeNull();
    expect(r.problems.length).toBe(1);
    expect(r.problems[0]).toMatch(/JSON/);
    expect(importStory('', known).story).toBeNull();
    expect(importStory('null', known).story).toBeNull();
    expect(importStory('[1,2]', known).story).toBeNull();
  });

  it('accepts a byte-order mark', () => {
    const story = storyOf(1);
    expect(importStory(`\uFEFF${exportStory(story)}`, known).story).toEqual(story);
  });

  it('keeps a hostile title a plain string', () => {
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>{{constructor}}';
    const story = storyOf(1);
    const evil = { ...story, title: { zh: hostile, en: '"; alert(3); //' }, slides: story.slides.map((s) => ({ ...s, title: { zh: hostile, en: hostile } })) };
    const back = importStory(exportStory(evil), known);
    expect(back.story).not.toBeNull();
    expect(typeof back.story!.title.zh).toBe('string');
    expect(back.story!.title.zh).toBe(hostile);
    expect(back.story!.title.en).toBe('"; alert(3); //');
    expect(back.story!.slides[0]!.title.zh).toBe(hostile);
  });

  it('does not let a "__proto__" key pollute objects', () => {
    const text = exportStory(storyOf(1)).replace('"version": 1,', '"__proto__": {"polluted": true}, "version": 1,');
    const r = importStory(text, known);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (r.story) {
      expect((r.story as unknown as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(r.story)).toBe(Object.prototype);
    }
  });
});

describe('the draft', () => {
  it('saves and loads under its key', () => {
    const storage = new FakeStorage();
    const story = storyOf(2);
    expect(saveDraft(story, storage)).toBe(true);
    expect(storage.map.has(DRAFT_KEY)).toBe(true);
    expect(loadDraft(known, storage)).toEqual(story);
  });

  it('keeps work in progress: empty captions and titles, one language only', () => {
    const storage = new FakeStorage();
    let story = storyOf(2);
    story = addSlide(story, slideFromState(state, view, nextSlideId(story), { zh: '', en: '' }));
    story = updateSlide(story, 's1', { caption: { zh: '只有中文', en: '' } });
    story = { ...story, title: { zh: '', en: 'English only' } };
    expect(story.slides[2]!.caption).toEqual({ zh: '', en: '' });
    saveDraft(story, storage);
    expect(loadDraft(known, storage)).toEqual(story);
  });

  it('drops a drafted slide that is broken, keeps the rest', () => {
    const storage = new FakeStorage();
    const story = storyOf(2);
    const json = JSON.parse(exportStory(story)) as { slides: { camera: unknown }[] };
    json.slides[1]!.camera = 'nowhere';
    storage.setItem(DRAFT_KEY, JSON.stringify(json));
    expect(loadDraft(known, storage)?.slides.map((s) => s.id)).toEqual(['s1']);
  });

  it('is null when there is none', () => {
    expect(loadDraft(known, new FakeStorage())).toBeNull();
    expect(loadDraft(known, null)).toBeNull();
  });

  it('ignores a corrupt draft', () => {
    const storage = new FakeStorage();
    for (const bad of ['{"version":1,', 'not json at all', '42', '{"version":2}', '{"slides":"nope"}', '\u0000\u0001']) {
      storage.map.set(DRAFT_KEY, bad);
      expect(() => loadDraft(known, storage)).not.toThrow();
      expect(loadDraft(known, storage)).toBeNull();
    }
  });

  it('never throws when storage does', () => {
    const broken: DraftStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(saveDraft(storyOf(1), broken)).toBe(false);
    expect(loadDraft(known, broken)).toBeNull();
  });
});
