import type { Engine } from '../engine/types';
import type { CityDef } from './types';

/** DuckDB table holding one dataset of one city. */
export function tableName(cityId: string, datasetId: string): string {
  return `${cityId}__${datasetId}`;
}

export class DataLoadError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'DataLoadError';
  }
}

/**
 * Loads catalog files into the engine on first use and remembers them. Only
 * what a visible layer needs is fetched. A failed load is forgotten so that it
 * can be retried, and never disturbs tables already loaded.
 */
export class TableRegistry {
  private readonly loading = new Map<string, Promise<string>>();

  constructor(
    private readonly engine: Promise<Engine>,
    private readonly urlOf: (path: string) => string,
    private readonly fetchImpl: typeof fetch = (...a) => fetch(...a),
  ) {}

  ensure(city: CityDef, datasetId: string): Promise<string> {
    const name = tableName(city.id, datasetId);
    let p = this.loading.get(name);
    if (!p) {
      p = this.load(city, datasetId, name);
      this.loading.set(name, p);
      p.catch(() => this.loading.delete(name));
    }
    return p;
  }

  private async load(city: CityDef, datasetId: string, name: string): Promise<string> {
    const file = city.datasets[datasetId];
    if (!file) throw new DataLoadError(`${city.id} has no "${datasetId}" dataset in the catalog`, datasetId);
    if (file.crs !== 'WGS84') {
      // Catalog files are converted to WGS-84 by the data build; imports convert on load.
      throw new DataLoadError(`${file.path} declares ${file.crs}; catalog files must be WGS-84`, file.path);
    }
    const url = this.urlOf(file.path);
    // User-timing marks: the bench and dev timeline read where start-up time goes.
    const mark = `table:${name}`;
    performance.mark(`${mark}:start`);
    let res: Response;
    try {
      res = await this.fetchImpl(url);
    } catch (e) {
      throw new DataLoadError(`could not fetch ${file.path}: ${(e as Error).message}`, file.path);
    }
    if (!res.ok) throw new DataLoadError(`HTTP ${res.status} for ${file.path}`, file.path);
    const engine = await this.engine;
    performance.mark(`${mark}:engine`);
    try {
      if (file.format === 'parquet') await engine.loadParquet(name, new Uint8Array(await res.arrayBuffer()));
      else await engine.loadGeoJSON(name, await res.text());
    } catch (e) {
      throw new DataLoadError(`${file.path}: ${(e as Error).message}`, file.path);
    }
    performance.measure(mark, `${mark}:start`);
    return name;
  }
}
