/**
 * The one way UI code makes elements. Children that are strings become text
 * nodes, so a value from data can never become markup; there is deliberately
 * no way to pass HTML.
 */
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
    else if (k === 'class') el.className = String(v);
    else if (/^on/i.test(k) || k === 'style' && typeof v !== 'string') continue;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function rgbaCss(c: readonly number[]): string {
  const [r, g, b, a = 255] = c;
  return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(3)})`;
}

/**
 * Rebuilds root's children and puts the keyboard focus back on the control
 * that stands where the focused one stood (same id, same data attributes, or
 * the same place among its kind): panels redraw when data arrives, and a
 * keyboard user must not be dropped to the top of the page.
 */
export function keepingFocus(root: HTMLElement, rebuild: () => void): void {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || active === root || !root.contains(active)) {
    rebuild();
    return;
  }
  const selector = active.id
    ? `#${CSS.escape(active.id)}`
    : active.tagName.toLowerCase() +
      [...active.attributes].filter((a) => a.name.startsWith('data-')).map((a) => `[${a.name}="${CSS.escape(a.value)}"]`).join('') +
      [...active.classList].filter((c) => c !== 'selected' && c !== 'on').map((c) => `.${CSS.escape(c)}`).join('');
  const index = [...root.querySelectorAll(selector)].indexOf(active);
  rebuild();
  if (active.isConnected) return;
  const again = root.querySelectorAll<HTMLElement>(selector)[Math.max(0, index)];
  again?.focus({ preventScroll: true });
}
