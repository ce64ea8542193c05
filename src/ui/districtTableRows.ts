/**
 * The district table of parks and restoration: one row per district plus the
 * city, with park area, area per person, coverage by both denominators (each
 * judged against GB 55014-2021) and restoration area to the clock's year.
 * The same rows feed the on-screen table and its CSV export (raw numbers,
 * units in the headers).
 */
import type { CoverageResult, Summary } from '../analysis/parkCoverage';
import type { TableColumn, TableRow } from '../charts/sortableTable';
import type { CsvValue } from '../charts/csv';
import { formatNumber } from '../i18n';
import type { Lang } from '../state/types';
import { checkGB55014, GB55014_THRESHOLDS } from '../standards/parks';

export interface DistrictTableInput {
  coverage: CoverageResult;
  /** district id → restoration area completed by the year, m². */
  restorationM2: Map<string, number>;
  names: Map<string, { zh: string; en: string }>;
  year: number;
  /** Coverage includes drawn (hypothetical) parks. */
  withScenario: boolean;
  /** Share of population in a complete 5/10/15-minute life circle, per district and for the city (the data's own, without added facilities). */
  lifeCircle?: { byDistrict: Map<string, Record<5 | 10 | 15, number>>; city: Record<5 | 10 | 15, number> };
  lang: Lang;
}

export interface DistrictTable {
  columns: TableColumn[];
  rows: TableRow[];
  csvHeader: string[];
  csvRows: CsvValue[][];
}

const KEYS = ['name', 'pop', 'park', 'perPerson', 'landShare', 'popShare', 'restoration'] as const;

export function districtTable(p: DistrictTableInput): DistrictTable {
  const zh = p.lang === 'zh';
  const cov = `${formatNumber(GB55014_THRESHOLDS.serviceRadiusCoverage.value * 100, p.lang)}%`;
  const pc = `${GB55014_THRESHOLDS.parkGreenPerCapita.value.toFixed(1)} m²`;
  const sc = p.withScenario ? (zh ? '，含方案' : ', with scenario') : '';
  const labels: Record<(typeof KEYS)[number], [string, string]> = zh
    ? {
        name: ['区', '区'],
        pop: ['人口', '人口（人）'],
        park: ['公园面积', '公园绿地面积（公顷）'],
        perPerson: ['人均公园', '人均公园绿地（m²/人）'],
        landShare: [`覆盖率·居住用地${sc}`, `服务半径覆盖率·按居住用地（%）`],
        popShare: [`覆盖率·人口${sc}`, `服务半径覆盖率·按人口（%）`],
        restoration: [`修复面积（至${p.year}年）`, `生态修复面积·至${p.year}年（公顷）`],
      }
    : {
        name: ['District', 'District'],
        pop: ['Population', 'Population (people)'],
        park: ['Park area', 'Park green space (ha)'],
        perPerson: ['Park per person', 'Park green space per person (m²)'],
        landShare: [`Coverage · land${sc}`, 'Service-radius coverage by residential land (%)'],
        popShare: [`Coverage · people${sc}`, 'Service-radius coverage by population (%)'],
        restoration: [`Restored to ${p.year}`, `Restoration area to ${p.year} (ha)`],
      };
  const titles: Partial<Record<(typeof KEYS)[number], string>> = {
    perPerson: zh ? `GB 55014-2021：> ${pc}` : `GB 55014-2021: > ${pc}`,
    landShare: zh ? `被服务的居住用地 ÷ 居住用地；GB 55014-2021：> ${cov}` : `Covered residential land ÷ residential land; GB 55014-2021: > ${cov}`,
    popShare: zh ? '被服务的人口 ÷ 人口（参考口径）' : 'People within reach ÷ people (for reference)',
  };
  const columns: TableColumn[] = KEYS.map((key) => ({ key, label: labels[key][0], numeric: key !== 'name', title: titles[key] }));
  const pct = (v: number | null) => (v === null ? '–' : `${formatNumber(v * 100, p.lang, 1)}%`);
  const ha = (m2: number) => formatNumber(m2 / 10_000, p.lang, m2 < 100_000 ? 2 : 1);

  const make = (id: string, name: string, s: Summary, restored: number, total: boolean): { row: TableRow; csv: CsvValue[] } => ({
    row: {
      id,
      total,
      values: [name, s.pop, s.parkAreaM2, s.parkM2PerPerson, s.landShare, s.popShare, restored],
      display: [
        name,
        formatNumber(s.pop, p.lang),
        `${ha(s.parkAreaM2)} ha`,
        s.parkM2PerPerson === null ? '–' : `${formatNumber(s.parkM2PerPerson, p.lang, 1)} m²`,
        pct(s.landShare),
        pct(s.popShare),
        `${ha(restored)} ha`,
      ],
      flags: [null, null, null, s.meetsPerCapita, s.meetsCoverage, checkGB55014('serviceRadiusCoverage', s.popShare).pass, null],
    },
    csv: [
      name,
      Math.round(s.pop),
      round(s.parkAreaM2 / 10_000, 2),
      s.parkM2PerPerson === null ? null : round(s.parkM2PerPerson, 2),
      s.landShare === null ? null : round(s.landShare * 100, 2),
      s.popShare === null ? null : round(s.popShare * 100, 2),
      round(restored / 10_000, 2),
    ],
  });
  const built = [...p.coverage.byDistrict.entries()]
    .filter(([id]) => id !== '')
    .map(([id, s]) => make(id, p.names.get(id)?.[p.lang] ?? id, s, p.restorationM2.get(id) ?? 0, false));
  const cityRestored = [...p.restorationM2.values()].reduce((a, b) => a + b, 0);
  built.push(make('', zh ? '全市' : 'City', p.coverage.city, cityRestored, true));
  const table = {
    columns,
    rows: built.map((b) => b.row),
    csvHeader: KEYS.map((k) => labels[k][1]),
    csvRows: built.map((b) => b.csv),
  };
  return p.lifeCircle ? withLifeCircle(table, p.lifeCircle, p.lang) : table;
}

/** Three more columns: the population share in a complete 5-, 10- and 15-minute circle (GB 50180-2018). */
function withLifeCircle(t: DistrictTable, lc: NonNullable<DistrictTableInput['lifeCircle']>, lang: Lang): DistrictTable {
  const zh = lang === 'zh';
  const tiers = [5, 10, 15] as const;
  const title = zh ? '住在完整生活圈里的人口占比（GB 50180-2018，按步行网络距离；不含新增设施）' : 'Share of people living in a complete circle (GB 50180-2018, walking network; without added facilities)';
  const columns = [...t.columns, ...tiers.map((m) => ({ key: `lc${m}`, label: zh ? `${m}分钟圈完整` : `${m}-min circle`, numeric: true, title }))];
  const rows = t.rows.map((r) => {
    const s = r.total ? lc.city : lc.byDistrict.get(r.id);
    const v = tiers.map((m) => (s ? s[m] : null));
    return {
      ...r,
      values: [...r.values, ...v],
      display: [...r.display, ...v.map((x) => (x === null ? '–' : `${formatNumber(x * 100, lang, 1)}%`))],
      flags: [...(r.flags ?? r.values.map(() => null)), ...v.map(() => null)],
    };
  });
  const csvRows = t.csvRows.map((row, i) => {
    const s = t.rows[i]!.total ? lc.city : lc.byDistrict.get(t.rows[i]!.id);
    return [...row, ...tiers.map((m) => (s ? round(s[m] * 100, 2) : null))];
  });
  const csvHeader = [...t.csvHeader, ...tiers.map((m) => (zh ? `${m}分钟生活圈完整·人口占比（%）` : `Population in a complete ${m}-minute circle (%)`))];
  return { columns, rows, csvHeader, csvRows };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
