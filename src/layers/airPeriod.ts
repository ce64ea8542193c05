/**
 * The air layer over a brushed period rather than at the clock: each station
 * coloured by its mean hourly index over the period and labelled with its
 * mean value, from one DuckDB query (air/periodSummary.ts). The legend and
 * the tooltip say that these are means of hourly values, not a compliance
 * assessment.
 */
import type { AirCube, AirSource } from '../air/cube';
import { periodFrame, periodSummaryQuery, type PeriodFrame, type PeriodRow } from '../air/periodSummary';
import { formatNumber } from '../i18n';
import { POLLUTANT_INFO, aqiLevel } from '../standards/aqi';
import type { AppState, Lang } from '../state/types';
import { tableRows } from './arrowRows';
import type { Description, RunQuery } from './types';

/** The period the map shows, or null when it shows the clock. */
export function shownPeriod(s: Pick<AppState, 'airMap' | 'period' | 'step'>): [string, string] | null {
  return s.airMap === 'period' && s.period && s.step !== 'year' ? s.period : null;
}

export async function loadPeriod(cube: AirCube, source: AirSource, s: AppState, query: RunQuery): Promise<PeriodFrame | null> {
  const p = shownPeriod(s);
  if (!p) return null;
  const rows = tableRows<PeriodRow>(await query(periodSummaryQuery(source, s.pollutant, p[0], p[1])));
  return periodFrame(cube.stations.map((st) => st.id), rows, s.pollutant, p[0], p[1]);
}

export function periodTitle(f: PeriodFrame, lang: Lang): string {
  const zh = lang === 'zh';
  const span = zh ? `${f.from} 至 ${f.to}` : `${f.from} to ${f.to}`;
  if (f.metric === 'aqi') return zh ? `时段平均小时 AQI（${span}）` : `Mean hourly AQI, ${span}`;
  const { symbol, unit } = POLLUTANT_INFO[f.metric];
  return zh ? `${symbol} 时段均值（${unit}，${span}），按平均分指数着色` : `${symbol} mean (${unit}), ${span}, coloured by its mean IAQI`;
}

export const periodNote = (lang: Lang) =>
  lang === 'zh'
    ? '各站点该时段小时值的平均（DuckDB 查询），不是 GB 3095 的达标评价'
    : 'Means of each station’s hourly values over the period (a DuckDB query); not a GB 3095 compliance assessment';

export function describePeriod(f: PeriodFrame, s: number, name: string, id: string, lang: Lang): Description {
  const zh = lang === 'zh';
  const mean = f.mean[s]!;
  const unit = f.metric === 'aqi' ? '' : ` ${POLLUTANT_INFO[f.metric].unit}`;
  const what = f.metric === 'aqi' ? (zh ? '平均小时 AQI' : 'Mean hourly AQI') : `${POLLUTANT_INFO[f.metric].symbol} ${zh ? '均值' : 'mean'}`;
  const idx = f.idx[s]!;
  const level = Number.isFinite(idx) ? aqiLevel(idx) : null;
  return {
    title: name,
    subtitle: `${f.from} – ${f.to} · ${Number.isFinite(mean) ? `${what} ${formatNumber(mean, lang, f.metric === 'co' ? 2 : 0)}${unit}` : zh ? '时段内无读数' : 'no reading in the period'}${level ? ` · ${level.name[lang]}` : ''}`,
    rows: [
      [zh ? '有读数的小时' : 'Hours with a reading', `${formatNumber(f.hours[s]!, lang)} / ${formatNumber(f.totalHours, lang)}`],
      [zh ? 'AQI > 100（污染）的小时' : 'Hours with AQI > 100 (polluted)', formatNumber(f.polluted[s]!, lang)],
      [zh ? '站点编号' : 'Station', id],
      [zh ? '说明' : 'Note', periodNote(lang)],
    ],
  };
}
