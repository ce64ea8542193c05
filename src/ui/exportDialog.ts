/**
 * The planner's Export dialog: the map as a PNG at 1×, 2× or 4×, the
 * visible layers' features as filtered now as CSV or GeoJSON (with their
 * provenance), and the district table as CSV. Work runs one at a time with
 * its progress said in the status line; errors are said in the user's language.
 */
import './exportDialog.css';
import { csvBlob } from '../charts/csv';
import { exportFileName, MAX_SIDE } from '../export/compose';
import { districtCsv, type DistrictDeps } from '../export/districts';
import { featureCollection, featuresCsv, type ExportMeta } from '../export/features';
import { gatherLayers, type GatherDeps } from '../export/gather';
import { exportMapImage, type ImagePhase, type MapImageDeps } from '../export/mapImage';
import { loc } from '../i18n';
import type { AppState, Lang } from '../state/types';
import { h } from './dom';
import { openModal } from './modal';

export interface ExportDeps extends GatherDeps, DistrictDeps {
  image: MapImageDeps;
  state: () => AppState;
}

/** Saves a Blob under `filename` through a temporary <a download>. */
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers: wait, as FileSaver.js does.
  setTimeout(() => URL.revokeObjectURL(url), 40_000);
}

const PHASE: Record<ImagePhase, { zh: string; en: string }> = {
  settle: { zh: '等待图层绘制完成…', en: 'Waiting for the layers to draw…' },
  render: { zh: '按所选分辨率重新绘制地图…', en: 'Drawing the map at the chosen resolution…' },
  compose: { zh: '绘制标题、图例、比例尺和出处…', en: 'Adding title, legend, scale bar and sources…' },
  encode: { zh: '编码 PNG…', en: 'Encoding the PNG…' },
};

function errorText(e: unknown, lang: Lang): string {
  const m = e instanceof Error ? e.message : String(e);
  const zh = lang === 'zh';
  if (/too large|toBlob|allocation|memory/i.test(m)) return zh ? `图片过大，本浏览器无法生成，请选择较低的分辨率。（${m}）` : `The image is too large for this browser; choose a lower resolution. (${m})`;
  if (/context/i.test(m)) return zh ? `地图的图形上下文不可用，请稍后再试。（${m}）` : `The map's graphics context is unavailable; try again shortly. (${m})`;
  return zh ? `导出失败：${m}` : `Export failed: ${m}`;
}

export function openExportDialog(host: HTMLElement, d: ExportDeps): void {
  const s0 = d.state();
  const lang = s0.lang;
  const zh = lang === 'zh';
  const m = openModal(host, { kind: 'export', title: zh ? '导出' : 'Export', closeLabel: zh ? '关闭' : 'Close' });
  const status = h('p', { class: 'export-status', role: 'status', 'aria-live': 'polite' });
  const buttons: HTMLButtonElement[] = [];
  const run = (fn: () => Promise<string>) => async () => {
    for (const b of buttons) b.disabled = true;
    m.busy(true);
    status.classList.remove('export-error');
    try {
      status.textContent = await fn();
    } catch (e) {
      console.error('[civic-atlas] export:', e);
      status.classList.add('export-error');
      status.textContent = errorText(e, lang);
    } finally {
      m.busy(false);
      for (const b of buttons) b.disabled = false;
    }
  };
  const btn = (cls: string, label: string, fn: () => Promise<string>, attrs: Record<string, string> = {}) => {
    const b = h('button', { type: 'button', class: `export-action ${cls}`, ...attrs, click: run(fn) }, label);
    buttons.push(b);
    return b;
  };
  const meta = (s: AppState): ExportMeta => {
    const city = d.catalog.cities.find((c) => c.id === s.city)!;
    return { city: `${city.name.zh} ${city.name.en} (${city.id})`, time: s.time, exportedAt: new Date().toISOString(), appUrl: location.href };
  };
  const visibleIds = (s: AppState) => d.controller.statuses().filter((x) => x.visible).map((x) => x.def.id);

  const png = (ratio: number) => async () => {
    const s = d.state();
    const img = await exportMapImage(d.image, ratio, (p) => (status.textContent = PHASE[p][lang]));
    downloadBlob(exportFileName({ city: s.city, what: visibleIds(s), time: s.time, suffix: `${ratio}x`, ext: 'png' }), img.blob);
    const dims = `${img.width} × ${img.height}`;
    if (img.capped) return zh ? `已保存 ${dims} 像素的 PNG（${img.ratio.toFixed(2)}×：受 ${MAX_SIDE} 像素边长或显卡上限限制）。` : `Saved a ${dims} px PNG (${img.ratio.toFixed(2)}×: capped by the ${MAX_SIDE} px side or the GPU's limit).`;
    return zh ? `已保存 ${dims} 像素的 PNG。` : `Saved a ${dims} px PNG.`;
  };
  const features = (kind: 'csv' | 'geojson') => async () => {
    const s = d.state();
    status.textContent = zh ? '查询当前筛选的要素…' : 'Querying the features as filtered…';
    const layers = await gatherLayers(d, s);
    if (!layers.length) throw new Error(zh ? '没有可导出的可见图层（请先打开图层并等待加载）' : 'no visible layer to export (turn one on and let it load)');
    const name = exportFileName({ city: s.city, what: layers.map((l) => l.id), time: s.time, ext: kind });
    if (kind === 'csv') downloadBlob(name, csvBlob(featuresCsv(layers, meta(s))));
    else downloadBlob(name, new Blob([JSON.stringify(featureCollection(layers, meta(s)))], { type: 'application/geo+json' }));
    const n = layers.reduce((a, l) => a + l.features.length, 0);
    return zh ? `已保存 ${n} 个要素（${layers.map((l) => l.name).join('、')}）。` : `Saved ${n} features (${layers.map((l) => l.name).join(', ')}).`;
  };
  const districts = async () => {
    status.textContent = zh ? '计算各区统计…' : 'Computing the district table…';
    const { filename, csv } = await districtCsv(d, d.state());
    downloadBlob(filename, csvBlob(csv));
    return zh ? `已保存 ${filename}。` : `Saved ${filename}.`;
  };

  const city = d.catalog.cities.find((c) => c.id === s0.city)!;
  m.body.append(
    h('p', { class: 'export-intro' }, zh ? `${loc(city.name, lang)}：当前地图与可见图层。` : `${loc(city.name, lang)}: the map and the visible layers as they are now.`),
    h(
      'fieldset',
      { class: 'export-group' },
      h('legend', {}, zh ? '地图图片（PNG，含标题、图例、比例尺、指北针、出处）' : 'Map image (PNG with title, legend, scale bar, north arrow, sources)'),
      h(
        'div',
        { class: 'export-row' },
        ...[1, 2, 4].map((r) => btn('export-png', `${r}×`, png(r), { 'data-ratio': String(r), title: zh ? `屏幕尺寸的 ${r} 倍` : `${r}× the screen size` })),
      ),
      h('p', { class: 'export-hint' }, zh ? `单边最多 ${MAX_SIDE} 像素（并受显卡限制）；超出时自动降低倍数。` : `At most ${MAX_SIDE} px a side (and what the GPU allows); a larger request is scaled down.`),
    ),
    h(
      'fieldset',
      { class: 'export-group' },
      h('legend', {}, zh ? '要素（按当前筛选，WGS-84）' : 'Features (as filtered now, WGS-84)'),
      h('div', { class: 'export-row' }, btn('export-csv', 'CSV', features('csv')), btn('export-geojson', 'GeoJSON', features('geojson'))),
    ),
    h(
      'fieldset',
      { class: 'export-group' },
      h('legend', {}, zh ? '各区统计表' : 'District table'),
      h('div', { class: 'export-row' }, btn('export-districts', zh ? '各区 CSV' : 'Districts CSV', districts)),
    ),
    status,
  );
  buttons[0]?.focus();
}
