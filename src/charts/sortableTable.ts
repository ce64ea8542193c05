/**
 * A generic sortable data table (e.g. park area and coverage per district).
 * A real <table>, so screen readers get headers and row names for free; the
 * rows are built once per data change and only re-ordered on a sort, so
 * focus stays on the header button or row the user is on. Every value from
 * data is a text node (h()).
 */
import type { Lang } from '../state/types';
import { clear, h } from '../ui/dom';
import './sortableTable.css';

export interface TableColumn {
  key: string;
  label: string;
  numeric: boolean;
  /** tooltip / longer explanation */
  title?: string;
}

export interface TableRow {
  id: string;
  /** raw values for sorting, aligned with columns */
  values: (number | string | null)[];
  /** formatted text per column */
  display: string[];
  /** a summary row (e.g. the whole city): never sorted, always last, styled bold */
  total?: boolean;
  /** optional per-cell flag: true = meets a standard (ok), false = fails (bad), null/undefined = n/a */
  flags?: (boolean | null | undefined)[];
}

export interface SortState {
  key: string;
  dir: 'asc' | 'desc';
}

export interface SortableTableProps {
  columns: TableColumn[];
  rows: TableRow[];
  sort: SortState | null;
  selectedId?: string | null;
  caption?: string;
  lang: Lang;
  onSort?(s: SortState): void;
  onPick?(id: string): void;
}

export interface SortableTableHandle {
  update(p: Partial<SortableTableProps>): void;
  destroy(): void;
}

// Pinyin order for Chinese names ('numeric' so that 第2区 comes before 第10区).
const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });

const TXT = {
  ok: { zh: '达标', en: 'meets the standard' },
  bad: { zh: '未达标', en: 'below the standard' },
  empty: { zh: '无数据', en: 'No data' },
};

/** A sortable number, or null: strings in a numeric column are parsed, blanks and NaN are missing. */
function numberOf(v: number | string | null | undefined): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

/**
 * Rows in display order: by the sort column (numbers numerically, text in
 * Chinese collation), missing values last in either direction, ties in input
 * order; total rows after all others, in their own input order.
 */
export function sortRows(rows: TableRow[], columns: TableColumn[], sort: SortState | null): TableRow[] {
  const body = rows.filter((r) => !r.total);
  const totals = rows.filter((r) => r.total);
  const k = sort ? columns.findIndex((c) => c.key === sort.key) : -1;
  if (!sort || k < 0) return [...body, ...totals];
  const sign = sort.dir === 'asc' ? 1 : -1;
  const keyOf = columns[k]!.numeric
    ? (r: TableRow) => numberOf(r.values[k])
    : (r: TableRow) => {
        const v = r.values[k];
        return v === null || v === undefined || v === '' ? null : String(v);
      };
  const keyed = body.map((r, i) => ({ r, i, v: keyOf(r) }));
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === null ? (b.v === null ? a.i - b.i : 1) : -1;
    const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v));
    return sign * c || a.i - b.i;
  });
  return [...keyed.map((x) => x.r), ...totals];
}

/** The sort after a click on `col`: a new column starts with big numbers or A–Z first, the same column flips. */
function nextSort(cur: SortState | null, col: TableColumn): SortState {
  if (cur?.key === col.key) return { key: col.key, dir: cur.dir === 'asc' ? 'desc' : 'asc' };
  return { key: col.key, dir: col.numeric ? 'desc' : 'asc' };
}

export function renderSortableTable(el: HTMLElement, props: SortableTableProps): SortableTableHandle {
  let p = { ...props };
  // Used only when uncontrolled (no onSort): the table then owns its sort.
  let ownSort = p.sort;
  let heads: { col: TableColumn; th: HTMLTableCellElement; arrow: HTMLSpanElement }[] = [];
  let trs = new Map<string, HTMLTableRowElement>();
  const table = h('table', { class: 'ca-st' });
  const tbody = h('tbody');
  const wrap = h('div', { class: 'ca-st-wrap' }, table);
  clear(el);
  el.append(wrap);

  const currentSort = () => (p.onSort ? p.sort : ownSort);

  const pickFrom = (target: EventTarget | null): string | null => {
    const tr = (target as Element | null)?.closest?.('tr[data-id]');
    return tr && !tr.classList.contains('total') ? tr.getAttribute('data-id') : null;
  };
  tbody.addEventListener('click', (ev) => {
    const id = pickFrom(ev.target);
    if (id !== null) p.onPick?.(id);
  });
  tbody.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' && ev.key !== ' ') return;
    // Only the row itself: a key on a control inside a cell is that control's business.
    if (!(ev.target instanceof HTMLTableRowElement)) return;
    const id = pickFrom(ev.target);
    if (id === null) return;
    ev.preventDefault(); // Space would scroll the table
    p.onPick?.(id);
  });

  function build(): void {
    clear(table);
    clear(tbody);
    heads = p.columns.map((col) => {
      const arrow = h('span', { class: 'ca-st-arrow', 'aria-hidden': 'true' });
      const btn = h('button', { type: 'button', class: 'ca-st-sort', title: col.title }, h('span', {}, col.label), arrow);
      btn.addEventListener('click', () => {
        const s = nextSort(currentSort(), col);
        if (p.onSort) p.onSort(s);
        else {
          ownSort = s;
          arrange();
        }
      });
      const th = h('th', { scope: 'col', class: col.numeric ? 'num' : undefined }, btn);
      return { col, th, arrow };
    });
    trs = new Map(p.rows.map((r) => [r.id, row(r, p)]));
    if (p.caption) table.append(h('caption', { class: 'ca-st-caption' }, p.caption));
    table.append(h('thead', {}, h('tr', {}, ...heads.map((x) => x.th))), tbody);
    if (p.rows.length === 0) {
      tbody.append(h('tr', {}, h('td', { class: 'ca-st-empty', colspan: Math.max(1, p.columns.length) }, TXT.empty[p.lang])));
    }
    arrange();
  }

  /** Sort indicators, row order and selection: cheap, and keeps every node (and focus) in place. */
  function arrange(): void {
    const sort = currentSort();
    for (const { col, th, arrow } of heads) {
      const on = sort?.key === col.key;
      th.setAttribute('aria-sort', on ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
      th.classList.toggle('sorted', on);
      arrow.textContent = on ? (sort.dir === 'asc' ? '▲' : '▼') : '';
    }
    for (const r of sortRows(p.rows, p.columns, sort)) {
      const tr = trs.get(r.id);
      if (!tr) continue;
      const sel = !r.total && r.id === p.selectedId;
      tr.classList.toggle('selected', sel);
      if (!r.total) tr.setAttribute('aria-selected', String(sel));
      tbody.append(tr); // moves an existing row: no rebuild
    }
  }

  build();
  return {
    update(next) {
      const rebuild = ['columns', 'rows', 'lang', 'caption'].some((k) => k in next);
      p = { ...p, ...next };
      if ('sort' in next) ownSort = next.sort ?? null;
      if (rebuild) build();
      else arrange();
    },
    destroy() {
      wrap.remove();
    },
  };
}

function row(r: TableRow, p: SortableTableProps): HTMLTableRowElement {
  const cells = p.columns.map((col, k) => {
    const flag = r.flags?.[k];
    const cls = [col.numeric ? 'num' : '', flag === true ? 'ok' : flag === false ? 'bad' : ''].filter(Boolean).join(' ');
    const text = r.display[k] ?? '';
    // Colour alone cannot carry pass/fail: a glyph for sighted users, words for screen readers.
    const mark =
      flag === true || flag === false
        ? [h('span', { class: 'ca-st-flag', 'aria-hidden': 'true' }, flag ? '✓' : '✗'), h('span', { class: 'ca-st-sr' }, ` ${TXT[flag ? 'ok' : 'bad'][p.lang]}`)]
        : [];
    // The first column names the row (district), so it is the row header.
    return k === 0 ? h('th', { scope: 'row', class: cls || undefined }, text, ...mark) : h('td', { class: cls || undefined }, text, ...mark);
  });
  const pickable = !r.total && !!p.onPick;
  return h('tr', { 'data-id': r.id, class: r.total ? 'total' : pickable ? 'pickable' : undefined, tabindex: r.total ? undefined : 0 }, ...cells);
}
