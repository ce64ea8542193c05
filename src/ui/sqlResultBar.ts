/**
 * The line above the console's results: how many rows (and whether the row
 * limit cut them), the engine's time, what went on the map with "clear from
 * map", and CSV copy and download of the rows in the order shown.
 */
import type { ReadOnlyResult } from '../engine/types';
import type { Lang } from '../state/types';
import { downloadCsv } from '../charts/csv';
import { clear, h } from './dom';
import { resultCsv, type ResultData } from './sqlResultData';
import { S, fmtInt } from './sqlConsoleText';

export interface MapSummary {
  drawn: number;
  skipped: number;
  /** The planner took it off the map. */
  cleared?: boolean;
}

export function renderResultBar(
  bar: HTMLElement,
  o: { lang: Lang; data: ResultData; r: ReadOnlyResult; map: MapSummary | null; order(): number[] | undefined; onClearMap(): void; onNote(text: string): void },
): void {
  const { lang, data, r, map } = o;
  clear(bar);
  const rows = fmtInt(data.rows.length, lang);
  const summary = r.truncated ? S.truncated[lang](rows, fmtInt(r.maxRows, lang)) : S.rows[lang](rows);
  const copy = h('button', { type: 'button', class: 'sql-copy' }, S.copyCsv[lang]);
  const save = h('button', { type: 'button', class: 'sql-download' }, S.downloadCsv[lang]);
  copy.addEventListener('click', () => void copyText(resultCsv(data, o.order())).then((ok) => o.onNote(ok ? S.copied[lang] : S.copyFailed[lang])));
  save.addEventListener('click', () => downloadCsv(`sql-result-${new Date().toISOString().slice(0, 19).replace(/[:T-]/g, '')}.csv`, resultCsv(data, o.order())));
  let mapPart: HTMLElement;
  if (!map) mapPart = h('span', { class: 'sql-map none', title: S.noMapTitle[lang] }, S.noMap[lang]);
  else if (map.cleared) mapPart = h('span', { class: 'sql-map none' }, S.cleared[lang]);
  else {
    const clearBtn = map.drawn > 0 ? h('button', { type: 'button', class: 'sql-clear-map' }, S.clearMap[lang]) : null;
    clearBtn?.addEventListener('click', () => o.onClearMap());
    mapPart = h('span', { class: 'sql-map' }, S.onMap[lang](fmtInt(map.drawn, lang), fmtInt(map.skipped, lang)), clearBtn);
  }
  bar.append(h('span', { class: r.truncated ? 'sql-count truncated' : 'sql-count' }, summary, ` · ${Math.round(r.ms)} ms`), mapPart, h('span', { class: 'sql-actions' }, copy, save));
}

/** Text to the clipboard; false when the browser allows neither way. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (an insecure origin, a denied prompt): the old way, through a selection.
    const ta = h('textarea', { class: 'sql-sr', 'aria-hidden': 'true' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}
