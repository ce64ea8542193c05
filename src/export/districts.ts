/**
 * The green dock's district table as CSV, without the dock being open: the
 * same inputs (coverage model with the drawn parks, restoration to the
 * clock's year, life-circle shares by the standards' SQL) and the same row
 * builder (ui/districtTableRows.ts), so the file equals the dock's export.
 * The reads mirror ui/greenDock.ts `districtPanel`; both take their rows
 * from `districtTable`.
 */
import { coverageModelFor, loadCoverageModel } from '../analysis/coverageModel';
import { URBAN_RESIDENTIAL_DENSITY } from '../analysis/parkCoverage';
import type { TableRegistry } from '../catalog/tables';
import type { Catalog } from '../catalog/types';
import { toCsv } from '../charts/csv';
import { quoteIdent } from '../engine/sql';
import type { Engine } from '../engine/types';
import { loc } from '../i18n';
import { tableRows } from '../layers/arrowRows';
import { shownCoverage } from '../layers/parkCoverage';
import { clockYear } from '../state/clock';
import type { AppState } from '../state/types';
import { lifeCircleCompletenessSqlExpr } from '../standards/lifeCircleRules';
import { districtTable } from '../ui/districtTableRows';
import { exportFileName } from './compose';

export interface DistrictDeps {
  catalog: Catalog;
  engine: Promise<Engine>;
  tables: TableRegistry;
}

export async function districtCsv(d: DistrictDeps, s: AppState): Promise<{ filename: string; csv: string }> {
  const city = d.catalog.cities.find((c) => c.id === s.city) ?? d.catalog.cities[0]!;
  const zh = s.lang === 'zh';
  const hasRestoration = !!city.datasets.restoration;
  await Promise.all(['parks', 'population', 'districts', ...(hasRestoration ? ['restoration'] : [])].map((ds) => d.tables.ensure(city, ds)));
  const engine = await d.engine;
  const t = (ds: string) => `${city.id}__${ds}`;
  const query = (q: { sql: string; params?: unknown[] }) => engine.query(q.sql, q.params);
  const model = await coverageModelFor(city.id, () => loadCoverageModel(query, { parks: t('parks'), population: t('population'), districts: t('districts') }));
  const year = clockYear(s.time);
  const restorationM2 = new Map<string, number>();
  if (hasRestoration) {
    const r = await engine.query(`SELECT district, SUM(area_m2) AS a FROM ${quoteIdent(t('restoration'))} WHERE year <= ? GROUP BY district`, [year]);
    for (const row of tableRows<{ district: string; a: number }>(r)) restorationM2.set(String(row.district), Number(row.a));
  }
  let lifeCircle: Parameters<typeof districtTable>[0]['lifeCircle'];
  if (city.datasets.lifecircle) {
    await d.tables.ensure(city, 'lifecircle');
    const part = (m: 5 | 10 | 15) => `SUM(CASE WHEN ${lifeCircleCompletenessSqlExpr(m)} THEN pop ELSE 0 END)::DOUBLE / NULLIF(SUM(pop), 0) AS s${m}`;
    const rows = tableRows<Record<string, unknown>>(
      await engine.query(`SELECT district, GROUPING(district) AS total, ${part(5)}, ${part(10)}, ${part(15)} FROM ${quoteIdent(t('lifecircle'))} WHERE pop > 0 GROUP BY ROLLUP (district)`),
    );
    const byDistrict = new Map<string, Record<5 | 10 | 15, number>>();
    let cityShares: Record<5 | 10 | 15, number> = { 5: 0, 10: 0, 15: 0 };
    for (const r of rows) {
      const v = { 5: Number(r.s5 ?? 0), 10: Number(r.s10 ?? 0), 15: Number(r.s15 ?? 0) };
      if (Number(r.total) === 1) cityShares = v;
      else byDistrict.set(String(r.district), v);
    }
    lifeCircle = { byDistrict, city: cityShares };
  }
  const { result, scenario } = shownCoverage(model, s.drawnParks);
  const table = districtTable({ coverage: result, restorationM2, names: model.districtNames, year, withScenario: !!scenario, lang: s.lang, lifeCircle });
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
