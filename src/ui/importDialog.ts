/**
 * The "import real air-quality data" dialog: a planner picks or drops CNEMC
 * files (station list, per-hour readings), chooses how the O3 columns are
 * laid out, imports, and sees per file what happened, in their language.
 * All work is ../import/airImport.ts; this module only builds the DOM (with
 * h(), so file names and messages from files are always plain text).
 */
import './importDialog.css';
import type { Engine } from '../engine/types';
import { formatBytes, formatNumber } from '../i18n';
import {
  MAX_FILE_BYTES,
  clearImportedAir,
  importAirFiles,
  importedStationsForCity,
  tooLargeResult,
  type AirFileResult,
  type AirImportOutcome,
  type Message,
  type O3Layout,
} from '../import/airImport';
import { checkBudget, overBudgetMessage, pageBudget } from '../import/memoryBudget';
import type { Lang } from '../state/types';
import { clear, h } from './dom';
import { openModal } from './modal';

export interface AirImportDialogParams {
  lang: Lang;
  engine: Promise<Engine>;
  /** The city on screen: the summary counts its imported stations. */
  cityName: { zh: string; en: string };
  /** After an import in which at least one file went in (the tables changed). */
  /** `imported`: the files that went in without error, to keep them across a reload. */
  onImported: (o: AirImportOutcome, imported: { files: { name: string; bytes: Uint8Array }[]; o3Columns: O3Layout }) => void;
  /** After "Remove imported data" dropped the tables. */
  onClear: () => void;
  /** Whether imported data exists already (shows the remove button). */
  hasImported: boolean;
}

const S = {
  title: { zh: '导入空气质量数据', en: 'Import air-quality data' },
  close: { zh: '关闭', en: 'Close' },
  intro: {
    zh: '可导入中国环境监测总站（CNEMC）格式的两类 CSV 文件：',
    en: "Two kinds of CSV file in the formats of China's national monitoring centre (CNEMC) can be imported:",
  },
  fmtStations: {
    zh: '国控站点列表：监测点编码、监测点名称、城市、经度、纬度、对照点…（GBK 或 UTF-8 编码）。',
    en: 'Station list: 监测点编码, 监测点名称, 城市, 经度, 纬度, 对照点… (GBK or UTF-8).',
  },
  fmtHourly: {
    zh: '公开归档的小时数据：每小时一个 CSV（timepoint、stationcode、pm2_5、pm10、o3、no2、so2、co…），可一次选择多个文件。',
    en: 'Hourly readings from the public archive: one CSV per hour (timepoint, stationcode, pm2_5, pm10, o3, no2, so2, co…); pick many at once.',
  },
  local: {
    zh: '文件只在本浏览器中处理，不会上传；导入的文件保存在本浏览器中，刷新页面后自动恢复。',
    en: 'Files are processed in this browser only, nothing is uploaded; they are kept in this browser and come back after a reload.',
  },
  drop: { zh: '将 CSV 文件拖放到此处，或选择文件：', en: 'Drop CSV files here, or choose files:' },
  chooseLabel: { zh: '选择 CSV 文件', en: 'Choose CSV files' },
  none: { zh: '尚未选择文件', en: 'No files chosen' },
  o3Legend: { zh: 'O3 列布局', en: 'O3 column layout' },
  o3Swapped: { zh: '公开归档（默认）', en: 'Public archive (default)' },
  o3SwappedHelp: {
    zh: '该归档中 o3 与 o3_24h 两列互换：o3 列是 24 小时最大值，o3_24h 列才是小时值。',
    en: 'This archive swaps o3 and o3_24h: its o3 column is the 24-hour maximum, o3_24h the hourly value.',
  },
  o3Labelled: { zh: '按列名', en: 'As labelled' },
  o3LabelledHelp: {
    zh: 'o3 为小时值，o3_24h 为 24 小时最大值（CNEMC 原始格式）。',
    en: "o3 is the hourly value, o3_24h the 24-hour maximum (CNEMC's own layout).",
  },
  import: { zh: '导入', en: 'Import' },
  remove: { zh: '移除已导入的数据', en: 'Remove imported data' },
  removed: { zh: '已移除导入的数据。', en: 'Imported data removed.' },
  merging: { zh: '正在合并小时数据…', en: 'Merging hourly readings…' },
  engineFailed: { zh: '数据引擎不可用：', en: 'The data engine is unavailable: ' },
  readFailed: { zh: '无法读取该文件。', en: 'The file could not be read.' },
  failed: { zh: '导入失败：', en: 'Import failed: ' },
  ok: { zh: '已导入', en: 'imported' },
  warn: { zh: '已导入，有提示', en: 'imported, with warnings' },
  bad: { zh: '未导入', en: 'not imported' },
  results: { zh: '导入结果', en: 'Results' },
} as const;

type Key = keyof typeof S;

/** 'YYYY-MM-DDTHH' (China Standard Time) → 'YYYY-MM-DD HH:00'. */
const clockText = (c: string) => `${c.slice(0, 10)} ${c.slice(11, 13)}:00`;

/**
 * Open the dialog in `host` (one at a time). Modal: focus stays inside, Esc
 * or × closes it and focus returns where it was. An import keeps running if
 * the dialog is closed meanwhile (onImported still fires).
 */
export function openAirImportDialog(host: HTMLElement, p: AirImportDialogParams): { close(): void } {
  const lang = p.lang;
  const tr = (k: Key) => S[k][lang];
  const msg = (m: Message) => m[lang];
  const modal = openModal(host, { kind: 'import', title: tr('title'), closeLabel: tr('close') });
  const { uid, dialog } = modal;

  let picked: File[] = [];
  let busy = false;
  let hasImported = p.hasImported;

  // ── controls ──
  const input = h('input', { type: 'file', multiple: true, accept: '.csv,text/csv', id: `${uid}-file`, class: 'import-file', 'aria-describedby': `${uid}-picked` });
  const pickedEl = h('div', { class: 'import-picked', id: `${uid}-picked`, 'aria-live': 'polite' }, tr('none'));
  const drop = h(
    'div',
    { class: 'import-drop' },
    h('label', { for: `${uid}-file`, class: 'import-drop-label' }, tr('drop')),
    input,
    pickedEl,
  );
  const radio = (value: O3Layout, label: Key, help: Key, checked: boolean) => {
    const r = h('input', { type: 'radio', name: `${uid}-o3`, value, id: `${uid}-o3-${value}`, 'aria-describedby': `${uid}-o3-${value}-help` });
    r.checked = checked;
    return {
      input: r,
      el: h(
        'div',
        { class: 'import-o3-opt' },
        h('label', { for: `${uid}-o3-${value}`, class: 'import-o3-label' }, r, ' ', tr(label)),
        h('div', { class: 'import-o3-help', id: `${uid}-o3-${value}-help` }, tr(help)),
      ),
    };
  };
  const o3Swapped = radio('swapped', 'o3Swapped', 'o3SwappedHelp', true);
  const o3Labelled = radio('as-labelled', 'o3Labelled', 'o3LabelledHelp', false);
  const o3Set = h('fieldset', { class: 'import-o3' }, h('legend', {}, tr('o3Legend')), o3Swapped.el, o3Labelled.el);

  const goBtn = h('button', { type: 'button', class: 'import-go' }, tr('import'));
  goBtn.disabled = true;
  const clearBtn = h('button', { type: 'button', class: 'import-clear' }, tr('remove'));
  clearBtn.hidden = !hasImported;

  const progress = h('progress', { class: 'import-progress-bar', max: 1, value: 0 });
  const progressText = h('span', { class: 'import-progress-text' });
  const progressEl = h('div', { class: 'import-progress', role: 'status', 'aria-live': 'polite' }, progress, progressText);
  progressEl.hidden = true;
  const summaryEl = h('div', { class: 'import-summary', role: 'status', 'aria-live': 'polite' });
  const resultsHead = h('h3', { class: 'import-results-title' }, tr('results'));
  resultsHead.hidden = true;
  const resultsEl = h('ul', { class: 'import-results' });

  modal.body.append(
    h('p', { class: 'import-help' }, tr('intro')),
    h('ul', { class: 'import-formats' }, h('li', {}, tr('fmtStations')), h('li', {}, tr('fmtHourly'))),
    h('p', { class: 'import-help import-local' }, tr('local')),
    drop,
    o3Set,
    h('div', { class: 'import-actions' }, goBtn, clearBtn),
    progressEl,
    summaryEl,
    resultsHead,
    resultsEl,
  );
  const backdrop = dialog.parentElement!;

  // ── behaviour ──
  const setPicked = (files: File[]) => {
    picked = files;
    clear(pickedEl);
    if (files.length === 0) pickedEl.append(tr('none'));
    else {
      const total = files.reduce((s, f) => s + f.size, 0);
      pickedEl.append(
        lang === 'zh' ? `已选择 ${files.length} 个文件（${formatBytes(total, lang)}）` : `${files.length} file${files.length > 1 ? 's' : ''} chosen (${formatBytes(total, lang)})`,
      );
      if (files.length <= 6) pickedEl.append(h('span', { class: 'import-picked-names' }, files.map((f) => f.name).join(lang === 'zh' ? '、' : ', ')));
    }
    goBtn.disabled = busy || files.length === 0;
  };
  input.addEventListener('change', () => setPicked(input.files ? [...input.files] : []));

  const stop = (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
  };
  // Dropping a file anywhere on the backdrop must not navigate the page away.
  backdrop.addEventListener('dragover', stop);
  backdrop.addEventListener('drop', stop);
  drop.addEventListener('dragenter', (e) => {
    stop(e);
    if (!busy) drop.classList.add('import-drop-over');
  });
  drop.addEventListener('dragover', (e) => {
    stop(e);
    if (e.dataTransfer) e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
  });
  drop.addEventListener('dragleave', (e) => {
    if (!drop.contains(e.relatedTarget as Node | null)) drop.classList.remove('import-drop-over');
  });
  drop.addEventListener('drop', (e) => {
    stop(e);
    drop.classList.remove('import-drop-over');
    if (busy) return;
    const files = e.dataTransfer?.files ? [...e.dataTransfer.files] : [];
    if (files.length) setPicked(files);
  });

  const setBusy = (on: boolean) => {
    busy = on;
    modal.busy(on);
    input.disabled = on;
    o3Swapped.input.disabled = on;
    o3Labelled.input.disabled = on;
    goBtn.disabled = on || picked.length === 0;
    clearBtn.disabled = on;
    progressEl.hidden = !on;
    drop.classList.toggle('import-drop-busy', on);
  };
  const showProgress = (done: number, total: number, text: string) => {
    progress.max = Math.max(1, total);
    progress.value = done;
    progressText.textContent = text;
  };

  const icon = (f: AirFileResult) => {
    const warn = f.messages.some((m) => m.level !== 'info');
    const [sym, cls, label] = !f.ok ? ['✗', 'bad', tr('bad')] : warn ? ['⚠', 'warn', tr('warn')] : ['✓', 'ok', tr('ok')];
    return h('span', { class: `import-icon import-icon-${cls}`, role: 'img', 'aria-label': label, title: label }, sym);
  };
  const renderResults = (files: AirFileResult[]) => {
    clear(resultsEl);
    resultsHead.hidden = files.length === 0;
    for (const f of files) {
      const meta: string[] = [];
      if (f.rows !== undefined) meta.push(lang === 'zh' ? `${formatNumber(f.rows, lang)} 行` : `${formatNumber(f.rows, lang)} row${f.rows === 1 ? '' : 's'}`);
      if (f.encoding) meta.push(f.encoding.toUpperCase());
      if (f.kind !== 'unknown') meta.push(f.kind === 'stations' ? (lang === 'zh' ? '站点列表' : 'station list') : lang === 'zh' ? '小时数据' : 'hourly');
      resultsEl.append(
        h(
          'li',
          { class: `import-result import-result-${f.ok ? 'ok' : 'bad'}` },
          h('div', { class: 'import-result-head' }, icon(f), h('span', { class: 'import-result-name' }, f.name), meta.length ? h('span', { class: 'import-result-meta' }, meta.join(' · ')) : null),
          f.messages.length
            ? h('ul', { class: 'import-messages' }, ...f.messages.map((m) => h('li', { class: `import-msg import-msg-${m.level}` }, msg(m))))
            : null,
        ),
      );
    }
  };

  const renderSummary = async (engine: Engine, o: AirImportOutcome) => {
    clear(summaryEl);
    const city = p.cityName[lang];
    let n = 0;
    try {
      n = await importedStationsForCity(engine, p.cityName.zh);
    } catch {
      n = 0;
    }
    const lines: string[] = [];
    if (n > 0) lines.push(lang === 'zh' ? `${city}共有 ${formatNumber(n, lang)} 个已导入站点` : `${formatNumber(n, lang)} imported station${n === 1 ? '' : 's'} in ${city}`);
    else if (o.stations > 0) {
      lines.push(
        lang === 'zh'
          ? `已导入的 ${formatNumber(o.stations, lang)} 个站点都不在${city}`
          : o.stations === 1
            ? `The imported station is not in ${city}`
            : `None of the ${formatNumber(o.stations, lang)} imported stations is in ${city}`,
      );
    }
    if (o.span) {
      const [a, b] = o.span.map(clockText) as [string, string];
      lines.push(
        lang === 'zh'
          ? `小时数据从 ${a} 到 ${b}（北京时间，共 ${formatNumber(o.hours, lang)} 个小时）`
          : `hours from ${a} to ${b} (China Standard Time, ${formatNumber(o.hours, lang)} hour${o.hours === 1 ? '' : 's'})`,
      );
    } else if (o.stations > 0) lines.push(lang === 'zh' ? '尚无小时数据' : 'no hourly readings yet');
    if (lines.length) summaryEl.append(lang === 'zh' ? `${lines.join('，')}。` : `${lines.join('; ').replace(/^./, (c) => c.toUpperCase())}.`);
  };

  const run = async () => {
    if (busy || picked.length === 0) return;
    const files = picked;
    const o3Columns: O3Layout = o3Labelled.input.checked ? 'as-labelled' : 'swapped';
    setBusy(true);
    clear(summaryEl);
    renderResults([]);
    try {
      let engine: Engine;
      try {
        engine = await p.engine;
      } catch (err) {
        summaryEl.append(tr('engineFailed'), err instanceof Error ? err.message : String(err));
        return;
      }
      // Read the files (too-large ones are refused unread), remembering where each goes in the result list.
      const slots: (AirFileResult | null)[] = [];
      const toImport: { name: string; bytes: Uint8Array }[] = [];
      // Files that would not fit in memory are refused from their size alone, unread.
      const budget = pageBudget();
      const verdict = checkBudget(files, budget);
      const overBudget = new Map(verdict.refused.map((r) => [r.file, r.estimate]));
      for (const [i, f] of files.entries()) {
        showProgress(i, files.length, lang === 'zh' ? `正在读取第 ${i + 1} / ${files.length} 个文件：${f.name}` : `Reading file ${i + 1} of ${files.length}: ${f.name}`);
        const estimate = overBudget.get(f);
        if (estimate !== undefined) {
          slots.push({ name: f.name, kind: 'unknown', ok: false, messages: [overBudgetMessage(f.size, estimate, budget)] });
          continue;
        }
        if (f.size > MAX_FILE_BYTES) {
          slots.push(tooLargeResult(f.name, f.size));
          continue;
        }
        try {
          toImport.push({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
          slots.push(null);
        } catch {
          slots.push({ name: f.name, kind: 'unknown', ok: false, messages: [{ level: 'error', zh: S.readFailed.zh, en: S.readFailed.en }] });
        }
      }
      const outcome = await importAirFiles(engine, toImport, {
        o3Columns,
        onProgress: (i, total, name) => {
          // Count refused files as done so the bar matches "file k of n" over everything chosen.
          const offset = files.length - total;
          if (i >= total) showProgress(files.length, files.length, tr('merging'));
          else showProgress(offset + i, files.length, lang === 'zh' ? `正在导入第 ${offset + i + 1} / ${files.length} 个文件：${name}` : `Importing file ${offset + i + 1} of ${files.length}: ${name}`);
        },
      });
      let k = 0;
      const merged: AirImportOutcome = { ...outcome, files: slots.map((s) => s ?? outcome.files[k++]!) };
      renderResults(merged.files);
      await renderSummary(engine, merged);
      if (!modal.closed) summaryEl.scrollIntoView({ block: 'nearest' });
      if (merged.files.some((f) => f.ok)) {
        hasImported = true;
        const okNames = new Set(merged.files.filter((f) => f.ok).map((f) => f.name));
        p.onImported(merged, { files: toImport.filter((f) => okNames.has(f.name)), o3Columns });
      }
      clearBtn.hidden = !hasImported;
      // The list of chosen files was used up.
      input.value = '';
      setPicked([]);
    } catch (err) {
      clear(summaryEl);
      summaryEl.append(tr('failed'), err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      if (!modal.closed && !dialog.contains(document.activeElement)) dialog.focus();
    }
  };
  goBtn.addEventListener('click', () => void run());

  clearBtn.addEventListener('click', async () => {
    if (busy) return;
    setBusy(true);
    try {
      const engine = await p.engine;
      await clearImportedAir(engine);
      hasImported = false;
      clearBtn.hidden = true;
      renderResults([]);
      clear(summaryEl);
      summaryEl.append(tr('removed'));
      p.onClear();
    } catch (err) {
      clear(summaryEl);
      summaryEl.append(tr('failed'), err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      if (!modal.closed) (clearBtn.hidden ? input : clearBtn).focus();
    }
  });

  input.focus();
  return { close: modal.close };
}
