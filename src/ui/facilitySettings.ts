/**
 * The life-circle layer's own controls: which facility types the map shows
 * (grouped by the tier that requires them), and how to get a walking
 * isochrone (click the map).
 */
import type { Lang } from '../state/types';
import { FACILITY_TYPES, TIERS } from '../standards/lifeCircle';
import { h } from './dom';

export interface FacilitySettingsProps {
  lang: Lang;
  /** Shown types; empty: all. */
  types: string[];
  onTypes(types: string[]): void;
  /** Placing facilities is a planner's tool; embeds only explore. */
  canPlace: boolean;
  /** The type being placed by the next map click, or null. */
  placing: string | null;
  addedCount: number;
  onPlace(type: string | null): void;
  onClearAdded(): void;
  /** Isochrone distances for the 5/10/15-minute tiers; null: the standard's. */
  distances: [number, number, number] | null;
  onDistances(v: [number, number, number] | null): void;
}

let placeType = 'kindergarten';

// The panel is rebuilt when the choice changes; the list stays open across rebuilds.
let listOpen = false;

export function facilitySettings(p: FacilitySettingsProps): HTMLElement {
  const zh = p.lang === 'zh';
  const all = FACILITY_TYPES.map((t) => t.id);
  const shown = new Set(p.types.length ? p.types : all);
  const set = (next: Set<string>) => p.onTypes(next.size === all.length ? [] : all.filter((id) => next.has(id)));
  const groups = TIERS.map((tier) =>
    h(
      'fieldset',
      { class: 'fac-tier' },
      h('legend', {}, tier.name[p.lang]),
      ...FACILITY_TYPES.filter((t) => t.tier === tier.id).map((t) => {
        const box = h('input', {
          type: 'checkbox',
          value: t.id,
          change: (e: Event) => {
            const next = new Set(shown);
            if ((e.target as HTMLInputElement).checked) next.add(t.id);
            else next.delete(t.id);
            set(next);
          },
        });
        box.checked = shown.has(t.id);
        return h('label', { class: 'fac-type' }, box, h('span', {}, t.name[p.lang]));
      }),
    ),
  );
  const details = h(
    'details',
    { class: 'fac-types', toggle: (e: Event) => (listOpen = (e.target as HTMLDetailsElement).open) },
    h('summary', {}, zh ? `设施类型（显示 ${shown.size}/${all.length}）` : `Facility types (${shown.size}/${all.length} shown)`),
    h(
      'div',
      { class: 'scenario-actions' },
      h('button', { type: 'button', click: () => p.onTypes([]) }, zh ? '全部' : 'All'),
      h('button', { type: 'button', click: () => p.onTypes(['none']) }, zh ? '全不选' : 'None'),
    ),
    ...groups,
  );
  details.open = listOpen;
  const typeSel = h(
    'select',
    { class: 'fac-add-type', 'aria-label': zh ? '新增设施类型' : 'Type to add', change: (e: Event) => (placeType = (e.target as HTMLSelectElement).value) },
    ...TIERS.map((tier) =>
      h(
        'optgroup',
        { label: tier.name[p.lang] },
        ...FACILITY_TYPES.filter((t) => t.tier === tier.id).map((t) => {
          const o = h('option', { value: t.id }, t.name[p.lang]);
          o.selected = t.id === (p.placing ?? placeType);
          return o;
        }),
      ),
    ),
  );
  const add = h(
    'div',
    { class: 'scenario-actions fac-add' },
    typeSel,
    p.placing
      ? h('button', { type: 'button', class: 'fac-place-cancel', click: () => p.onPlace(null) }, zh ? '取消放置' : 'Cancel')
      : h('button', { type: 'button', class: 'fac-place', click: () => p.onPlace(placeType) }, zh ? '＋ 在地图上放置' : '+ Place on the map'),
    p.addedCount ? h('button', { type: 'button', class: 'fac-clear', click: () => p.onClearAdded() }, zh ? `清除新增（${p.addedCount}）` : `Clear added (${p.addedCount})`) : null,
  );
  const std = TIERS.map((t) => t.distanceM) as [number, number, number];
  const cur = p.distances ?? std;
  const inputs = TIERS.map((t, i) =>
    h('input', {
      type: 'number',
      class: 'iso-distance',
      min: 50,
      max: 5000,
      step: 50,
      value: cur[i]!,
      'aria-label': zh ? `${t.name.zh}步行距离（米）` : `${t.name.en} walking distance (m)`,
    }),
  );
  const apply = () => {
    const v = inputs.map((el) => Math.round(Number(el.value))) as [number, number, number];
    const ok = v.every((x) => Number.isFinite(x) && x >= 50 && x <= 5000) && v[0] <= v[1] && v[1] <= v[2];
    inputs.forEach((el) => el.setCustomValidity(ok ? '' : zh ? '三个距离需在 50–5000 米之间且逐级不减' : 'Three distances, 50–5000 m, not decreasing'));
    if (!ok) return inputs[0]!.reportValidity();
    p.onDistances(v.every((x, i) => x === std[i]) ? null : v);
  };
  for (const el of inputs) el.addEventListener('change', apply);
  const distances = h(
    'div',
    { class: 'iso-distances', role: 'group', 'aria-label': zh ? '步行范围距离' : 'Walking distances' },
    h('span', {}, zh ? '步行距离（米）' : 'Walking distances (m)'),
    ...inputs,
    p.distances ? h('button', { type: 'button', class: 'iso-reset', click: () => p.onDistances(null) }, zh ? '恢复标准' : 'Standard') : h('span', { class: 'swipe-right' }, zh ? '标准值' : 'standard'),
  );
  return h(
    'div',
    { class: 'facility-settings' },
    p.canPlace ? add : null,
    distances,
    p.distances
      ? h('div', { class: 'scenario-hint' }, zh ? '自定距离只用于点击查询的范围和清单；网格完整度仍按标准距离。' : 'Custom distances apply to the clicked areas and checklist; the cell colours keep the standard distances.')
      : null,
    p.placing ? h('div', { class: 'scenario-hint', role: 'status' }, zh ? '点击地图放置该设施（假设方案；Esc 取消）。' : 'Click the map to place it (hypothetical; Esc cancels).') : null,
    h('div', { class: 'scenario-hint' }, zh ? '点击地图：沿步行网络画出 5/10/15 分钟范围，并列出可达设施。' : 'Click the map: 5/10/15-minute walking areas along the network, with the facilities in reach.'),
    details,
  );
}
