import { t } from '../i18n';
import type { Lang } from '../state/types';
import { h } from './dom';

/** Attribute-value escaping for the generated snippet (the URL is ours, but be exact). */
function attr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The `<iframe>` a host page pastes. `sandbox` keeps the map in its own
 * origin box: scripts (the map needs them) and same-origin (its workers and
 * storage) but no top navigation, forms or modals; popups only for the
 * "full view" link.
 */
export function iframeSnippet(embedUrl: string, title: string, height = 480): string {
  return [
    `<iframe src="${attr(embedUrl)}"`,
    `  title="${attr(title)}"`,
    `  width="100%" height="${height}" style="border:0;max-width:100%"`,
    `  loading="lazy" referrerpolicy="no-referrer" allow="fullscreen"`,
    `  sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe>`,
  ].join('\n');
}

export function apiExample(origin: string): string {
  return [
    `<script>`,
    `  const map = document.querySelector('iframe').contentWindow;`,
    `  const send = (type, payload) =>`,
    `    map.postMessage({ source: 'civic-atlas-host', version: 1, type, payload }, '${origin}');`,
    `  window.addEventListener('message', (e) => {`,
    `    if (e.origin !== '${origin}' || e.data?.source !== 'civic-atlas') return;`,
    `    if (e.data.type === 'ready') send('setCity', { city: 'qingdao' });`,
    `    if (e.data.type === 'featureClicked') console.log(e.data.payload);`,
    `  });`,
    `</script>`,
  ].join('\n');
}

/** Embed-code dialog for planners: copy the snippet for the current view. */
export function openEmbedDialog(parent: HTMLElement, lang: Lang, embedUrl: (controls: boolean) => string, title: string): void {
  parent.querySelector('.embed-dialog')?.remove();
  const code = h('textarea', { class: 'embed-code', readonly: true, rows: 6, spellcheck: 'false', 'aria-label': 'iframe' });
  const api = h('textarea', { class: 'embed-code', readonly: true, rows: 10, spellcheck: 'false', 'aria-label': 'API' });
  const controls = h('input', { type: 'checkbox', id: 'embed-controls' });
  controls.checked = true;
  const origin = new URL(embedUrl(true)).origin;
  const refresh = () => {
    code.value = iframeSnippet(embedUrl(controls.checked), title);
    api.value = apiExample(origin);
  };
  controls.addEventListener('change', refresh);
  const copyBtn = (area: HTMLTextAreaElement) => {
    const b = h('button', { type: 'button', class: 'copy-btn' }, t('copy', lang));
    b.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(area.value);
      } catch {
        area.select();
        document.execCommand('copy');
      }
      b.textContent = t('copied', lang);
      setTimeout(() => (b.textContent = t('copy', lang)), 1500);
    });
    return b;
  };
  // Back to the button that opened it, so the keyboard is not dropped at the top of the page.
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const close = () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
  };
  const dialog = h(
    'div',
    { class: 'embed-dialog panel', role: 'dialog', 'aria-modal': 'true', 'aria-label': t('embedTitle', lang) },
    h('div', { class: 'inspector-head' }, h('h2', { class: 'panel-title' }, t('embedTitle', lang)), h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('close', lang), click: close }, '×')),
    h('p', { class: 'embed-help' }, t('embedHelp', lang)),
    h('label', { for: 'embed-controls', class: 'embed-opt' }, controls, ' ', t('embedControls', lang)),
    code,
    copyBtn(code),
    h('div', { class: 'embed-sub' }, t('embedApiExample', lang)),
    api,
    copyBtn(api),
  );
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  refresh();
  parent.append(dialog);
  code.focus();
}
