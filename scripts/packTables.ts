/**
 * The planner's tables of a pack made on the command line: files made into
 * tables by the app's import steps (--file), and live sources fetched for
 * each city (--live), or answered from recorded responses (--replay).
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Catalog, CityDef, Crs } from '../src/catalog/types.ts';
import { connectorById, datavBoundaries, LIVE_CONNECTORS, openMeteoAir, type Connector, type AreaInput, type LiveTable, type Station } from '../src/connectors/index.ts';
import { createNodeEngine } from '../src/engine/node.ts';
import { fileToTable } from '../src/import/fileToTable.ts';
import type { KeptTable } from '../src/import/savedTables.ts';
import { tableNameFor } from '../src/import/tableName.ts';
import { KIND_RULES, ROLE_NAMES, type ColumnMapping, type Role, type TargetKind } from '../src/import/userColumns.ts';

type Table = Omit<KeptTable, 'savedAt'>;

/** A problem with what the user asked for: one line on stderr, exit code 2. */
export class Fail extends Error {}

export function readOrFail(file: string, what: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new Fail(`cannot read ${what}: ${why} (${file})`);
  }
}

/** The --file options made into finished tables, through the same steps as the app's import dialog. */
export async function tablesFromFiles(values: { file?: string[]; kind?: string[]; crs?: string; map?: string[] }, cwd: string) {
  const files = values.file ?? [];
  if (!files.length) {
    if (values.kind?.length || values.crs || values.map?.length) throw new Fail('--kind, --crs and --map go with --file (see --help)');
    return [];
  }
  const kinds = values.kind ?? [];
  if (!(kinds.length === files.length || kinds.length === 1)) throw new Fail(`give one --kind for all files or one per --file (${files.length} files, ${kinds.length} --kind)`);
  for (const k of kinds) if (!Object.hasOwn(KIND_RULES, k)) throw new Fail(`unknown --kind "${k}" (one of: ${Object.keys(KIND_RULES).join(', ')})`);
  const crs = (values.crs ?? 'WGS84').toUpperCase().replace('-', '');
  if (!['WGS84', 'GCJ02', 'BD09'].includes(crs)) throw new Fail(`--crs must be WGS84, GCJ02 or BD09, not "${values.crs}"`);
  const mapping: ColumnMapping = {};
  for (const m of values.map ?? []) {
    const [role, column] = [m.slice(0, m.indexOf('=')), m.slice(m.indexOf('=') + 1)];
    if (!m.includes('=') || !Object.hasOwn(ROLE_NAMES, role) || !column) throw new Fail(`--map takes role=column with a role among ${Object.keys(ROLE_NAMES).join(', ')}, not "${m}"`);
    mapping[role as Role] = column;
  }
  const engine = await createNodeEngine();
  try {
    const out: Table[] = [];
    for (const [i, f] of files.entries()) {
      const file = resolve(cwd, f);
      const kind = (kinds[i] ?? kinds[0]) as TargetKind;
      const table = tableNameFor(basename(file), out.map((t) => t.table));
      const r = await fileToTable(engine, basename(file), readOrFail(file, `--file ${f}`), { kind, crs: crs as Crs, table, mapping });
      const lines = r.problems.filter((p) => p.level !== 'info' || !r.ok).map((p) => `  ${p.level}: ${p.en}`);
      if (!r.ok) throw new Fail(`${basename(file)} cannot be made a ${kind} layer:\n${lines.join('\n')}`);
      for (const l of lines) process.stderr.write(`${basename(file)}:${l}\n`);
      out.push(r.table);
    }
    return out;
  } finally {
    await engine.close();
  }
}

/** The stations of a city (its catalog stations GeoJSON), for Open-Meteo. */
function stationsOf(city: CityDef, dataDir: string): Station[] {
  const ds = city.datasets.stations;
  if (!ds || ds.format !== 'geojson') return [];
  const fc = JSON.parse(readFileSync(join(dataDir, ds.path), 'utf8')) as { features: { properties: { id?: unknown; name?: unknown }; geometry: { type: string; coordinates: number[] } | null }[] };
  return fc.features
    .filter((f) => f.geometry?.type === 'Point')
    .map((f) => ({ id: String(f.properties.id), name: String(f.properties.name ?? f.properties.id), lon: f.geometry!.coordinates[0]!, lat: f.geometry!.coordinates[1]! }));
}

/** A fetch that answers a connector with its recorded answer, <dir>/<connector id>.json (read before asking, so a missing one is named). */
function replayFetch(dir: string, id: string): typeof fetch {
  const body = readOrFail(join(dir, `${id}.json`), `the recorded answer of ${id}`) as Uint8Array<ArrayBuffer>;
  return async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
}

/**
 * The --live sources fetched for every city of the pack: Overpass over
 * --bbox or the city's bounds, Open-Meteo at the city's stations, DataV by
 * the city's code. A source that fails stops the pack (a pack missing a
 * layer would fail in the meeting room).
 */
export async function tablesFromLive(values: { live?: string[]; bbox?: string; replay?: string }, cwd: string, catalog: Catalog, cities: string[], dataDir: string): Promise<Table[]> {
  const ids = (values.live ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (!ids.length) {
    if (values.bbox || values.replay) throw new Fail('--bbox and --replay go with --live (see --help)');
    return [];
  }
  for (const id of ids) if (!connectorById(id)) throw new Fail(`unknown --live source "${id}" (one of: ${LIVE_CONNECTORS.map((c) => c.id).join(', ')})`);
  let bbox: [number, number, number, number] | null = null;
  if (values.bbox) {
    const n = values.bbox.split(',').map(Number);
    if (n.length !== 4 || !n.every(Number.isFinite) || n[0]! >= n[2]! || n[1]! >= n[3]!) throw new Fail(`--bbox takes west,south,east,north in degrees, not "${values.bbox}"`);
    bbox = n as [number, number, number, number];
  }
  const replay = values.replay ? resolve(cwd, values.replay) : null;
  const out: Table[] = [];
  for (const cityId of cities) {
    const city = catalog.cities.find((c) => c.id === cityId)!;
    const place = city.name;
    for (const id of ids) {
      const c = connectorById(id)!;
      let opts: { fetchImpl?: typeof fetch };
      try {
        opts = { fetchImpl: replay ? replayFetch(replay, id) : undefined };
      } catch (e) {
        throw new Fail(`${id} for ${city.id}: ${(e as Error).message}`);
      }
      let t: LiveTable;
      try {
        if (c.id === openMeteoAir.id) t = await openMeteoAir.run({ stations: stationsOf(city, dataDir), place }, opts);
        else if (c.id === datavBoundaries.id) t = await datavBoundaries.run({ city: city.id, place }, opts);
        else t = await (c as Connector<AreaInput>).run({ bbox: bbox ?? city.bounds, place }, opts);
      } catch (e) {
        throw new Fail(`${id} for ${city.id}: ${(e as Error).message}`);
      }
      if (!t.features.features.length) throw new Fail(`${id} for ${city.id}: the source returned nothing usable`);
      const table = tableNameFor(`${id}_${city.id}`, out.map((x) => x.table));
      out.push({
        table,
        kind: t.kind,
        file: t.title.zh,
        geojson: JSON.stringify(t.features),
        provenance: { source: t.provenance.source, license: t.provenance.license, modelled: t.provenance.modelled, fetchedAt: t.fetchedAt, url: t.url },
      });
      process.stderr.write(`${id} for ${city.id}: ${t.features.features.length} records${t.skipped ? `, ${t.skipped} left out` : ''} (${replay ? 'recorded answer' : t.url.slice(0, 60) + '…'})\n`);
    }
  }
  return out;
}
