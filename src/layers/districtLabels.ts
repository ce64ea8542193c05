import { TextLayer } from '@deck.gl/layers';
import { CollisionFilterExtension, type CollisionFilterExtensionProps } from '@deck.gl/extensions';
import type { FeatureCollection } from 'geojson';
import type { Lang } from '../state/types';
import { CJK_FONT_FAMILY, type BaseTheme } from '../map/theme';

interface Label {
  text: string;
  position: [number, number];
  /** Larger districts keep their name when names would overlap (zoomed out). */
  priority: number;
}

// One instance: deck compares extensions by class and options, and a shared one never recompiles.
const collision = new CollisionFilterExtension();

/**
 * District names drawn by deck.gl with local fonts: MapLibre would need a
 * glyph server for Latin text, and the default build requests nothing remote.
 */
export function districtLabels(fc: FeatureCollection | null, lang: Lang, theme: BaseTheme, sizePx = 13): TextLayer<Label>[] {
  if (!fc) return [];
  const data: Label[] = [];
  for (const f of fc.features) {
    const p = f.properties ?? {};
    const lon = Number(p.label_lon);
    const lat = Number(p.label_lat);
    const name = lang === 'en' ? (p.name_en ?? p.name) : p.name;
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || typeof name !== 'string') continue;
    const area = Number(p.area_km2);
    data.push({ text: name, position: [lon, lat], priority: Number.isFinite(area) ? Math.min(1000, Math.round(area / 4)) : 0 });
  }
  return [
    new TextLayer<Label, CollisionFilterExtensionProps<Label>>({
      id: `district-labels-${lang}`,
      data,
      getPosition: (d) => d.position,
      getText: (d) => d.text,
      getSize: sizePx,
      getColor: theme.label,
      fontFamily: CJK_FONT_FAMILY,
      fontWeight: 600,
      characterSet: 'auto',
      fontSettings: { sdf: true, fontSize: 64, buffer: 6 },
      outlineWidth: 3,
      outlineColor: theme.labelHalo,
      billboard: true,
      parameters: { depthCompare: 'always', depthWriteEnabled: false },
      // Zoomed out, names would pile up: the smaller districts' names give way, with a margin.
      extensions: [collision],
      collisionEnabled: true,
      getCollisionPriority: (d: Label) => d.priority,
      collisionTestProps: { sizeScale: 1.25 },
    }),
  ];
}
