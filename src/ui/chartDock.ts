/**
 * The analysis dock under the map: the selected station's series, a calendar
 * of daily AQI, monthly distributions and the four-city comparison. Every
 * chart is a client of the air cubes (one DuckDB load per city) and of the
 * store: brushing sets the period and moves the clock, clicking a day or an
 * hour moves the clock, choosing a station selects it on the map and back.
 * A clock step only moves the cursor of the chart that is open.
 */
import { airCubeFor, airSourceFor, onAirSourcesChange } from '../air/sources';
import type { AirCube } from '../air/cube';
import { addDays, periodStats, type DailyArrays } from '../air/periodStats';
import { CITY_COLOURS, REPORTED_GOOD_DAYS } from '../air/reported';
import { dayStartMs, seriesFor } from '../air/series';
import { periodBoundsMs } from '../air/periodSummary';
import type { Catalog, CityDef } from '../catalog/types';
import type { TableRegistry } from '../catalog/tables';
import type { Engine } from '../engine/types';
import { loc } from '../i18n';
import { renderCalendar, renderCityTable, renderGoodDays, renderMonthly, renderSeriesChart } from '../charts';
import { POLLUTANT_INFO } from '../standards/aqi';
import { clockToUtcMs, clockYear, utcMsToClock } from '../state/clock';
import { districtPanel, restorationPanel } from './greenDock';
import { parkFilterPanel } from './parkFilterPanel';
import type { Store } from '../state/store';
import { cityPatch, DOCK_TABS, type AppState, type DockTab, type Lang } from '../state/types';
import { clear, h } from './dom';

interface Handle {
  setCursor?(s: AppState): void;
  destroy(): void;
}

const TAB_LABEL: Record<DockTab, { zh: string; en: string }> = {
  station: { zh: '站点序列', en: 'Station series' },
  calendar: { zh: '日历', en: 'Calendar' },
  monthly: { zh: '逐月分布', en: 'By month' },
  cities: { zh: '四城对比', en: 'Four cities' },
  districts: { zh: '各区公园', en: 'Districts' },
  parkfilter: { zh: '公园筛选', en: 'Park filter' },
  restoration: { zh: '修复进程', en: 'Restoration' },
};
/** Tabs in two groups: air quality, then parks and restoration. */
const GREEN_TABS: readonly DockTab[] = ['districts', 'parkfilter', 'restoration'];

export interface ChartDockDeps {
  root: HTMLElement;
  store: Store;
  catalog: Catalog;
  engine: Promise<Engine>;
  tables: TableRegistry;
  airLayerId: string;
  /** Frames a district (the district table's rows). */
  onFlyTo(bounds: [number, number, number, number]): void;
}

export function createChartDock(d: ChartDockDeps): { update(s: AppState): void; idle(): Promise<void> } {
  const head = h('div', { class: 'dock-head' });
  const body = h('div', { class: 'dock-body' });
  d.root.append(head, body);
  let chart: Handle | null = null;
  let shapeKey = '';
  let seq = 0;

  const cityOf = (id: string): CityDef => d.catalog.cities.find((c) => c.id === id)!;
  async function cubeOf(cityId: string): Promise<AirCube> {
    if (airSourceFor(cityId).kind === 'catalog') {
      const c = cityOf(cityId);
      await Promise.all(['stations', 'air_hourly'].map((ds) => d.tables.ensure(c, ds)));
    }
    // Asked after the tables: loading other years of a remote store changes the source's key.
    return airCubeFor(airSourceFor(cityId), await d.engine);
  }
  const stationIndex = (cube: AirCube, s: AppState): number | null => {
    const id = s.selection?.layer === d.airLayerId ? s.selection.id : null;
    const i = id === null ? -1 : cube.stations.findIndex((x) => x.id === id);
    return i < 0 ? null : i;
  };
  const periodOf = (cube: AirCube, s: AppState): [string, string] => s.period ?? [cube.startDay, addDays(cube.startDay, cube.days - 1)];

  function renderHead(s: AppState, cube: AirCube | null): void {
    clear(head);
    const zh = s.lang === 'zh';
    const tabs = h('div', { class: 'dock-tabs', role: 'tablist', 'aria-label': zh ? '分析图表' : 'Analysis charts' });
    for (const t of DOCK_TABS) {
      if (t === GREEN_TABS[0]) tabs.append(h('span', { class: 'dock-tab-sep', 'aria-hidden': 'true' }));
      tabs.append(
        h('button', { type: 'button', role: 'tab', 'aria-selected': String(s.dock === t), 'data-tab': t, click: () => d.store.set({ dock: d.store.get().dock === t ? null : t }) }, loc(TAB_LABEL[t], s.lang)),
      );
    }
    head.append(tabs);
    if (cube && (s.dock === 'station' || s.dock === 'calendar')) {
      const current = stationIndex(cube, s);
      const sel = h(
        'select',
        {
          class: 'dock-station',
          'aria-label': zh ? '站点' : 'Station',
          change: (e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            d.store.set({ selection: v ? { layer: d.airLayerId, id: v } : null });
          },
        },
        h('option', { value: '' }, zh ? '全市（非对照点均值）' : 'City (mean of non-background stations)'),
        ...cube.stations.map((st, i) => {
          const o = h('option', { value: st.id }, st.background ? `${st.name}（${zh ? '对照点' : 'background'}）` : st.name);
          o.selected = i === current;
          return o;
        }),
      );
      head.append(sel);
    }
    if (s.dock) head.append(h('button', { type: 'button', class: 'dock-close', 'aria-label': zh ? '收起图表' : 'Close charts', click: () => d.store.set({ dock: null }) }, '▾'));
  }

  let building: Promise<void> = Promise.resolve();
  function rebuild(s: AppState): Promise<void> {
    building = build(s);
    return building;
  }
  async function build(s: AppState): Promise<void> {
    const my = ++seq;
    chart?.destroy();
    chart = null;
    clear(body);
    d.root.classList.toggle('open', s.dock !== null);
    renderHead(s, null);
    if (!s.dock) return;
    const zh = s.lang === 'zh';
    const loading = GREEN_TABS.includes(s.dock)
      ? zh ? '正在计算…' : 'Computing…'
      : s.dock === 'station' || s.dock === 'calendar' ? (zh ? '正在读取监测数据…' : 'Reading the readings…') : zh ? '正在读取四个城市的数据…' : 'Reading all four cities…';
    body.append(h('div', { class: 'dock-loading' }, loading));
    try {
      if (GREEN_TABS.includes(s.dock)) {
        const holder = h('div', { class: 'dock-green' });
        const deps = { store: d.store, catalog: d.catalog, engine: d.engine, tables: d.tables, onFlyTo: d.onFlyTo };
        const made = await (s.dock === 'districts' ? districtPanel : s.dock === 'parkfilter' ? parkFilterPanel : restorationPanel)(holder, s, cityOf(s.city), deps);
        if (my !== seq) return made.destroy();
        clear(body);
        body.append(...holder.childNodes);
        chart = made;
      } else if (s.dock === 'station' || s.dock === 'calendar') {
        const cube = await cubeOf(s.city);
        if (s.dock === 'calendar' || s.step === 'day') await cube.dailyReady;
        if (my !== seq) return;
        renderHead(s, cube);
        clear(body);
        chart = s.dock === 'station' ? stationChart(cube, s) : calendarChart(cube, s);
      } else {
        const ids = d.catalog.cities.filter((c) => c.datasets.air_hourly).map((c) => c.id);
        const cubes = await Promise.all(ids.map(async (id) => {
          const c = await cubeOf(id);
          await c.dailyReady;
          return c;
        }));
        if (my !== seq) return;
        clear(body);
        chart = s.dock === 'monthly' ? monthlyChart(ids, cubes, s) : citiesChart(ids, cubes, s);
      }
    } catch (e) {
      if (my !== seq) return;
      clear(body);
      body.append(h('div', { class: 'dock-error', role: 'alert' }, `${zh ? '图表无法加载：' : 'Charts could not load: '}${(e as Error).message}`));
    }
  }

  function stationChart(cube: AirCube, s: AppState): Handle {
    const spec = seriesFor(cube, stationIndex(cube, s), s.pollutant, s.step, s.lang);
    const el = h('div', { class: 'dock-chart', 'data-chart': 'series' });
    body.append(el);
    const cursorOf = (x: AppState) => (x.step === 'day' ? dayStartMs(x.time.slice(0, 10)) : clockToUtcMs(x.time));
    // The kept period, drawn as the brush again (whole days: the period is in days).
    const p = d.store.get().period;
    const brushed: [number, number] | null = p ? (s.step === 'day' ? [dayStartMs(p[0]), dayStartMs(p[1])] : periodBoundsMs(p[0], p[1])) : null;
    const handle = renderSeriesChart(el, {
      ...spec,
      cursorMs: cursorOf(d.store.get()),
      brushed,
      lang: s.lang,
      // A brushed period filters the map too: the stations show their means over it (a DuckDB query in the air layer).
      onBrush: (a, b) => {
        const from = utcMsToClock(a);
        const to = utcMsToClock(b);
        d.store.set({ period: [from.slice(0, 10), to.slice(0, 10)], airMap: 'period', time: d.store.get().step === 'day' ? `${from.slice(0, 10)}${d.store.get().time.slice(10)}` : from });
      },
      onPick: (ms) => {
        const t = utcMsToClock(ms);
        d.store.set({ time: d.store.get().step === 'day' ? `${t.slice(0, 10)}${d.store.get().time.slice(10)}` : t });
      },
    });
    return { setCursor: (x) => handle.setCursor(cursorOf(x)), destroy: () => handle.destroy() };
  }

  function calendarChart(cube: AirCube, s: AppState): Handle {
    const i = stationIndex(cube, s);
    const n = cube.stations.length;
    const values = i === null ? cube.cityDaily.aqi : Float32Array.from({ length: cube.days }, (_, k) => cube.daily.aqi[k * n + i]!);
    const el = h('div', { class: 'dock-chart', 'data-chart': 'calendar' });
    body.append(el);
    const handle = renderCalendar(el, {
      startDay: cube.startDay,
      values,
      cursorDay: d.store.get().time.slice(0, 10),
      lang: s.lang,
      onPick: (day) => d.store.set({ time: `${day}${d.store.get().time.slice(10)}` }),
    });
    return { setCursor: (x) => handle.setCursor(x.time.slice(0, 10)), destroy: () => handle.destroy() };
  }

  function monthlyChart(ids: string[], cubes: AirCube[], s: AppState): Handle {
    const metric = s.pollutant;
    const el = h('div', { class: 'dock-chart', 'data-chart': 'monthly' });
    body.append(el);
    const label = metric === 'aqi' ? (s.lang === 'zh' ? '日 AQI' : 'Daily AQI') : `${POLLUTANT_INFO[metric].symbol} (${POLLUTANT_INFO[metric].unit})`;
    return renderMonthly(el, {
      series: ids.map((id, k) => ({ id, name: loc(cityOf(id).name, s.lang), colour: CITY_COLOURS[id] ?? '#888', startDay: cubes[k]!.startDay, values: cubes[k]!.cityDaily[metric] })),
      label,
      lang: s.lang,
    });
  }

  function citiesChart(ids: string[], cubes: AirCube[], s: AppState): Handle {
    const rows = ids.map((id, k) => {
      const c = cubes[k]!;
      const arrays: DailyArrays = { startDay: c.startDay, aqi: c.cityDaily.aqi, pm25: c.cityDaily.pm25, pm10: c.cityDaily.pm10, o3_8h: c.cityDaily.o3, no2: c.cityDaily.no2, so2: c.cityDaily.so2, co: c.cityDaily.co };
      const [from, to] = periodOf(c, s);
      return { id, name: loc(cityOf(id).name, s.lang), stats: periodStats(arrays, from, to), kind: airSourceFor(id).kind };
    });
    const wrap = h('div', { class: 'dock-cities' });
    const left = h('div', { class: 'dock-chart', 'data-chart': 'gooddays' });
    const right = h('div', { class: 'dock-table', 'data-chart': 'citytable' });
    const [from, to] = periodOf(cubes[0]!, s);
    const note = h(
      'div',
      { class: 'dock-note' },
      s.lang === 'zh'
        ? `时段 ${from} 至 ${to}；城市日值为非对照点站点日均值的平均（HJ 663-2013）。${rows.some((r) => r.kind === 'catalog') ? '默认数据为模拟数据。' : ''}`
        : `Period ${from} to ${to}; a city's day is the mean of its non-background stations (HJ 663-2013).${rows.some((r) => r.kind === 'catalog') ? ' The default data is modelled.' : ''}`,
    );
    wrap.append(left, right);
    body.append(wrap, note);
    const pick = (id: string) => d.store.set(cityPatch(id));
    const g = renderGoodDays(left, {
      rows: rows.map((r) => {
        const rep = REPORTED_GOOD_DAYS.find((x) => x.cityId === r.id);
        return {
          id: r.id,
          name: r.name,
          share: r.stats.goodShare,
          goodDays: r.stats.goodDays,
          validDays: r.stats.validDays,
          reported: rep ? { share: rep.goodDayShare, note: `${rep.quote} — ${rep.source}` } : undefined,
        };
      }),
      lang: s.lang,
      selectedId: s.city,
      onPick: pick,
    });
    const t = renderCityTable(right, { rows: rows.map((r) => ({ id: r.id, name: r.name, stats: r.stats })), lang: s.lang, selectedId: s.city, onPick: pick });
    return {
      destroy: () => {
        g.destroy();
        t.destroy();
      },
    };
  }

  onAirSourcesChange(() => {
    shapeKey = '';
    update(d.store.get());
  });

  let lastTime = '';
  let lastCompare: number | null = null;
  function update(s: AppState): void {
    const period = s.dock === 'cities' ? s.period : null;
    const cursorOnly = s.dock === 'station' || s.dock === 'calendar' ? [s.step] : [];
    // Everything but the clock changes what is drawn; the clock only moves the cursor.
    // The district table shows restoration to the clock's year and coverage with the drawn parks.
    const green = s.dock === 'districts' ? [clockYear(s.time), s.drawnParks] : [];
    const key = JSON.stringify([s.dock, s.city, s.lang, s.pollutant, s.dock === 'station' || s.dock === 'calendar' ? s.selection : null, period, cursorOnly, s.dock === 'monthly' ? s.pollutant : null, green]);
    if (key !== shapeKey) {
      shapeKey = key;
      lastTime = s.time;
      void rebuild(s);
    } else if (s.time !== lastTime || s.compareYear !== lastCompare) {
      lastTime = s.time;
      chart?.setCursor?.(s);
    }
    lastCompare = s.compareYear;
  }
  return {
    update,
    /** Resolves once the open chart has drawn (or failed): tests and screenshots wait for it. */
    async idle() {
      for (let b = building; ; b = building) {
        await b;
        if (b === building) return;
      }
    },
  };
}

export type { Lang };
