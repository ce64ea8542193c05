/**
 * The "data packs" dialog: save what the app shows (some cities, their
 * stories, the planner's imported files) as a pack in this browser or as a
 * .zip file; open, download or delete saved packs; load a pack from a .zip
 * (a presenter prepares it online, presents offline); and clear everything
 * this browser keeps. The work is in ../packs and ../pwa; this builds the DOM
 * (with h(): titles and messages from files stay plain text).
 */
import './packDialog.css';
import type { Catalog } from '../catalog/types';
import { formatBytes, loc } from '../i18n';
import { checkBudget, pageBudget } from '../import/memoryBudget';
import { PackError, unzipPack, zipPack, type PackContents, type PackManifest, type PackMessage } from '../packs/format';
import { deletePack, readSavedPack, savePack, savedPacks, type SavedPack } from '../packs/store';
import { clearLocalData, localDataSummary } from '../pwa/localData';
import type { Lang } from '../state/types';
import { clear, h } from './dom';
import { openModal } from './modal';

export interface PackDialogParams {
  lang: Lang;
  catalog: Catalog;
  city: string;
  /** The pack the app shows now, or null for the built-in data. */
  current: PackManifest | null;
  /** How many imported files are kept in this browser (they can go into a pack). */
  importedFiles(): Promise<number>;
  /** How many of the planner's own tables are shown (they can go into a pack). */
  userTables(): number;
  /** Assembles a pack of what the app shows. */
  build(o: { name: string; title: string; cities: string[]; withImports: boolean; withTables: boolean }): Promise<PackContents>;
  /** Reopens the app on a pack (null: the built-in data). */
  open(name: string | null): void;
}

const S = {
  title: { zh: '数据包', en: 'Data packs' },
  close: { zh: '关闭', en: 'Close' },
  intro: {
    zh: '数据包把目录、数据文件、故事和导入的文件打包在一起：联网时准备好，会场断网时照样打开。数据包只保存在本浏览器或你下载的文件中，不会上传。',
    en: 'A data pack holds the catalog, its data files, the stories and your imported files: prepare it online, open it in a meeting room with no network. Packs stay in this browser or in the file you download; nothing is uploaded.',
  },
  showing: { zh: '当前显示：', en: 'Showing: ' },
  builtIn: { zh: '内置数据', en: 'the built-in data' },
  backToBuiltIn: { zh: '改为显示内置数据', en: 'Show the built-in data' },
  saveHead: { zh: '保存当前数据为数据包', en: 'Save what is shown as a pack' },
  packTitle: { zh: '名称', en: 'Title' },
  cities: { zh: '城市', en: 'Cities' },
  withImports: { zh: '包含导入的文件', en: 'Include imported files' },
  withTables: { zh: '包含“你的数据”中的图层', en: 'Include the layers under “Your data”' },
  save: { zh: '保存到本浏览器', en: 'Save in this browser' },
  download: { zh: '下载 .zip', en: 'Download .zip' },
  savedHead: { zh: '本浏览器中的数据包', en: 'Packs in this browser' },
  none: { zh: '还没有保存的数据包。', en: 'No packs saved yet.' },
  open: { zh: '打开', en: 'Open' },
  inUse: { zh: '正在使用', en: 'In use' },
  del: { zh: '删除', en: 'Delete' },
  loadHead: { zh: '从文件载入数据包', en: 'Load a pack from a file' },
  loadLabel: { zh: '选择 .zip 数据包文件', en: 'Choose a .zip pack file' },
  clearHead: { zh: '本浏览器保存的数据', en: 'Data kept in this browser' },
  clearBtn: { zh: '全部清除…', en: 'Clear all…' },
  clearConfirm: { zh: '确认清除', en: 'Clear it' },
  cancel: { zh: '取消', en: 'Cancel' },
  working: { zh: '正在处理…', en: 'Working…' },
  noCity: { zh: '请至少选择一个城市。', en: 'Choose at least one city.' },
} as const;

function downloadBytes(bytes: Uint8Array, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function openPackDialog(host: HTMLElement, p: PackDialogParams): { close(): void } {
  const lang = p.lang;
  const tr = (k: keyof typeof S) => S[k][lang];
  const zh = lang === 'zh';
  const modal = openModal(host, { kind: 'pack', title: tr('title'), closeLabel: tr('close') });
  const { uid } = modal;
  const status = h('div', { class: 'pack-status', role: 'status', 'aria-live': 'polite' });
  const say = (level: 'info' | 'error', title: string, lines: string[] = []) => {
    clear(status);
    status.className = `pack-status pack-status-${level}`;
    status.scrollIntoView?.({ block: 'nearest' });
    status.append(h('div', {}, title));
    if (lines.length) status.append(h('ul', {}, ...lines.slice(0, 5).map((l) => h('li', {}, l))));
    if (lines.length > 5) status.append(h('div', {}, zh ? `另有 ${lines.length - 5} 条` : `and ${lines.length - 5} more`));
  };
  const problemLines = (ms: PackMessage[]) => ms.map((m) => m[lang]);
  const busy = async (work: () => Promise<void>) => {
    modal.busy(true);
    say('info', tr('working'));
    try {
      await work();
    } catch (e) {
      if (e instanceof PackError) say('error', zh ? '这不是可用的数据包：' : 'This is not a usable pack:', problemLines(e.messages));
      else say('error', zh ? `操作失败：${(e as Error).message}` : `That did not work: ${(e as Error).message}`);
    } finally {
      modal.busy(false);
    }
  };

  // ── what is shown now ──
  const showing = h(
    'p',
    { class: 'pack-showing' },
    tr('showing'),
    h('strong', {}, p.current ? p.current.title : tr('builtIn')),
    p.current ? h('button', { type: 'button', class: 'pack-builtin', click: () => p.open(null) }, tr('backToBuiltIn')) : null,
  );

  // ── save ──
  const today = new Date().toISOString().slice(0, 10);
  const cityName = (id: string) => loc(p.catalog.cities.find((c) => c.id === id)?.name ?? { zh: id, en: id }, lang);
  const defaultTitle = `${cityName(p.city)} ${zh ? '数据包' : 'pack'} ${today}`;
  const titleIn = h('input', { type: 'text', class: 'pack-title-in', id: `${uid}-name`, maxlength: 120, value: defaultTitle });
  const cityBoxes = p.catalog.cities.map((c) => {
    const box = h('input', { type: 'checkbox', value: c.id, class: 'pack-city' });
    box.checked = c.id === p.city;
    return h('label', { class: 'pack-city-label' }, box, ' ', loc(c.name, lang));
  });
  const importsBox = h('input', { type: 'checkbox', class: 'pack-imports' });
  const importsLabel = h('label', { class: 'pack-imports-label' }, importsBox, ' ', tr('withImports'));
  importsLabel.hidden = true;
  void p.importedFiles().then((n) => {
    importsLabel.hidden = n === 0;
    importsBox.checked = n > 0;
    importsLabel.lastChild!.textContent = ` ${tr('withImports')}（${n}）`;
  });
  const tableCount = p.userTables();
  const tablesBox = h('input', { type: 'checkbox', class: 'pack-tables' });
  tablesBox.checked = tableCount > 0;
  const tablesLabel = h('label', { class: 'pack-tables-label' }, tablesBox, ' ', `${tr('withTables')}（${tableCount}）`);
  tablesLabel.hidden = tableCount === 0;
  const chosen = () => cityBoxes.map((l) => l.querySelector('input')!).filter((b) => b.checked).map((b) => b.value);
  const build = async () => {
    const cities = chosen();
    if (!cities.length) throw new Error(tr('noCity'));
    const title = titleIn.value.trim() || defaultTitle;
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 12);
    return p.build({ name: `${cities.join('-')}-${stamp}`, title, cities, withImports: importsBox.checked && !importsLabel.hidden, withTables: tablesBox.checked && tableCount > 0 });
  };
  const saveBtn = h('button', { type: 'button', class: 'pack-save primary' }, tr('save'));
  const dlBtn = h('button', { type: 'button', class: 'pack-download' }, tr('download'));
  saveBtn.addEventListener('click', () =>
    busy(async () => {
      const pack = await build();
      await savePack(pack);
      await refresh();
      say('info', zh ? `已保存数据包“${pack.manifest.title}”（${formatBytes(total(pack), lang)}），断网时也可打开。` : `Saved the pack “${pack.manifest.title}” (${formatBytes(total(pack), lang)}); it opens with no network too.`);
    }),
  );
  dlBtn.addEventListener('click', () =>
    busy(async () => {
      const pack = await build();
      downloadBytes(zipPack(pack.files), `${pack.manifest.name}.zip`);
      say('info', zh ? `已生成 ${pack.manifest.name}.zip。` : `Made ${pack.manifest.name}.zip.`);
    }),
  );
  const saveSection = h(
    'section',
    { class: 'pack-section' },
    h('h3', {}, tr('saveHead')),
    h('div', { class: 'pack-row' }, h('label', { for: `${uid}-name` }, tr('packTitle')), titleIn),
    h('fieldset', { class: 'pack-cities' }, h('legend', {}, tr('cities')), ...cityBoxes),
    importsLabel,
    tablesLabel,
    h('div', { class: 'pack-actions' }, saveBtn, dlBtn),
  );

  // ── saved packs ──
  const list = h('ul', { class: 'pack-list' });
  async function refresh() {
    const packs = await savedPacks().catch(() => [] as SavedPack[]);
    clear(list);
    if (!packs.length) list.append(h('li', { class: 'pack-none' }, tr('none')));
    for (const sp of packs) list.append(packItem(sp));
    await describeKept();
  }
  const packItem = ({ manifest: m, bytes }: SavedPack) => {
    const inUse = p.current?.name === m.name;
    const when = m.created ? new Date(m.created).toLocaleString(zh ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '';
    const detail = [m.cities.map(cityName).join(zh ? '、' : ', '), formatBytes(bytes, lang), when, m.imports.length ? (zh ? `${m.imports.length} 个导入文件` : `${m.imports.length} imported file${m.imports.length > 1 ? 's' : ''}`) : '', m.tables?.length ? (zh ? `${m.tables.length} 个你的图层` : `${m.tables.length} of your layer${m.tables.length > 1 ? 's' : ''}`) : ''].filter(Boolean).join(' · ');
    return h(
      'li',
      { class: 'pack-item', 'data-pack': m.name },
      h('div', { class: 'pack-item-text' }, h('div', { class: 'pack-item-title' }, m.title), h('div', { class: 'pack-item-detail' }, detail)),
      h(
        'div',
        { class: 'pack-item-actions' },
        inUse ? h('span', { class: 'pack-inuse' }, tr('inUse')) : h('button', { type: 'button', class: 'pack-open', click: () => p.open(m.name) }, tr('open')),
        h('button', { type: 'button', class: 'pack-dl', click: () => busy(async () => downloadBytes(zipPack(await readSavedPack(m.name)), `${m.name}.zip`)) }, tr('download')),
        h(
          'button',
          {
            type: 'button',
            class: 'pack-del',
            click: () =>
              busy(async () => {
                await deletePack(m.name);
                await refresh();
                say('info', zh ? `已删除数据包“${m.title}”。` : `Deleted the pack “${m.title}”.`);
              }),
          },
          tr('del'),
        ),
      ),
    );
  };

  // ── load from a file ──
  const fileIn = h('input', { type: 'file', accept: '.zip,application/zip', class: 'pack-file', id: `${uid}-file` });
  fileIn.addEventListener('change', () => {
    const file = fileIn.files?.[0];
    if (!file) return;
    fileIn.value = '';
    void busy(async () => {
      // A zip unpacks to about its size or more: refuse before reading what the tab cannot hold.
      const verdict = checkBudget([{ name: 'pack.parquet', size: file.size }], pageBudget());
      if (verdict.refused.length) {
        const mb = Math.round(pageBudget().bytes / 2 ** 20);
        throw new Error(zh ? `文件 ${formatBytes(file.size, lang)}，超出本页内存预算（${mb} MB）。请用更少的城市制作数据包。` : `The file is ${formatBytes(file.size, lang)}, over this page's memory budget (${mb} MB). Make the pack with fewer cities.`);
      }
      const pack = unzipPack(new Uint8Array(await file.arrayBuffer()), Math.min(pageBudget().bytes, 1024 * 2 ** 20));
      await savePack(pack);
      await refresh();
      say('info', zh ? `已载入数据包“${pack.manifest.title}”，可在上方列表中打开。` : `Loaded the pack “${pack.manifest.title}”; open it from the list above.`);
    });
  });
  const loadSection = h('section', { class: 'pack-section' }, h('h3', {}, tr('loadHead')), h('label', { for: `${uid}-file`, class: 'pack-file-label' }, tr('loadLabel')), fileIn);

  // ── clear everything kept ──
  const clearSummary = h('p', { class: 'pack-help' });
  const clearBtn = h('button', { type: 'button', class: 'pack-clear' }, tr('clearBtn'));
  const confirmBtn = h('button', { type: 'button', class: 'pack-clear-confirm danger' }, tr('clearConfirm'));
  const cancelBtn = h('button', { type: 'button', class: 'pack-clear-cancel' }, tr('cancel'));
  const confirmRow = h('div', { class: 'pack-actions' }, confirmBtn, cancelBtn);
  confirmRow.hidden = true;
  const describeKept = async () => {
    const s = await localDataSummary();
    clearSummary.textContent = zh
      ? `导入的文件 ${s.imports} 个，你的图层 ${s.tables} 个，数据包 ${s.packs.length} 个，故事草稿 ${s.storyDraft ? '1' : '0'} 份，设置 ${s.settings} 项（天地图密钥、内存预算）。离线应用本身不在其中。`
      : `${plural(s.imports, 'imported file')}, ${plural(s.tables, 'layer of yours', 'layers of yours')}, ${plural(s.packs.length, 'pack')}, ${plural(s.storyDraft ? 1 : 0, 'story draft')}, ${plural(s.settings, 'setting')} (Tianditu key, memory budget). The offline copy of the app itself is not included.`;
  };
  clearBtn.addEventListener('click', () => {
    confirmRow.hidden = false;
    clearBtn.hidden = true;
    confirmBtn.focus();
  });
  cancelBtn.addEventListener('click', () => {
    confirmRow.hidden = true;
    clearBtn.hidden = false;
    clearBtn.focus();
  });
  confirmBtn.addEventListener('click', () =>
    busy(async () => {
      const was = await clearLocalData();
      confirmRow.hidden = true;
      clearBtn.hidden = false;
      await refresh();
      say(
        'info',
        zh
          ? `已清除：导入的文件 ${was.imports} 个、你的图层 ${was.tables} 个、数据包 ${was.packs.length} 个${was.storyDraft ? '、故事草稿' : ''}及保存的设置。已显示的数据在刷新前仍在页面中。`
          : `Cleared: ${plural(was.imports, 'imported file')}, ${plural(was.tables, 'layer of yours', 'layers of yours')}, ${plural(was.packs.length, 'pack')}${was.storyDraft ? ', the story draft' : ''} and the saved settings. What is on screen stays until the page is reloaded.`,
      );
    }),
  );
  const clearSection = h('section', { class: 'pack-section' }, h('h3', {}, tr('clearHead')), clearSummary, clearBtn, confirmRow);

  modal.body.append(
    h('p', { class: 'pack-help' }, tr('intro')),
    showing,
    status,
    saveSection,
    h('section', { class: 'pack-section' }, h('h3', {}, tr('savedHead')), list),
    loadSection,
    clearSection,
  );
  void refresh();
  titleIn.focus();
  return { close: modal.close };
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
const total = (p: PackContents) => [...p.files.values()].reduce((s, b) => s + b.length, 0);
