/**
 * The "import your own data" dialog: pick or drop a GeoJSON, Parquet or CSV
 * file, or give its URL; see what is in it (format, encoding, rows, a
 * preview, where the coordinates are and what looks wrong); choose the layer
 * kind, the columns and the coordinate system; import. The work is in
 * ../import (readFile, fetchFile, sniff, userImport, userColumns, userLoad);
 * this builds the DOM with h(), so names and values from the file are always
 * plain text.
 *
 * Each step (reading or downloading, staging, importing) shows a progress
 * bar and can be cancelled: reading and downloading stop at once; a DuckDB
 * step cannot be stopped inside the worker, so the dialog goes back to how it
 * was at once and whatever the step makes is dropped when it lands.
 */
import './fileImportDialog.css';
import type { Crs } from '../catalog/types';
import type { Engine } from '../engine/types';
import { formatBytes, formatNumber } from '../i18n';
import { checkBudget, overBudgetMessage, pageBudget } from '../import/memoryBudget';
import { CANCELLED, fetchFile, parseImportUrl } from '../import/fetchFile';
import { abortable, isAbortError, readBlob } from '../import/readFile';
import { guessMapping, KIND_RULES, ROLE_NAMES, type ColumnMapping, type Role, type TargetKind } from '../import/userColumns';
import { inspectUserFile, type ImportProblem, type InspectResult, type Inspection } from '../import/userImport';
import { loadUserTable, type LoadOptions } from '../import/userLoad';
import { tableNameFor } from '../import/tableName';
import type { Lang } from '../state/types';
import { clear, h } from './dom';
import { openModal } from './modal';

export interface FileImportParams {
  lang: Lang;
  engine: Promise<Engine>;
  /** After a table was made: its name, kind and the file. */
  onLoaded(table: string, kind: TargetKind, file: string): void;
}

let staged = 0;
// Names of tables being made, kept until their load has settled (and, when cancelled, been dropped), so a new import, in this dialog or the next, does not pick the same one.
const making = new Set<string>();


/** An import step under way: what cancels it, and where focus goes back to. */
interface Step {
  ac: AbortController;
  returnFocus: HTMLElement;
}

export function openFileImportDialog(host: HTMLElement, p: FileImportParams): { close(): void } {
  const zh = p.lang === 'zh';
  const L = (o: { zh: string; en: string }) => o[p.lang];
  let ins: Inspection | null = null;
  let step: Step | null = null;
  const modal = openModal(host, {
    kind: 'fimport',
    title: zh ? '导入自己的数据' : 'Import your own data',
    closeLabel: zh ? '关闭' : 'Close',
    onClose: () => {
      const s = step;
      step = null;
      s?.ac.abort();
      dropStage();
    },
  });
  const drop = async (table: string) => (await p.engine).dropTable(table).catch(() => undefined);
  const dropStage = () => {
    if (ins) void drop(ins.stage);
    ins = null;
  };

  const input = h('input', { type: 'file', accept: '.geojson,.json,.parquet,.csv,.txt', class: 'fimport-file', id: `${modal.uid}-file` });
  const urlInput = h('input', { type: 'url', class: 'fimport-url', id: `${modal.uid}-url`, placeholder: 'https://…', autocomplete: 'off', spellcheck: 'false', inputmode: 'url' });
  const urlGo = h('button', { type: 'button', class: 'fimport-url-go' }, zh ? '下载并查看' : 'Download');
  const sources = h(
    'div',
    { class: 'fimport-sources' },
    h('div', { class: 'fimport-source' }, h('label', { for: `${modal.uid}-file`, class: 'fimport-drop' }, zh ? '将文件拖放到此处，或选择文件：' : 'Drop a file here, or choose one:'), input),
    h(
      'div',
      { class: 'fimport-source' },
      h('label', { for: `${modal.uid}-url`, class: 'fimport-drop' }, zh ? '或从网址导入（仅在点击按钮时联网）：' : 'Or from a URL (fetched only when you press the button):'),
      h('div', { class: 'fimport-url-row' }, urlInput, urlGo),
    ),
  );
  const status = h('p', { class: 'fimport-status', role: 'status', 'aria-live': 'polite', id: `${modal.uid}-status` });
  const amount = h('span', { class: 'fimport-amount', id: `${modal.uid}-amount` });
  const bar = h('progress', { class: 'fimport-bar', 'aria-labelledby': `${modal.uid}-status`, 'aria-describedby': `${modal.uid}-amount` });
  const cancelBtn = h('button', { type: 'button', class: 'fimport-cancel' }, zh ? '取消' : 'Cancel');
  const progress = h('div', { class: 'fimport-progress', hidden: true }, bar, amount, cancelBtn);
  const summary = h('div', { class: 'fimport-summary', 'aria-live': 'polite' });
  const form = h('div', { class: 'fimport-form' });
  const result = h('div', { class: 'fimport-result', role: 'status', 'aria-live': 'polite' });
  const current = h('div', { class: 'fimport-current' }, summary, form, result);

  const problemList = (ps: ImportProblem[]) =>
    ps.length ? h('ul', { class: 'fimport-problems' }, ...ps.map((q) => h('li', { class: `fimport-${q.level}` }, L(q)))) : null;

  function say(text: string, error = false) {
    status.textContent = text;
    status.classList.toggle('fimport-error', error);
  }

  // formatBytes never says less than 1 KB; nothing read yet is 0.
  const size = (n: number) => (n === 0 ? '0 MB' : formatBytes(n, p.lang));

  /** The bar: a share of a known total, else indeterminate with the amount so far. */
  function showProgress(loaded: number, total: number | null) {
    if (total && total > 0) {
      bar.max = total;
      bar.value = Math.min(loaded, total);
      amount.textContent = `${Math.floor((Math.min(loaded, total) / total) * 100)}% · ${size(loaded)} / ${size(total)}`;
    } else {
      bar.removeAttribute('value');
      amount.textContent = loaded > 0 ? formatBytes(loaded, p.lang) : '';
    }
  }

  /** A step that cannot report progress (DuckDB at work): the bar is indeterminate. */
  function phase(text: string) {
    say(text);
    showProgress(0, null);
  }

  /** Starts a step: the sources and the current file are out of reach until it ends; Cancel takes focus. */
  function begin(text: string, returnFocus: HTMLElement, hideCurrent: boolean): Step {
    const s: Step = { ac: new AbortController(), returnFocus };
    step = s;
    modal.busy(true);
    sources.inert = true;
    current.inert = true;
    current.hidden = hideCurrent;
    progress.hidden = false;
    phase(text);
    cancelBtn.focus();
    return s;
  }

  /** Ends `s` (if it is still the one running): the dialog is as it was before it began, apart from what the step showed. */
  function finish(s: Step) {
    if (step !== s) return;
    step = null;
    modal.busy(false);
    sources.inert = false;
    current.inert = false;
    current.hidden = false;
    progress.hidden = true;
    if (document.activeElement === cancelBtn || !modal.dialog.contains(document.activeElement)) s.returnFocus.focus();
  }

  cancelBtn.addEventListener('click', () => {
    const s = step;
    if (!s) return;
    s.ac.abort();
    finish(s);
    say(L(CANCELLED));
  });

  /** The old file's inspection gives way to what the new one showed (or why it failed). */
  function replaceCurrent() {
    dropStage();
    clear(summary);
    clear(form);
    clear(result);
  }

  function showFailure(head: string, problems: ImportProblem[]) {
    replaceCurrent();
    summary.append(head ? h('p', { class: 'fimport-head' }, head) : '', problemList(problems)!);
  }

  const failed = (e: unknown): ImportProblem => ({ level: 'error', code: 'failed', zh: `读取失败：${(e as Error).message}`, en: `Reading failed: ${(e as Error).message}` });

  /** Stages and inspects the bytes; a stage made by a cancelled or failed inspection is dropped. */
  async function inspect(s: Step, name: string, bytes: Uint8Array): Promise<InspectResult> {
    phase(zh ? '正在查看各行数据…' : 'Looking at the rows…');
    const engine = await abortable(p.engine, s.ac.signal);
    const stage = `user__stage_${++staged}`;
    const work = inspectUserFile(engine, name, bytes, stage).catch(async (e: unknown) => {
      await drop(stage);
      throw e;
    });
    return abortable(work, s.ac.signal, () => drop(stage));
  }

  function showInspected(name: string, r: InspectResult) {
    if (!r.ok) return showFailure(zh ? `无法导入 ${name}：` : `${name} cannot be imported:`, r.problems);
    replaceCurrent();
    ins = r;
    showInspection(name, r);
  }

  async function takeFile(file: File) {
    if (step) return;
    const verdict = checkBudget([file], pageBudget());
    if (verdict.refused.length) {
      say('');
      return showFailure('', [{ code: 'budget', ...overBudgetMessage(file.size, verdict.refused[0]!.estimate, pageBudget()) }]);
    }
    const s = begin(zh ? `正在读取文件 ${file.name}…` : `Reading the file ${file.name}…`, input, true);
    await take(s, async () => ({ name: file.name, bytes: await readBlob(file, { signal: s.ac.signal, onProgress: showProgress }) }));
  }

  async function takeUrl() {
    if (step) return;
    const parsed = parseImportUrl(urlInput.value);
    if (!parsed.ok) return say(L(parsed.problem), true);
    const s = begin(zh ? `正在从 ${parsed.url.host} 下载…` : `Downloading from ${parsed.url.host}…`, urlGo, true);
    await take(s, async () => {
      const got = await fetchFile(parsed.url.href, { budget: pageBudget(), signal: s.ac.signal, onProgress: showProgress });
      if (got.ok) return got;
      if (got.problem.code !== 'cancelled') {
        say('');
        showFailure(zh ? '无法从该网址导入：' : 'This address cannot be imported:', [got.problem]);
      }
      return null;
    });
  }

  /** Runs step `s`: gets the bytes (`obtain` returns null when it has already said why not), then stages and shows them. */
  async function take(s: Step, obtain: () => Promise<{ name: string; bytes: Uint8Array } | null>) {
    try {
      const got = await obtain();
      if (!got) return;
      showInspected(got.name, await inspect(s, got.name, got.bytes));
      say('');
    } catch (e) {
      if (isAbortError(e)) return;
      say('');
      showFailure('', [failed(e)]);
    } finally {
      finish(s);
    }
  }

  function showInspection(file: string, r: Inspection) {
    const where =
      r.geometry.kind === 'geojson'
        ? zh ? 'GeoJSON 几何' : 'GeoJSON geometry'
        : r.geometry.kind === 'lonlat'
          ? zh ? `经纬度列 ${r.geometry.lon}/${r.geometry.lat}` : `lon/lat columns ${r.geometry.lon}/${r.geometry.lat}`
          : r.geometry.kind === 'wkt'
            ? zh ? `WKT 列 ${r.geometry.column}` : `WKT column ${r.geometry.column}`
            : r.geometry.kind === 'wkb'
              ? zh ? `WKB 几何列 ${r.geometry.column}（GeoParquet）` : `WKB geometry column ${r.geometry.column} (GeoParquet)`
              : zh ? '未找到坐标' : 'no coordinates found';
    // The GeoJSON geometry text says nothing a planner reads; the head line says where the geometry is.
    const shown = r.columns.filter((c) => c.name !== '__geom');
    summary.append(
      h('p', { class: 'fimport-head' }, `${file} · ${r.format.toUpperCase()}${r.encoding ? ` (${r.encoding.toUpperCase()})` : ''} · ${formatNumber(r.rows, p.lang)} ${zh ? '行' : 'rows'} · ${where}`),
      problemList(r.problems) ?? '',
      h(
        'div',
        { class: 'fimport-preview' },
        h(
          'table',
          {},
          h('thead', {}, h('tr', {}, ...shown.map((c) => h('th', { title: c.type }, c.name)))),
          h('tbody', {}, ...r.preview.map((row) => h('tr', {}, ...shown.map((c) => h('td', {}, row[c.name] === null || row[c.name] === undefined ? '' : String(row[c.name]).slice(0, 60)))))),
        ),
      ),
    );
    const guess = guessMapping(r.columns);
    const kind = h('select', { class: 'fimport-kind' }, ...(Object.keys(KIND_RULES) as TargetKind[]).map((k) => h('option', { value: k }, L(KIND_RULES[k].label))));
    const roleSel = (role: Role) => {
      const s = h('select', { class: `fimport-role fimport-role-${role}`, 'data-role': role }, h('option', { value: '' }, '—'), ...r.columns.filter((c) => c.name !== '__geom').map((c) => h('option', { value: c.name }, c.name)));
      s.value = guess[role] ?? '';
      return s;
    };
    const roles = (['id', 'name', 'value', 'time', 'category'] as Role[]).map((role) => [role, roleSel(role)] as const);
    const crs = h('select', { class: 'fimport-crs' }, ...(['WGS84', 'GCJ02', 'BD09'] as Crs[]).map((c) => h('option', { value: c }, c === 'WGS84' ? 'WGS-84' : c === 'GCJ02' ? (zh ? 'GCJ-02（高德、腾讯）' : 'GCJ-02 (Amap, Tencent)') : zh ? 'BD-09（百度）' : 'BD-09 (Baidu)')));
    const swap = h('input', { type: 'checkbox', class: 'fimport-swap' });
    swap.checked = r.coords === 'swapped';
    const go = h('button', { type: 'button', class: 'fimport-go primary' }, zh ? '导入' : 'Import');
    const label = (text: string, control: HTMLElement) => h('label', { class: 'fimport-field' }, h('span', {}, text), control);
    form.append(
      label(zh ? '图层类型' : 'Layer kind', kind),
      ...roles.map(([role, s]) => label(L(ROLE_NAMES[role]), s)),
      label(zh ? '坐标系' : 'Coordinates', crs),
      r.geometry.kind === 'lonlat' ? h('label', { class: 'fimport-field fimport-swap-label' }, swap, ' ', zh ? '交换经纬度列' : 'Swap the lon/lat columns') : '',
      h('div', { class: 'fimport-actions' }, go),
    );
    go.addEventListener('click', () => {
      if (!ins || step) return;
      const mapping: ColumnMapping = {};
      for (const [role, s] of roles) if (s.value) mapping[role] = s.value;
      void importMapped(ins, file, go, { kind: kind.value as TargetKind, mapping, crs: crs.value as Crs, swap: swap.checked });
    });
  }

  /**
   * Loads the mapped rows into a new table. A cancelled load cannot be
   * stopped inside DuckDB: the dialog moves on at once, and the table it
   * makes is dropped (and forgotten by the restart journal) when it lands.
   */
  async function loadTable(s: Step, r: Inspection, file: string, o: Omit<LoadOptions, 'table'>) {
    const engine = await abortable(p.engine, s.ac.signal);
    const table = tableNameFor(file, [...(await abortable(engine.tables(), s.ac.signal)), ...making]);
    making.add(table);
    const work = loadUserTable(engine, r, { ...o, table })
      .then(async (out) => {
        if (out.ok && s.ac.signal.aborted) await unload(engine, table);
        return out;
      })
      .finally(() => making.delete(table));
    return { table, out: await abortable(work, s.ac.signal) };
  }

  async function importMapped(r: Inspection, file: string, go: HTMLButtonElement, o: Omit<LoadOptions, 'table'>) {
    const s = begin(zh ? '正在导入…' : 'Importing…', go, false);
    try {
      const { table, out } = await loadTable(s, r, file, o);
      clear(result);
      say('');
      if (!out.ok) return void result.append(h('p', { class: 'fimport-head' }, zh ? '未导入：' : 'Not imported:'), problemList(out.problems)!);
      result.append(
        h('p', { class: 'fimport-done' }, zh ? `已导入 ${formatNumber(out.kept, p.lang)} 行到表 ${table}，已显示在地图上；也可在 SQL 中查询。` : `Imported ${formatNumber(out.kept, p.lang)} rows into table ${table}, shown on the map and queryable in SQL.`),
        problemList(out.problems.filter((q) => q.level !== 'error')) ?? '',
      );
      p.onLoaded(table, o.kind, file);
    } catch (e) {
      if (isAbortError(e)) return;
      clear(result);
      say('');
      result.append(problemList([{ level: 'error', code: 'failed', zh: `导入失败：${(e as Error).message}`, en: `The import failed: ${(e as Error).message}` }])!);
    } finally {
      finish(s);
    }
  }

  input.addEventListener('change', () => {
    const f = input.files?.[0];
    // The same file can be chosen again after a cancel.
    input.value = '';
    if (f) void takeFile(f);
  });
  urlGo.addEventListener('click', () => void takeUrl());
  urlInput.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    void takeUrl();
  });
  // Dropping a file anywhere on the dialog imports it; the page never navigates to it.
  modal.dialog.parentElement!.addEventListener('dragover', (e) => e.preventDefault());
  modal.dialog.parentElement!.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files?.[0];
    if (f) void takeFile(f);
  });
  modal.body.append(
    h('p', { class: 'fimport-help' }, zh ? '可导入 GeoJSON、Parquet 或 CSV（UTF-8 或 GBK，含经纬度列或 WKT 几何列）。文件只在本浏览器中处理，不会上传。' : 'GeoJSON, Parquet or CSV (UTF-8 or GBK, with lon/lat columns or a WKT geometry column). Files are processed in this browser only; nothing is uploaded.'),
    sources,
    status,
    progress,
    current,
  );
  input.focus();
  return { close: modal.close };
}

/** Undoes a load whose result nobody wants: the table and its replay step. */
async function unload(engine: Engine, table: string) {
  engine.journal?.forget(`user-table:${table}`);
  await engine.dropTable(table).catch(() => undefined);
}
