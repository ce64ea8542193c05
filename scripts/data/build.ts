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
import { writeGeoJson } from './geojsonOut.ts';
import { writeParquet } from './parquet.ts';
import { populationTable } from './populationOut.ts';
import { buildCatalog, writeCatalog, type BuildFacts, type CityEntry } from './catalog.ts';
import { coreView } from './viewport.ts';

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
    const popTable = populationTable(cfg, land, pop);
    put('population', writeParquet(join(dir, 'population.parquet'), popTable), pop.cells.length, {
      populationTotal: pop.total,
    });

    const view = coreView(pop);
    entries.push({
      cfg,
      bounds: land.bbox.map((v) => Math.round(v * 1e4) / 1e4) as [number, number, number, number],
      center: view.center,
      zoom: view.zoom,
      datasets,
    });
    log(`${cfg.id}: population ${pop.total.toLocaleString('en-US')}, view ${view.center.join(',')} z${view.zoom} (fit ${view.rawZoom.toFixed(2)}, core ${view.core.map((v) => v.toFixed(3)).join(',')})`);
  }
  writeCatalog(join(DATA, 'catalog.json'), buildCatalog(entries, DEFAULT_CITY));
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main();
