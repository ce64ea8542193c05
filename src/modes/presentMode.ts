/**
 * Presenter (`?mode=present`) and kiosk (`?mode=kiosk`): loads the stories
 * (data/stories, or the editor's draft), and runs the presenter or the kiosk
 * over the same store, map and layers as the planner view. Data KPIs are
 * computed from the catalog's tables through the engine, like every layer.
 */
import { airCubeFor, airSourceFor } from '../air/sources';
import type { TableRegistry } from '../catalog/tables';
import type { Catalog } from '../catalog/types';
import type { Engine } from '../engine/types';
import type { MapView } from '../map/mapView';
import type { Player } from '../state/player';
import type { Store } from '../state/store';
import { createDirector } from './present/director';
import { startKiosk } from './present/kiosk';
import { computeKpi, kpiDatasets } from './present/kpis';
import { startPresenter, type DataKpi } from './present/presenter';
import type { Story, Text } from './present/story';
import { completeTexts, loadDraft } from './present/storyDraft';
import { validateStory, validateStoryIndex } from './present/validateStory';
import { fetchData } from '../packs/store';

export interface PresentDeps {
  root: HTMLElement;
  catalog: Catalog;
  store: Store;
  view: MapView;
  player: Player;
  engine: Promise<Engine>;
  tables: TableRegistry;
  settled: () => Promise<void>;
  dataUrl: (path: string) => string;
  /** Problems loading stories, shown as a notice. */
  onProblem: (title: Text, details: string[]) => void;
  onExit: () => void;
}

export function knownIds(catalog: Catalog): { cities: string[]; layers: string[] } {
  return { cities: catalog.cities.map((c) => c.id), layers: catalog.layers.map((l) => l.id) };
}

async function fetchJson(url: string): Promise<unknown> {
  // Through fetchData: the file may be a saved pack's.
  const res = await fetchData(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  return res.json();
}

/** Every shipped story, in the index's order; bad ones are reported and left out. */
export async function loadStories(d: Pick<PresentDeps, 'catalog' | 'dataUrl' | 'onProblem'>): Promise<Story[]> {
  const { index, problems } = validateStoryIndex(await fetchJson(d.dataUrl('stories/index.json')));
  if (problems.length) d.onProblem({ zh: '故事目录有问题', en: 'Problems in the story index' }, problems);
  const stories: Story[] = [];
  for (const entry of index?.stories ?? []) {
    try {
      const r = validateStory(await fetchJson(d.dataUrl(entry.path)), knownIds(d.catalog));
      if (r.problems.length) d.onProblem({ zh: `故事 ${entry.id} 有问题`, en: `Problems in story ${entry.id}` }, r.problems);
      if (r.story) stories.push(r.story);
    } catch (e) {
      d.onProblem({ zh: `故事 ${entry.id} 无法加载`, en: `Story ${entry.id} could not load` }, [(e as Error).message]);
    }
  }
  return stories;
}

export async function startPresentMode(d: PresentDeps): Promise<{ destroy(): void } | null> {
  const s = d.store.get();
  const director = createDirector({ store: d.store, view: d.view, player: d.player, settled: d.settled, layerOrder: d.catalog.layers.map((l) => l.id) });
  const kpi = async (k: DataKpi, slide: { city: string }): Promise<Text> => {
    const city = d.catalog.cities.find((c) => c.id === slide.city);
    if (!city) throw new Error(`unknown city ${slide.city}`);
    const datasets = kpiDatasets(k.metric);
    await Promise.all(datasets.map((ds) => d.tables.ensure(city, ds)));
    const engine = await d.engine;
    // Air figures reuse the cube the layer and charts share (one load per city).
    const airCube = k.metric.startsWith('air.') ? await airCubeFor(airSourceFor(city.id), engine) : undefined;
    return (await computeKpi(k.metric, city.id, engine, { period: k.period, airCube })).text;
  };
  const cityName = (id: string) => d.catalog.cities.find((c) => c.id === id)?.name;
  const lang = () => d.store.get().lang;

  if (s.mode === 'kiosk') {
    const stories = await loadStories(d);
    if (!stories.length) return null;
    // ?kioskRate=N compresses the kiosk's clock N× (benchmarks); read once, the URL sync drops it.
    const rate = Number(new URLSearchParams(location.search).get('kioskRate') ?? '1');
    return startKiosk({ root: d.root, stories, store: d.store, director, lang, kpi, cityName, timeScale: Number.isFinite(rate) ? rate : 1 });
  }

  let story: Story | null = null;
  if (s.story === 'draft') {
    const draft = loadDraft(knownIds(d.catalog));
    story = draft ? completeTexts(draft) : null;
    if (!story) d.onProblem({ zh: '没有可放映的草稿', en: 'No draft story to present' }, []);
  }
  if (!story) {
    const stories = await loadStories(d);
    story = stories.find((x) => x.id === s.story) ?? stories.find((x) => x.city === s.city) ?? stories[0] ?? null;
  }
  if (!story) return null;
  return startPresenter({
    root: d.root,
    story,
    store: d.store,
    director,
    lang,
    kpi,
    mode: 'present',
    cityName,
    startAt: Math.max(0, s.slide - 1),
    onSlide: (i) => d.store.set({ slide: i + 1, story: story!.id === `${story!.city}-draft` && s.story === 'draft' ? 'draft' : story!.id }),
    onExit: d.onExit,
  });
}

/**
 * Starts the presenter or kiosk when the store's mode asks for one, and tears
 * it down when the mode goes back to planner. Returns the function to call on
 * every mode change.
 */
export function presentationSwitch(d: PresentDeps & { onError: (message: string) => void }): () => Promise<void> {
  let presentation: Promise<{ destroy(): void } | null> | null = null;
  return async () => {
    const m = d.store.get().mode;
    const want = m === 'present' || m === 'kiosk';
    if (want && !presentation) {
      presentation = startPresentMode(d).catch((e: Error) => {
        d.onError(e.message);
        return null;
      });
    } else if (!want && presentation) {
      const p = presentation;
      presentation = null;
      d.player.pause();
      (await p)?.destroy();
    }
  };
}
