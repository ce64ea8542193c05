import { BASEMAPS, tiandituKey, type BasemapId } from '../map/basemaps';
import type { BasemapFailure } from '../map/basemapSwitch';
import type { MapView } from '../map/mapView';
import { DARK, resolveTheme } from '../map/theme';
import type { Store } from '../state/store';
import type { AppState } from '../state/types';
import { BasemapPicker } from '../ui/basemapPicker';

export interface BasemapSyncDeps {
  store: Store;
  view: MapView;
  notices: { show(key: string, level: 'info' | 'warning' | 'error', title: string, lines?: string[]): void; hide(key: string): void };
  setCredit(text: string): void;
}

/** The failure sentence, in the user's language: what happened, why, and what still works. */
export function failureMessage(f: BasemapFailure, lang: 'zh' | 'en'): { title: string; lines: string[] } {
  const name = BASEMAPS[f.requested].name[lang];
  const title = lang === 'zh' ? `无法加载在线底图「${name}」，已显示离线底图` : `Could not load the online base map “${name}”; showing the offline base`;
  const why =
    f.kind === 'needs-key'
      ? lang === 'zh'
        ? '天地图需要你自己的密钥（tk）：在地图右上角的“底图”中填写。'
        : 'Tianditu needs your own key (tk): enter it under “Base map” at the top right of the map.'
      : f.kind === 'timeout'
        ? lang === 'zh'
          ? `服务商 ${f.detail} 内没有响应：可能处于离线状态或网络被拦截。`
          : `The provider did not answer within ${f.detail}: offline, or the network is blocked.`
        : lang === 'zh'
          ? `服务商拒绝或无法访问（${f.detail}）：可能离线、被拦截或密钥无效。`
          : `The provider refused or could not be reached (${f.detail}): offline, blocked, or a bad key.`;
  const still = lang === 'zh' ? '所有图层照常显示；网络恢复后可在“底图”中重试。' : 'Every layer still shows; retry under “Base map” once the network is back.';
  return { title, lines: [why, still] };
}

/**
 * Keeps the map's base in step with the store: the store says what the user
 * (or a slide, or an embed's URL) asked for; the map shows it, or the
 * offline base with a notice when it cannot. Theme and language changes
 * re-ask, since online bases differ by both (dark styles, label language).
 */
export function createBasemapSync(deps: BasemapSyncDeps) {
  const { store, view, notices } = deps;
  let shown: BasemapId = 'offline';
  let loading = false;
  const picker = new BasemapPicker({
    onPick: (id) => {
      // Choosing the same base again retries it (after a fallback).
      if (id === store.get().basemap) request(store.get());
      else store.set({ basemap: id });
    },
    onKey: (key) => {
      tiandituKey.set(key);
      if (store.get().basemap === 'tianditu') request(store.get());
      else store.set({ basemap: 'tianditu' });
    },
  });
  const showsPicker = (s: AppState) => (s.mode === 'planner' || s.mode === 'embed') && s.controls;
  let pickerOn = false;
  const syncPicker = (s: AppState) => {
    if (showsPicker(s) !== pickerOn) {
      pickerOn = showsPicker(s);
      if (pickerOn) view.map.addControl(picker, 'top-right');
      else view.map.removeControl(picker);
    }
    picker.update({ lang: s.lang, requested: s.basemap, shown, loading });
  };

  // A presenter's or kiosk's slides ask for their base again and again: one
  // that just failed is not retried (nor announced again) for a while.
  const failedAt = new Map<BasemapId, number>();
  const RETRY_MS = 10 * 60_000;
  const onStage = (s: AppState) => s.mode === 'present' || s.mode === 'kiosk';

  function request(s: AppState) {
    const failed = failedAt.get(s.basemap);
    if (onStage(s) && failed !== undefined && Date.now() - failed < RETRY_MS) {
      void view.setBasemap({ id: 'offline', theme: resolveTheme(s.theme, s.mode), dark: resolveTheme(s.theme, s.mode) === DARK, lang: s.lang });
      return;
    }
    loading = s.basemap !== 'offline';
    syncPicker(s);
    notices.hide('basemap');
    const dark = resolveTheme(s.theme, s.mode) === DARK;
    void view.setBasemap({ id: s.basemap, theme: resolveTheme(s.theme, s.mode), dark, lang: s.lang, key: tiandituKey.get() });
  }

  /** Called by the map view whenever the base on screen changes. */
  function onShown(next: BasemapId, failure: BasemapFailure | null) {
    shown = next;
    loading = false;
    const s = store.get();
    const text = BASEMAPS[next].attribution.replace(/<[^>]+>/g, '');
    deps.setCredit(text);
    if (failure && failure.requested === s.basemap) {
      failedAt.set(failure.requested, Date.now());
      const m = failureMessage(failure, s.lang);
      notices.show('basemap', 'warning', m.title, m.lines);
      // On a big screen the message is for the presenter, not the room: it leaves by itself.
      if (onStage(s)) setTimeout(() => notices.hide('basemap'), 8000);
    }
    syncPicker(s);
  }

  let first = true;
  function sync(s: AppState, prev: AppState | null) {
    const dark = (x: AppState) => resolveTheme(x.theme, x.mode) === DARK;
    const again = !prev || s.basemap !== prev.basemap || (s.basemap !== 'offline' && (s.lang !== prev.lang || dark(s) !== dark(prev)));
    // The map starts on the offline base: nothing to ask for unless another is wanted.
    if (again && !(first && s.basemap === 'offline')) request(s);
    else syncPicker(s);
    first = false;
  }

  return { sync, onShown, shown: () => shown };
}
