/**
 * Park service-radius coverage (公园绿地服务半径覆盖率, "300 米见绿、500 米见园"):
 * populated 500 m cells coloured by whether a counted park is within its
 * service radius (src/analysis/parkCoverage.ts; rules in src/standards/parks.ts),
 * with a planner's drawn parks applied as a scenario (src/analysis/parkScenario.ts).
 */
import { PolygonLayer, SolidPolygonLayer } from '@deck.gl/layers';
import { loadCoverageModel, coverageModelFor, type CoverageModel } from '../analysis/coverageModel';
import { COVERED_300, COVERED_500, URBAN_RESIDENTIAL_DENSITY, type CoverageResult } from '../analysis/parkCoverage';
import { scenarioFor, type ScenarioOutcome } from '../analysis/parkScenario';
import type { AppState, DrawnRing } from '../state/types';
import { PARK_SERVICE_SLOGAN } from '../standards/parks';
import { classLabel, describeCell, scenarioDelta, summaryText } from './parkCoverageText';
import type { LayerModule, RGBA } from './types';

export interface CoverageCell {
  index: number;
  cell_id: string;
  residential: boolean;
  polygon: number[];
}

export interface ParkCoverageData {
  model: CoverageModel;
  cells: CoverageCell[];
}

/** Populated but not residential-density cells outside every service area. */
const SPARSE_UNCOVERED: RGBA = [215, 70, 50, 40];
/** Cells the drawn parks bring into coverage: the scenario's effect, in its own colour. */
export const SCENARIO_GAIN: RGBA = [40, 110, 230, 210];
const DRAWN_FILL: RGBA = [30, 170, 90, 150];

/** Covered cells are a quiet underlay; the gaps are what a planner looks for. */
export const COVERAGE_COLOURS: Record<0 | 1 | 2, RGBA> = {
  [COVERED_500]: [40, 150, 100, 70],
  [COVERED_300]: [150, 205, 120, 80],
  0: [215, 70, 50, 170],
} as Record<0 | 1 | 2, RGBA>;

function square(lon: number, lat: number, stepLon: number, stepLat: number): number[] {
  const dLat = stepLat / 2;
  const dLon = stepLon / 2;
  return [lon - dLon, lat - dLat, lon + dLon, lat - dLat, lon + dLon, lat + dLat, lon - dLon, lat + dLat, lon - dLon, lat - dLat];
}

/** The coverage shown: with the drawn parks when there are any. */
export function shownCoverage(model: CoverageModel, drawn: DrawnRing[]): { result: CoverageResult; scenario: ScenarioOutcome | null } {
  const scenario = scenarioFor(model, drawn);
  return { result: scenario?.result ?? model.base, scenario };
}

// describe() gets the picked cell only; a cell remembers which city's data it came from.
const owner = new WeakMap<CoverageCell, ParkCoverageData>();

interface DrawnShape {
  ring: DrawnRing;
}

export const parkCoverageLayer: LayerModule<ParkCoverageData> = {
  kind: 'parkcoverage',
  dataKey: (ctx) => ctx.city.id,
  async load(ctx, query) {
    const model = await coverageModelFor(ctx.city.id, () =>
      loadCoverageModel(query, { parks: ctx.tables.parks!, population: ctx.tables.population!, districts: ctx.tables.districts }),
    );
    const { cells: c, stepLon, stepLat } = model;
    const km2 = c.cellAreaM2 / 1e6;
    const cells: CoverageCell[] = model.cellIds.map((id, i) => ({
      index: i,
      cell_id: id,
      residential: c.pop[i]! / km2 >= URBAN_RESIDENTIAL_DENSITY,
      polygon: square(c.lon[i]!, c.lat[i]!, stepLon, stepLat),
    }));
    const data = { model, cells };
    for (const cell of cells) owner.set(cell, data);
    return data;
  },
  render(data, ctx, visible) {
    const drawn = ctx.state.drawnParks;
    const { result, scenario } = shownCoverage(data.model, drawn);
    const covered = result.covered;
    const gained = scenario?.newlyCovered;
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
        getFillColor: (c) => {
          if (gained?.[c.index]) return SCENARIO_GAIN;
          const cls = covered[c.index]! as 0 | 1 | 2;
          return c.residential || cls > 0 ? COVERAGE_COLOURS[cls] : SPARSE_UNCOVERED;
        },
        updateTriggers: { getFillColor: JSON.stringify(drawn) },
        autoHighlight: true,
        highlightColor: [255, 255, 255, 90],
      }),
      new PolygonLayer<DrawnShape>({
        id: `${ctx.def.id}-drawn`,
        data: drawn.map((ring) => ({ ring })),
        visible: visible && drawn.length > 0,
        pickable: false,
        filled: true,
        stroked: true,
        getPolygon: (d) => d.ring,
        getFillColor: DRAWN_FILL,
        getLineColor: [255, 255, 255, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 2 * ctx.scale,
        parameters: { depthCompare: 'always', depthWriteEnabled: false },
      }),
    ];
  },
  legend(data, ctx) {
    const zh = ctx.lang === 'zh';
    const drawn = ctx.state.drawnParks;
    const items = ([COVERED_500, COVERED_300, 0] as const).map((cls) => ({ color: COVERAGE_COLOURS[cls], label: classLabel(cls, ctx.lang), shape: 'square' as const }));
    items.push({
      color: SPARSE_UNCOVERED,
      label: zh ? `服务半径外的稀疏人口网格（< ${URBAN_RESIDENTIAL_DENSITY} 人/km²，不计入居住用地）` : `Sparse cells outside every radius (< ${URBAN_RESIDENTIAL_DENSITY} people/km², not residential land)`,
      shape: 'square' as const,
    });
    if (drawn.length) {
      items.push({ color: SCENARIO_GAIN, label: zh ? '方案新增覆盖（假设）' : 'Covered by the drawn parks (hypothetical)', shape: 'square' as const });
      items.push({ color: DRAWN_FILL, label: zh ? '方案公园（手绘，假设）' : 'Drawn park (hypothetical)', shape: 'square' as const });
    }
    let note: string | undefined;
    if (data) {
      const { result, scenario } = shownCoverage(data.model, drawn);
      const city = summaryText(result.city, ctx.lang);
      note = zh
        ? `${PARK_SERVICE_SLOGAN.zh}。全市覆盖率${scenario ? '（含方案）' : ''}：${city}。居住用地以每平方公里 ${URBAN_RESIDENTIAL_DENSITY} 人以上的网格近似（模型假设，无用地数据）。`
        : `${PARK_SERVICE_SLOGAN.en}. City coverage${scenario ? ' (with the scenario)' : ''}: ${city}. Residential land is approximated by cells above ${URBAN_RESIDENTIAL_DENSITY} people/km² (a model assumption; there is no land-use map).`;
      if (scenario) note += ' ' + scenarioDelta(data.model.base, result, scenario.drawn, data.model.districtNames, ctx.lang).join(zh ? '；' : '; ') + (zh ? '。' : '.');
    }
    return { title: zh ? '公园绿地服务半径覆盖' : 'Park service-radius coverage', items, note };
  },
  describe(object, ctx) {
    const c = object as Partial<CoverageCell>;
    const data = dataOf(c);
    if (!data || typeof c.index !== 'number') return null;
    return describeCoverageCell(data, c as CoverageCell, ctx.state, ctx.lang);
  },
  objectId: (o) => (o as Partial<CoverageCell>)?.cell_id ?? null,
  findObject: (data, id) => data.cells.find((c) => c.cell_id === id),
};

function dataOf(c: Partial<CoverageCell>): ParkCoverageData | null {
  return (c && owner.get(c as CoverageCell)) ?? null;
}

function describeCoverageCell(data: ParkCoverageData, c: CoverageCell, state: AppState, lang: 'zh' | 'en') {
  const { result, scenario } = shownCoverage(data.model, state.drawnParks);
  const district = data.model.cells.district[c.index]!;
  return describeCell(
    {
      cellId: c.cell_id,
      pop: data.model.cells.pop[c.index]!,
      cls: result.covered[c.index]!,
      fromScenario: !!scenario?.newlyCovered[c.index],
      district,
      districtName: data.model.districtNames.get(district)?.[lang] ?? district,
      summary: result.byDistrict.get(district) ?? null,
    },
    lang,
  );
}
