/**
 * The console's results table: a real <table> with sortable column headers
 * (buttons, aria-sort), numbers right-aligned and formatted, NULL shown as a
 * styled NULL, long text cut with the full value on hover. Every value is a
 * text node. Rows are added to the DOM a page at a time so that a 100 000-row
 * result does not freeze the page; sorting and CSV cover all of them.
 */
import type { Lang } from '../state/types';
import { clear, h } from './dom';
import { displayCell, sortedOrder, type ResultData } from './sqlResultData';

const PAGE = 500;
const CUT = 80;

const T = {
  sortBy: { zh: '按此列排序', en: 'Sort by this column' },
  more: { zh: (n: number, total: number) => `显示更多（已显示 ${n} / ${total} 行）`, en: (n: number, total: number) => `Show more (${n} of ${total} rows shown)` },
  none: { zh: '查询没有返回任何行。', en: 'The query returned no rows.' },
  caption: { zh: '查询结果', en: 'Query result' },
};

export interface ResultsTable {
  el: HTMLElement;
  /** Row indices in the order shown (for CSV). */
  order(): number[];
}

export function renderResultsTable(data: ResultData, lang: Lang): ResultsTable {
  const wrap = h('div', { class: 'sql-table-wrap' });
  let sort: { k: number; dir: 'asc' | 'desc' } | null = null;
  let order = data.rows.map((_, i) => i);
  let shown = 0;

  if (data.columns.length === 0 || data.rows.length === 0) {
    wrap.append(h('p', { class: 'sql-empty' }, T.none[lang]));
    if (data.columns.length === 0) return { el: wrap, order: () => order };
  }

  const headCells = data.columns.map((c, k) => {
    const btn = h(
      'button',
      { type: 'button', class: 'sql-sort', title: `${c.name} · ${c.type} — ${T.sortBy[lang]}` },
      h('span', { class: 'sql-col-name' }, c.name),
      h('span', { class: 'sql-col-type' }, c.type),
    );
    const th = h('th', { scope: 'col', class: c.kind === 'number' ? 'num' : undefined, 'aria-sort': 'none' }, btn);
    btn.addEventListener('click', () => {
      sort = sort?.k === k ? { k, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { k, dir: c.kind === 'number' ? 'desc' : 'asc' };
      order = sortedOrder(data, sort.k, sort.dir);
      headCells.forEach((x, j) => x.setAttribute('aria-sort', j === k ? (sort!.dir === 'asc' ? 'ascending' : 'descending') : 'none'));
      const keep = Math.max(PAGE, shown);
      clear(tbody);
      shown = 0;
      addRows(keep);
    });
    return th;
  });
  const tbody = h('tbody');
  const table = h('table', { class: 'sql-table' }, h('caption', { class: 'sql-sr' }, T.caption[lang]), h('thead', {}, h('tr', {}, ...headCells)), tbody);
  const more = h('button', { type: 'button', class: 'sql-more' });
  more.addEventListener('click', () => addRows(PAGE));

  function cell(i: number, k: number): HTMLTableCellElement {
    const c = data.columns[k]!;
    const v = data.rows[i]![k]!;
    if (v === null) return h('td', { class: 'null' }, 'NULL');
    const text = displayCell(v, c.kind, lang);
    const cls = c.kind === 'number' ? 'num' : c.kind === 'bool' ? 'bool' : undefined;
    if (text.length > CUT) return h('td', { class: cls ? `${cls} cut` : 'cut', title: text }, `${text.slice(0, CUT)}…`);
    return h('td', { class: cls }, text);
  }

  function addRows(n: number): void {
    const end = Math.min(order.length, shown + n);
    const frag = document.createDocumentFragment();
    for (let r = shown; r < end; r++) {
      const i = order[r]!;
      frag.append(h('tr', {}, ...data.columns.map((_, k) => cell(i, k))));
    }
    tbody.append(frag);
    shown = end;
    more.hidden = shown >= order.length;
    more.textContent = T.more[lang](shown, order.length);
  }

  addRows(PAGE);
  wrap.append(table, more);
  return { el: wrap, order: () => order };
}
