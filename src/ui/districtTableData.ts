/**
 * The district table's inputs, read once for the dock's table and for its
 * CSV export alike: the coverage model with the drawn parks, restoration to
 * the clock's year, and the share of people in complete 5/10/15-minute
 * circles by the standards' own SQL. The rows are built by
 * ./districtTableRows.ts.
 */
import { coverageModelFor, loadCoverageModel } from '../analysis/coverageModel';
import type { TableRegistry } from '../catalog/tables';
import type { CityDef } from '../catalog/types';
import { quoteIdent } from '../engine/sql';
import type { Engine } from '../engine/types';
import { tableRows } from '../layers/arrowRows';
import { shownCoverage } from '../layers/parkCoverage';
import { clockYear } from '../state/clock';
import type { AppState } from '../state/types';
import { lifeCircleCompletenessSqlExpr } from '../standards/lifeCircleRules';
import { districtTable } from './districtTableRows';

/** Per district and for the city, the share of people in a complete 5/10/15-minute circle. */
async function lifeCircleShares(engine: Engine, tables: TableRegistry, city: CityDef) {
  await tables.ensure(city, 'lifecircle');
  const t = quoteIdent(`${city.id}__lifecircle`);
  const part = (m: 5 | 10 | 15) => `SUM(CASE WHEN ${lifeCircleCompletenessSqlExpr(m)} THEN pop ELSE 0 END)::DOUBLE / NULLIF(SUM(pop), 0) AS s${m}`;
  const rows = tableRows<Record<string, unknown>>(
    await engine.query(`SELECT district, GROUPING(district) AS total, ${part(5)}, ${part(10)}, ${part(15)} FROM ${t} WHERE pop > 0 GROUP BY ROLLUP (district)`),
  );
  const byDistrict = new Map<string, Record<5 | 10 | 15, number>>();
  let cityShares: Record<5 | 10 | 15, number> = { 5: 0, 10: 0, 15: 0 };
  for (const r of rows) {
    const v = { 5: Number(r.s5 ?? 0), 10: Number(r.s10 ?? 0), 15: Number(r.s15 ?? 0) };
    // ROLLUP adds the city's own row (the grand total).
    if (Number(r.total) === 1) cityShares = v;
    else byDistrict.set(String(r.district), v);
  }
  return { byDistrict, city: cityShares };
}

export async function loadDistrictTable(d: { engine: Promise<Engine>; tables: TableRegistry }, city: CityDef, s: AppState) {
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
  const { result, scenario } = shownCoverage(model, s.drawnParks);
  const lifeCircle = city.datasets.lifecircle ? await lifeCircleShares(engine, d.tables, city) : undefined;
  const table = districtTable({ coverage: result, restorationM2, names: model.districtNames, year, withScenario: !!scenario, lang: s.lang, lifeCircle });
  return { engine, table, year, scenario };
}
