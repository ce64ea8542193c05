/**
 * `npm run pack -- --city jinan [...]`: writes a data pack zip (src/packs/format.ts)
 * of the catalog limited to some cities, every file it names, their stories and
 * optional CNEMC CSV imports and the planner's own files (GeoJSON, Parquet,
 * CSV), made into layers of "Your data" by the app's import steps. Errors print one line on stderr and exit 2; the
 * zip is written to a temporary file, read back and checked, then renamed, so a
 * failed run leaves no output file.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPack, packNameFrom, unzipPack, zipPack, type O3Columns, type StoryIndex } from '../src/packs/format.ts';
import { validateCatalog } from '../src/catalog/validate.ts';
import { PACK_NAME } from '../src/pwa/cacheNames.ts';
import type { Crs } from '../src/catalog/types.ts';
import { createNodeEngine } from '../src/engine/node.ts';
import { fileToTable } from '../src/import/fileToTable.ts';
import { tableNameFor } from '../src/import/tableName.ts';
import { KIND_RULES, ROLE_NAMES, type ColumnMapping, type Role, type TargetKind } from '../src/import/userColumns.ts';

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
  --no-stories         leave the stories out
  --out <file.zip>     output file (default: <name>.zip in the current directory)
  --help               show this help`;

/** A problem with what the user asked for: one line on stderr, exit code 2. */
class Fail extends Error {}

function readOrFail(file: string, what: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new Fail(`cannot read ${what}: ${why} (${file})`);
  }
}

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

  const tables = await tablesFromFiles(values, cwd);

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

/** The --file options made into finished tables, through the same steps as the app's import dialog. */
async function tablesFromFiles(values: { file?: string[]; kind?: string[]; crs?: string; map?: string[] }, cwd: string) {
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
    const out = [];
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

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`pack: error: ${(e as Error).message}\n`);
  process.exitCode = e instanceof Fail ? 2 : 1;
});
