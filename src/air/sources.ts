/**
 * Which readings the air layer and the charts draw for a city: the catalog's
 * (modelled) tables, or files a planner imported (measured). One cube per
 * source, loaded once and shared by the layer and every chart.
 */
import type { Engine } from '../engine/types';
import { catalogAirSource, loadAirCube, type AirCube, type AirSource } from './cube';

export interface AirSourceInfo {
  /** Changes whenever the rows behind it change (a new import). */
  key: string;
  kind: 'catalog' | 'import';
  source: AirSource;
}

const imported = new Map<string, { source: AirSource; version: number; span: [string, string] | null }>();
let version = 0;
/** Bumped when a city's catalog readings were loaded again with other rows (other years of a remote store). */
const catalogVersion = new Map<string, number>();
const cubes = new Map<string, Promise<AirCube>>();
const listeners = new Set<() => void>();

export function airSourceFor(cityId: string): AirSourceInfo {
  const imp = imported.get(cityId);
  if (imp) return { key: `import:${cityId}:${imp.version}`, kind: 'import', source: imp.source };
  return { key: `catalog:${cityId}:${catalogVersion.get(cityId) ?? 0}`, kind: 'catalog', source: catalogAirSource(`${cityId}__stations`, `${cityId}__air_hourly`) };
}

/** Imported readings for a city (null: back to the catalog's); `span` is the clock's range over them. */
export function setImportedAir(cityId: string, source: AirSource | null, span: [string, string] | null = null): void {
  version++;
  for (const k of [...cubes.keys()]) if (k.startsWith(`import:${cityId}:`)) cubes.delete(k);
  if (source) imported.set(cityId, { source, version, span });
  else imported.delete(cityId);
  listeners.forEach((f) => f());
}

/** The catalog's tables behind a city's readings now hold other rows: cubes read them again. */
export function catalogAirChanged(cityId: string): void {
  const v = (catalogVersion.get(cityId) ?? 0) + 1;
  catalogVersion.set(cityId, v);
  for (const k of [...cubes.keys()]) if (k.startsWith(`catalog:${cityId}:`)) cubes.delete(k);
  listeners.forEach((f) => f());
}

/** The clock span of a city's imported readings, or null when it shows the catalog's. */
export function importedSpan(cityId: string): [string, string] | null {
  return imported.get(cityId)?.span ?? null;
}

export function hasImportedAir(): boolean {
  return imported.size > 0;
}

export function onAirSourcesChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The cube of a source, loaded on first use; a failed load is forgotten so it can be retried. */
export function airCubeFor(info: AirSourceInfo, engine: Pick<Engine, 'query'>): Promise<AirCube> {
  let p = cubes.get(info.key);
  if (!p) {
    p = loadAirCube(engine, info.source);
    cubes.set(info.key, p);
    p.catch(() => cubes.delete(info.key));
  }
  return p;
}
