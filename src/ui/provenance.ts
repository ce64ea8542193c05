import type { DatasetFile } from '../catalog/types';
import { t } from '../i18n';
import type { Lang } from '../state/types';
import { h } from './dom';

/** The badge every layer carries: modelled data is never shown as measured. */
export function dataBadge(modelled: boolean, lang: Lang): HTMLElement {
  return h(
    'span',
    { class: modelled ? 'badge badge-modelled' : 'badge badge-measured', title: modelled ? t('modelledNote', lang) : '' },
    modelled ? t('modelled', lang) : t('measured', lang),
  );
}

/** Source, license, vintage and method of each file a layer reads. */
export function provenanceDetails(files: { id: string; file: DatasetFile }[], lang: Lang): HTMLDetailsElement {
  const body = h('div', { class: 'prov-body' });
  for (const { id, file } of files) {
    const p = file.provenance;
    const dl = h('dl', { class: 'prov' });
    const row = (k: string, v: string | undefined) => {
      if (!v) return;
      dl.append(h('dt', {}, k), h('dd', {}, v));
    };
    row(t('source', lang), p.source);
    row(t('license', lang), p.license);
    row(t('vintage', lang), String(p.vintage));
    row(t('method', lang), p.method);
    if (p.caveats?.length) row(t('caveats', lang), p.caveats.join('；'));
    if (p.citations?.length) row(t('citations', lang), p.citations.join('；'));
    body.append(h('div', { class: 'prov-file' }, h('div', { class: 'prov-file-head' }, h('code', {}, id), ' ', dataBadge(p.modelled, lang)), dl));
  }
  return h('details', { class: 'prov-details' }, h('summary', {}, t('about', lang)), body);
}
