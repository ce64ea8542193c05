/**
 * The dock's two green-space views: the district table (parks, coverage by
 * both denominators, restoration to the clock's year; sortable, CSV export,
 * a row flies to its district) and restoration per year (d3). Both are
 * clients of DuckDB and of the shared coverage model, and follow the store:
 * drawn parks change the table, the clock's year moves the chart's cursor.
 */
import { URBAN_RESIDENTIAL_DENSITY } from '../analysis/parkCoverage';
import type { TableRegistry } from '../catalog/tables';
import type { Catalog, CityDef } from '../catalog/types';
import { downloadCsv, renderRestorationChart, renderSortableTable, toCsv, type SortState } from '../charts';
import { quoteIdent } from '../engine/sql';
import type { Engine } from '../engine/types';
import { loc } from '../i18n';
import { tableRows } from '../layers/arrowRows';
import { RESTORATION_TYPES } from '../layers/restoration';
import { clockYear, withYear } from '../state/clock';
import type { Store } from '../state/store';
import type { AppState } from '../state/types';
import { loadDistrictTable } from './districtTableData';
import { GB55014_THRESHOLDS } from '../standards/parks';
import { h, rgbaCss } from './dom';

export interface GreenDockDeps {
  store: Store;
  catalog: Catalog;
  engine: Promise<Engine>;
  tables: TableRegistry;
  /** Frame a district: [west, south, east, north]. */
  onFlyTo(bounds: [number, number, number, number]): void;
}

export interface GreenHandle {
  setCursor?(s: AppState): void;
  destroy(): void;
}

// The planner's sort survives rebuilds (a clock year or a drawn park rebuilds the table).
let sort: SortState | null = { key: 'landShare', dir: 'asc' };

async function ensure(d: GreenDockDeps, city: CityDef, datasets: string[]): Promise<Engine> {
  await Promise.all(datasets.map((ds) => d.tables.ensure(city, ds)));
  return d.engine;
}

export async function districtPanel(body: HTMLElement, s: AppState, city: CityDef, d: GreenDockDeps): Promise<GreenHandle> {
  const zh = s.lang === 'zh';
  const { engine, table, year, scenario } = await loadDistrictTable(d, city, s);
  const bounds = new Map<string, [number, number, number, number]>();
  for (const r of tableRows<Record<string, number | string>>(await engine.query(`SELECT id, __xmin, __ymin, __xmax, __ymax FROM ${quoteIdent(`${city.id}__districts`)}`)))
    bounds.set(String(r.id), [Number(r.__xmin), Number(r.__ymin), Number(r.__xmax), Number(r.__ymax)]);

  const modelled = ['parks', 'population', 'restoration'].some((ds) => city.datasets[ds]?.provenance.modelled);
  const cov = `${GB55014_THRESHOLDS.serviceRadiusCoverage.value * 100}%`;
  const pc = `${GB55014_THRESHOLDS.parkGreenPerCapita.value.toFixed(1)} m²`;
  const wrap = h('div', { class: 'dock-districts' });
  const tableEl = h('div', { class: 'dock-table', 'data-chart': 'districts' });
  const exportBtn = h(
    'button',
    {
      type: 'button',
      class: 'dock-export',
      click: () => {
        const note = zh
          ? `注：${loc(city.name, 'zh')}，${modelled ? '模拟数据（Civic Atlas 数据模型），非统计数据' : '数据见目录'}；居住用地以人口密度 ≥ ${URBAN_RESIDENTIAL_DENSITY} 人/km² 的网格近似${scenario ? '；覆盖率含手绘方案公园（假设）' : ''}；标准 GB 55014-2021：覆盖率 > ${cov}，人均 > ${pc}。`
          : `Note: ${loc(city.name, 'en')}; ${modelled ? 'modelled data (Civic Atlas data model), not statistics' : 'see the catalog for sources'}; residential land approximated by cells ≥ ${URBAN_RESIDENTIAL_DENSITY} people/km²${scenario ? '; coverage includes drawn (hypothetical) parks' : ''}; GB 55014-2021: coverage > ${cov}, > ${pc} per person.`;
        downloadCsv(`civic-atlas-${city.id}-districts-${year}${scenario ? '-scenario' : ''}.csv`, toCsv(table.csvHeader, [...table.csvRows, [], [note]]));
      },
    },
    zh ? '导出 CSV' : 'Export CSV',
  );
  const caption = zh
    ? `${loc(city.name, 'zh')}各区公园绿地与生态修复（修复截至${year}年${scenario ? '；覆盖率含方案公园' : ''}${modelled ? '；模拟数据' : ''}）。点击一行定位到该区。`
    : `${loc(city.name, 'en')}: parks and restoration by district (restoration to ${year}${scenario ? '; coverage with drawn parks' : ''}${modelled ? '; modelled data' : ''}). Click a row to fly there.`;
  wrap.append(tableEl);
  const hint = zh
    ? `✓/✗ 对照 GB 55014-2021（覆盖率按居住用地 > ${cov}，人均 > ${pc}）；按人口的覆盖率为参考口径。`
    : `✓/✗ against GB 55014-2021 (coverage by residential land > ${cov}, > ${pc} per person); coverage by population is for reference.`;
  body.append(wrap, h('div', { class: 'dock-note dock-note-row' }, h('span', {}, hint), exportBtn));
  let handle: ReturnType<typeof renderSortableTable> | null = null;
  handle = renderSortableTable(tableEl, {
    columns: table.columns,
    rows: table.rows,
    sort,
    lang: s.lang,
    caption,
    onSort: (next) => {
      sort = next;
      handle?.update({ sort });
    },
    onPick: (id) => {
      const b = bounds.get(id);
      if (b) d.onFlyTo(b);
      handle?.update({ selectedId: id });
    },
  });
  return { destroy: () => handle?.destroy() };
}

export async function restorationPanel(body: HTMLElement, s: AppState, city: CityDef, d: GreenDockDeps): Promise<GreenHandle> {
  const zh = s.lang === 'zh';
  const file = city.datasets.restoration;
  if (!file) {
    body.append(h('div', { class: 'dock-loading' }, zh ? '本市没有生态修复数据。' : 'This city has no restoration data.'));
    return { destroy() {} };
  }
  const engine = await ensure(d, city, ['restoration']);
  const rows = tableRows<{ year: number; type: string; a: number }>(
    await engine.query(`SELECT year, type, SUM(area_m2) AS a FROM ${quoteIdent(`${city.id}__restoration`)} GROUP BY year, type ORDER BY year`),
  ).map((r) => ({ year: Number(r.year), type: String(r.type), areaM2: Number(r.a) }));
  const years: [number, number] = file.years ?? [Math.min(...rows.map((r) => r.year)), Math.max(...rows.map((r) => r.year))];
  const el = h('div', { class: 'dock-chart', 'data-chart': 'restoration' });
  const note = h(
    'div',
    { class: 'dock-note' },
    zh
      ? `按完成年份统计的修复面积${file.provenance.modelled ? '（模拟数据）' : ''}。点击某一年，时间轴切换到逐年并跳到该年。`
      : `Area by year of completion${file.provenance.modelled ? ' (modelled data)' : ''}. Click a year to step the clock by year and go there.`,
  );
  body.append(el, note);
  const chart = renderRestorationChart(el, {
    rows,
    types: Object.entries(RESTORATION_TYPES).map(([id, t]) => ({ id, label: t[s.lang], colour: rgbaCss([t.color[0], t.color[1], t.color[2], 255]) })),
    years,
    cursorYear: clockYear(s.time),
    compareYear: s.compareYear,
    lang: s.lang,
    onPick: (year) => {
      const cur = d.store.get();
      d.store.set({ step: 'year', time: withYear(cur.time, year) });
    },
  });
  return {
    setCursor: (x) => chart.setCursor(clockYear(x.time), x.compareYear),
    destroy: () => chart.destroy(),
  };
}
