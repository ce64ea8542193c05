/**
 * `npm run pack -- --city jinan [...]`: writes a data pack zip (src/packs/format.ts)
 * of the catalog limited to some cities, every file it names, their stories and
 * optional CNEMC CSV imports, the planner's own files (GeoJSON, Parquet, CSV)
 * made into layers of "Your data" by the app's import steps, and live sources
 * (OSM, Open-Meteo, DataV) fetched for each city (./packTables.ts). Errors print one line on stderr and exit 2; the
 * zip is written to a temporary file, read back and checked, then renamed, so a
 * failed run leaves no output file.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPack, packNameFrom, unzipPack, zipPack, type O3Columns, type StoryIndex } from '../src/packs/format.ts';
import { validateCatalog } from '../src/catalog/validate.ts';
import { fetchRemoteDataset, remoteYears } from '../src/catalog/remoteDataset.ts';
import { PACK_NAME } from '../src/pwa/cacheNames.ts';
import { KIND_RULES } from '../src/import/userColumns.ts';
import { LIVE_CONNECTORS } from '../src/connectors/index.ts';
import { Fail, readOrFail, tablesFromFiles, tablesFromLive } from './packTables.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: npm run pack -- (--city <id>[,<id>…] … | --all) [options]

  --city <id>          a city of the catalog (repeatable, or comma-separated)
  --all                every city in the catalog
  --data <dir>         data directory holding catalog.json (default: ${join(ROOT, 'data')})
  --name <name>        pack name: letters, digits, . _ - (default: from --title, or the cities joined by "-")
  --title <text>       title shown in the app (default: the cities' Chinese names + " 数据包")
  --import <file.csv>  a CNEMC air-quality CSV the app imports again on opening the pack (repeatable)
  --o3 <columns>       O3 columns of all imports: swapped (default) or as-labelled
  --file <file>        a GeoJSON, Parquet or CSV of your own, carried as a layer of "Your data" (repeatable)
  --kind <kind>        the layer kind of each --file, in order (one --kind for all is fine):
                       ${Object.keys(KIND_RULES).join(', ')}
  --crs <crs>          the coordinate system of the --file coordinates: WGS84 (default), GCJ02 or BD09
  --map <role=column>  use this column for a role (id, name, value, time, category) over the guessed one (repeatable)
  --live <source>      fetch a live source for each city into "Your data" (repeatable, or comma-separated):
                       ${LIVE_CONNECTORS.map((c) => c.id).join(', ')}
                       (needs the network; OSM over the city's bounds or --bbox, Open-Meteo at its stations)
  --bbox <w,s,e,n>     the area for the OSM sources, in degrees (default: each city's bounds)
  --replay <dir>       answer each live source from <dir>/<source>.json instead of the network (rehearsals, tests)
  --no-stories         leave the stories out
  --out <file.zip>     output file (default: <name>.zip in the current directory)
  --help               show this help`;

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new Fail(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;

async function main(argv: string[]): Promise<void> {
  // Under `npm run pack` the process runs in the project root; relative paths are the user's.
  const cwd = process.env.npm_lifecycle_event === 'pack' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        city: { type: 'string', multiple: true },
        all: { type: 'boolean' },
        data: { type: 'string' },
        name: { type: 'string' },
        title: { type: 'string' },
        import: { type: 'string', multiple: true },
        o3: { type: 'string' },
        file: { type: 'string', multiple: true },
        kind: { type: 'string', multiple: true },
        crs: { type: 'string' },
        map: { type: 'string', multiple: true },
        live: { type: 'string', multiple: true },
        bbox: { type: 'string' },
        replay: { type: 'string' },
        'no-stories': { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new Fail(`${(e as Error).message.split('\n')[0]} (see --help)`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const o3 = (values.o3 ?? 'swapped') as O3Columns;
  if (o3 !== 'swapped' && o3 !== 'as-labelled') throw new Fail(`--o3 must be "swapped" or "as-labelled", not "${values.o3}"`);

  const dataDir = values.data ? resolve(cwd, values.data) : join(ROOT, 'data');
  const catalogFile = join(dataDir, 'catalog.json');
  const checked = validateCatalog(parseJson(readOrFail(catalogFile, 'the catalog'), catalogFile));
  for (const p of checked.problems) process.stderr.write(`warning: ${catalogFile} ${p.path}: ${p.message}\n`);
  const catalog = checked.catalog;
  if (!catalog) throw new Fail(`${catalogFile} is not a usable catalog (problems above)`);

  const known = catalog.cities.map((c) => c.id);
  const asked = values.all ? known : [...new Set((values.city ?? []).flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean))];
  if (!asked.length) throw new Fail('no city given: use --city <id> or --all (see --help)');
  const unknown = asked.filter((c) => !known.includes(c));
  if (unknown.length) throw new Fail(`unknown city ${unknown.map((c) => `"${c}"`).join(', ')} (the catalog has: ${known.join(', ')})`);
  const cities = known.filter((c) => asked.includes(c));

  const title = values.title ?? `${cities.map((id) => catalog.cities.find((c) => c.id === id)!.name.zh).join('、')} 数据包`;
  const name = values.name ?? (values.title && /[A-Za-z0-9]/.test(values.title) ? packNameFrom(values.title) : cities.join('-'));
  if (!PACK_NAME.test(name)) throw new Fail(`invalid pack name "${name}" (letters, digits, . _ - only; at most 64)`);

  let stories: StoryIndex | null = null;
  if (!values['no-stories']) {
    const file = join(dataDir, 'stories/index.json');
    const index = parseJson(readOrFail(file, 'the stories index (use --no-stories to leave stories out)'), file) as StoryIndex;
    if (!index || !Array.isArray(index.stories)) throw new Fail(`${file} has no "stories" list`);
    stories = index;
  }
  const imports = (values.import ?? []).map((f) => {
    const file = resolve(cwd, f);
    return { name: basename(file), bytes: readOrFail(file, `import ${f}`), o3Columns: o3 };
  });

  const tables = [...(await tablesFromFiles(values, cwd)), ...(await tablesFromLive(values, cwd, catalog, cities, dataDir))];

  const pkg = parseJson(readFileSync(join(ROOT, 'package.json')), 'package.json') as { version: string };
  let contents;
  try {
    contents = await buildPack({
      name,
      title,
      catalog,
      cities,
      stories,
      imports,
      tables,
      // Remote stores are copied in (their vintage year): a pack must open with no network.
      remote: async (city, _ds, file) => {
        const years = remoteYears(file);
        return { bytes: await fetchRemoteDataset(city, file, years, (...a) => fetch(...a)), years };
      },
      madeBy: `cli civic-atlas ${pkg.version}`,
      read: async (p) => readOrFail(join(dataDir, p), `data file ${p}`),
    });
  } catch (e) {
    throw e instanceof Fail ? e : new Fail((e as Error).message);
  }

  const out = resolve(cwd, values.out ?? `${name}.zip`);
  const tmp = `${out}.${process.pid}.tmp`;
  const zip = zipPack(contents.files);
  try {
    writeFileSync(tmp, zip);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Fail(`cannot write ${out}: ${(e as Error).message}`);
  }
  try {
    const back = unzipPack(readFileSync(tmp));
    if (back.files.size !== contents.files.size) throw new Error(`the written zip holds ${back.files.size} files, expected ${contents.files.size}`);
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`writing ${out} failed: ${(e as Error).message}`);
  }

  const m = contents.manifest;
  const size = statSync(out).size;
  const n = m.cities.length;
  const extra =
    (m.imports.length ? `, ${m.imports.length} import${m.imports.length > 1 ? 's' : ''}` : '') + (m.tables?.length ? `, ${m.tables.length} table${m.tables.length > 1 ? 's' : ''} (${m.tables.map((t) => t.table).join(', ')})` : '');
  process.stdout.write(`pack ${m.name}: ${n} ${n > 1 ? 'cities' : 'city'} (${m.cities.join(', ')}), ${m.files.length} files${extra}, ${mb(size)} → ${out}\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`pack: error: ${(e as Error).message}\n`);
  process.exitCode = e instanceof Fail ? 2 : 1;
});
