/**
 * Figures the cities report themselves, quoted from their own account
 * (shared/seed/civilized-cities-2021.zh.txt). Charts show them next to the
 * data's figure and always labelled as the city's own: the default data is
 * modelled, so the two are not the same measurement.
 */
export interface ReportedFigure {
  cityId: string;
  /** 0..1 */
  goodDayShare: number;
  quote: string;
  source: string;
}

export const REPORTED_GOOD_DAYS: readonly ReportedFigure[] = [
  {
    cityId: 'ningbo',
    goodDayShare: 0.929,
    quote: '空气质量优良率92.9%',
    source: '《建设更高水平文明城市——2021年全国文明城市创建工作培训班交流发言材料摘编(一)》，宁波',
  },
];

/** City colours for small multiples: distinct, colour-blind safe (Okabe–Ito), none an AQI level colour. */
export const CITY_COLOURS: Readonly<Record<string, string>> = {
  shenzhen: '#0072B2',
  ningbo: '#009E73',
  jinan: '#D55E00',
  qingdao: '#CC79A7',
};
