/**
 * A console result drawn on the map: the rows become GeoJSON features when
 * the result has a `__geom` column (GeoJSON text, as the catalog's and the
 * planner's GeoJSON tables hold), lon/lat-like columns (points) or the
 * walking network's x1,y1,x2,y2 (lines). One GeoJsonLayer with a stable id,
 * in a colour no thematic layer uses, so it reads as "your query".
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { displayCell, type Cell, type ResultData } from '../ui/sqlResultData';
import type { Lang } from '../state/types';
import { describeRecord } from './describeRecord';
import type { Description } from './types';

export const SQL_RESULT_LAYER_ID = 'sql-result';

export type ResultGeometry =
  | { kind: 'geojson'; column: number }
  | { kind: 'points'; lon: number; lat: number }
  | { kind: 'lines'; x1: number; y1: number; x2: number; y2: number };

const LON = ['lon', 'lng', 'long', 'longitude', 'x', '经度', '__xmin'];
const LAT = ['lat', 'latitude', 'y', '纬度', '__ymin'];

/** Where a result's positions are, by column names and kinds; null when it has none. */
export function findResultGeometry(data: ResultData): ResultGeometry | null {
  const names = data.columns.map((c) => c.name.toLowerCase());
  const col = (want: string, kind?: 'number' | 'text') => names.findIndex((n, i) => n === want && (!kind || data.columns[i]!.kind === kind));
  const geom = ['__geom', 'geojson', 'geometry', 'geom'].map((n) => col(n, 'text')).find((i) => i >= 0);
  if (geom !== undefined) return { kind: 'geojson', column: geom };
  const first = (list: string[]) => list.map((n) => col(n, 'number')).find((i) => i >= 0) ?? -1;
  const lon = first(LON);
  const lat = first(LAT);
  if (lon >= 0 && lat >= 0) return { kind: 'points', lon, lat };
  const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((n) => col(n, 'number'));
  if (x1! >= 0 && y1! >= 0 && x2! >= 0 && y2! >= 0) return { kind: 'lines', x1: x1!, y1: y1!, x2: x2!, y2: y2! };
  return null;
}

const okLon = (v: Cell): v is number => typeof v === 'number' && Number.isFinite(v) && v >= -180 && v <= 180;
const okLat = (v: Cell): v is number => typeof v === 'number' && Number.isFinite(v) && v >= -90 && v <= 90;

function parseGeometry(v: Cell): Geometry | null {
  if (typeof v !== 'string' || v.length === 0) return null;
  try {
    const g = JSON.parse(v) as Geometry | Feature | null;
    if (!g || typeof g !== 'object') return null;
    const geometry = g.type === 'Feature' ? (g as Feature).geometry : (g as Geometry);
    return geometry && typeof geometry.type === 'string' ? geometry : null;
  } catch {
    return null;
  }
}

export interface ResultFeatures {
  features: FeatureCollection;
  /** [west, south, east, north] of what was drawn, or null when nothing was. */
  bounds: [number, number, number, number] | null;
  /** Rows without a usable position (left off the map). */
  skipped: number;
}

/** The result's rows as features (properties: the row index, for nothing else is needed on the map). */
export function resultFeatures(data: ResultData, g: ResultGeometry): ResultFeatures {
  const features: Feature[] = [];
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const extend = (x: number, y: number) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  };
  const walk = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') extend(c[0], c[1] as number);
    else for (const x of c) walk(x);
  };
  let skipped = 0;
  data.rows.forEach((row, i) => {
    let geometry: Geometry | null = null;
    if (g.kind === 'geojson') geometry = parseGeometry(row[g.column]!);
    else if (g.kind === 'points') {
      const [x, y] = [row[g.lon]!, row[g.lat]!];
      if (okLon(x) && okLat(y)) geometry = { type: 'Point', coordinates: [x, y] };
    } else {
      const [x1, y1, x2, y2] = [row[g.x1]!, row[g.y1]!, row[g.x2]!, row[g.y2]!];
      if (okLon(x1) && okLat(y1) && okLon(x2) && okLat(y2)) geometry = { type: 'LineString', coordinates: [[x1, y1], [x2, y2]] };
    }
    if (!geometry) {
      skipped++;
      return;
    }
    if (geometry.type === 'GeometryCollection') geometry.geometries.forEach((x) => walk((x as { coordinates?: unknown }).coordinates));
    else walk(geometry.coordinates);
    features.push({ type: 'Feature', geometry, properties: { row: i } });
  });
  return { features: { type: 'FeatureCollection', features }, bounds: features.length && w <= e ? [w, s, e, n] : null, skipped };
}

/** A drawn row for the tooltip and inspector: its columns as the results table shows them. */
export function describeResultRow(data: ResultData, object: unknown, lang: Lang): Description | null {
  const i = (object as Feature | null)?.properties?.row;
  const row = typeof i === 'number' ? data.rows[i] : undefined;
  if (!row) return null;
  const zh = lang === 'zh';
  const record = Object.fromEntries(data.columns.map((c, k) => [c.name, row[k] === null ? null : displayCell(row[k]!, c.kind, lang)]));
  return describeRecord(zh ? `查询结果 · 第 ${i + 1} 行` : `Query result · row ${i + 1}`, zh ? '你的 SQL 查询（只读）' : 'Your SQL query (read-only)', record, lang);
}

/** The deck.gl layer; `dark` lightens the outline for a dark base. */
export function sqlResultLayer(fc: FeatureCollection, scale = 1, dark = false): Layer {
  return new GeoJsonLayer({
    id: SQL_RESULT_LAYER_ID,
    data: fc,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 110],
    stroked: true,
    filled: true,
    // Points solid, areas see-through so the map under them still reads.
    getFillColor: (f: Feature) => (f.geometry.type === 'Point' || f.geometry.type === 'MultiPoint' ? [214, 51, 132, 235] : [214, 51, 132, 110]),
    getLineColor: dark ? [255, 200, 230, 255] : [150, 20, 90, 255],
    getLineWidth: 2,
    lineWidthUnits: 'pixels',
    lineWidthMinPixels: 1.5,
    pointType: 'circle',
    getPointRadius: 5 * scale,
    pointRadiusUnits: 'pixels',
    pointRadiusMinPixels: 3,
  }) as unknown as Layer;
}
