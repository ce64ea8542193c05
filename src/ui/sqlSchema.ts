/**
 * The console's table list: the built-in tables (the city on screen first)
 * and the planner's, each with its row count and, folded, its columns and
 * types; a click on a table's name puts `SELECT * FROM "…" LIMIT 100` in the
 * editor. The city's catalog tables no layer has loaded yet can be loaded
 * from here. Every name is a text node.
 */
import type { Lang } from '../state/types';
import { clear, h } from './dom';
import { S, fmtInt } from './sqlConsoleText';

export interface SchemaTable {
  name: string;
  rows: number;
  columns: { name: string; type: string }[];
  group: 'catalog' | 'user';
}
export interface SchemaListing {
  tables: SchemaTable[];
  /** The city's catalog tables no layer has loaded yet. */
  loadable: { name: string; load(): Promise<void> }[];
}

/** The query a click on a table puts in the editor (the name quoted as an identifier). */
export const selectAllSql = (table: string) => `SELECT * FROM "${table.replace(/"/g, '""')}" LIMIT 100`;

export function renderSchema(
  box: HTMLElement,
  o: { lang: Lang; schema: SchemaListing | null; error: string | null; onPick(sql: string): void; onLoaded(): void; onError(message: string): void },
): void {
  const { lang, schema } = o;
  clear(box);
  if (o.error) return void box.append(h('p', { class: 'sql-schema-error', role: 'alert' }, o.error));
  if (!schema) return void box.append(h('p', { class: 'sql-schema-note' }, S.loadingTables[lang]));
  for (const group of ['catalog', 'user'] as const) {
    const list = schema.tables.filter((x) => x.group === group);
    if (!list.length) continue;
    const ul = h('ul', { class: 'sql-schema-group' });
    for (const tb of list) {
      const pick = h('button', { type: 'button', class: 'sql-table-name', 'data-table': tb.name, title: S.insertTitle[lang] }, tb.name);
      pick.addEventListener('click', () => o.onPick(selectAllSql(tb.name)));
      const cols = h(
        'details',
        { class: 'sql-cols-box' },
        h('summary', {}, `${S.rowCount[lang](fmtInt(tb.rows, lang))} · ${tb.columns.length} ${S.columnsOf[lang]}`),
        h('ul', { class: 'sql-cols' }, ...tb.columns.map((c) => h('li', {}, h('span', { class: 'sql-col' }, c.name), ' ', h('span', { class: 'sql-type' }, c.type)))),
      );
      ul.append(h('li', { class: 'sql-schema-table' }, pick, cols));
    }
    box.append(h('h4', { class: 'sql-group' }, S[group === 'catalog' ? 'builtIn' : 'yours'][lang]), ul);
  }
  if (schema.loadable.length) {
    const ul = h('ul', { class: 'sql-schema-group' });
    for (const x of schema.loadable) {
      const b = h('button', { type: 'button', class: 'sql-load', title: S.loadTitle[lang] }, `＋ ${x.name}`);
      b.addEventListener('click', () => {
        b.disabled = true;
        void x.load().then(o.onLoaded, (e: Error) => o.onError(e.message));
      });
      ul.append(h('li', {}, b));
    }
    box.append(h('h4', { class: 'sql-group' }, S.notLoaded[lang]), ul);
  }
}
