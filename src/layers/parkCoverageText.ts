/**
 * Words for park service-radius coverage: class labels, GB 55014-2021 checks
 * and the summaries the legend, tooltip and scenario panel show. Every share
 * names its denominator (residential land or population).
 */
import { COVERED_300, COVERED_500, type CoverageResult, type Summary } from '../analysis/parkCoverage';
import { formatNumber } from '../i18n';
import type { Lang } from '../state/types';
import { checkGB55014, COVERAGE_DENOMINATORS, GB55014_THRESHOLDS, PARK_SERVICE_RADII } from '../standards/parks';
import type { Description } from './types';

const rule500 = PARK_SERVICE_RADII.find((r) => r.maxAreaM2 === null)!;
const rule300 = PARK_SERVICE_RADII.find((r) => r.maxAreaM2 !== null)!;

export interface CellFacts {
  cellId: string;
  pop: number;
  cls: number;
  /** Brought into coverage by drawn parks. */
  fromScenario: boolean;
  district: string;
  districtName: string;
  summary: Summary | null;
}

export const pct = (v: number | null, lang: Lang) => (v === null ? '–' : `${formatNumber(v * 100, lang, 1)}%`);
const flag = (pass: boolean | null) => (pass === null ? '' : pass ? ' ✓' : ' ✗');

export function classLabel(cls: number, lang: Lang): string {
  const zh = lang === 'zh';
  const n = (v: number) => formatNumber(v, lang);
  if (cls === COVERED_500)
    return zh ? `${rule500.radiusM} 米内有公园（≥ ${n(rule500.minAreaM2)} m²）` : `Park within ${rule500.radiusM} m (≥ ${n(rule500.minAreaM2)} m²)`;
  if (cls === COVERED_300)
    return zh
      ? `仅 ${rule300.radiusM} 米内有绿地（${n(rule300.minAreaM2)}–${n(rule300.maxAreaM2!)} m²）`
      : `Only green within ${rule300.radiusM} m (${n(rule300.minAreaM2)}–${n(rule300.maxAreaM2!)} m²)`;
  return zh ? '服务半径外（缺口）' : 'Outside every service radius (gap)';
}

/** GB 55014-2021 thresholds as text: "80%" and "8.0 m²". */
export function thresholdTexts(lang: Lang): { covT: string; pcT: string } {
  return {
    covT: `${formatNumber(GB55014_THRESHOLDS.serviceRadiusCoverage.value * 100, lang)}%`,
    pcT: `${GB55014_THRESHOLDS.parkGreenPerCapita.value.toFixed(1)} m²`,
  };
}

/** Coverage by both denominators and park area per person, each flagged against GB 55014-2021. */
export function summaryText(s: Summary, lang: Lang): string {
  const zh = lang === 'zh';
  const popPass = checkGB55014('serviceRadiusCoverage', s.popShare).pass;
  const perPerson = s.parkM2PerPerson === null ? '–' : `${formatNumber(s.parkM2PerPerson, lang, 1)} m²`;
  const { covT, pcT } = thresholdTexts(lang);
  return zh
    ? `按居住用地 ${pct(s.landShare, lang)}${flag(s.meetsCoverage)}，按人口 ${pct(s.popShare, lang)}${flag(popPass)}（GB 55014 > ${covT}）；人均公园绿地 ${perPerson}${flag(s.meetsPerCapita)}（GB 55014 > ${pcT}）`
    : `by residential land ${pct(s.landShare, lang)}${flag(s.meetsCoverage)}, by population ${pct(s.popShare, lang)}${flag(popPass)} (GB 55014 > ${covT}); park area per person ${perPerson}${flag(s.meetsPerCapita)} (GB 55014 > ${pcT})`;
}


/** m² as ha or km² as fits, e.g. "3,200 m²", "1.2 ha". */
export function formatArea(m2: number, lang: Lang): string {
  if (m2 < 10_000) return `${formatNumber(Math.round(m2), lang)} m²`;
  if (m2 < 1_000_000) return `${formatNumber(m2 / 10_000, lang, 2)} ha`;
  return `${formatNumber(m2 / 1e6, lang, 2)} km²`;
}

export function describeCell(c: CellFacts, lang: Lang): Description {
  const zh = lang === 'zh';
  const rows: [string, string][] = [
    [zh ? '本网格' : 'This cell', classLabel(c.cls, lang) + (c.fromScenario ? (zh ? '（由方案新增）' : ' (added by the scenario)') : '')],
    [zh ? '人口' : 'Population', formatNumber(c.pop, lang)],
  ];
  const s = c.summary;
  const districtName = c.districtName;
  if (s) {
    const { covT, pcT } = thresholdTexts(lang);
    const popPass = checkGB55014('serviceRadiusCoverage', s.popShare).pass;
    rows.push(
      [zh ? `${districtName}覆盖率（按居住用地）` : `${districtName} coverage, by residential land`, `${pct(s.landShare, lang)}${flag(s.meetsCoverage)}`],
      [zh ? `${districtName}覆盖率（按人口）` : `${districtName} coverage, by population`, `${pct(s.popShare, lang)}${flag(popPass)}`],
      [
        zh ? `${districtName}${GB55014_THRESHOLDS.parkGreenPerCapita.name.zh}` : `${districtName} ${GB55014_THRESHOLDS.parkGreenPerCapita.name.en.toLowerCase()}`,
        `${s.parkM2PerPerson === null ? '–' : `${formatNumber(s.parkM2PerPerson, lang, 1)} m²`}${flag(s.meetsPerCapita)}`,
      ],
      [zh ? 'GB 55014-2021 标准' : 'GB 55014-2021', zh ? `覆盖率 > ${covT}，人均 > ${pcT}` : `coverage > ${covT}, per person > ${pcT}`],
      [zh ? '覆盖率口径' : 'Denominators', `${COVERAGE_DENOMINATORS.residential_land[lang]}${zh ? '；' : '; '}${COVERAGE_DENOMINATORS.population[lang]}`],
    );
  }
  return { title: zh ? `网格 ${c.cellId}` : `Cell ${c.cellId}`, subtitle: districtName, rows };
}

/** How drawn parks change coverage: the city, then the districts they touch, before → after. */
export function scenarioDelta(
  before: CoverageResult,
  after: CoverageResult,
  drawn: { areaM2: number; radiusM: number | null; district: string }[],
  names: Map<string, { zh: string; en: string }>,
  lang: Lang,
): string[] {
  const zh = lang === 'zh';
  const pp = (a: number | null, b: number | null) => {
    if (a === null || b === null) return '';
    const d = (b - a) * 100;
    const s = `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(Math.abs(d) < 0.1 && d !== 0 ? 2 : 1)}`;
    return zh ? `（${s} 个百分点）` : ` (${s} points)`;
  };
  const pc = (v: number | null) => (v === null ? '–' : `${formatNumber(v, lang, 2)} m²`);
  const shares = (b: Summary, a: Summary) =>
    zh
      ? `覆盖率按居住用地 ${pct(b.landShare, lang)} → ${pct(a.landShare, lang)}${pp(b.landShare, a.landShare)}，按人口 ${pct(b.popShare, lang)} → ${pct(a.popShare, lang)}${pp(b.popShare, a.popShare)}`
      : `coverage by residential land ${pct(b.landShare, lang)} → ${pct(a.landShare, lang)}${pp(b.landShare, a.landShare)}, by population ${pct(b.popShare, lang)} → ${pct(a.popShare, lang)}${pp(b.popShare, a.popShare)}`;
  const area = drawn.reduce((s, d) => s + d.areaM2, 0);
  const uncounted = drawn.filter((d) => d.radiusM === null).length;
  const lines = [
    zh
      ? `方案（假设）：新增公园 ${drawn.length} 处，共 ${formatArea(area, lang)}${uncounted ? `，其中 ${uncounted} 处小于 ${formatNumber(rule300.minAreaM2, lang)} m² 不计入覆盖` : ''}`
      : `Scenario (hypothetical): ${drawn.length} new park${drawn.length > 1 ? 's' : ''}, ${formatArea(area, lang)}${uncounted ? `; ${uncounted} under ${formatNumber(rule300.minAreaM2, lang)} m² do not count for coverage` : ''}`,
    `${zh ? '全市' : 'City'}: ${shares(before.city, after.city)}; ${zh ? '人均公园绿地' : 'park area per person'} ${pc(before.city.parkM2PerPerson)} → ${pc(after.city.parkM2PerPerson)}`.replace(': ', zh ? '：' : ': ').replace('; ', zh ? '；' : '; '),
  ];
  // The districts the drawn parks stand in or reach, most changed first.
  const touched = [...after.byDistrict.entries()]
    .map(([id, a]) => ({ id, a, b: before.byDistrict.get(id) }))
    .filter((x) => x.b && (x.a.coveredPop !== x.b.coveredPop || drawn.some((d) => d.district === x.id)))
    .sort((x, y) => y.a.coveredPop - y.b!.coveredPop - (x.a.coveredPop - x.b!.coveredPop));
  for (const x of touched.slice(0, 3)) lines.push(`${names.get(x.id)?.[lang] ?? x.id}${zh ? '：' : ': '}${shares(x.b!, x.a)}`);
  return lines;
}
