/** Base-map palettes. Light for planners at a desk; dark for presenters in dark rooms. */
export interface BaseTheme {
  outside: string;
  land: string;
  landAlt: string;
  districtLine: string;
  cityLine: string;
  label: [number, number, number, number];
  labelHalo: [number, number, number, number];
}

export const LIGHT: BaseTheme = {
  outside: '#d7dde2',
  land: '#f7f5f0',
  landAlt: '#f1eee6',
  districtLine: '#9aa6b2',
  cityLine: '#5b6b7b',
  label: [52, 64, 78, 255],
  labelHalo: [247, 245, 240, 230],
};

export const DARK: BaseTheme = {
  outside: '#0b1118',
  land: '#1a232d',
  landAlt: '#1e2833',
  districtLine: '#4b5b6c',
  cityLine: '#8aa0b5',
  label: [220, 228, 236, 255],
  labelHalo: [11, 17, 24, 230],
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
