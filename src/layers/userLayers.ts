/**
 * The planner's imported tables drawn on the map (import/userLoad.ts made
 * them): one GeoJsonLayer each, coloured by the layer kind it was imported
 * as, with a stable id per table. Their features are read from DuckDB once,
 * like every layer's data.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Feature, FeatureCollection } from 'geojson';
import type { Lang } from '../state/types';
import { describeRecord } from './describeRecord';
import type { Description } from './types';
import type { Engine } from '../engine/types';
import { tableAsFeatureCollection } from '../import/tableGeoJSON';
import type { TargetKind } from '../import/userColumns';

export interface UserTable {
  table: string;
  kind: TargetKind;
  /** The file it came from (shown as text). */
  file: string;
  features: FeatureCollection;
}

/** Fill and line colours per kind: close to the built-in layers', with a dashed-looking white outline to tell them apart. */
const COLOURS: Record<TargetKind, [number, number, number]> = {
  park: [46, 139, 87],
  restoration: [160, 110, 60],
  stations: [220, 120, 0],
  facility: [120, 80, 200],
  boundary: [90, 90, 90],
  population: [200, 60, 90],
  network: [60, 110, 200],
};

export async function readUserTable(engine: Engine, table: string, kind: TargetKind, file: string): Promise<UserTable> {
  return { table, kind, file, features: await tableAsFeatureCollection(engine, table) };
}

export const userLayerId = (table: string) => `user-${table}`;

/** A clicked feature of a planner's table: its properties, and which file they came from. */
export function describeUserFeature(u: UserTable & { provenance?: { modelled?: boolean } }, object: unknown, lang: Lang): Description | null {
  const props = (object as Feature | null)?.properties;
  if (!props || typeof props !== 'object') return null;
  const zh = lang === 'zh';
  const title = String(props.name ?? props['名称'] ?? u.file);
  const modelled = u.provenance?.modelled ? (zh ? '（模拟数据）' : ' (modelled)') : '';
  return describeRecord(title, `${zh ? '你的数据' : 'Your data'} · ${u.file}${modelled}`, props as Record<string, unknown>, lang);
}

export function userLayers(tables: readonly UserTable[], scale = 1): Layer[] {
  return tables.map((u) => {
    const c = COLOURS[u.kind];
    return new GeoJsonLayer({
      id: userLayerId(u.table),
      data: u.features,
      pickable: true,
      stroked: true,
      filled: u.kind !== 'network',
      getFillColor: [...c, u.kind === 'boundary' ? 0 : 150],
      getLineColor: u.kind === 'network' || u.kind === 'boundary' ? [...c, 230] : [255, 255, 255, 230],
      getLineWidth: u.kind === 'network' || u.kind === 'boundary' ? 2 : 1,
      lineWidthUnits: 'pixels',
      pointType: 'circle',
      getPointRadius: 5 * scale,
      pointRadiusUnits: 'pixels',
    }) as unknown as Layer;
  });
}
