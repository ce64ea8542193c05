/**
 * The planner's SQL console: a resizable panel along the bottom of the map
 * (the map stays visible above it, where results are drawn) with the tables
 * and their columns, an editor (Ctrl/⌘+Enter runs), examples and recent
 * queries, a row limit, cancel, errors inline, the results table, CSV copy
 * and download, and the map layer's summary with a "clear from map" button.
 * What runs the SQL and draws the map is the caller's (modes/planner/sqlConsole.ts).
 */
import './sqlConsole.css';
import type { ReadOnlyResult } from '../engine/types';
import type { Lang } from '../state/types';
import { clear, h } from './dom';
import { resultData, type ResultData } from './sqlResultData';
import { renderResultBar, type MapSummary } from './sqlResultBar';
import { renderResultsTable, type ResultsTable } from './sqlResultsTable';
import { S, errorText, fmtInt, type TextKey } from './sqlConsoleText';
import { renderSchema, type SchemaListing } from './sqlSchema';

export type { SchemaListing, SchemaTable } from './sqlSchema';
export type { MapSummary } from './sqlResultBar';

export interface SqlConsoleDeps {
  host: HTMLElement;
  lang: Lang;
  examples(): { label: string; sql: string }[];
  history(): string[];
  remember(sql: string): void;
  draft: string;
  onDraft(sql: string): void;
  maxRows: number;
  onMaxRows(n: number): void;
  height: number;
  onHeight(px: number): void;
  schema(): Promise<SchemaListing>;
  run(sql: string, maxRows: number, signal: AbortSignal): Promise<ReadOnlyResult>;
  /** Draws the result on the map (null: clears it); what was drawn, or null when the result has no positions. */
  show(data: ResultData | null): MapSummary | null;
  onClose(): void;
}

export interface SqlConsole {
  el: HTMLElement;
  setLang(lang: Lang): void;
  refreshSchema(): void;
  run(): void;
  close(): void;
}

const LIMITS = [100, 1000, 10_000, 100_000];
const MIN_H = 180;

export function openSqlConsole(d: SqlConsoleDeps): SqlConsole {
  let lang = d.lang;
  let sql = d.draft;
  let maxRows = LIMITS.includes(d.maxRows) ? d.maxRows : 1000;
  let height = d.height;
  let running: { ac: AbortController; since: number; timer: ReturnType<typeof setInterval> } | null = null;
  let error: string | null = null;
  let result: { data: ResultData; r: ReadOnlyResult; map: MapSummary | null } | null = null;
  let table: ResultsTable | null = null;
  let schema: SchemaListing | null = null;
  let schemaError: string | null = null;
  let note = '';
  let closed = false;

  const panel = h('section', { class: 'sql-console panel', role: 'region' });
  let els!: ReturnType<typeof build>;
  const maxH = () => Math.max(MIN_H + 40, Math.round((panel.parentElement?.clientHeight ?? window.innerHeight) * 0.8));
  const setHeight = (px: number) => {
    height = Math.round(Math.min(maxH(), Math.max(MIN_H, px)));
    panel.style.height = `${height}px`;
    d.host.style.setProperty('--sql-h', `${height}px`);
    els.resize.setAttribute('aria-valuenow', String(height));
    d.onHeight(height);
  };

  function build() {
    const t = (k: TextKey) => S[k][lang];
    panel.setAttribute('aria-label', t('title'));
    const resize = h('div', { class: 'sql-resize', role: 'separator', tabindex: 0, 'aria-orientation': 'horizontal', 'aria-label': t('resize'), title: t('resize'), 'aria-valuemin': MIN_H, 'aria-valuemax': maxH() });
    const editor = h('textarea', { class: 'sql-editor', spellcheck: 'false', autocomplete: 'off', 'aria-label': t('editor'), placeholder: t('placeholder'), rows: 4 });
    editor.value = sql;
    const runBtn = h('button', { type: 'button', class: 'sql-run', title: t('runTitle') }, t('run'));
    const cancelBtn = h('button', { type: 'button', class: 'sql-cancel' }, t('cancel'));
    const limit = h('select', { class: 'sql-limit', 'aria-label': t('limit') }, ...LIMITS.map((n) => h('option', { value: n, selected: n === maxRows }, fmtInt(n, lang))));
    const examples = h('select', { class: 'sql-examples', 'aria-label': t('examples') }, h('option', { value: '' }, t('examples')), ...d.examples().map((x, i) => h('option', { value: i }, x.label)));
    const history = h('select', { class: 'sql-history', 'aria-label': t('history') });
    const status = h('span', { class: 'sql-status', role: 'status', 'aria-live': 'polite' });
    const errorBox = h('div', { class: 'sql-error', role: 'alert' });
    const resultBar = h('div', { class: 'sql-result-bar' });
    const results = h('div', { class: 'sql-results', tabindex: -1 });
    const schemaBox = h('div', { class: 'sql-schema-list' });
    const closeBtn = h('button', { type: 'button', class: 'icon-btn sql-close', 'aria-label': t('close'), title: t('close') }, '×');
    clear(panel);
    panel.append(
      resize,
      h('header', { class: 'sql-head' }, h('h2', { class: 'sql-title' }, t('title')), h('span', { class: 'sql-badge', title: t('readOnlyTitle') }, t('readOnly')), closeBtn),
      h(
        'div',
        { class: 'sql-main' },
        h('nav', { class: 'sql-schema', 'aria-label': t('tables') }, h('h3', { class: 'sql-schema-title' }, t('tables')), schemaBox),
        h(
          'div',
          { class: 'sql-work' },
          editor,
          h('div', { class: 'sql-toolbar' }, runBtn, cancelBtn, h('label', { class: 'sql-limit-label' }, t('limit'), limit), examples, history, status),
          errorBox,
          resultBar,
          results,
        ),
      ),
    );
    closeBtn.addEventListener('click', () => close());
    runBtn.addEventListener('click', () => run());
    cancelBtn.addEventListener('click', () => running?.ac.abort());
    editor.addEventListener('input', () => {
      sql = editor.value;
      d.onDraft(sql);
    });
    editor.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        run();
      }
    });
    limit.addEventListener('change', () => {
      maxRows = Number(limit.value);
      d.onMaxRows(maxRows);
    });
    const pick = (text: string) => {
      setSql(text);
      editor.focus();
    };
    examples.addEventListener('change', () => {
      const x = d.examples()[Number(examples.value)];
      examples.value = '';
      if (x) pick(x.sql);
    });
    history.addEventListener('change', () => {
      const x = d.history()[Number(history.value)];
      history.value = '';
      if (x) pick(x);
    });
    resize.addEventListener('keydown', (e) => {
      const step = e.shiftKey ? 96 : 24;
      if (e.key === 'ArrowUp' || e.key === 'ArrowDown' || e.key === 'Home' || e.key === 'End') {
        e.preventDefault();
        setHeight(e.key === 'ArrowUp' ? height + step : e.key === 'ArrowDown' ? height - step : e.key === 'Home' ? MIN_H : maxH());
      }
    });
    resize.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      resize.setPointerCapture(e.pointerId);
      const y0 = e.clientY;
      const h0 = height;
      const move = (ev: PointerEvent) => setHeight(h0 + (y0 - ev.clientY));
      const up = () => {
        resize.removeEventListener('pointermove', move);
        resize.removeEventListener('pointerup', up);
        resize.removeEventListener('pointercancel', up);
      };
      resize.addEventListener('pointermove', move);
      resize.addEventListener('pointerup', up);
      resize.addEventListener('pointercancel', up);
    });
    return { resize, editor, runBtn, cancelBtn, history, status, errorBox, resultBar, results, schemaBox };
  }

  function setSql(text: string): void {
    sql = text;
    els.editor.value = text;
    d.onDraft(text);
  }

  /** The running line's seconds only: rebuilding the rest would close an open drop-down. */
  function tick(): void {
    if (running) els.status.textContent = `${S.running[lang]} ${Math.floor((performance.now() - running.since) / 1000)} ${lang === 'zh' ? '秒' : 's'}`;
  }

  function update(): void {
    const t = (k: TextKey) => S[k][lang];
    els.runBtn.disabled = !!running;
    els.cancelBtn.hidden = !running;
    panel.setAttribute('aria-busy', String(!!running));
    const hist = d.history();
    clear(els.history);
    els.history.append(h('option', { value: '' }, hist.length ? t('history') : t('noHistory')), ...hist.map((q, i) => h('option', { value: i, title: q }, q.replace(/\s+/g, ' ').slice(0, 70))));
    els.history.disabled = hist.length === 0;
    els.status.textContent = note;
    tick();
    els.errorBox.hidden = !error;
    els.errorBox.textContent = error ?? '';
    clear(els.resultBar);
    if (result && !running) {
      const res = result;
      renderResultBar(els.resultBar, {
        lang,
        data: res.data,
        r: res.r,
        map: res.map,
        order: () => table?.order(),
        onClearMap: () => {
          d.show(null);
          if (res.map) res.map = { ...res.map, cleared: true };
          update();
        },
        onNote: (text) => {
          note = text;
          update();
        },
      });
    }
  }

  function showSchema(): void {
    renderSchema(els.schemaBox, {
      lang,
      schema,
      error: schemaError,
      onPick: (text) => {
        setSql(text);
        els.editor.focus();
      },
      onLoaded: () => refreshSchema(),
      onError: (m) => ((schemaError = m), showSchema()),
    });
  }

  function refreshSchema(): void {
    d.schema().then(
      (s) => ((schema = s), (schemaError = null), !closed && showSchema()),
      (e: Error) => ((schemaError = e.message), !closed && showSchema()),
    );
  }

  function showResult(): void {
    clear(els.results);
    table = result ? renderResultsTable(result.data, lang) : null;
    if (table) els.results.append(table.el);
  }

  function run(): void {
    if (running || closed) return;
    const text = sql.trim();
    const ac = new AbortController();
    running = { ac, since: performance.now(), timer: setInterval(tick, 1000) };
    error = null;
    note = '';
    result = null;
    d.show(null);
    showResult();
    update();
    if (text) d.remember(text);
    d.run(text, maxRows, ac.signal)
      .then(
        (r) => {
          const data = resultData(r.table);
          result = { data, r, map: null };
          if (!closed) result.map = d.show(data);
        },
        (e: unknown) => {
          error = errorText(e, lang);
        },
      )
      .finally(() => {
        if (running) clearInterval(running.timer);
        running = null;
        if (closed) return;
        showResult();
        update();
      });
  }

  function close(): void {
    if (closed) return;
    closed = true;
    running?.ac.abort();
    if (running) clearInterval(running.timer);
    d.show(null);
    panel.remove();
    d.host.classList.remove('sql-open');
    d.onClose();
  }

  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      if (running) running.ac.abort();
      else close();
      return;
    }
    // Keys typed here are the console's, not the map's or the clock's.
    e.stopPropagation();
  });

  els = build();
  d.host.append(panel);
  d.host.classList.add('sql-open');
  setHeight(height);
  showSchema();
  update();
  refreshSchema();
  els.editor.focus();

  return {
    el: panel,
    setLang(l) {
      lang = l;
      els = build();
      setHeight(height);
      showSchema();
      showResult();
      update();
    },
    refreshSchema,
    run,
    close,
  };
}
