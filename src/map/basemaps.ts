/**
 * The basemaps a user can choose. The offline base is the default and needs
 * nothing from the network; every other entry is opt-in, fetched from its
 * provider only once chosen, and falls back to the offline base when it
 * cannot be loaded (see basemapWatch.ts).
 *
 * `datum` says which coordinates the provider's tiles are drawn in: Amap's
 * are GCJ-02 (China's obfuscated datum), so while it is shown every overlay
 * is drawn shifted WGS-84 → GCJ-02 (layers/gcjShift.ts) and clicks are
 * shifted back before they reach the data. Tianditu is CGCS2000, which
 * agrees with WGS-84 to well under a metre: no shift.
 */
export type BasemapId = 'offline' | 'osm' | 'tianditu' | 'amap' | 'imagery';
export const BASEMAP_IDS: readonly BasemapId[] = ['offline', 'osm', 'tianditu', 'amap', 'imagery'];

export type Datum = 'wgs84' | 'gcj02';

interface Named {
  zh: string;
  en: string;
}

interface BaseDef {
  id: BasemapId;
  name: Named;
  /** One line under the name in the picker. */
  note: Named;
  datum: Datum;
  /** Shown in the map's attribution while this basemap is on. */
  attribution: string;
  /** Origins the Content-Security-Policy must allow (img-src and connect-src). */
  origins: string[];
  /** A key the user must supply (kept only in this browser). */
  key?: 'tianditu';
}

export interface OfflineDef extends BaseDef {
  kind: 'offline';
}

/** A MapLibre style document fetched from the provider (vector tiles, glyphs and sprites from the same origin). */
export interface StyleDef extends BaseDef {
  kind: 'style';
  styleUrl: (dark: boolean) => string;
}

/** Raster tile layers, bottom first (e.g. Tianditu's roads, then its labels). */
export interface RasterDef extends BaseDef {
  kind: 'raster';
  tiles: (key: string, lang: 'zh' | 'en') => string[][];
  maxzoom: number;
  /** Whether to dim the tiles in the dark theme (road maps are drawn for daylight). */
  dimInDark: boolean;
}

export type BasemapDef = OfflineDef | StyleDef | RasterDef;

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

const TIANDITU_ATTRIBUTION = '© 天地图 Tianditu, 国家地理信息公共服务平台';

export const BASEMAPS: Record<BasemapId, BasemapDef> = {
  offline: {
    id: 'offline',
    kind: 'offline',
    name: { zh: '离线底图', en: 'Offline base' },
    note: { zh: '随应用提供，不联网', en: 'Ships with the app; no network' },
    datum: 'wgs84',
    attribution: '',
    origins: [],
  },
  osm: {
    id: 'osm',
    kind: 'style',
    name: { zh: 'OpenStreetMap 矢量', en: 'OpenStreetMap vector' },
    note: { zh: 'OpenFreeMap，无需密钥', en: 'OpenFreeMap, no key' },
    datum: 'wgs84',
    attribution: '<a href="https://openfreemap.org" target="_blank" rel="noopener">OpenFreeMap</a> © <a href="https://www.openmaptiles.org/" target="_blank" rel="noopener">OpenMapTiles</a> Data from <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">OpenStreetMap</a>',
    origins: ['https://tiles.openfreemap.org'],
    styleUrl: (dark) => `https://tiles.openfreemap.org/styles/${dark ? 'dark' : 'positron'}`,
  },
  tianditu: {
    id: 'tianditu',
    kind: 'raster',
    name: { zh: '天地图', en: 'Tianditu' },
    note: { zh: '国家地理信息公共服务平台，需自备密钥', en: 'China\'s national basemap; your own key' },
    datum: 'wgs84',
    attribution: TIANDITU_ATTRIBUTION,
    origins: ['https://*.tianditu.gov.cn'],
    key: 'tianditu',
    // Web-Mercator ("_w") roads, then labels in the UI's language (cva: Chinese, eva: English).
    tiles: (key, lang) =>
      ['vec', lang === 'en' ? 'eva' : 'cva'].map((layer) =>
        range(8, (i) => `https://t${i}.tianditu.gov.cn/DataServer?T=${layer}_w&x={x}&y={y}&l={z}&tk=${encodeURIComponent(key)}`),
      ),
    maxzoom: 18,
    dimInDark: true,
  },
  amap: {
    id: 'amap',
    kind: 'raster',
    name: { zh: '高德地图', en: 'Amap' },
    note: { zh: 'GCJ-02 坐标，图层随之偏移显示', en: 'GCJ-02 tiles; overlays are shifted to match' },
    datum: 'gcj02',
    attribution: '© 高德地图 AutoNavi',
    origins: ['https://*.is.autonavi.com'],
    tiles: (_key, lang) => [range(4, (i) => `https://webrd0${i + 1}.is.autonavi.com/appmaptile?lang=${lang === 'en' ? 'en' : 'zh_cn'}&size=1&scale=1&style=8&x={x}&y={y}&z={z}`)],
    maxzoom: 18,
    dimInDark: true,
  },
  imagery: {
    id: 'imagery',
    kind: 'raster',
    name: { zh: '卫星影像', en: 'Satellite imagery' },
    note: { zh: 'Esri World Imagery，无需密钥', en: 'Esri World Imagery, no key' },
    datum: 'wgs84',
    attribution: 'Imagery © Esri, Maxar, Earthstar Geographics, and the GIS User Community',
    origins: ['https://server.arcgisonline.com'],
    tiles: () => [['https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}']],
    maxzoom: 18,
    dimInDark: false,
  },
};

/** Every origin an online basemap may load from: what the CSP allows, and nothing else. */
export function basemapOrigins(): string[] {
  return [...new Set(Object.values(BASEMAPS).flatMap((b) => b.origins))];
}

export function isBasemapId(v: string): v is BasemapId {
  return (BASEMAP_IDS as readonly string[]).includes(v);
}

export const KEY_STORAGE = 'civic-atlas:tianditu-key';

/**
 * The user's Tianditu key lives only in this browser: never in the URL, a
 * share link, a story or an export. A key is 32 hex characters.
 */
export const tiandituKey = {
  get(): string | null {
    try {
      return localStorage.getItem(KEY_STORAGE);
    } catch {
      return null; // Storage blocked (a sandboxed frame, private mode): no key.
    }
  },
  set(key: string | null): void {
    try {
      if (key) localStorage.setItem(KEY_STORAGE, key);
      else localStorage.removeItem(KEY_STORAGE);
    } catch {
      // Storage blocked: the key lasts until the page is closed.
    }
  },
  valid(key: string): boolean {
    return /^[0-9a-f]{32}$/i.test(key.trim());
  },
};
