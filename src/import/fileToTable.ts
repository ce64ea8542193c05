/**
 * A planner's file made into a finished table without the dialog: the same
 * steps (inspect, guess the columns, check, load), with the dialog's
 * choices given up front. The CLI (`npm run pack -- --file …`) uses it; the
 * guessed mapping can be overridden column by column, and lon/lat columns
 * the inspection finds reversed are swapped, as the dialog proposes.
 */
import type { Crs } from '../catalog/types';
import type { Engine } from '../engine/types';
import type { KeptTable } from './savedTables';
import { tableAsFeatureCollection } from './tableGeoJSON';
import { guessMapping, type ColumnMapping, type TargetKind } from './userColumns';
import { inspectUserFile, type ImportProblem } from './userImport';
import { loadUserTable } from './userLoad';

export interface FileToTableOptions {
  kind: TargetKind;
  crs: Crs;
  /** The table to make (user__…). */
  table: string;
  /** Columns by role, over the guessed ones. */
  mapping?: ColumnMapping;
}

export type FileToTableResult = { ok: true; table: Omit<KeptTable, 'savedAt'>; problems: ImportProblem[] } | { ok: false; problems: ImportProblem[] };

export async function fileToTable(engine: Engine, name: string, bytes: Uint8Array, o: FileToTableOptions): Promise<FileToTableResult> {
  const stage = `${o.table}__stage`;
  const ins = await inspectUserFile(engine, name, bytes, stage);
  if (!ins.ok) return ins;
  try {
    // A column given for a role applies where the file has it (one --map may serve several files).
    const names = new Set(ins.columns.map((c) => c.name));
    const given = Object.fromEntries(Object.entries(o.mapping ?? {}).filter(([, c]) => c && names.has(c)));
    const mapping = { ...guessMapping(ins.columns), ...given };
    const swap = ins.coords === 'swapped';
    const loaded = await loadUserTable(engine, ins, { kind: o.kind, crs: o.crs, mapping, swap, table: o.table });
    const problems = [
      ...ins.problems.map((p): ImportProblem => (p.code === 'swapped' && swap ? { level: 'info', code: 'swapped', zh: '经度与纬度列颠倒，已交换。', en: 'The longitude and latitude columns were reversed; they were swapped.' } : p)),
      ...loaded.problems,
    ];
    if (!loaded.ok) return { ok: false, problems };
    const fc = await tableAsFeatureCollection(engine, o.table);
    return { ok: true, table: { table: o.table, kind: o.kind, file: name, geojson: JSON.stringify(fc) }, problems };
  } finally {
    await engine.dropTable(stage).catch(() => undefined);
  }
}
