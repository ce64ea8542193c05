/**
 * The parks cross-filter in the dock: a histogram of park sizes to brush and
 * a bar per district to pick; the map's parks layer follows both. Each view
 * is a query client of DuckDB (analysis/parkFilter.ts): when the filter in
 * the store changes, it asks for its own aggregate under the other filters,
 * at most once an animation frame, and only the newest answer is drawn.
 */
import { binEdge, BIN_COUNT, districtQuery, histogramQuery, isFiltering, NO_PARK_FILTER, type ParkFilter } from '../analysis/parkFilter';
import type { CityDef } from '../catalog/types';
import { renderBarList, type BarItem } from '../charts/barList';
import { renderHistogram } from '../charts/histogramChart';
import { formatNumber } from '../i18n';
import { tableRows } from '../layers/arrowRows';
import type { QuerySpec } from '../layers/types';
import type { AppState } from '../state/types';
import { h } from './dom';
import type { GreenDockDeps, GreenHandle } from './greenDock';

const GREEN = '#2e8b57';

/** 3162 m² → "3.2k", 1e6 → "1M": the histogram's edge labels. */
function shortArea(m2: number): string {
  if (m2 >= 1e6) return `${+(m2 / 1e6).toFixed(m2 >= 1e7 ? 0 : 1)}M`;
  if (m2 >= 1e3) return `${+(m2 / 1e3).toFixed(m2 >= 1e4 ? 0 : 1)}k`;
  return String(Math.round(m2));
}

/** A view that asks DuckDB at most once a frame, and draws only the newest answer. */
function queryClient<T>(run: (q: QuerySpec) => Promise<T>, draw: (result: T) => void, onError: (e: Error) => void) {
  let seq = 0;
  let raf = 0;
  let next: QuerySpec | null = null;
  return {
    request(q: QuerySpec) {
      next = q;
      raf ||= requestAnimationFrame(() => {
        raf = 0;
        const my = ++seq;
        const spec = next!;
        run(spec).then((r) => my === seq && draw(r), (e: Error) => my === seq && onError(e));
      });
    },
    destroy() {
      seq++;
      if (raf) cancelAnimationFrame(raf);
    },
  };
}

export async function parkFilterPanel(body: HTMLElement, s: AppState, city: CityDef, d: GreenDockDeps): Promise<GreenHandle> {
  const zh = s.lang === 'zh';
  if (!city.datasets.parks || !city.datasets.districts) {
    body.append(h('div', { class: 'dock-loading' }, zh ? '本市没有公园数据。' : 'This city has no park data.'));
    return { destroy() {} };
  }
  await Promise.all(['parks', 'districts'].map((ds) => d.tables.ensure(city, ds)));
  const engine = await d.engine;
  const parks = `${city.id}__parks`;
  const districts = `${city.id}__districts`;
  const run = (q: QuerySpec) => engine.query(q.sql, q.params).then((t) => tableRows<Record<string, unknown>>(t));
  const filter = () => d.store.get().parkFilter;
  const set = (patch: Partial<ParkFilter>) => {
    const cur = d.store.get();
    // The map follows the filter only with the parks layer on: turn it on at the first filter.
    const layers = cur.layers.includes('parks') || !d.catalog.layers.some((l) => l.id === 'parks') ? cur.layers : d.catalog.layers.filter((l) => l.id === 'parks' || cur.layers.includes(l.id)).map((l) => l.id);
    d.store.set({ parkFilter: { ...cur.parkFilter, ...patch }, layers });
  };

  const first = await Promise.all([run(histogramQuery(parks, s.parkFilter)), run(districtQuery(parks, districts, s.parkFilter))]);
  const countsOf = (rows: Record<string, unknown>[]) => {
    const c = new Array<number>(BIN_COUNT).fill(0);
    for (const r of rows) c[Number(r.bin)] = Number(r.n);
    return c;
  };
  const barsOf = (rows: Record<string, unknown>[]): BarItem[] => rows.map((r) => ({ id: String(r.id), label: String(zh ? r.name : r.name_en), value: Number(r.n) }));
  const binsOf = (f: ParkFilter): [number, number] | null => {
    if (!f.area) return null;
    const lo = Math.max(0, Math.round(Math.log10(Math.max(f.area[0], 1)) / 0.25 - 10));
    return [lo, Math.max(lo, Math.min(BIN_COUNT - 1, Math.round(Math.log10(Math.max(f.area[1], 1)) / 0.25 - 10) - 1))];
  };

  const histEl = h('div', { class: 'dock-chart pf-hist', 'data-chart': 'park-sizes' });
  const barsEl = h('div', { class: 'pf-bars', 'data-chart': 'park-districts' });
  const summary = h('p', { class: 'dock-note pf-summary', 'aria-live': 'polite' });
  const reset = h('button', { type: 'button', class: 'dock-export pf-reset', click: () => set(NO_PARK_FILTER) }, zh ? '清除筛选' : 'Clear the filter');
  const modelled = city.datasets.parks.provenance.modelled;
  body.append(
    h(
      'div',
      { class: 'pf-wrap' },
      h('div', { class: 'pf-col' }, h('div', { class: 'pf-title' }, zh ? '公园面积（m²，对数分档）：拖动以选择范围' : 'Park area (m², log bins): drag to choose a range'), histEl),
      h('div', { class: 'pf-col pf-col-bars' }, h('div', { class: 'pf-title' }, zh ? '各区公园数：点击以选择区' : 'Parks per district: click to choose'), barsEl),
    ),
    h('div', { class: 'dock-note dock-note-row' }, summary, reset),
  );

  const hist = renderHistogram(histEl, {
    counts: countsOf(first[0]),
    edgeLabel: (i) => shortArea(binEdge(i)),
    selected: binsOf(s.parkFilter),
    lang: s.lang,
    colour: GREEN,
    label: zh ? '公园面积分布' : 'Distribution of park areas',
    onBrush: (bins) => set({ area: bins ? [Math.round(binEdge(bins[0])), Math.round(binEdge(bins[1] + 1))] : null }),
  });
  const bars = renderBarList(barsEl, {
    items: barsOf(first[1]),
    pressed: s.parkFilter.districts,
    lang: s.lang,
    colour: GREEN,
    label: zh ? '各区公园数' : 'Parks per district',
    unit: zh ? '个' : '',
    onToggle: (id) => {
      const cur = filter().districts;
      set({ districts: cur.includes(id) ? cur.filter((x) => x !== id) : [...cur, id] });
    },
  });
  const describe = (f: ParkFilter, total: number) => {
    reset.disabled = !isFiltering(f);
    const area = f.area ? (zh ? `面积 ${formatNumber(f.area[0], s.lang)}–${formatNumber(f.area[1], s.lang)} m²` : `area ${formatNumber(f.area[0], s.lang)}–${formatNumber(f.area[1], s.lang)} m²`) : '';
    const ds = f.districts.length ? (zh ? `${f.districts.length} 个区` : `${f.districts.length} district${f.districts.length > 1 ? 's' : ''}`) : '';
    const what = [area, ds].filter(Boolean).join(zh ? '，' : ', ');
    summary.textContent = (what ? (zh ? `筛选：${what}；符合 ${formatNumber(total, s.lang)} 个公园。` : `Filter: ${what}; ${formatNumber(total, s.lang)} parks match.`) : zh ? '未筛选：拖动直方图或点击区，地图上的公园随之筛选。' : 'No filter: brush the histogram or click a district, and the parks on the map follow.') + (modelled ? (zh ? '（模拟数据）' : ' (modelled data)') : '');
  };
  const onError = (e: Error) => (summary.textContent = (zh ? '查询失败：' : 'The query failed: ') + e.message);
  const histClient = queryClient(run, (rows) => hist.update(countsOf(rows), binsOf(filter())), onError);
  const barClient = queryClient(run, (rows) => {
    const items = barsOf(rows);
    bars.update(items, filter().districts);
    const f = filter();
    // Parks that pass both filters: the bars under the size filter, summed over the picked districts.
    describe(f, items.filter((i) => !f.districts.length || f.districts.includes(i.id)).reduce((a, i) => a + i.value, 0));
  }, onError);
  describe(s.parkFilter, barsOf(first[1]).filter((i) => !s.parkFilter.districts.length || s.parkFilter.districts.includes(i.id)).reduce((a, i) => a + i.value, 0));

  let last = JSON.stringify(s.parkFilter);
  const unsubscribe = d.store.subscribe((next) => {
    const key = JSON.stringify(next.parkFilter);
    if (key === last) return;
    last = key;
    histClient.request(histogramQuery(parks, next.parkFilter));
    barClient.request(districtQuery(parks, districts, next.parkFilter));
  });
  return {
    destroy() {
      unsubscribe();
      histClient.destroy();
      barClient.destroy();
      hist.destroy();
      bars.destroy();
    },
  };
}
