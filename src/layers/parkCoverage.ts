/**
 * Park service-radius coverage (公园绿地服务半径覆盖率, "300 米见绿、500 米见园"):
 * populated 500 m cells coloured by whether a counted park is within its
 * service radius (src/analysis/parkCoverage.ts; rules in src/standards/parks.ts).
 * Every share shown names its denominator (residential land or population).
 */
import { SolidPolygonLayer } from '@deck.gl/layers';
import type { Polygon, MultiPolygon } from 'geojson';
import { URBAN_RESIDENTIAL_DENSITY,
  cellAreaFromGrid,
  computeCoverage,
  COVERED_300,
  COVERED_500,
  type CoverageCells,
  type CoverageParks,
  type CoverageResult,
  type Summary,
} from '../analysis/parkCoverage';
import { quoteIdent } from '../engine/sql';
import { formatNumber } from '../i18n';
import type { Lang } from '../state/types';
import { checkGB55014, COVERAGE_DENOMINATORS, GB55014_THRESHOLDS, PARK_SERVICE_RADII, PARK_SERVICE_SLOGAN } from '../standards/parks';
import { parseGeometry, tableRows } from './arrowRows';
import { gridStep } from './lifecircle';
import type { Description, LayerModule, RGBA } from './types';

export interface CoverageCell {
  cell_id: string;
  lon: number;
  lat: number;
  pop: number;
  district: string;
  /** 0 uncovered, 1 by the 300 m rule only, 2 by the 500 m rule. */
  cls: number;
  /** Dense enough to stand for residential land (URBAN_RESIDENTIAL_DENSITY). */
  residential: boolean;
  polygon: number[];
  /** The cell's district summary and name, so a tooltip needs nothing else. */
  districtSummary: Summary | null;
  districtName: { zh: string; en: string } | null;
}

export interface ParkCoverageData {
  parks: CoverageParks;
  input: CoverageCells;
  result: CoverageResult;
  cells: CoverageCell[];
  /** district id → display name (ids when no districts table was given). */
  districtNames: Map<string, { zh: string; en: string }>;
}

/** Covered cells are a quiet underlay; the gaps are what a planner looks for. */
/** Populated but not residential-density cells outside every service area. */
const SPARSE_UNCOVERED: RGBA = [215, 70, 50, 40];

export const COVERAGE_COLOURS: Record<0 | 1 | 2, RGBA> = {
  [COVERED_500]: [40, 150, 100, 70],
  [COVERED_300]: [150, 205, 120, 80],
  0: [215, 70, 50, 170],
} as Record<0 | 1 | 2, RGBA>;

const rule500 = PARK_SERVICE_RADII.find((r) => r.maxAreaM2 === null)!;
const rule300 = PARK_SERVICE_RADII.find((r) => r.maxAreaM2 !== null)!;

function square(lon: number, lat: number, stepLon: number, stepLat: number): number[] {
  const dLat = stepLat / 2;
  const dLon = stepLon / 2;
  return [lon - dLon, lat - dLat, lon + dLon, lat - dLat, lon + dLon, lat + dLat, lon - dLon, lat + dLat, lon - dLon, lat - dLat];
}

/** Polygon / MultiPolygon → the flat ring list the analysis takes. */
function ringsOf(g: Polygon | MultiPolygon): number[][][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

const pct = (v: number | null, lang: Lang) => (v === null ? '–' : `${formatNumber(v * 100, lang, 1)}%`);
const flag = (pass: boolean | null) => (pass === null ? '' : pass ? ' ✓' : ' ✗');

function classLabel(cls: number, lang: Lang): string {
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
function thresholdTexts(lang: Lang): { covT: string; pcT: string } {
  return {
    covT: `${formatNumber(GB55014_THRESHOLDS.serviceRadiusCoverage.value * 100, lang)}%`,
    pcT: `${GB55014_THRESHOLDS.parkGreenPerCapita.value.toFixed(1)} m²`,
  };
}

/** Coverage by both denominators and park area per person, each flagged against GB 55014-2021. */
function summaryText(s: Summary, lang: Lang): string {
  const zh = lang === 'zh';
  const popPass = checkGB55014('serviceRadiusCoverage', s.popShare).pass;
  const perPerson = s.parkM2PerPerson === null ? '–' : `${formatNumber(s.parkM2PerPerson, lang, 1)} m²`;
  const { covT, pcT } = thresholdTexts(lang);
  return zh
    ? `按居住用地 ${pct(s.landShare, lang)}${flag(s.meetsCoverage)}，按人口 ${pct(s.popShare, lang)}${flag(popPass)}（GB 55014 > ${covT}）；人均公园绿地 ${perPerson}${flag(s.meetsPerCapita)}（GB 55014 > ${pcT}）`
    : `by residential land ${pct(s.landShare, lang)}${flag(s.meetsCoverage)}, by population ${pct(s.popShare, lang)}${flag(popPass)} (GB 55014 > ${covT}); park area per person ${perPerson}${flag(s.meetsPerCapita)} (GB 55014 > ${pcT})`;
}

export interface CoverageSummaryRow {
  /** District id, or '' for the whole city (last row). */
  district: string;
  label: string;
  summary: Summary;
  /** Formatted cells, in the order of `coverageSummaryColumns`. */
  cells: string[];
}

export function coverageSummaryColumns(lang: Lang): string[] {
  const zh = lang === 'zh';
  const { covT, pcT } = thresholdTexts(lang);
  return zh
    ? ['区', '覆盖率（按居住用地）', '覆盖率（按人口）', '人均公园绿地', `GB 55014 覆盖率 > ${covT}`, `GB 55014 人均 > ${pcT}`, '人口']
    : ['District', 'Coverage (by residential land)', 'Coverage (by population)', 'Park area per person', `GB 55014 coverage > ${covT}`, `GB 55014 per person > ${pcT}`, 'Population'];
}

/**
 * One row per district (sorted by land share, lowest first; districts without
 * residential land last) plus the city as the last row, for a district table.
 * Column headers: `coverageSummaryColumns(lang)`.
 */
export function coverageSummaryRows(
  result: CoverageResult,
  lang: Lang,
  names?: Map<string, { zh: string; en: string }>,
): CoverageSummaryRow[] {
  const zh = lang === 'zh';
  const yesNo = (v: boolean | null) => (v === null ? '–' : v ? (zh ? '达标' : 'met') : zh ? '未达标' : 'not met');
  const row = (district: string, label: string, s: Summary): CoverageSummaryRow => ({
    district,
    label,
    summary: s,
    cells: [
      label,
      pct(s.landShare, lang),
      pct(s.popShare, lang),
      s.parkM2PerPerson === null ? '–' : `${formatNumber(s.parkM2PerPerson, lang, 1)} m²`,
      yesNo(s.meetsCoverage),
      yesNo(s.meetsPerCapita),
      formatNumber(s.pop, lang),
    ],
  });
  const rows = [...result.byDistrict]
    .sort(([, a], [, b]) => (a.landShare ?? Infinity) - (b.landShare ?? Infinity))
    .map(([d, s]) => row(d, names?.get(d)?.[lang] ?? d, s));
  rows.push(row('', zh ? '全市' : 'City', result.city));
  return rows;
}

export const parkCoverageLayer: LayerModule<ParkCoverageData> = {
  kind: 'parkcoverage',
  dataKey: (ctx) => ctx.city.id,
  async load(ctx, query) {
    const parksT = quoteIdent(ctx.tables.parks!);
    const popT = quoteIdent(ctx.tables.population!);
    const parkRows = tableRows<Record<string, unknown>>(
      await query({ sql: `SELECT id, district, area_m2, __geom FROM ${parksT}` }),
    );
    const parks: CoverageParks = { id: [], district: [], areaM2: new Float64Array(parkRows.length), rings: [] };
    for (const r of parkRows) {
      const g = parseGeometry(r.__geom);
      if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
      parks.areaM2[parks.id.length] = Number(r.area_m2);
      parks.id.push(String(r.id));
      parks.district.push(String(r.district ?? ''));
      parks.rings.push(ringsOf(g));
    }
    parks.areaM2 = parks.areaM2.slice(0, parks.id.length);

    const rows = tableRows<Record<string, unknown>>(
      await query({ sql: `SELECT cell_id, lon, lat, pop, district FROM ${popT} WHERE pop > 0` }),
    );
    const n = rows.length;
    const input: CoverageCells = {
      lon: new Float64Array(n),
      lat: new Float64Array(n),
      pop: new Float64Array(n),
      district: new Array<string>(n),
      residentialMinDensity: URBAN_RESIDENTIAL_DENSITY,
      cellAreaM2: 0,
    };
    rows.forEach((r, i) => {
      input.lon[i] = Number(r.lon);
      input.lat[i] = Number(r.lat);
      input.pop[i] = Number(r.pop);
      input.district[i] = String(r.district ?? '');
    });
    const stepLon = gridStep([...input.lon]);
    const stepLat = gridStep([...input.lat]);
    let latMin = Infinity, latMax = -Infinity;
    for (const v of input.lat) {
      if (v < latMin) latMin = v;
      if (v > latMax) latMax = v;
    }
    input.cellAreaM2 = n ? cellAreaFromGrid(stepLon, stepLat, (latMin + latMax) / 2) : 0;
    const result = computeCoverage(parks, input);
    // District names when the layer is also given the districts table; ids otherwise.
    const districtNames = new Map<string, { zh: string; en: string }>();
    if (ctx.tables.districts) {
      try {
        const t = await query({ sql: `SELECT id, name, name_en FROM ${quoteIdent(ctx.tables.districts)}` });
        for (const r of tableRows<Record<string, unknown>>(t))
          districtNames.set(String(r.id), { zh: String(r.name), en: String(r.name_en ?? r.name) });
      } catch {
        /* names are a nicety */
      }
    }
    const cells: CoverageCell[] = rows.map((r, i) => ({
      cell_id: String(r.cell_id),
      lon: input.lon[i]!,
      lat: input.lat[i]!,
      pop: input.pop[i]!,
      district: input.district[i]!,
      cls: result.covered[i]!,
      residential: input.pop[i]! / (input.cellAreaM2 / 1e6) >= URBAN_RESIDENTIAL_DENSITY,
      polygon: square(input.lon[i]!, input.lat[i]!, stepLon, stepLat),
      districtSummary: result.byDistrict.get(input.district[i]!) ?? null,
      districtName: districtNames.get(input.district[i]!) ?? null,
    }));

    return { parks, input, result, cells, districtNames };
  },
  render(data, ctx, visible) {
    return [
      new SolidPolygonLayer<CoverageCell>({
        id: ctx.def.id,
        data: data.cells,
        visible,
        pickable: true,
        filled: true,
        // Squares are flat closed XY rings: skip deck.gl's normalising pass.
        _normalize: false,
        positionFormat: 'XY',
        getPolygon: (c) => c.polygon,
        // Gaps are drawn where people live densely (residential land); sparse rural cells stay quiet.
        getFillColor: (c) => (c.residential || c.cls > 0 ? (COVERAGE_COLOURS[c.cls as 0 | 1 | 2] ?? COVERAGE_COLOURS[0]) : SPARSE_UNCOVERED),
        autoHighlight: true,
        highlightColor: [255, 255, 255, 90],
      }),
    ];
  },
  legend(data, ctx) {
    const zh = ctx.lang === 'zh';
    return {
      title: zh ? '公园绿地服务半径覆盖' : 'Park service-radius coverage',
      items: ([COVERED_500, COVERED_300, 0] as const).map((cls) => ({
        color: COVERAGE_COLOURS[cls],
        label: classLabel(cls, ctx.lang),
        shape: 'square' as const,
      })).concat([
        {
          color: SPARSE_UNCOVERED,
          label: zh ? `服务半径外的稀疏人口网格（< ${URBAN_RESIDENTIAL_DENSITY} 人/km²，不计入居住用地）` : `Sparse cells outside every radius (< ${URBAN_RESIDENTIAL_DENSITY} people/km², not residential land)`,
          shape: 'square' as const,
        },
      ]),
      note: data
        ? zh
          ? `${PARK_SERVICE_SLOGAN.zh}。全市覆盖率：${summaryText(data.result.city, 'zh')}。居住用地以每平方公里 ${URBAN_RESIDENTIAL_DENSITY} 人以上的网格近似（模型假设，无用地数据）。`
          : `${PARK_SERVICE_SLOGAN.en}. City coverage: ${summaryText(data.result.city, 'en')}. Residential land is approximated by cells above ${URBAN_RESIDENTIAL_DENSITY} people/km² (a model assumption; there is no land-use map).`
        : undefined,
    };
  },
  describe(object, ctx): Description | null {
    const c = object as Partial<CoverageCell>;
    if (!c || typeof c.cell_id !== 'string' || !c.polygon) return null;
    return describeCell(c as CoverageCell, ctx.lang);
  },
  objectId: (o) => (o as Partial<CoverageCell>)?.cell_id ?? null,
  findObject: (data, id) => data.cells.find((c) => c.cell_id === id),
};

function describeCell(c: CoverageCell, lang: Lang): Description {
  const zh = lang === 'zh';
  const districtName = c.districtName?.[lang] ?? c.district;
  const rows: [string, string][] = [
    [zh ? '本网格' : 'This cell', classLabel(c.cls, lang)],
    [zh ? '人口' : 'Population', formatNumber(c.pop, lang)],
  ];
  const s = c.districtSummary;
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
      [zh ? '覆盖率口径' : 'Denominators', `${COVERAGE_DENOMINATORS.residential_land[lang]}；${COVERAGE_DENOMINATORS.population[lang]}`.replace('；', zh ? '；' : '; ')],
    );
  }
  return {
    title: zh ? `网格 ${c.cell_id}` : `Cell ${c.cell_id}`,
    subtitle: districtName,
    rows,
  };
}
