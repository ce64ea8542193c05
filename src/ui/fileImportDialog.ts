/**
 * The "import your own data" dialog: pick or drop a GeoJSON, Parquet or CSV
 * file; see what is in it (format, encoding, rows, a preview, where the
 * coordinates are and what looks wrong); choose the layer kind, the columns
 * and the coordinate system; import. The work is in ../import (sniff,
 * userImport, userColumns, userLoad); this builds the DOM with h(), so
 * names and values from the file are always plain text.
 */
import './fileImportDialog.css';
import type { Crs } from '../catalog/types';
import type { Engine } from '../engine/types';
import { formatBytes, formatNumber } from '../i18n';
import { checkBudget, overBudgetMessage, pageBudget } from '../import/memoryBudget';
import { guessMapping, KIND_RULES, ROLE_NAMES, type ColumnMapping, type Role, type TargetKind } from '../import/userColumns';
import { inspectUserFile, type ImportProblem, type Inspection } from '../import/userImport';
import { loadUserTable } from '../import/userLoad';
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

/** A table name from a file name: user__ and safe characters. */
export function tableNameFor(file: string, taken: readonly string[]): string {
  const base = `user__${file.replace(/\.[^.]+$/, '').normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'data'}`;
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}_${i}`;
  return name;
}

export function openFileImportDialog(host: HTMLElement, p: FileImportParams): { close(): void } {
  const zh = p.lang === 'zh';
  const L = (o: { zh: string; en: string }) => o[p.lang];
  let ins: Inspection | null = null;
  const modal = openModal(host, {
    kind: 'fimport',
    title: zh ? '导入自己的数据' : 'Import your own data',
    closeLabel: zh ? '关闭' : 'Close',
    onClose: () => void dropStage(),
  });
  const dropStage = async () => {
    if (ins) await (await p.engine).dropTable(ins.stage).catch(() => undefined);
    ins = null;
  };

  const input = h('input', { type: 'file', accept: '.geojson,.json,.parquet,.csv,.txt', class: 'fimport-file', id: `${modal.uid}-file` });
  const summary = h('div', { class: 'fimport-summary', 'aria-live': 'polite' });
  const form = h('div', { class: 'fimport-form' });
  const result = h('div', { class: 'fimport-result', role: 'status', 'aria-live': 'polite' });

  const problemList = (ps: ImportProblem[]) =>
    ps.length ? h('ul', { class: 'fimport-problems' }, ...ps.map((q) => h('li', { class: `fimport-${q.level}` }, L(q)))) : null;

  async function take(file: File) {
    await dropStage();
    clear(summary);
    clear(form);
    clear(result);
    const verdict = checkBudget([file], pageBudget());
    if (verdict.refused.length) {
      summary.append(problemList([{ code: 'budget', ...overBudgetMessage(file.size, verdict.refused[0]!.estimate, pageBudget()) }])!);
      return;
    }
    modal.busy(true);
    summary.append(h('p', {}, zh ? `正在读取 ${file.name}（${formatBytes(file.size, p.lang)}）…` : `Reading ${file.name} (${formatBytes(file.size, p.lang)})…`));
    try {
      const engine = await p.engine;
      const r = await inspectUserFile(engine, file.name, new Uint8Array(await file.arrayBuffer()), `user__stage_${++staged}`);
      clear(summary);
      if (!r.ok) {
        summary.append(h('p', { class: 'fimport-head' }, zh ? `无法导入 ${file.name}：` : `${file.name} cannot be imported:`), problemList(r.problems)!);
        return;
      }
      ins = r;
      showInspection(file.name, r);
    } catch (e) {
      clear(summary);
      summary.append(problemList([{ level: 'error', code: 'failed', zh: `读取失败：${(e as Error).message}`, en: `Reading failed: ${(e as Error).message}` }])!);
    } finally {
      modal.busy(false);
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
    go.addEventListener('click', async () => {
      if (!ins) return;
      const mapping: ColumnMapping = {};
      for (const [role, s] of roles) if (s.value) mapping[role] = s.value;
      modal.busy(true);
      go.disabled = true;
      clear(result);
      try {
        const engine = await p.engine;
        const table = tableNameFor(file, await engine.tables());
        const out = await loadUserTable(engine, ins, { kind: kind.value as TargetKind, mapping, crs: crs.value as Crs, swap: swap.checked, table });
        if (!out.ok) {
          result.append(h('p', { class: 'fimport-head' }, zh ? '未导入：' : 'Not imported:'), problemList(out.problems)!);
          return;
        }
        result.append(
          h('p', { class: 'fimport-done' }, zh ? `已导入 ${formatNumber(out.kept, p.lang)} 行到表 ${table}，已显示在地图上；也可在 SQL 中查询。` : `Imported ${formatNumber(out.kept, p.lang)} rows into table ${table}, shown on the map and queryable in SQL.`),
          problemList(out.problems.filter((q) => q.level !== 'error')) ?? '',
        );
        p.onLoaded(table, kind.value as TargetKind, file);
      } catch (e) {
        result.append(problemList([{ level: 'error', code: 'failed', zh: `导入失败：${(e as Error).message}`, en: `The import failed: ${(e as Error).message}` }])!);
      } finally {
        modal.busy(false);
        go.disabled = false;
      }
    });
  }

  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) void take(f);
  });
  // Dropping a file anywhere on the dialog imports it; the page never navigates to it.
  modal.dialog.parentElement!.addEventListener('dragover', (e) => e.preventDefault());
  modal.dialog.parentElement!.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files?.[0];
    if (f) void take(f);
  });
  modal.body.append(
    h('p', { class: 'fimport-help' }, zh ? '可导入 GeoJSON、Parquet 或 CSV（UTF-8 或 GBK，含经纬度列或 WKT 几何列）。文件只在本浏览器中处理，不会上传。' : 'GeoJSON, Parquet or CSV (UTF-8 or GBK, with lon/lat columns or a WKT geometry column). Files are processed in this browser only; nothing is uploaded.'),
    h('label', { for: `${modal.uid}-file`, class: 'fimport-drop' }, zh ? '将文件拖放到此处，或选择文件：' : 'Drop a file here, or choose one:'),
    input,
    summary,
    form,
    result,
  );
  input.focus();
  return { close: modal.close };
}
