/**
 * The story editor's model: pure functions over the Story contract
 * (story.ts), JSON export/import, and the auto-saved draft in localStorage.
 * No DOM here, so it runs under node in the unit tests.
 *
 * Every operation returns a new story and leaves its input untouched; an
 * operation that changes nothing (an unknown id, a move past either end)
 * returns the same object, so callers can tell.
 */
import type { AppState, ViewState } from '../../state/types';
import type { Slide, Story, StoryProblems, Text } from './story';
import { validateStory } from './validateStory';

export interface KnownIds {
  cities: string[];
  layers: string[];
}

/** The slice of the Web Storage API the draft needs (a Map-backed fake in tests). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const DRAFT_KEY = 'civic-atlas:story-draft';

/** Default kiosk time per slide, seconds (story.ts: "default 20"). */
export const DEFAULT_DURATION = 20;

/** What the editor puts in `source` for a story a planner writes. */
export const PLANNER_SOURCE: Text = {
  zh: '规划人员在故事编辑器中编写',
  en: 'Written by a planner in the story editor',
};

const round = (n: number, digits: number): number => {
  const f = 10 ** digits;
  const r = Math.round(n * f) / f;
  return Object.is(r, -0) ? 0 : r;
};

const clamp = (n: number, lo: number, hi: number) => (Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo);

/** Bearing in [0, 360), as validateStory normalises it, rounded to `digits`. */
const bearingOf = (b: number, digits: number) => {
  if (!Number.isFinite(b)) return 0;
  const r = round(((b % 360) + 360) % 360, digits);
  return r >= 360 ? 0 : r;
};

/**
 * The live camera, rounded to what matters (≈0.1 m, 1/100 zoom level, 0.1°)
 * and inside the story format's ranges (bearing 0–360, pitch 0–85, zoom 0–22).
 */
export function cameraOf(view: ViewState): ViewState {
  const lon = Number.isFinite(view.lon) ? ((((view.lon + 180) % 360) + 360) % 360) - 180 : 0;
  return {
    lon: round(lon, 6),
    lat: round(clamp(view.lat, -85, 85), 6),
    zoom: round(clamp(view.zoom, 0, 22), 2),
    bearing: bearingOf(view.bearing, 1),
    pitch: round(clamp(view.pitch, 0, 85), 1),
  };
}

/**
 * A slide that shows what the planner sees now: the city, the live camera,
 * the visible layers, the clock and the time-aware layers' settings. The
 * caption starts empty and there are no KPIs; the kiosk shows it 20 s.
 */
export function slideFromState(s: AppState, view: ViewState, id: string, title?: Text): Slide {
  return {
    id,
    city: s.city,
    camera: cameraOf(view),
    layers: [...s.layers],
    settings: {
      pollutant: s.pollutant,
      step: s.step,
      surface: s.surface,
      period: s.period ? [s.period[0], s.period[1]] : null,
      ...(s.airMap === 'period' && s.period ? { airMap: 'period' as const } : {}),
      ...(s.compareYear !== null ? { compare: s.compareYear } : {}),
      ...(s.basemap !== 'offline' ? { basemap: s.basemap } : {}),
    },
    time: s.time,
    title: title ? { zh: title.zh, en: title.en } : { zh: '新幻灯片', en: 'New slide' },
    caption: { zh: '', en: '' },
    kpis: [],
    duration: DEFAULT_DURATION,
  };
}

/** An empty story about `city`. Its id names the exported file (story-<id>.json). */
export function newStory(city: string, title: Text): Story {
  return {
    version: 1,
    id: `${city}-draft`,
    city,
    title: { zh: title.zh, en: title.en },
    source: { ...PLANNER_SOURCE },
    slides: [],
  };
}

/** An id no slide of `story` has yet: "s<n>", n one past the largest such number (at least the slide count). */
export function nextSlideId(story: Story): string {
  const taken = new Set(story.slides.map((s) => s.id));
  let n = story.slides.length;
  for (const id of taken) {
    const m = /^s(\d{1,9})$/.exec(id);
    if (m) n = Math.max(n, Number(m[1]));
  }
  let id = `s${n + 1}`;
  while (taken.has(id)) id = `s${++n + 1}`;
  return id;
}

/**
 * Insert `slide` at `atIndex` (clamped; default: the end). A slide whose id
 * is already taken gets a fresh one, so ids stay unique.
 */
export function addSlide(story: Story, slide: Slide, atIndex?: number): Story {
  const id = story.slides.some((s) => s.id === slide.id) || !slide.id ? nextSlideId(story) : slide.id;
  const at = atIndex === undefined || !Number.isFinite(atIndex) ? story.slides.length : Math.max(0, Math.min(story.slides.length, Math.trunc(atIndex)));
  const slides = [...story.slides];
  slides.splice(at, 0, id === slide.id ? slide : { ...slide, id });
  return { ...story, slides };
}

export function removeSlide(story: Story, id: string): Story {
  if (!story.slides.some((s) => s.id === id)) return story;
  return { ...story, slides: story.slides.filter((s) => s.id !== id) };
}

/** Move a slide by `delta` places; clamps at either end (a move past the end is no change). */
export function moveSlide(story: Story, id: string, delta: number): Story {
  const from = story.slides.findIndex((s) => s.id === id);
  if (from < 0 || !Number.isFinite(delta)) return story;
  const to = Math.max(0, Math.min(story.slides.length - 1, from + Math.trunc(delta)));
  if (to === from) return story;
  const slides = [...story.slides];
  const [moved] = slides.splice(from, 1);
  slides.splice(to, 0, moved!);
  return { ...story, slides };
}

export type SlidePatch = Partial<Omit<Slide, 'id'>>;

/** Shallow-merge `patch` into one slide. The id cannot be changed here (it would break uniqueness and slide= links). */
export function updateSlide(story: Story, id: string, patch: SlidePatch): Story {
  const i = story.slides.findIndex((s) => s.id === id);
  if (i < 0) return story;
  const { id: _ignored, ...rest } = patch as SlidePatch & { id?: string };
  const slides = [...story.slides];
  slides[i] = { ...slides[i]!, ...rest, id };
  return { ...story, slides };
}

// ── JSON ──

/**
 * Key order of the exported file: the order the contract lists them, so
 * diffs of story files stay small. Keys not listed follow, alphabetically.
 */
const KEY_ORDER = [
  'version', 'id', 'kind', 'city', 'metric', 'value',
  'camera', 'lon', 'lat', 'zoom', 'bearing', 'pitch',
  'layers', 'settings', 'pollutant', 'step', 'surface', 'period', 'airMap', 'compare', 'basemap', 'time', 'play', 'speed',
  'title', 'label', 'zh', 'en', 'caption', 'quote', 'source', 'file', 'line',
  'kpis', 'duration', 'slides',
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => {
    const ra = RANK.get(a) ?? KEY_ORDER.length;
    const rb = RANK.get(b) ?? KEY_ORDER.length;
    return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0;
  });
  // fromEntries defines own properties, so even a "__proto__" key stays a plain key.
  return Object.fromEntries(
    keys.filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => [k, ordered((value as Record<string, unknown>)[k])]),
  );
}

/** The story as a file: pretty JSON (2 spaces), keys in a stable order, a final newline. */
export function exportStory(story: Story): string {
  return `${JSON.stringify(ordered(story), null, 2)}\n`;
}

function parse(text: string): { json: unknown } | { error: string } {
  try {
    return { json: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (err) {
    return { error: `(file): not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function validated(json: unknown, known: KnownIds): StoryProblems {
  let result: StoryProblems;
  try {
    result = validateStory(json, known);
  } catch (err) {
    // validateStory promises not to throw; if it ever does, the file is still just refused.
    return { story: null, problems: [`(file): could not be checked: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const story = result.story;
  if (!story) return result;
  // validateStory's bearing normalisation ((b % 360 + 360) % 360) adds float noise (12.3 → 12.300000000000011).
  const slides = story.slides.map((s) => ({ ...s, camera: { ...s.camera, bearing: bearingOf(s.camera.bearing, 6) } }));
  return { story: { ...story, slides }, problems: result.problems };
}

/**
 * Read a story file's text: a JSON syntax error is one problem and no story;
 * otherwise validateStory decides (a cleaned copy and its problems).
 */
export function importStory(text: string, known: KnownIds): StoryProblems {
  const parsed = parse(text);
  return 'error' in parsed ? { story: null, problems: [parsed.error] } : validated(parsed.json, known);
}

// ── texts a story needs before it leaves the editor ──

const TEXTS = ['title', 'caption'] as const;

/** Where a story has a title or caption with neither language written, or no slides: export waits until they are filled. */
export interface StoryGap {
  /** 0-based slide index; null: the story itself. */
  slide: number | null;
  field: 'title' | 'caption' | 'slides';
}

const blank = (t: Text) => !t.zh.trim() && !t.en.trim();

export function storyGaps(story: Story): StoryGap[] {
  const gaps: StoryGap[] = [];
  if (blank(story.title)) gaps.push({ slide: null, field: 'title' });
  if (story.slides.length === 0) gaps.push({ slide: null, field: 'slides' });
  story.slides.forEach((s, i) => {
    for (const f of TEXTS) if (blank(s[f])) gaps.push({ slide: i, field: f });
  });
  return gaps;
}

/** A text written in one language only is shown in it for the other too (what validateStory would do on load). */
const complete = (t: Text): Text => {
  const zh = t.zh.trim();
  const en = t.en.trim();
  return { zh: zh || en, en: en || zh };
};

/** The story as it leaves the editor (export, present): texts trimmed, one-language texts copied to the other. */
export function completeTexts(story: Story): Story {
  return {
    ...story,
    title: complete(story.title),
    source: complete(story.source),
    slides: story.slides.map((s) => ({ ...s, title: complete(s.title), caption: complete(s.caption) })),
  };
}

// ── the draft ──

function browserStorage(): DraftStorage | null {
  try {
    // Reading localStorage throws in sandboxed frames and with storage blocked.
    return typeof globalThis.localStorage === 'undefined' ? null : globalThis.localStorage;
  } catch {
    return null;
  }
}

/** Save the draft; false when storage is unavailable or full (the editor says so). */
export function saveDraft(story: Story, storage: DraftStorage | null = browserStorage()): boolean {
  if (!storage) return false;
  try {
    storage.setItem(DRAFT_KEY, exportStory(story));
    return true;
  } catch {
    return false;
  }
}

/**
 * The saved draft, validated like an imported file; null when there is none
 * or it cannot be used (corrupt JSON, not a story, storage unavailable).
 * Never throws.
 */
export function loadDraft(known: KnownIds, storage: DraftStorage | null = browserStorage()): Story | null {
  if (!storage) return null;
  try {
    const text = storage.getItem(DRAFT_KEY);
    if (typeof text !== 'string' || text === '') return null;
    const parsed = parse(text);
    if ('error' in parsed) return null;
    // A draft is work in progress: texts not written yet are empty, which the
    // story format refuses. Hold their place through validation.
    const story = validated(markBlanks(parsed.json), known).story;
    return story ? unmarkBlanks(story) : null;
  } catch {
    return null;
  }
}

/** Stands in for an empty text during validation (a private-use character validateStory keeps as it is). */
const BLANK = '\uE000';

function markBlanks(json: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  const mark = (o: Record<string, unknown>, key: string) => {
    const t = has(o, key) ? o[key] : undefined;
    if (!isObj(t)) return;
    for (const l of ['zh', 'en']) if (has(t, l) && typeof t[l] === 'string' && !(t[l] as string).trim()) t[l] = BLANK;
  };
  if (!isObj(json)) return json;
  mark(json, 'title');
  const slides = has(json, 'slides') ? json.slides : undefined;
  if (Array.isArray(slides)) for (const s of slides) if (isObj(s)) for (const f of TEXTS) mark(s, f);
  return json;
}

function unmarkBlanks(story: Story): Story {
  const un = (t: Text): Text => ({ zh: t.zh === BLANK ? '' : t.zh, en: t.en === BLANK ? '' : t.en });
  return { ...story, title: un(story.title), slides: story.slides.map((s) => ({ ...s, title: un(s.title), caption: un(s.caption) })) };
}

export function clearDraft(storage: DraftStorage | null = browserStorage()): void {
  try {
    storage?.removeItem(DRAFT_KEY);
  } catch {
    // Nothing to do: there is no draft we can reach.
  }
}
