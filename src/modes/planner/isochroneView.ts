/**
 * A clicked point's walking isochrones and facility checklist, kept in step
 * with the store (`iso`) while a life-circle layer is shown: the network and
 * facilities load into the network worker once per city, each click is
 * answered there, and the newest click wins.
 */
import type { Layer } from '@deck.gl/core';
import { sharedNetworkClient } from '../../analysis/network/client';
import type { TableRegistry } from '../../catalog/tables';
import type { Catalog, CityDef } from '../../catalog/types';
import { quoteIdent } from '../../engine/sql';
import type { Engine } from '../../engine/types';
import { isochroneLayers } from '../../layers/isochroneOverlay';
import type { Description } from '../../layers/types';
import type { Store } from '../../state/store';
import type { AppState } from '../../state/types';
import { TIERS, tierDistance, type TierId } from '../../standards/lifeCircle';
import { isochroneDescription } from '../../ui/isochroneChecklist';
import { uiScale } from '../../ui/uiScale';

export interface IsochroneViewDeps {
  catalog: Catalog;
  store: Store;
  engine: Promise<Engine>;
  tables: TableRegistry;
  city(): CityDef;
  setLayers(layers: Layer[]): void;
  /** Show (or with null, clear) the checklist in the inspector. */
  inspect(d: Description | null): void;
  /** The planner's facility table to use instead of the city's (modes/planner/userData.ts), or null. */
  userFacilities(): { table: string; file: string } | null;
  onError(message: string): void;
}

/** The planner's tier distances as the standards module's overrides. */
export function distanceOverrides(v: [number, number, number] | null): Partial<Record<TierId, number>> | undefined {
  return v ? { 5: v[0], 10: v[1], 15: v[2] } : undefined;
}

export function createIsochroneView(d: IsochroneViewDeps) {
  const network = sharedNetworkClient();
  let key = '';
  let seq = 0;
  let busy: Promise<void> = Promise.resolve();
  // One network load at a time: the worker holds one network, and a facility
  // source that changes while a click is answered (the planner's table kept
  // from before a reload) would otherwise swap it under the request.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const cellNodes = new Map<string, Promise<Int32Array>>();
  // Another facility source is another network key: the worker loads it afresh.
  const keyOf = (city: CityDef) => {
    const own = d.userFacilities();
    return own ? `${city.id}|${own.table}` : city.id;
  };
  const ready = async (city: CityDef) => {
    const own = d.userFacilities();
    await Promise.all(['walk_network', ...(own ? [] : ['facilities'])].map((ds) => d.tables.ensure(city, ds)));
    const e = await d.engine;
    let facilities = `${city.id}__facilities`;
    if (own) {
      // The worker reads id, type, name, lon, lat: the planner's table in that shape (types are its categories).
      facilities = 'user_analysis_facilities';
      await e.query(
        `CREATE OR REPLACE VIEW ${facilities} AS SELECT COALESCE(CAST(id AS VARCHAR), 'row' || CAST(__fid AS VARCHAR)) AS id, CAST(category AS VARCHAR) AS type, CAST(name AS VARCHAR) AS name, __xmin AS lon, __ymin AS lat FROM ${quoteIdent(own.table)} WHERE category IS NOT NULL`,
      );
    }
    await network.ensure(keyOf(city), (sql) => e.query(sql), { network: `${city.id}__walk_network`, facilities });
  };
  /** Each cell's node (once per network) and where added facilities reach. */
  const reachOf = async (city: CityDef, lon: Float64Array, lat: Float64Array, added: { lon: number; lat: number }[]) => {
    await ready(city);
    const key = keyOf(city);
    let nodes = cellNodes.get(key);
    if (!nodes) {
      // The data build puts a cell on a node within 750 m of its centre.
      nodes = network.nodes(key, lon, lat, 750);
      cellNodes.set(key, nodes);
      nodes.catch(() => cellNodes.delete(key));
    }
    const maxM = Math.max(...TIERS.map((t) => tierDistance(t.id)));
    const reach = await network.reach(key, added, maxM);
    return { cellNode: await nodes, reach };
  };
  return {
    /** For the life-circle layer's facility scenario. */
    facilityReach(city: CityDef, lon: Float64Array, lat: Float64Array, added: { lon: number; lat: number }[]) {
      return serial(() => reachOf(city, lon, lat, added));
    },
    /** The life-circle layer is what a map click talks to when it is shown. */
    layerId(s: AppState): string | null {
      return d.catalog.layers.find((l) => l.kind === 'lifecircle' && s.layers.includes(l.id))?.id ?? null;
    },
    sync(s: AppState) {
      const next = s.iso && this.layerId(s) ? JSON.stringify([s.city, s.iso, s.lang, s.isoDistances, d.userFacilities()?.table ?? null]) : '';
      if (next === key) return;
      const had = key !== '';
      key = next;
      const my = ++seq;
      if (!next || !s.iso) {
        d.setLayers([]);
        if (had) d.inspect(null);
        return;
      }
      const city = d.city();
      const [lon, lat] = s.iso;
      busy = serial(async () => {
        if (my !== seq) return; // a newer click came while waiting its turn
        try {
          await ready(city);
          const overrides = distanceOverrides(s.isoDistances);
          const own = d.userFacilities();
          const r = await network.isochrone(keyOf(city), lon, lat, TIERS.map((t) => tierDistance(t.id, overrides)));
          if (!r || my !== seq) return;
          d.setLayers(isochroneLayers(r, uiScale()));
          const modelled = { network: !!city.datasets.walk_network?.provenance.modelled, facilities: own ? false : !!city.datasets.facilities?.provenance.modelled, facilitiesFrom: own?.file };
          d.inspect(isochroneDescription(r, d.store.get().lang, modelled, overrides));
        } catch (err) {
          if (my === seq) d.onError((err as Error).message || String(err));
        }
      });
    },
    /** Resolves once the latest click's answer is drawn (tests and screenshots wait for it). */
    idle: () => busy,
  };
}
