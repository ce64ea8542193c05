/**
 * The "data" KPIs of a story slide (story.ts DataMetric): figures computed by
 * the app from the catalog's tables at show time, always flagged `modelled`
 * (the default data is modelled; the callout says so).
 *
 * Tables are the catalog's, named `${cityId}__${dataset}` (catalog/tables.ts
 * tableName); the caller loads the datasets {@link kpiDatasets} lists first.
 * Definitions are the app's own, not second versions of them:
 * - air.goodDayShare / air.pm25Mean: the air cube's city days (HJ 663-2013:
 *   mean of the non-background stations' daily concentrations, daily AQI per
 *   HJ 633-2012; src/air/cube.ts) summarised by periodStats (good day = daily
 *   AQI ≤ 100, share over valid days; PM2.5 = mean of the city's daily means);
 * - lifecircle.share15: the life-circle layer's population share with a
 *   complete 15-minute circle (lifeCircleCompletenessSqlExpr over cells with
 *   pop > 0, as src/layers/lifecircle.ts computes it).
 *
 * `value` is in the metric's unit: shares 0–1, µg/m³, counts, km².
 */
import { loadAirCube, catalogAirSource, type AirCube } from '../../air/cube';
import { addDays, periodStats, type DailyArrays, type PeriodStats } from '../../air/periodStats';
import { tableName } from '../../catalog/tables';
import { quoteIdent } from '../../engine/sql';
import type { Engine } from '../../engine/types';
import { formatNumber } from '../../i18n';
import { lifeCircleCompletenessSqlExpr } from '../../standards/lifeCircleRules';
import { isValidDay } from '../../state/urlCodec';
import type { DataMetric, Text } from './story';

export interface KpiResult {
  value: number;
  text: Text;
  modelled: true;
}

export interface KpiOptions {
  /** CST days, inclusive. Air metrics: the days summarised (default: the data's whole span). Restoration: sites finished in these years. Others ignore it. */
  period?: [string, string];
  /** An air cube of this city already loaded (e.g. the air layer's), to avoid loading the year again. */
  airCube?: AirCube;
}

type Query = Pick<Engine, 'query'>;

const DATASETS: Record<DataMetric, readonly string[]> = {
  'air.goodDayShare': ['stations', 'air_hourly'],
  'air.pm25Mean': ['stations', 'air_hourly'],
  'air.stations': ['stations'],
  'parks.count': ['parks'],
  'parks.areaKm2': ['parks'],
  'restoration.count': ['restoration'],
  'restoration.areaKm2': ['restoration'],
  'lifecircle.share15': ['lifecircle'],
};

/** Catalog dataset ids a metric reads; load them (tableName(city, id)) before {@link computeKpi}. */
export function kpiDatasets(metric: DataMetric): string[] {
  const d = DATASETS[metric];
  if (!d) throw new RangeError(`unknown KPI metric "${String(metric)}"`);
  return [...d];
}

const CITY_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Compute one data KPI for a city. Rejects when the metric is unknown, the
 * period malformed, a table missing, or there is nothing to compute from
 * (e.g. no valid air day in the period): the caller shows a placeholder.
 */
export async function computeKpi(metric: DataMetric, cityId: string, engine: Query, opts: KpiOptions = {}): Promise<KpiResult> {
  if (!(metric in DATASETS)) throw new RangeError(`unknown KPI metric "${String(metric)}"`);
  if (typeof cityId !== 'string' || !CITY_ID.test(cityId)) throw new RangeError('invalid city id');
  const period = opts.period;
  if (period !== undefined && !(Array.isArray(period) && period.length === 2 && isValidDay(period[0]) && isValidDay(period[1]) && period[0] <= period[1])) {
    throw new RangeError('period must be ["YYYY-MM-DD", "YYYY-MM-DD"], first day not after the second');
  }
  const t = (dataset: string) => quoteIdent(tableName(cityId, dataset));

  switch (metric) {
    case 'air.goodDayShare': {
      const s = await airStats(cityId, engine, opts);
      if (s.goodShare === null) throw new Error(`${cityId}: no valid air-quality day in the period`);
      return share(s.goodShare);
    }
    case 'air.pm25Mean': {
      const s = await airStats(cityId, engine, opts);
      if (s.pm25 === null) throw new Error(`${cityId}: no valid PM2.5 day in the period`);
      return result(s.pm25, `${s.pm25.toFixed(1)} µg/m³`);
    }
    case 'air.stations':
      return count(await scalar(engine, `SELECT count(*)::DOUBLE AS v FROM ${t('stations')}`));
    case 'parks.count':
      return count(await scalar(engine, `SELECT count(*)::DOUBLE AS v FROM ${t('parks')}`));
    case 'parks.areaKm2':
      return area(await scalar(engine, `SELECT coalesce(sum(area_m2), 0)::DOUBLE / 1e6 AS v FROM ${t('parks')}`));
    case 'restoration.count':
    case 'restoration.areaKm2': {
      const agg = metric === 'restoration.count' ? 'count(*)::DOUBLE' : 'coalesce(sum(area_m2), 0)::DOUBLE / 1e6';
      const sql = `SELECT ${agg} AS v FROM ${t('restoration')}${period ? ' WHERE year BETWEEN ? AND ?' : ''}`;
      const v = await scalar(engine, sql, period ? [Number(period[0].slice(0, 4)), Number(period[1].slice(0, 4))] : undefined);
      return metric === 'restoration.count' ? count(v) : area(v);
    }
    case 'lifecircle.share15': {
      // The life-circle layer's definition: residents of cells with a complete 15-minute circle / all residents.
      const v = await scalar(
        engine,
        `SELECT (sum(pop) FILTER (WHERE ${lifeCircleCompletenessSqlExpr(15)}))::DOUBLE / nullif(sum(pop), 0)::DOUBLE AS v
         FROM ${t('lifecircle')} WHERE pop > 0`,
      );
      return share(v);
    }
  }
}

async function airStats(cityId: string, engine: Query, opts: KpiOptions): Promise<PeriodStats> {
  const cube = opts.airCube ?? (await loadAirCube(engine, catalogAirSource(tableName(cityId, 'stations'), tableName(cityId, 'air_hourly'))));
  await cube.dailyReady;
  if (cube.days === 0) throw new Error(`${cityId}: no air-quality data`);
  const [from, to] = opts.period ?? [cube.startDay, addDays(cube.startDay, cube.days - 1)];
  return periodStats(cityDailyArrays(cube), from, to);
}

/** The cube's city days in periodStats' shape (as the chart dock builds them). */
export function cityDailyArrays(cube: AirCube): DailyArrays {
  const c = cube.cityDaily;
  return { startDay: cube.startDay, aqi: c.aqi, pm25: c.pm25, pm10: c.pm10, o3_8h: c.o3, no2: c.no2, so2: c.so2, co: c.co };
}

async function scalar(engine: Query, sql: string, params?: unknown[]): Promise<number> {
  const row = (await engine.query(sql, params)).get(0);
  const v = row ? Number(row.v) : Number.NaN;
  if (!Number.isFinite(v)) throw new Error('no value to show');
  return v;
}

const result = (value: number, zh: string, en = zh): KpiResult => ({ value, text: { zh, en }, modelled: true });
/** "93.4%" */
const share = (v: number) => result(v, `${(v * 100).toFixed(1)}%`);
/** "891 个" / "891" */
const count = (v: number) => result(v, `${formatNumber(v, 'zh')} 个`, formatNumber(v, 'en'));
/** "10.8 km²" */
const area = (v: number) => result(v, `${v.toFixed(1)} km²`);
