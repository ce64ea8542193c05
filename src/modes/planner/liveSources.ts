/**
 * What the live sources (src/connectors) fetch from here, and where their
 * results go: OpenStreetMap for the map area the planner sees, Open-Meteo at
 * the city's stations, DataV for the city's districts. A result becomes a
 * table of the planner's (user__…), loaded, drawn and kept like an imported
 * file, with the source's provenance (modelled or not) shown with it.
 */
import type { CityDef } from '../../catalog/types';
import type { TableRegistry } from '../../catalog/tables';
import { bboxAreaKm2, OVERPASS_LIMITS } from '../../connectors/overpass';
import { CITY_ADCODES, datavBoundaries, openMeteoAir, osmFacilities, osmNetwork, osmParks, type BBox, type Connector, type LiveTable, type Station } from '../../connectors';
import { quoteIdent } from '../../engine/sql';
import type { Engine } from '../../engine/types';
import { tableNameFor } from '../../import/tableName';
import { KIND_RULES } from '../../import/userColumns';
import type { MapView } from '../../map/mapView';
import type { Lang } from '../../state/types';
import { openLiveSourceDialog, type LiveOffer } from '../../ui/liveSourceDialog';
import type { createUserData } from './userData';

type UserData = ReturnType<typeof createUserData>;

/** The map area on screen, in WGS-84 (the view may show a GCJ-02 base). */
export function visibleBBox(view: MapView): BBox {
  const c = view.map.getContainer();
  const corners = [
    [0, 0],
    [c.clientWidth, 0],
    [0, c.clientHeight],
    [c.clientWidth, c.clientHeight],
  ].map(([x, y]) => view.toData(x!, y!));
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const r = (v: number) => Math.round(v * 1e5) / 1e5;
  return [r(Math.min(...xs)), r(Math.min(...ys)), r(Math.max(...xs)), r(Math.max(...ys))];
}

async function cityStations(engine: Engine, tables: TableRegistry, city: CityDef): Promise<Station[]> {
  if (!city.datasets.stations) return [];
  const t = await tables.ensure(city, 'stations');
  const rows = (await engine.query(`SELECT CAST(id AS VARCHAR) AS id, CAST(name AS VARCHAR) AS name, __xmin AS lon, __ymin AS lat FROM ${quoteIdent(t)}`)).toArray();
  return rows.map((r) => ({ id: String(r.id), name: String(r.name ?? r.id), lon: Number(r.lon), lat: Number(r.lat) }));
}

const km2 = (n: number, lang: Lang) => `${Math.round(n).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')}`;

export async function liveOffers(d: { city: CityDef; lang: Lang; engine: Engine; tables: TableRegistry; view: MapView; userData: UserData }): Promise<LiveOffer[]> {
  const place = d.city.name;
  const bbox = visibleBBox(d.view);
  const area = bboxAreaKm2(bbox);
  const stations = await cityStations(d.engine, d.tables, d.city).catch(() => [] as Station[]);

  const finish = async (c: Connector<never>, t: LiveTable) => {
    if (!t.features.features.length)
      throw { zh: '数据源没有返回可用的数据（此范围内可能没有）。未添加任何图层。', en: 'The source returned nothing usable (there may be none here). No layer was added.' };
    const taken = [...(await d.engine.tables()), ...d.userData.names()];
    const table = tableNameFor(`${c.id}_${d.city.id}`, taken);
    await d.userData.addLive({
      table,
      kind: t.kind,
      file: t.title[d.lang],
      geojson: JSON.stringify(t.features),
      provenance: { source: t.provenance.source, license: t.provenance.license, modelled: t.provenance.modelled, fetchedAt: t.fetchedAt, url: t.url },
    });
    return { rows: t.features.features.length, skipped: t.skipped, table };
  };

  const base = (c: Connector<never>) => ({
    id: c.id,
    label: c.label,
    kindLabel: KIND_RULES[c.kind].label,
    source: c.provenance.source,
    license: c.provenance.license,
    modelled: c.provenance.modelled,
    caveats: c.provenance.caveats ?? [],
    origin: c.origin,
  });
  const osm = (c: typeof osmParks, theme: keyof typeof OVERPASS_LIMITS): LiveOffer => {
    const max = OVERPASS_LIMITS[theme].maxAreaKm2;
    return {
      ...base(c),
      scope: { zh: `地图上可见的范围（约 ${km2(area, 'zh')} 平方公里）`, en: `the map area you see (about ${km2(area, 'en')} km²)` },
      unavailable:
        area > max
          ? { zh: `可见范围约 ${km2(area, 'zh')} 平方公里，超过此数据源一次可取的 ${km2(max, 'zh')} 平方公里：请放大地图。`, en: `The area you see is about ${km2(area, 'en')} km², more than the ${km2(max, 'en')} km² this source answers at once: zoom in.` }
          : null,
      run: async (signal, onProgress) => finish(c, await c.run({ bbox, place }, { signal, onProgress })),
    };
  };
  return [
    osm(osmParks, 'parks'),
    osm(osmFacilities, 'facilities'),
    osm(osmNetwork, 'network'),
    {
      ...base(openMeteoAir),
      scope: { zh: `${place.zh}的 ${stations.length} 个监测站位置，过去一天与未来一天的逐小时值`, en: `the ${stations.length} station positions of ${place.en}, hourly for the past day and the next` },
      unavailable: stations.length ? null : { zh: '此城市没有监测站位置。', en: 'This city has no station positions.' },
      run: async (signal, onProgress) => finish(openMeteoAir, await openMeteoAir.run({ stations, place }, { signal, onProgress })),
    },
    {
      ...base(datavBoundaries),
      scope: { zh: `${place.zh}的区县边界（当前版本）`, en: `the districts of ${place.en} (current version)` },
      unavailable: Object.hasOwn(CITY_ADCODES, d.city.id) ? null : { zh: '不知道此城市的行政区划代码。', en: 'The administrative code of this city is not known.' },
      run: async (signal, onProgress) => finish(datavBoundaries, await datavBoundaries.run({ city: d.city.id, place }, { signal, onProgress })),
    },
  ];
}

/** Opens the dialog for the city and the map area on screen now. */
export async function openLiveSources(root: HTMLElement, d: Parameters<typeof liveOffers>[0]): Promise<void> {
  openLiveSourceDialog(root, { lang: d.lang, offers: await liveOffers(d), online: () => navigator.onLine });
}
