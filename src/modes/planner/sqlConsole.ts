/**
 * The planner's SQL console in the app: the "SQL" button opens it over the
 * bottom of the map; queries go to the engine's read-only path
 * (engine/readOnly.ts) with the catalog tables they name loaded first; a
 * result with positions is drawn as the `sql-result` layer (the
 * controller's own slot) and the map fitted to it. The layer goes when the
 * console closes, a new query starts or the planner clears it. Recent
 * queries, the draft, the row limit and the height last for the session.
 */
import type { Catalog, CityDef } from '../../catalog/types';
import type { TableRegistry } from '../../catalog/tables';
import { tableName } from '../../catalog/tables';
import type { CoreEngine } from '../../engine/core';
import { DEFAULT_MAX_ROWS } from '../../engine/readOnly';
import type { LayerController } from '../../layers/controller';
import { describeResultRow, findResultGeometry, resultFeatures, SQL_RESULT_LAYER_ID, sqlResultLayer } from '../../layers/sqlResultLayer';
import type { MapView } from '../../map/mapView';
import { framePadding } from '../../map/mapView';
import type { Store } from '../../state/store';
import { openSqlConsole, type SchemaListing, type SchemaTable, type SqlConsole } from '../../ui/sqlConsole';
import type { ResultData } from '../../ui/sqlResultData';
import { uiScale } from '../../ui/uiScale';
import { sqlExamples } from './sqlExamples';

/** Tables the console does not list: staging and work tables of the loaders and imports (they come and go). */
export function isInternalTable(name: string): boolean {
  return (
    /^__civic_engine_/i.test(name) ||
    /^user__stage_\d+$/.test(name) ||
    /^user__cnemc_work_/.test(name) ||
    /__crs_(stage|fix)_\d+$/.test(name) ||
    /__(stage|build|batch)(_[0-9a-z]+_\d+)?$/.test(name)
  );
}

const KEY = 'civic-atlas:sql-console';
interface Saved {
  history: string[];
  draft: string;
  maxRows: number;
  height: number;
}
const HISTORY_MAX = 20;

function loadSaved(): Saved {
  const fallback: Saved = { history: [], draft: '', maxRows: DEFAULT_MAX_ROWS, height: 320 };
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<Saved> | null;
    if (!s || typeof s !== 'object') return fallback;
    return {
      history: Array.isArray(s.history) ? s.history.filter((x): x is string => typeof x === 'string').slice(0, HISTORY_MAX) : [],
      draft: typeof s.draft === 'string' ? s.draft : '',
      maxRows: typeof s.maxRows === 'number' ? s.maxRows : DEFAULT_MAX_ROWS,
      height: typeof s.height === 'number' ? s.height : fallback.height,
    };
  } catch {
    return fallback; // no session storage (a sandboxed frame): nothing is kept
  }
}

type ConsoleEngine = Pick<CoreEngine, 'readOnlyQuery' | 'tables' | 'describe'>;

export function createPlannerSqlConsole(d: {
  root: HTMLElement;
  button: HTMLButtonElement;
  engine: Promise<ConsoleEngine>;
  catalog: Catalog;
  tables: TableRegistry;
  controller: LayerController;
  view: MapView;
  store: Store;
  dark(): boolean;
}) {
  const saved = loadSaved();
  const persist = () => {
    try {
      sessionStorage.setItem(KEY, JSON.stringify(saved));
    } catch {
      // not kept: fine
    }
  };
  let open: SqlConsole | null = null;
  const city = (): CityDef => d.catalog.cities.find((c) => c.id === d.store.get().city) ?? d.catalog.cities[0]!;

  /** Catalog tables a query names, loaded before it runs: the planner need not know which layers loaded what. */
  async function ensureNamed(sql: string): Promise<void> {
    const lower = sql.toLowerCase();
    const wanted: Promise<string>[] = [];
    for (const c of d.catalog.cities) for (const ds of Object.keys(c.datasets)) if (lower.includes(tableName(c.id, ds).toLowerCase())) wanted.push(d.tables.ensure(c, ds));
    await Promise.all(wanted);
  }

  async function schema(): Promise<SchemaListing> {
    const e = await d.engine;
    const names = (await e.tables()).filter((n) => !isInternalTable(n));
    const catalogNames = new Set(d.catalog.cities.flatMap((c) => Object.keys(c.datasets).map((ds) => tableName(c.id, ds))));
    const here = city().id;
    const order = (n: string) => (n.startsWith(`${here}__`) ? 0 : 1);
    const tables: SchemaTable[] = [];
    for (const n of names.sort((a, b) => order(a) - order(b) || a.localeCompare(b))) {
      const info = await e.describe(n).catch(() => null);
      if (info) tables.push({ name: n, rows: info.rows, columns: info.columns, group: catalogNames.has(n) ? 'catalog' : 'user' });
    }
    const c = city();
    const loadable = Object.keys(c.datasets)
      .filter((ds) => !names.includes(tableName(c.id, ds)))
      .map((ds) => ({ name: tableName(c.id, ds), load: () => d.tables.ensure(c, ds).then(() => undefined) }));
    return { tables, loadable };
  }

  function show(data: ResultData | null): { drawn: number; skipped: number } | null {
    const g = data && findResultGeometry(data);
    if (!data || !g) {
      d.controller.setSqlResultLayers([]);
      d.controller.setDescriber(SQL_RESULT_LAYER_ID, null);
      return null;
    }
    d.controller.setDescriber(SQL_RESULT_LAYER_ID, (o, lang) => describeResultRow(data, o, lang));
    const f = resultFeatures(data, g);
    d.controller.setSqlResultLayers(f.features.features.length ? [sqlResultLayer(f.features, uiScale(), d.dark())] : []);
    if (f.bounds) {
      const [w, s, e, n] = f.bounds;
      // The open console covers the bottom of the map: frame the result in what is left.
      const pad = framePadding(d.view.map.getContainer());
      const consoleH = open?.el.getBoundingClientRect().height ?? 0;
      const single = w === e && s === n;
      const box: [number, number, number, number] = single ? [w - 0.01, s - 0.01, e + 0.01, n + 0.01] : [w, s, e, n];
      const has = d.view.map.getPadding();
      d.view.fitBounds(box, {
        padding: { top: Math.max(24, pad.top - (has.top ?? 0) + 24), left: Math.max(24, pad.left - (has.left ?? 0) + 24), right: Math.max(24, pad.right - (has.right ?? 0) + 24), bottom: Math.max(24, consoleH + 90 - (has.bottom ?? 0)) },
        maxZoom: 16,
        duration: 800,
        essential: true,
      });
    }
    return { drawn: f.features.features.length, skipped: f.skipped };
  }

  function openConsole(): void {
    if (open) return void open.el.querySelector<HTMLTextAreaElement>('.sql-editor')?.focus();
    open = openSqlConsole({
      host: d.root,
      lang: d.store.get().lang,
      examples: () => sqlExamples(city(), d.store.get().lang),
      history: () => saved.history,
      remember(sql) {
        saved.history = [sql, ...saved.history.filter((x) => x !== sql)].slice(0, HISTORY_MAX);
        persist();
      },
      draft: saved.draft,
      onDraft(sql) {
        saved.draft = sql;
        persist();
      },
      maxRows: saved.maxRows,
      onMaxRows(n) {
        saved.maxRows = n;
        persist();
      },
      height: saved.height,
      onHeight(px) {
        saved.height = px;
        persist();
      },
      schema,
      async run(sql, maxRows, signal) {
        await ensureNamed(sql);
        const r = await (await d.engine).readOnlyQuery(sql, { maxRows, signal });
        open?.refreshSchema();
        return r;
      },
      show,
      onClose() {
        open = null;
        d.button.setAttribute('aria-pressed', 'false');
        if (d.button.isConnected) d.button.focus();
      },
    });
    d.button.setAttribute('aria-pressed', 'true');
  }

  d.button.setAttribute('aria-pressed', 'false');
  d.button.addEventListener('click', () => (open ? open.close() : openConsole()));
  d.store.subscribe((s, prev) => {
    if (!open) return;
    if (s.mode !== 'planner') open.close();
    else if (s.lang !== prev.lang) open.setLang(s.lang);
    else if (s.city !== prev.city) {
      // The examples are the new city's; its tables come first.
      open.setLang(s.lang);
      open.refreshSchema();
    }
  });

  return {
    open: openConsole,
    close: () => open?.close(),
    isOpen: () => open !== null,
  };
}
