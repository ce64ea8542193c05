import type { PickingInfo } from '@deck.gl/core';
import type { FeatureCollection } from 'geojson';
import { loadCatalog } from './catalog/load';
import { openDataSource } from './packs/source';
import { fetchData } from './packs/store';
import { TableRegistry } from './catalog/tables';
import type { Catalog } from './catalog/types';
import { layersForCity } from './catalog/validate';
import { startAppWorkers } from './modes/workers';
import { sharedNetworkClient, type NetworkClient } from './analysis/network/client';
import type { Engine } from './engine/types';
import { loc, t } from './i18n';
import { LayerController, type LayerStatus } from './layers/controller';
import { districtLabels } from './layers/districtLabels';
import type { Description } from './layers/types';
import { fetchDistricts } from './map/districts';
import { createMapView, framePadding, type MapView } from './map/mapView';
import { DARK as DARK_THEME, resolveTheme } from './map/theme';
import { createShell } from './modes/shell';
import { createStore, type Store } from './state/store';
import { cityPatch, type AppState, type Lang, type TimeStep } from './state/types';
import { clockSpan } from './catalog/clockSpan';
import { clampClock } from './state/clock';
import { decodeUrlState, encodeUrlState } from './state/urlCodec';
import { expandShareLink } from './state/shareLink';
import { openShareDialog } from './ui/shareDialog';
import { renderCityPicker } from './ui/cityPicker';
import { renderInspector } from './ui/inspector';
import { renderLayerPanel } from './ui/layerPanel';
import { renderLegendBox } from './ui/legendBox';
import { updateLiveLegends } from './ui/legend';
import { airSourceFor, catalogAirChanged, importedSpan } from './air/sources';
import { yearsShown } from './catalog/remoteDataset';
import { openEmbedDialog } from './ui/embedCode';
// The export dialog loads on first use (it is not needed for the first paint); its button's style is needed at once.
import './ui/exportDialog.css';
import { createNotices } from './ui/notices';
import { renderTimeBar, timeShortcuts } from './ui/timeBar';
import { createChartDock } from './ui/chartDock';
import { presentationSwitch } from './modes/presentMode';
import { plannerTools } from './modes/plannerTools';
import { createPlayer } from './state/player';
import { startEmbedApi } from './modes/embedMode';
import { uiScale } from './ui/uiScale';
import { createHoverTooltip } from './ui/hoverTooltip';
import { shownCoverage, type ParkCoverageData } from './layers/parkCoverage';
import { scenarioDelta } from './layers/parkCoverageText';
import { setFacilityReachProvider } from './layers/lifecircle';
import { MAX_ADDED_FACILITIES } from './state/urlCodec';
import { createIsochroneView } from './modes/planner/isochroneView';
import { createParkScenarioTool } from './modes/planner/parkScenarioTool';
import { createSwipeCompare } from './modes/planner/swipeCompare';
import { createUserData } from './modes/planner/userData';
import { createPlannerSqlConsole } from './modes/planner/sqlConsole';
import { openLiveSources } from './modes/planner/liveSources';
import { createBasemapSync } from './modes/basemapSync';
import { layerSettings, type LayerSettingsDeps } from './modes/planner/layerSettings';
import { initialState } from './state/initialState';
import { captureBudgetSetting } from './import/memoryBudget';

export interface AtlasHandle {
  catalog: Catalog;
  store: Store;
  view: MapView;
  engine: Promise<Engine>;
  controller: LayerController;
  /** The walking-network worker's client (tests terminate its worker). */
  network: NetworkClient;
  /** Resolves when the map is idle after every visible layer has drawn its data (or failed). */
  settled(): Promise<void>;
  firstPaintMs?: number;
}

declare global {
  interface Window {
    __atlas?: AtlasHandle;
    __atlasBoot?: Promise<AtlasHandle | null>;
  }
}

/** What the clock spans for a city in a step (see catalog/clockSpan.ts). */
function spanOf(catalog: Catalog, cityId: string, step: TimeStep): [string, string] | null {
  return clockSpan(catalog, cityId, step, importedSpan(cityId));
}

export async function boot(root: HTMLElement): Promise<AtlasHandle | null> {
  // A share link (?s=) stands for the plain parameters and passes the same checks.
  const shared = expandShareLink(location.search);
  const fromUrl = decodeUrlState(shared.search);
  captureBudgetSetting(location.search);
  let lang = fromUrl.lang ?? 'zh';
  const shell = createShell(
    root,
    () => store.set({ lang: store.get().lang === 'zh' ? 'en' : 'zh' }),
    () => {
      const s = store.get();
      // A pack lives in this browser only: the embed code names the built-in data.
      const url = (controls: boolean) =>
        `${location.origin}${location.pathname}?${encodeUrlState({ ...s, view: s.view ?? view.currentView(), mode: 'embed', controls, selection: null, pack: null }, defaults)}`;
      openEmbedDialog(shell.root, s.lang, url, `${t('appTitle', s.lang)} · ${loc(cityDef().name, s.lang)}`);
    },
    () => store.set({ mode: 'present', story: null, slide: 1, dock: null }),
    () => tools.openStories(),
    () => tools.openPacks(),
  );
  shell.setLang(lang);
  shell.setMode(fromUrl.mode ?? 'planner');
  // Before the map frames the city: the open chart dock takes part of the screen.
  shell.root.classList.toggle('dock-open', !!fromUrl.dock);
  shell.setLook(resolveTheme(fromUrl.theme ?? 'auto', fromUrl.mode ?? 'planner') === DARK_THEME, fromUrl.controls ?? true);
  const notices = createNotices(shell.notices, () => lang);
  // The link's language was in the lost state: say it in both.
  if (shared.problem) {
    notices.show('share', 'warning', shared.problem[lang], [shared.problem[lang === 'zh' ? 'en' : 'zh']]);
    console.warn(`[civic-atlas] share link not used: ${shared.problem.details.join('; ')}`);
  }
  if (sessionStorage.getItem('civic-atlas:gl-restored')) {
    sessionStorage.removeItem('civic-atlas:gl-restored');
    notices.show('gl', 'info', lang === 'zh' ? '地图已恢复（图形上下文曾丢失）' : 'The map is back (the graphics context was lost)');
    setTimeout(() => notices.hide('gl'), 6000);
  }

  performance.mark('boot:shell');
  // The built-in data, or a pack saved in this browser (?pack=name).
  const source = await openDataSource(fromUrl.pack ?? null);
  if (source.problem) notices.show('pack', 'error', source.problem[lang]);
  const dataUrl = source.urlOf;
  const { catalog, problems } = await loadCatalog(dataUrl('catalog.json'), fetchData);
  performance.mark('boot:catalog');
  if (problems.length) {
    notices.show(
      'catalog',
      catalog ? 'warning' : 'error',
      catalog ? t('catalogProblems', lang) : t('catalogFailed', lang),
      problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)),
    );
  }
  if (!catalog) return null;

  // URL values that name things the catalog does not have are dropped with a warning.
  const initial = initialState(fromUrl, catalog, { lang, pack: source.pack?.name ?? null, span: (id, step) => spanOf(catalog, id, step) });
  const store = createStore(initial);
  const defaults = { city: catalog.defaultCity, lang: 'zh' as const, mode: 'planner' as const };

  // DuckDB and the walking-network worker, restarted if they die; the user is told.
  const { engine, startEngine } = startAppWorkers({ notices, noticeRoot: shell.notices, status: shell.engineStatus, lang: () => store.get().lang });
  const tables = new TableRegistry(engine, dataUrl, fetchData);
  // Remote stores load the years on screen; the air cube reads again when they change.
  tables.followYears(() => yearsShown(store.get()));
  tables.onRemoteLoaded((cityId, ds) => (ds === 'stations' || ds === 'air_hourly') && catalogAirChanged(cityId));
  const theme = () => resolveTheme(store.get().theme, store.get().mode);

  const tooltip = createHoverTooltip({ root: shell.root, describe: (info) => describe(info), pickAt: (x, y) => view.pickAt(x, y), suppressed: () => parkTool.drawing() });

  const cityDef = () => catalog.cities.find((c) => c.id === store.get().city)!;
  let districts: FeatureCollection | null = null;

  const describe = (info: PickingInfo): { d: Description; layer: string; id: string | null } | null => {
    if (!info.object || !info.layer) return null;
    const r = controller.resolve(info.layer.id);
    if (!r) {
      const other = controller.describeOther(info.layer.id, info.object);
      return other ? { d: other, layer: info.layer.id, id: null } : null;
    }
    const d = r.module.describe(info.object, r.ctx);
    return d ? { d, layer: r.ctx.def.id, id: r.module.objectId?.(info.object) ?? null } : null;
  };
  let inspected: Description | null = null;

  const view = createMapView({
    container: shell.mapEl,
    theme: theme(),
    city: cityDef(),
    view: initial.view,
    attribution: t('attribution', lang),
    // Embedded in a page, the map must never trap the page's scroll.
    cooperativeGestures: initial.mode === 'embed',
    onViewChange: (v) => store.set({ view: v }),
    onBasemapShown: (shown, failure) => basemapSync?.onShown(shown, failure),
    onContextLost: () => {
      const zh = store.get().lang === 'zh';
      notices.show('gl', 'warning', zh ? '图形上下文丢失，地图正在恢复…' : 'The graphics context was lost; the map is recovering…', [
        zh ? '视图、图层、时间和方案都在链接里，恢复后原样显示。' : 'The view, layers, time and scenario are in the link and come back as they were.',
        ...(airSourceFor(store.get().city).kind === 'import'
          ? [zh ? '导入的监测数据保存在本浏览器中，恢复后会自动重新导入。' : 'Imported readings are kept in this browser and are imported again afterwards.']
          : []),
      ]);
    },
    // deck.gl cannot re-attach to a restored context in place; everything the
    // user chose is in the URL, so the page rebuilds itself from it.
    onContextRestored: () => {
      history.replaceState(null, '', `${location.pathname}?${encodeUrlState(store.get(), defaults)}${location.hash}`);
      sessionStorage.setItem('civic-atlas:gl-restored', '1');
      location.reload();
    },
    onHover: (info) => tooltip.onHover(info),
    onClick: (info) => {
      // While a park is drawn, clicks are its corners.
      if (parkTool.drawing()) return;
      if (placingType) {
        const [lon, lat] = view.toData(info.x, info.y);
        const added = [...store.get().addedFacilities, { type: placingType, lon: Math.round(lon * 1e5) / 1e5, lat: Math.round(lat * 1e5) / 1e5 }];
        setPlacing(null);
        store.set({ addedFacilities: added.slice(-MAX_ADDED_FACILITIES) });
        return;
      }
      const r = describe(info);
      // With the life-circle layer on, a click on the map (or on its own cells) asks what is within a walk of it.
      const lifeCircle = isochrones.layerId(store.get());
      if (lifeCircle && (!r || r.layer === lifeCircle) && (store.get().mode === 'planner' || store.get().mode === 'embed')) {
        const [lon, lat] = view.toData(info.x, info.y);
        store.set({ iso: [Math.round(lon * 1e5) / 1e5, Math.round(lat * 1e5) / 1e5], selection: null });
        return;
      }
      if (r?.id) {
        const o = info.object as { properties?: unknown };
        embedApi?.featureClicked({ layer: r.layer, id: r.id, properties: o.properties ?? o });
      }
      inspected = r?.d ?? null;
      store.set({ selection: r && r.id ? { layer: r.layer, id: r.id } : null });
      renderInspector(shell.inspector, inspected, store.get().lang, closeInspector);
    },
  });
  performance.mark('boot:map-created');
  const basemapSync: ReturnType<typeof createBasemapSync> | undefined = createBasemapSync({ store, view, notices, setCredit: (text) => shell.setBasemapCredit(text) });
  basemapSync.sync(store.get(), null);
  let firstPaintMs: number | undefined;
  // From navigation start, like the bench's bare MapLibre baseline.
  view.map.once('load', () => {
    firstPaintMs = performance.now();
    startEngine();
  });

  const controller = new LayerController(
    catalog,
    tables,
    engine,
    theme,
    (layers) => {
      view.setLayers(layers);
      tooltip.layersChanged();
    },
    () => renderPanels(),
  );

  // The built-in data's credit, and the credits of the planner's tables on the map.
  const attributionFor = (l: Lang) => [t('attribution', l), userData.credits(l)].filter(Boolean).join(l === 'zh' ? '；' : '; ');
  // The planner's own imported files, drawn and listed under "Your data".
  const userData = createUserData({
    root: shell.root,
    engine,
    controller,
    pack: source.pack,
    lang: () => store.get().lang,
    onChange: () => {
      view.setAttribution(attributionFor(store.get().lang));
      lastPanelKey = '';
      renderPanels();
    },
    onAnalysisChange: () => isochrones.sync(store.get()),
    onError: (m) => notices.show('user-data', 'error', store.get().lang === 'zh' ? '无法显示导入的数据' : 'The imported data cannot be shown', [m]),
  });

  // The planner's SQL console: read-only over the loaded tables, results drawn in their own layer.
  createPlannerSqlConsole({ root: shell.root, button: shell.sqlBtn, engine, catalog, tables, controller, view, store, dark: () => theme() === DARK_THEME });

  const loadDistricts = async (cityId: string) => {
    const c = catalog.cities.find((x) => x.id === cityId)!;
    // The land around the city is context for the offline base only: without it the base still works (all water around).
    const around = c.surroundings ? fetchDistricts(dataUrl(c.surroundings)).catch((e: Error) => (console.warn(`[civic-atlas] surroundings: ${e.message}`), null)) : Promise.resolve(null);
    void around.then((fc) => {
      if (store.get().city === cityId) view.setSurroundings(fc);
    });
    try {
      const fc = await fetchDistricts(dataUrl(c.datasets.districts!.path));
      if (store.get().city !== cityId) return;
      districts = fc;
      view.setDistricts(fc);
      controller.setExtraLayers(districtLabels(fc, store.get().lang, theme(), 13 * uiScale()));
    } catch (e) {
      notices.show('districts', 'error', t('basemapFailed', lang), [(e as Error).message]);
    }
  };

  const closeInspector = () => {
    inspected = null;
    store.set({ selection: null });
    renderInspector(shell.inspector, null, store.get().lang, () => {});
  };
  function renderPanels() {
    const s = store.get();
    // A selection from the URL (or a language change) shows once its layer has data.
    if (s.selection) {
      const d = controller.describeSelection(s.selection);
      if (d && JSON.stringify(d) !== JSON.stringify(inspected)) {
        inspected = d;
        renderInspector(shell.inspector, d, s.lang, closeInspector);
      }
    }
    const statuses = controller.statuses();
    // The panels only change with city, language, layers, status or legend: a
    // time step (every tick of playback) rebuilds nothing here.
    const panelKey = JSON.stringify([s.city, s.lang, s.pollutant, s.surface, s.airMap, s.step === 'year' ? null : s.period, parkTool.drawing(), s.drawnParks.length, s.compareYear, s.facTypes, placingType, s.addedFacilities.length, s.isoDistances, statuses.map((x) => [x.def.id, x.phase, x.visible, x.error, x.legend && { ...x.legend, live: x.legend.live !== undefined }])]);
    if (panelKey !== lastPanelKey) {
      lastPanelKey = panelKey;
      renderPanelsNow(s, statuses);
    }
    for (const st of statuses) if (st.legend?.live !== undefined) updateLiveLegends(shell.root, st.def.id, st.legend.live);
    // A host page hears about a layer that failed, once per failure.
    for (const st of statuses) {
      const key = `${s.city}:${st.def.id}:${st.error ?? ''}`;
      if (st.phase === 'error' && !reportedErrors.has(key)) {
        reportedErrors.add(key);
        embedApi?.error({ code: 'layer_failed', message: `${st.def.id}: ${st.error ?? ''}` });
      }
    }
    shell.fullViewLink.href = `${location.origin}${location.pathname}?${encodeUrlState({ ...s, mode: 'planner', controls: true, theme: 'auto' }, defaults)}`;
    const sp = spanOf(catalog!, s.city, s.step);
    shell.timeBar.hidden = !sp;
    if (sp)
      renderTimeBar(shell.timeBar, {
        span: sp,
        time: s.time,
        step: s.step,
        period: s.period,
        lang: s.lang,
        playing: player.playing(),
        speed: player.speed(),
        loop: player.loop(),
        onTime: (time) => store.set({ time }),
        onStep: (step) => {
          // The year step spans more years than the air data: bring the clock inside the new span.
          const next = spanOf(catalog!, store.get().city, step);
          store.set({ step, time: next ? clampClock(store.get().time, step, next) : store.get().time });
        },
        onPlay: (speed) => player.play(speed),
        onPause: () => player.pause(),
        onSpeed: (speed) => player.setSpeed(speed),
        onLoop: (on) => player.setLoop(on),
        onClearPeriod: () => store.set({ period: null, airMap: 'clock' }),
      });
  }

  let lastPanelKey = '';
  /** The air layer's data key follows its source; a new import reloads it. */
  function refreshAir() {
    lastPanelKey = '';
    controller.sync(store.get());
    renderPanels();
  }
  const settingsDeps: LayerSettingsDeps = {
    store,
    catalog,
    city: cityDef,
    mapEl: shell.mapEl,
    span: (id, step) => spanOf(catalog!, id, step),
    openAirImport: () => tools.openImport(),
    placing: () => placingType,
    setPlacing: (type) => setPlacing(type),
    parkTool: { drawing: () => parkTool.drawing(), start: () => parkTool.start(), finish: () => parkTool.finish(), cancel: () => parkTool.cancel() },
    scenarioLines: (st) => scenarioLines(st),
  };
  function renderPanelsNow(s: AppState, statuses: LayerStatus[]) {
    renderCityPicker(shell.cityPicker, catalog!, s.city, s.lang, (id) => store.set(cityPatch(id)));
    renderLayerPanel(shell.layerPanel, {
      city: cityDef(),
      statuses,
      lang: s.lang,
      userTables: userData.list(s.lang),
      onImportFile: s.mode === 'planner' ? () => userData.openImport() : undefined,
      onUserAnalysis: (table, on) => userData.setAnalysis(table, on),
      onFetchLive:
        s.mode === 'planner'
          ? () => void engine.then((e) => openLiveSources(shell.root, { city: cityDef(), lang: store.get().lang, engine: e, tables, view, userData })).catch((e: Error) => notices.show('live', 'error', store.get().lang === 'zh' ? '无法打开网络数据源' : 'The live sources cannot be opened', [e.message]))
          : undefined,
      onRemoveUserTable: (table) => void userData.remove(table),
      onToggle: (id, on) => {
        const set = new Set(store.get().layers);
        if (on) set.add(id);
        else set.delete(id);
        store.set({ layers: catalog!.layers.map((l) => l.id).filter((x) => set.has(x)) });
      },
      settings: (_id, kind) => layerSettings(kind, s, settingsDeps),
    });
    const modelled = (layerId: string) => {
      const def = catalog!.layers.find((l) => l.id === layerId);
      return !!def?.datasets.some((d) => cityDef().datasets[d]?.provenance.modelled);
    };
    renderLegendBox(shell.legendBox, statuses, modelled, s.lang);
  }

  /** Before → after lines for the drawn parks, once coverage has loaded. */
  function scenarioLines(s: AppState): string[] | null {
    const data = controller.dataOf('parkcoverage') as ParkCoverageData | null;
    if (!data || !s.drawnParks.length) return null;
    const { result, scenario } = shownCoverage(data.model, s.drawnParks);
    return scenario ? scenarioDelta(data.model.base, result, scenario.drawn, data.model.districtNames, s.lang) : null;
  }

  const isochrones = createIsochroneView({
    catalog,
    store,
    engine,
    tables,
    city: cityDef,
    setLayers: (layers) => controller.setAnalysisLayers(layers),
    inspect: (d) => {
      if (!d && store.get().selection) return;
      inspected = d;
      renderInspector(shell.inspector, d, store.get().lang, () => store.set({ iso: null }));
    },
    userFacilities: () => userData.analysisFacilities(),
    onError: (message) => notices.show('iso', 'error', store.get().lang === 'zh' ? '无法计算步行范围' : 'Could not compute the walking area', [message]),
  });
  setFacilityReachProvider((city, lon, lat, added) => isochrones.facilityReach(city, lon, lat, added));
  /** A facility type the next map click places (the life-circle scenario), or null. */
  let placingType: string | null = null;
  function setPlacing(type: string | null) {
    placingType = type;
    shell.mapEl.classList.toggle('drawing', type !== null);
    lastPanelKey = '';
    renderPanels();
  }
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && placingType) setPlacing(null);
  });
  const parkTool = createParkScenarioTool({
    root: shell.root,
    view,
    store,
    notices,
    setToolLayers: (layers) => controller.setToolLayers(layers),
    onChange: () => {
      tooltip.hide();
      lastPanelKey = '';
      renderPanels();
    },
  });
  const swipe = createSwipeCompare(shell.mapEl, catalog, store);

  const dock = createChartDock({
    root: shell.dock,
    store,
    catalog,
    engine,
    tables,
    airLayerId: 'air',
    onFlyTo: ([w, south, e, n]) => {
      // The map's own padding already keeps the panels clear; add what the open dock covers now, and a margin.
      const want = framePadding(shell.mapEl);
      const has = view.map.getPadding();
      const extra = (k: 'top' | 'bottom' | 'left' | 'right') => Math.max(16, want[k] - (has[k] ?? 0) + 16);
      view.fitBounds([w, south, e, n], { padding: { top: extra('top'), bottom: extra('bottom'), left: extra('left'), right: extra('right') }, duration: 1200, essential: true });
    },
  });
  // Playback waits for each step to be drawn before the next (see player.ts).
  const player = createPlayer(store, () => spanOf(catalog, store.get().city, store.get().step), (fn) => view.afterNextFrame(fn));
  let clockPending = false;
  function clockFrame() {
    if (clockPending) return;
    clockPending = true;
    view.afterNextFrame(() => {
      clockPending = false;
      showClock();
    });
  }
  function showClock() {
    swipe.sync(store.get());
    isochrones.sync(store.get());
    renderPanels();
    if (store.get().mode === 'planner') dock.update(store.get());
  }
  player.onChange(() => renderPanels());
  document.addEventListener('keydown', (e) => {
    if (store.get().mode === 'planner' || store.get().mode === 'embed') {
      if (timeShortcuts(e)) e.preventDefault();
    }
  });
  const tools = plannerTools({
    root: shell.root,
    catalog,
    store,
    view,
    engine,
    dataUrl,
    clockSpan: (id) => spanOf(catalog, id, store.get().step === 'year' ? 'hour' : store.get().step),
    refreshAir,
    notify: (title, lines) => notices.show('imports', 'info', title, lines),
    pack: source.pack,
    userTables: () => userData.forPack(),
  });
  shell.setPack(source.pack?.title ?? null);
  shell.exportBtn.addEventListener('click', () =>
    void import('./ui/exportDialog')
      .then(({ openExportDialog }) =>
        openExportDialog(shell.root, {
          catalog, controller, engine, tables, state: () => store.get(),
          userLayers: (l) => userData.forExport(l),
          image: { map: view.map, statuses: () => controller.statuses(), city: cityDef, state: () => store.get(), credits: () => view.credits(), settled: () => settled(), userProvenance: (l) => userData.imageProvenance(l) },
        }),
      )
      .catch((e: Error) => notices.show('export', 'error', store.get().lang === 'zh' ? '无法打开导出' : 'Export cannot be opened', [e.message])),
  );
  shell.shareBtn.addEventListener('click', () => {
    const s = store.get();
    openShareDialog(shell.root, { lang: s.lang, catalog, state: { ...s, view: s.view ?? view.currentView() }, defaults, base: `${location.origin}${location.pathname}`, packTitle: source.pack?.title ?? null });
  });
  // A planner's imported files survive a reload (kept in this browser; the import dialog removes them);
  // a pack's imported files come with it, in every mode but the embed.
  if (store.get().mode === 'planner' || (source.pack?.imports.length && store.get().mode !== 'embed')) void engine.then(() => tools.restoreImports()).catch((e: Error) => console.warn(`[civic-atlas] restoring imports: ${e.message}`));
  // The planner's own tables likewise: kept ones in the planner, a pack's wherever the pack is presented.
  if (store.get().mode === 'planner' || (source.pack?.tables?.length && store.get().mode !== 'embed')) void userData.restore().catch((e: Error) => console.warn(`[civic-atlas] restoring tables: ${e.message}`));
  const embedApi = store.get().mode === 'embed' ? startEmbedApi({ catalog, store, view, player }) : null;
  const reportedErrors = new Set<string>();
  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  store.subscribe((s, prev) => {
    if (s.city !== prev.city) {
      parkTool.cancel();
      if (placingType) setPlacing(null);
      tooltip.hide();
      inspected = null;
      renderInspector(shell.inspector, null, s.lang, () => {});
      view.setCity(cityDef());
      if (!s.view) view.showCity(cityDef(), true);
      void loadDistricts(s.city);
    }
    if (s.lang !== prev.lang) {
      lang = s.lang;
      shell.setLang(s.lang);
      view.setAttribution(attributionFor(s.lang));
      controller.setExtraLayers(districtLabels(districts, s.lang, theme(), 13 * uiScale()));
    }
    if (s.mode !== prev.mode) {
      shell.setMode(s.mode);
      void syncPresentation();
    }
    if (s.mode !== prev.mode || s.theme !== prev.theme || s.controls !== prev.controls) {
      shell.setLook(theme() === DARK_THEME, s.controls);
      view.applyTheme(theme());
      controller.setExtraLayers(districtLabels(districts, s.lang, theme(), 13 * uiScale()));
    }
    basemapSync.sync(s, prev);
    controller.sync(s);
    // A clock step shows its hour in the DOM (time bar, legend, chart cursor)
    // in the frame that draws its layers, never before: on a slow GPU the map
    // and the text would otherwise disagree about the hour on screen.
    const onlyTime = (Object.keys(s) as (keyof AppState)[]).every((k) => k === 'time' || s[k] === prev[k]);
    if (onlyTime) clockFrame();
    else showClock();
    shell.root.classList.toggle('dock-open', s.dock !== null);
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      const qs = encodeUrlState(store.get(), defaults);
      history.replaceState(null, '', `${location.pathname}?${qs}${location.hash}`);
    }, 150);
  });
  window.addEventListener('popstate', () => store.set(decodeUrlState(expandShareLink(location.search).search)));
  // Crossing the 4K threshold changes pixel sizes of map text and markers.
  let lastScale = uiScale();
  window.addEventListener('resize', () => {
    if (uiScale() === lastScale) return;
    lastScale = uiScale();
    controller.setExtraLayers(districtLabels(districts, store.get().lang, theme(), 13 * lastScale));
  });

  void loadDistricts(initial.city);
  controller.sync(store.get());
  renderPanels();
  swipe.sync(store.get());
  isochrones.sync(store.get());
  if (store.get().mode === 'planner') dock.update(store.get());
  shell.root.classList.toggle('dock-open', store.get().dock !== null);

  // Presenter and kiosk run over the same store, map and layers; leaving them (Esc) returns to the planner.
  const syncPresentation = presentationSwitch({
    root: shell.root,
    catalog,
    store,
    view,
    player,
    engine,
    tables,
    settled: () => settled(),
    dataUrl,
    onProblem: (title, details) => notices.show('stories', 'warning', loc(title, store.get().lang), details),
    onError: (message) => notices.show('stories', 'error', store.get().lang === 'zh' ? '无法放映' : 'Cannot present', [message]),
    onExit: () => store.set({ mode: 'planner', story: null, slide: 1 }),
  });
  const settled = async () => {
    if (store.get().mode === 'planner') await dock.idle();
    await isochrones.idle();
    for (;;) {
      const st = controller.statuses().filter((x) => x.visible);
      if (st.every((x) => x.phase === 'ready' || x.phase === 'error')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise<void>((resolve) => {
      if (view.map.loaded() && !view.map.isMoving()) {
        view.map.once('idle', () => resolve());
        view.map.triggerRepaint();
      } else view.map.once('idle', () => resolve());
    });
  };
  const handle: AtlasHandle = {
    catalog,
    store,
    view,
    engine,
    controller,
    network: sharedNetworkClient(),
    settled,
    get firstPaintMs() {
      return firstPaintMs;
    },
  };
  // Read once the embed API has read its origins from the address: a share link is then shown in its plain, readable form.
  if (shared.shared) history.replaceState(null, '', `${location.pathname}?${encodeUrlState(store.get(), defaults)}${location.hash}`);
  window.__atlas = handle;
  void syncPresentation();
  void layersForCity;
  void loc;
  return handle;
}
