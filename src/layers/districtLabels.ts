import { TextLayer } from '@deck.gl/layers';
import type { FeatureCollection } from 'geojson';
import type { Lang } from '../state/types';
import { CJK_FONT_FAMILY, type BaseTheme } from '../map/theme';

interface Label {
  text: string;
  position: [number, number];
}

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
    data.push({ text: name, position: [lon, lat] });
  }
  return [
    new TextLayer<Label>({
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
    }),
  ];
}
