/**
 * Example queries for the console, written for the city on screen (the four
 * cities share the catalog's table shapes). Each names its tables in full,
 * so the console loads them first; most return positions and so draw on the
 * map.
 */
import type { CityDef } from '../../catalog/types';
import type { Lang } from '../../state/types';

interface Example {
  zh: string;
  en: string;
  sql: (t: (dataset: string) => string) => string;
  needs: string[];
}

const EXAMPLES: Example[] = [
  {
    zh: '面积最大的 20 个公园（地图）',
    en: 'The 20 largest parks (map)',
    needs: ['parks', 'districts'],
    sql: (t) => `SELECT p.name, p.class, p.area_m2, d.name AS district, p.__geom\nFROM ${t('parks')} p LEFT JOIN ${t('districts')} d ON d.id = p.district\nORDER BY p.area_m2 DESC\nLIMIT 20`,
  },
  {
    zh: '各区公园数量与面积',
    en: 'Parks and park area per district',
    needs: ['parks', 'districts'],
    sql: (t) => `SELECT d.name AS district, count(*) AS parks, round(sum(p.area_m2) / 10000, 1) AS area_ha,\n       round(sum(p.area_m2) / any_value(d.pop), 2) AS m2_per_person\nFROM ${t('parks')} p JOIN ${t('districts')} d ON d.id = p.district\nGROUP BY d.name\nORDER BY area_ha DESC`,
  },
  {
    zh: '各监测站全年 PM2.5 均值（地图）',
    en: 'Mean PM2.5 per station over the year (map)',
    needs: ['stations', 'air_hourly'],
    sql: (t) => `SELECT s.name, round(avg(a.pm25), 1) AS pm25_mean, count(a.pm25) AS hours,\n       s.__xmin AS lon, s.__ymin AS lat\nFROM ${t('air_hourly')} a JOIN ${t('stations')} s ON s.id = a.station_id\nGROUP BY s.name, s.__xmin, s.__ymin\nORDER BY pm25_mean DESC`,
  },
  {
    zh: '人口最多的 200 个网格（地图）',
    en: 'The 200 most populous grid cells (map)',
    needs: ['population'],
    sql: (t) => `SELECT cell_id, pop, district, lon, lat\nFROM ${t('population')}\nORDER BY pop DESC\nLIMIT 200`,
  },
  {
    zh: '步行 1000 米内没有菜市场的居住网格（地图）',
    en: 'Cells with no market within a 1000 m walk (map)',
    needs: ['lifecircle'],
    sql: (t) => `SELECT cell_id, pop, round(d_market) AS market_m, lon, lat\nFROM ${t('lifecircle')}\nWHERE pop > 0 AND (d_market IS NULL OR d_market > 1000)\nORDER BY pop DESC`,
  },
  {
    zh: '各类设施数量',
    en: 'Facilities by type',
    needs: ['facilities'],
    sql: (t) => `SELECT type, count(*) AS n\nFROM ${t('facilities')}\nGROUP BY type\nORDER BY n DESC`,
  },
  {
    zh: '历年生态修复面积',
    en: 'Restoration area by year and type',
    needs: ['restoration'],
    sql: (t) => `SELECT year, type, count(*) AS sites, round(sum(area_m2) / 10000, 1) AS area_ha\nFROM ${t('restoration')}\nGROUP BY ALL\nORDER BY year, type`,
  },
  {
    zh: '2020 年以来的修复项目（地图）',
    en: 'Restoration sites since 2020 (map)',
    needs: ['restoration'],
    sql: (t) => `SELECT name, type, year, area_m2, __geom\nFROM ${t('restoration')}\nWHERE year >= 2020\nORDER BY year`,
  },
];

/** The examples for `city`, leaving out those whose tables the city does not have. */
export function sqlExamples(city: CityDef, lang: Lang): { label: string; sql: string }[] {
  const name = lang === 'zh' ? city.name.zh : city.name.en;
  const t = (ds: string) => `"${city.id}__${ds}"`;
  return EXAMPLES.filter((x) => x.needs.every((ds) => city.datasets[ds])).map((x) => ({ label: `${name} · ${x[lang]}`, sql: x.sql(t) }));
}
