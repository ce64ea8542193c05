/**
 * The last step of importing a planner's own file: the staged rows, mapped to
 * a layer kind (./userColumns.ts), become a table of the same shape as the
 * catalog's GeoJSON tables (engine loadGeoJSON: one row per feature, the
 * properties as columns, `__geom`, bbox columns), with properties `id`,
 * `name`, `category`, `value` (a number) and `time` (ISO 8601, UTC), every
 * coordinate in WGS-84.
 *
 * - Coordinates declared GCJ-02 or BD-09 are converted (catalog/crs.ts, gcoord).
 * - lon/lat columns can be swapped when the inspection found them reversed.
 * - WKT is read with @terraformer/wkt (maintained, small; a WKT grammar is
 *   not worth writing again); WKB (a GeoParquet's staged BLOB column) with
 *   ./wkb.ts, Z and M dropped.
 * - Rows without usable geometry, of the wrong geometry kind, or repeating an
 *   id (kinds with one row per thing) are left out and counted.
 * - The load is atomic (a failure leaves no table and the old one intact),
 *   and it is recorded in the engine's journal, so a restarted DuckDB worker
 *   gets the table back.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { wktToGeoJSON } from '@terraformer/wkt';
import { convertFeatureCollection, toWgs84Point, type Convert } from '../catalog/crs';
import type { Crs } from '../catalog/types';
import { quoteIdent } from '../engine/sql';
import type { Engine, TableInfo } from '../engine/types';
import { checkMapping, KIND_RULES, timeSql, type ColumnMapping, type GeometryFamily, type TargetKind } from './userColumns';
import type { ImportProblem, Inspection } from './userImport';
import { wkbToGeometry } from './wkb';

export interface LoadOptions {
  kind: TargetKind;
  mapping: ColumnMapping;
  /** The coordinate system the file's coordinates are in. */
  crs: Crs;
  /** Swap the lon and lat columns (the inspection said they look reversed). */
  swap?: boolean;
  /** The table to create (a user__ name). */
  table: string;
}

export type LoadResult = { ok: true; info: TableInfo; kept: number; left: number; problems: ImportProblem[] } | { ok: false; problems: ImportProblem[] };

const familyOf = (g: Geometry): GeometryFamily | null => (/Point/.test(g.type) ? 'point' : /LineString/.test(g.type) ? 'line' : /Polygon/.test(g.type) ? 'polygon' : null);
const inRange = (x: unknown, y: unknown) => typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90;

export async function loadUserTable(engine: Engine, ins: Inspection, o: LoadOptions): Promise<LoadResult> {
  const problems = await checkMapping(engine, ins, o.kind, o.mapping);
  if (problems.some((p) => p.level === 'error')) return { ok: false, problems };
  if (!/^user__[a-z0-9_]+$/.test(o.table)) throw new Error(`an imported table is named user__…, not ${o.table}`);
  const col = (c: string | undefined, cast = 'VARCHAR') => (c ? `CAST(${quoteIdent(c)} AS ${cast})` : 'NULL');
  const g = ins.geometry;
  const geomSql =
    g.kind === 'lonlat'
      ? `TRY_CAST(${quoteIdent(o.swap ? g.lat : g.lon)} AS DOUBLE) AS x, TRY_CAST(${quoteIdent(o.swap ? g.lon : g.lat)} AS DOUBLE) AS y`
      : g.kind === 'geojson'
        ? '__geom AS g'
        : g.kind === 'wkt'
          ? `CAST(${quoteIdent(g.column)} AS VARCHAR) AS g`
          : g.kind === 'wkb'
            ? `CAST(${quoteIdent(g.column)} AS BLOB) AS g`
            : 'NULL AS g';
  const m = o.mapping;
  const rows = (
    await engine.query(
      `SELECT ${col(m.id)} AS id, ${col(m.name)} AS name, ${col(m.category)} AS category,
              ${m.value ? `TRY_CAST(${quoteIdent(m.value)} AS DOUBLE)` : 'NULL'} AS value,
              ${m.time ? `strftime(${timeSql(quoteIdent(m.time))}, '%Y-%m-%dT%H:%M:%SZ')` : 'NULL'} AS time, ${geomSql}
       FROM ${quoteIdent(ins.stage)}`,
    )
  ).toArray();

  const wanted = new Set(KIND_RULES[o.kind].geometry);
  const seen = new Set<string>();
  const features: Feature[] = [];
  let noGeometry = 0;
  let duplicate = 0;
  for (const r of rows) {
    let geometry: Geometry | null = null;
    try {
      if (g.kind === 'lonlat') geometry = inRange(r.x, r.y) ? { type: 'Point', coordinates: [r.x as number, r.y as number] } : null;
      else if (g.kind === 'wkb') geometry = r.g instanceof Uint8Array ? wkbToGeometry(r.g) : null;
      else if (r.g !== null && r.g !== undefined) geometry = g.kind === 'geojson' ? (JSON.parse(String(r.g)) as Geometry) : wktToGeoJSON(String(r.g));
    } catch {
      geometry = null; // unreadable WKT or WKB: counted below, like missing coordinates
    }
    const fam = geometry ? familyOf(geometry) : null;
    if (!geometry || !fam || !wanted.has(fam)) {
      noGeometry++;
      continue;
    }
    const id = r.id === null || r.id === undefined ? null : String(r.id);
    if (id !== null && o.kind !== 'stations') {
      if (seen.has(id)) {
        duplicate++;
        continue;
      }
      seen.add(id);
    }
    const value = typeof r.value === 'number' && Number.isFinite(r.value) ? r.value : null;
    features.push({ type: 'Feature', properties: { id, name: r.name ?? null, category: r.category ?? null, value, time: r.time ?? null }, geometry });
  }
  if (!features.length)
    return {
      ok: false,
      problems: [...problems, { level: 'error', code: 'nothing-to-load', zh: '没有可导入的行：所有行都缺少可用的几何或与图层类型不符。', en: 'Nothing to import: no row has usable geometry of the kind this layer needs.' }],
    };

  let fc: FeatureCollection = { type: 'FeatureCollection', features };
  if (o.crs !== 'WGS84') {
    const convert: Convert = (lon, lat) => toWgs84Point(lon, lat, o.crs);
    fc = convertFeatureCollection(fc, convert);
  }
  const text = JSON.stringify(fc);
  let info: TableInfo;
  try {
    info = await engine.loadGeoJSON(o.table, text);
  } catch (e) {
    return { ok: false, problems: [...problems, { level: 'error', code: 'load-failed', zh: `导入失败：${(e as Error).message}`, en: `The import failed: ${(e as Error).message}` }] };
  }
  // A restarted DuckDB worker builds the table again from the same features.
  engine.journal?.record(`user-table:${o.table}`, async (fresh) => {
    await fresh.loadGeoJSON(o.table, text);
  });
  const left = noGeometry + duplicate;
  if (left > 0)
    problems.push({
      level: 'info',
      code: 'left-out',
      count: left,
      zh: `已导入 ${features.length} 行；跳过 ${left} 行（${noGeometry ? `${noGeometry} 行几何不可用或类型不符` : ''}${noGeometry && duplicate ? '，' : ''}${duplicate ? `${duplicate} 行编号重复` : ''}）。`,
      en: `Imported ${features.length} row${features.length > 1 ? 's' : ''}; left out ${left} (${[noGeometry ? `${noGeometry} without usable geometry of the right kind` : '', duplicate ? `${duplicate} repeating an id` : ''].filter(Boolean).join(', ')}).`,
    });
  return { ok: true, info, kept: features.length, left, problems };
}
