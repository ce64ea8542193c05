/** Base-map palettes. Light for planners at a desk; dark for presenters in dark rooms. */
export interface BaseTheme {
  /** Water, and anything beyond the land the app ships. */
  outside: string;
  /** The city's own land. */
  land: string;
  /** Neighbouring land: a step quieter than the city, so the city reads as the subject. */
  landAlt: string;
  /** The soft band along the coast, on the water side. */
  shore: string;
  neighbourLine: string;
  districtLine: string;
  cityLine: string;
  label: [number, number, number, number];
  labelHalo: [number, number, number, number];
}

export const LIGHT: BaseTheme = {
  outside: '#cddfea',
  land: '#f8f6f1',
  landAlt: '#ebe9e3',
  shore: '#b3cddd',
  neighbourLine: '#c9c6bd',
  districtLine: '#8f9caa',
  cityLine: '#4e5f70',
  label: [44, 56, 70, 255],
  labelHalo: [248, 246, 241, 235],
};

export const DARK: BaseTheme = {
  outside: '#051220',
  land: '#212b36',
  landAlt: '#181e25',
  shore: '#0b2438',
  neighbourLine: '#2b333c',
  districtLine: '#55677a',
  cityLine: '#90a6bb',
  label: [222, 230, 238, 255],
  labelHalo: [11, 17, 24, 235],
};

/** Fonts that render Chinese without any glyph server (fonts-noto-cjk on Linux, system fonts elsewhere). */
export const CJK_FONT_FAMILY =
  '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

/** The palette a state asks for: explicit, or dark for the modes shown in dark rooms. */
export function resolveTheme(theme: 'auto' | 'light' | 'dark', mode: string): BaseTheme {
  if (theme === 'dark') return DARK;
  if (theme === 'light') return LIGHT;
  return mode === 'present' || mode === 'kiosk' ? DARK : LIGHT;
}
