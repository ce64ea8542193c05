import type { Message } from './airImport';

/**
 * How much memory an imported file may take in this tab, and whether a file
 * fits, decided from its size alone, before a byte of it is read: a file
 * that would not fit is refused at once, so the tab never stalls or dies
 * trying.
 *
 * Estimates are deliberately on the high side: a CSV is read as bytes, then
 * decoded to a JS string (UTF-16: twice the bytes), then parsed into rows
 * and copied into DuckDB; GeoJSON is parsed as a whole by JSON.parse into
 * objects several times the text; Parquet is compressed on disk.
 */
const EXPANSION: Record<string, number> = { csv: 4, txt: 4, json: 6, geojson: 6, parquet: 5 };
const DEFAULT_EXPANSION = 5;

export interface Budget {
  bytes: number;
  /** Where the figure came from, for the message. */
  from: 'setting' | 'device' | 'default';
}

/** The planner's own figure (MB), from `?membudget=` or this browser's storage; null when not set or not a sane number. */
export function budgetSetting(search: string, stored: string | null): number | null {
  const raw = new URLSearchParams(search).get('membudget') ?? stored;
  if (raw === null) return null;
  const mb = Number(raw);
  return Number.isFinite(mb) && mb >= 16 && mb <= 16_384 ? Math.round(mb) : null;
}

/**
 * The budget: the planner's setting, else a quarter of the device's memory
 * (`navigator.deviceMemory`, which browsers cap at 8 GB), between 512 MB
 * and 2 GB; 1 GB where the device does not say.
 */
export function memoryBudget(settingMb: number | null, deviceMemoryGb: number | undefined): Budget {
  if (settingMb !== null) return { bytes: settingMb * 2 ** 20, from: 'setting' };
  if (deviceMemoryGb && Number.isFinite(deviceMemoryGb)) {
    return { bytes: Math.min(2 * 2 ** 30, Math.max(512 * 2 ** 20, (deviceMemoryGb * 2 ** 30) / 4)), from: 'device' };
  }
  return { bytes: 2 ** 30, from: 'default' };
}

/** Where a budget set once is kept (MB). */
export const BUDGET_STORAGE = 'civic-atlas:memory-budget-mb';

// The app soon rewrites the URL from its state, which does not carry the
// budget: the app hands over the link it started with (captureBudgetSetting).
let bootSearch = '';
export function captureBudgetSetting(search: string): void {
  bootSearch = search;
}

/** The budget of this page (browser only). */
export function pageBudget(): Budget {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(BUDGET_STORAGE);
  } catch {
    // Storage blocked: the default applies.
  }
  const device = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return memoryBudget(budgetSetting(bootSearch, stored), device);
}

export function estimateInMemory(file: { name: string; size: number }): number {
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  return file.size * (EXPANSION[ext] ?? DEFAULT_EXPANSION);
}

export interface BudgetVerdict<F> {
  fits: F[];
  refused: { file: F; estimate: number }[];
}

/**
 * Which of the chosen files fit, together, in what is left of the budget
 * (files taken in the order chosen; one that does not fit is refused and the
 * next ones still get their chance).
 */
export function checkBudget<F extends { name: string; size: number }>(files: F[], budget: Budget, alreadyUsed = 0): BudgetVerdict<F> {
  const out: BudgetVerdict<F> = { fits: [], refused: [] };
  let used = alreadyUsed;
  for (const file of files) {
    const estimate = estimateInMemory(file);
    if (used + estimate > budget.bytes) out.refused.push({ file, estimate });
    else {
      out.fits.push(file);
      used += estimate;
    }
  }
  return out;
}

const mb = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)} MB`;

/** What the user reads: how big is too big here, and what to do instead. */
export function overBudgetMessage(size: number, estimate: number, budget: Budget): Message {
  const maxFile = budget.bytes / (estimate / Math.max(1, size));
  const whence = {
    setting: { zh: '（你设定的预算）', en: ' (your setting)' },
    device: { zh: '（按本机内存估算）', en: " (from this device's memory)" },
    default: { zh: '', en: '' },
  }[budget.from];
  return {
    level: 'error',
    zh:
      `文件 ${mb(size)}，导入后约占 ${mb(estimate)} 内存，超过本页的内存预算 ${mb(budget.bytes)}${whence.zh}：这类文件最大约 ${mb(maxFile)}。` +
      `未读取该文件，已加载的数据不受影响。可以：先按城市或时间筛选、拆分后再导入；转换为 Parquet 放入数据包；或使用支持按需读取（HTTP Range）的远程数据源。` +
      `预算可用链接参数 membudget=（单位 MB）调整。`,
    en:
      `The file is ${mb(size)} and would take about ${mb(estimate)} of memory, over this page's budget of ${mb(budget.bytes)}${whence.en}: files of this kind can be up to about ${mb(maxFile)}. ` +
      `It was not read, and nothing already loaded is affected. Instead: filter it by city or time, or split it, and import the parts; convert it to Parquet in a data pack; or use a remote source read in ranges (HTTP Range). ` +
      `The budget can be set with membudget= (MB) in the link.`,
  };
}
