/**
 * Each layer's own controls in the layer panel, by layer kind: what the air
 * layer shows, the restoration compare, the facility types and placing, the
 * drawn-park scenario. Every control writes to the store; nothing here holds
 * state of its own.
 */
import type { CityDef, Catalog } from '../../catalog/types';
import { framePadding } from '../../map/mapView';
import { airSourceFor } from '../../air/sources';
import { clampClock, clockYear } from '../../state/clock';
import type { Store } from '../../state/store';
import type { AppState, TimeStep } from '../../state/types';
import { airSettings } from '../../ui/airSettings';
import { facilitySettings } from '../../ui/facilitySettings';
import { parkScenarioPanel } from '../../ui/parkScenarioPanel';
import { restorationSettings } from '../../ui/restorationSettings';

export interface LayerSettingsDeps {
  store: Store;
  catalog: Catalog;
  city: () => CityDef;
  mapEl: HTMLElement;
  span: (cityId: string, step: TimeStep) => [string, string] | null;
  openAirImport: () => void;
  placing: () => string | null;
  setPlacing: (type: string | null) => void;
  parkTool: { drawing(): boolean; start(): void; finish(): void; cancel(): void };
  /** Before → after lines of the drawn parks, once coverage has loaded. */
  scenarioLines: (s: AppState) => string[] | null;
}

export function layerSettings(kind: string, s: AppState, d: LayerSettingsDeps): HTMLElement | null {
  const { store } = d;
  const planner = s.mode === 'planner';
  if (kind === 'air') {
    return airSettings({
      pollutant: s.pollutant,
      surface: s.surface,
      period: s.step === 'year' ? null : s.period,
      airMap: s.airMap,
      lang: s.lang,
      imported: airSourceFor(s.city).kind === 'import',
      onPollutant: (pollutant) => store.set({ pollutant }),
      onSurface: (surface) => store.set({ surface }),
      onAirMap: (airMap) => store.set({ airMap }),
      onImport: planner ? d.openAirImport : undefined,
    });
  }
  const years = d.city().datasets.restoration?.years;
  if (kind === 'restoration' && years) {
    return restorationSettings({
      lang: s.lang,
      years,
      compareYear: s.compareYear,
      clockYear: clockYear(s.time),
      onCompare: (compareYear) => {
        const cur = store.get();
        // The right-hand year is the clock's: step it by year while comparing.
        const step = compareYear !== null ? 'year' : cur.step;
        const sp = d.span(cur.city, step);
        // A new compare starts with the divider in the middle of the map the panels leave free.
        const pad = framePadding(d.mapEl);
        const w = d.mapEl.clientWidth || 1;
        const swipe = compareYear !== null && cur.compareYear === null ? Math.round(((pad.left + (w - pad.left - pad.right) / 2) / w) * 1000) / 1000 : cur.swipe;
        store.set({ compareYear, step, swipe, time: sp ? clampClock(cur.time, step, sp) : cur.time });
      },
    });
  }
  if (kind === 'lifecircle') {
    return facilitySettings({
      lang: s.lang,
      types: s.facTypes,
      onTypes: (facTypes) => store.set({ facTypes }),
      canPlace: planner,
      placing: planner ? d.placing() : null,
      addedCount: s.addedFacilities.length,
      onPlace: (type) => d.setPlacing(type),
      onClearAdded: () => store.set({ addedFacilities: [] }),
      distances: s.isoDistances,
      onDistances: (isoDistances) => store.set({ isoDistances }),
    });
  }
  if (kind === 'parkcoverage' && planner) {
    return parkScenarioPanel({
      lang: s.lang,
      drawing: d.parkTool.drawing(),
      drawnCount: s.drawnParks.length,
      delta: d.scenarioLines(s),
      onDraw: () => d.parkTool.start(),
      onFinish: () => d.parkTool.finish(),
      onCancel: () => d.parkTool.cancel(),
      onUndoPark: () => store.set({ drawnParks: store.get().drawnParks.slice(0, -1) }),
      onClear: () => store.set({ drawnParks: [] }),
    });
  }
  return null;
}
