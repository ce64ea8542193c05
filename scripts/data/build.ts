/**
 * `npm run data`: builds the embedded default data (data/catalog.json and
 * data/cities/<city>/...) from the district boundaries and the seeded model.
 * Deterministic: the same bytes on every run. See scripts/data/README.md.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CITIES, DEFAULT_CITY, type CityCfg } from './cities.ts';
import { loadCityLand, type CityLand } from './boundaries.ts';
import { makeHillness, type HillFn } from './terrain.ts';
import {
  applyScale,
  buildPopulation,
  districtPopulations,
  JINAN_TOTAL,
  rawTotal,
  type CityPopulation,
} from './population.ts';
import { districtFeatures } from './districts.ts';
import { SURROUNDINGS_FILE, surroundingFeatures } from './surroundings.ts';
import { writeGeoJson } from './geojsonOut.ts';
import { writeParquet } from './parquet.ts';
import { populationTable } from './populationOut.ts';
import { buildCatalog, writeCatalog, type BuildFacts, type CityEntry } from './catalog.ts';
import { coreView } from './viewport.ts';
import { makeContext } from './context.ts';
import { generateParks, parkFeatures } from './parks.ts';
import { generateRestoration, restorationFeatures } from './restoration.ts';
import { generateStations, stationFeatures } from './stations.ts';
import { airShapes, airTable, calibrate, goodShare, HOURS } from './air.ts';
import { buildNetwork, networkTable } from './network.ts';
import { facilitiesTable, generateFacilities } from './facilities.ts';
import { computeLifecircle, lifecircleTable, summarise } from './lifecircle.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = join(ROOT, 'data');

interface CityState {
  cfg: CityCfg;
  land: CityLand;
  hill: HillFn;
  pop: CityPopulation;
}

function log(msg: string): void {
  process.stdout.write(`${msg}\n`);
}

function main(): void {
  const t0 = Date.now();
  const states: CityState[] = CITIES.map((cfg) => {
    const land = loadCityLand(ROOT, cfg);
    const hill = makeHillness(cfg, land.frame);
    const pop = buildPopulation(cfg, land, hill);
    return { cfg, land, hill, pop };
  });
  const jinan = states.find((s) => s.cfg.id === 'jinan');
  if (!jinan) throw new Error('jinan missing');
  const scale = JINAN_TOTAL / rawTotal(jinan.pop);

  const entries: CityEntry[] = [];
  for (const s of states) {
    const { cfg, land, pop } = s;
    applyScale(pop, scale, cfg.id === 'jinan' ? JINAN_TOTAL : undefined);
    const dir = join(DATA, 'cities', cfg.id);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const datasets: CityEntry['datasets'] = {};
    const put = (id: string, bytes: number, rows: number, facts: BuildFacts = {}): void => {
      datasets[id] = { bytes, rows, facts };
      log(`  ${cfg.id}/${id}: ${rows} rows, ${(bytes / 1024).toFixed(1)} KiB`);
    };

    const dPops = districtPopulations(pop, land.districts.length);
    put('districts', writeGeoJson(join(dir, 'districts.geojson'), districtFeatures(land, dPops)), land.districts.length);
    // Base-map context, not a dataset: the neighbouring land, so the map can tell land from sea (surroundings.ts).
    const around = surroundingFeatures(ROOT, cfg, land);
    const aroundBytes = writeGeoJson(join(dir, SURROUNDINGS_FILE), around);
    log(`  ${cfg.id}/surroundings: ${around.map((f) => f.properties.name).join('、')}, ${(aroundBytes / 1024).toFixed(1)} KiB`);
    const popTable = populationTable(cfg, land, pop);
    put('population', writeParquet(join(dir, 'population.parquet'), popTable), pop.cells.length, {
      populationTotal: pop.total,
    });

    const ctx = makeContext(cfg, land, s.hill, pop);
    const parks = generateParks(ctx);
    put('parks', writeGeoJson(join(dir, 'parks.geojson'), parkFeatures(parks)), parks.length, { parkCount: parks.length });
    const byClass: Record<string, number> = {};
    for (const p of parks) byClass[p.cls] = (byClass[p.cls] ?? 0) + 1;
    log(
      `  parks: ${parks.length} (${Object.entries(byClass)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; pocket ${parks.filter((p) => p.pocket).length}; largest ${(Math.max(...parks.map((p) => p.areaM2)) / 1e6).toFixed(2)} km²)`,
    );

    const sites = generateRestoration(ctx);
    const siteArea = sites.reduce((a, x) => a + x.areaM2, 0);
    put('restoration', writeGeoJson(join(dir, 'restoration.geojson'), restorationFeatures(sites)), sites.length, {
      restorationAreaM2: siteArea,
      years: [Math.min(...sites.map((x) => x.year)), Math.max(...sites.map((x) => x.year))],
    });
    const byType: Record<string, number> = {};
    for (const x of sites) byType[x.type] = (byType[x.type] ?? 0) + 1;
    log(
      `  restoration: ${sites.length} sites (${Object.entries(byType)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}), ${(siteArea / 1e6).toFixed(2)} km²`,
    );

    const stations = generateStations(ctx);
    put('stations', writeGeoJson(join(dir, 'stations.geojson'), stationFeatures(stations)), stations.length);
    const shapes = airShapes(cfg, stations);
    const { scales, daily } = calibrate(shapes, cfg.air);
    const share = goodShare(daily);
    put('air_hourly', writeParquet(join(dir, 'air-hourly.parquet'), airTable(shapes, scales)), stations.length * HOURS, {
      goodDayShare: share,
    });
    log(
      `  air: ${stations.length} stations, good days ${(share * 100).toFixed(1)} % (target ${(cfg.air.goodDayTarget * 100).toFixed(1)}), O3-bad days ${daily.o3Exceed}, annual means ${Object.entries(
        daily.means,
      )
        .map(([k, v]) => `${k} ${v.toFixed(k === 'co' ? 2 : 0)}`)
        .join(' ')} (scales pm ${scales.pm.toFixed(3)}, o3 ${scales.o3.toFixed(3)})`,
    );

    const net = buildNetwork(ctx);
    put('walk_network', writeParquet(join(dir, 'walk-network.parquet'), networkTable(net)), net.from.length, {
      networkEdges: net.from.length,
      riverNames: [...new Set(ctx.riverLines.map((r) => r.name))].join('、'),
      riversFromBorders: cfg.rivers.every((r) => !r.points),
      bridges: net.bridges,
    });
    log(`  network: ${net.lon.length} nodes, ${net.from.length} edges, ${net.bridges} bridges, mask ≥ ${net.threshold}/km²`);

    const fac = generateFacilities(ctx, net);
    put('facilities', writeParquet(join(dir, 'facilities.parquet'), facilitiesTable(fac)), fac.length);
    const counts: Record<string, number> = {};
    for (const f of fac) counts[f.type] = (counts[f.type] ?? 0) + 1;
    log(`  facilities: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const lc = computeLifecircle(ctx, net, fac);
    const shares = summarise(ctx, lc);
    put('lifecircle', writeParquet(join(dir, 'lifecircle.parquet'), lifecircleTable(ctx, lc)), pop.cells.length, {
      completeness: Object.fromEntries(Object.entries(shares).map(([t, v]) => [Number(t), v.all])),
    });
    log(
      `  life circles (population share complete: all / core ≥10k per km² / networked periphery): ${Object.entries(shares)
        .map(([t, v]) => `${t}-min ${(v.all * 100).toFixed(1)} / ${(v.core * 100).toFixed(1)} / ${(v.periphery * 100).toFixed(1)} %`)
        .join('; ')}`,
    );

    const view = coreView(pop);
    entries.push({
      cfg,
      bounds: land.bbox.map((v) => Math.round(v * 1e4) / 1e4) as [number, number, number, number],
      center: view.center,
      zoom: view.zoom,
      surroundings: `cities/${cfg.id}/${SURROUNDINGS_FILE}`,
      datasets,
    });
    log(`${cfg.id}: population ${pop.total.toLocaleString('en-US')}, view ${view.center.join(',')} z${view.zoom} (fit ${view.rawZoom.toFixed(2)}, core ${view.core.map((v) => v.toFixed(3)).join(',')})`);
  }
  writeCatalog(join(DATA, 'catalog.json'), buildCatalog(entries, DEFAULT_CITY));
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main();
