/**
 * The green dock's district table as CSV, without the dock being open: the
 * same inputs (coverage model with the drawn parks, restoration to the
 * clock's year, life-circle shares by the standards' SQL) and the same row
 * builder (ui/districtTableRows.ts), so the file equals the dock's export.
 * The reads are ui/districtTableData.ts, shared with the dock.
 */
import { URBAN_RESIDENTIAL_DENSITY } from '../analysis/parkCoverage';
import type { TableRegistry } from '../catalog/tables';
import type { Catalog } from '../catalog/types';
import { toCsv } from '../charts/csv';
import type { Engine } from '../engine/types';
import { loc } from '../i18n';
import type { AppState } from '../state/types';
import { loadDistrictTable } from '../ui/districtTableData';
import { exportFileName } from './compose';

export interface DistrictDeps {
  catalog: Catalog;
  engine: Promise<Engine>;
  tables: TableRegistry;
}

export async function districtCsv(d: DistrictDeps, s: AppState): Promise<{ filename: string; csv: string }> {
  const city = d.catalog.cities.find((c) => c.id === s.city) ?? d.catalog.cities[0]!;
  const zh = s.lang === 'zh';
  const { table, year, scenario } = await loadDistrictTable(d, city, s);
  const used = ['parks', 'population', 'restoration'].flatMap((ds) => (city.datasets[ds] ? [[ds, city.datasets[ds]!.provenance] as const] : []));
  const sources = used.map(([ds, p]) => `${ds}: ${p.source}, ${p.license}, ${p.vintage}${p.modelled ? (zh ? '，模拟数据' : ', modelled') : ''}`).join(zh ? '；' : '; ');
  const note = zh
    ? `注：${loc(city.name, 'zh')}；数据来源：${sources}；居住用地以人口密度 ≥ ${URBAN_RESIDENTIAL_DENSITY} 人/km² 的网格近似${scenario ? '；覆盖率含手绘方案公园（假设）' : ''}；对照 GB 55014-2021。`
    : `Note: ${loc(city.name, 'en')}; sources: ${sources}; residential land approximated by cells ≥ ${URBAN_RESIDENTIAL_DENSITY} people/km²${scenario ? '; coverage includes drawn (hypothetical) parks' : ''}; against GB 55014-2021.`;
  return {
    filename: exportFileName({ city: city.id, what: ['districts'], time: String(year), suffix: scenario ? 'scenario' : undefined, ext: 'csv' }),
    csv: toCsv(table.csvHeader, [...table.csvRows, [], [note]]),
  };
}
