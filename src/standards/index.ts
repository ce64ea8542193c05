/**
 * Domain standards of Civic Atlas: one versioned module of pure tables and
 * functions (HJ 633-2012 AQI, GB 3095-2012 and WHO 2021 references,
 * GB 50180-2018 life circles, parks per 城市体检 / GB 55014-2021 /
 * CJJ/T 85-2017). Source of truth: shared/docs/standards.md.
 */
export * from './aqi.ts';
export * from './aqiSql.ts';
export * from './references.ts';
export * from './parks.ts';
export * from './lifeCircle.ts';
export * from './lifeCircleRules.ts';

/**
 * Version of the encoded tables. Bump when any number or rule changes, so a
 * figure shown or exported can say which rules produced it.
 */
export const STANDARDS_VERSION = '1.0.0';

/** The standards encoded here, for the "about the numbers" panel. */
export const STANDARDS_SOURCES: readonly { id: string; zh: string; en: string }[] = [
  { id: 'HJ 633-2012', zh: 'HJ 633-2012《环境空气质量指数（AQI）技术规定（试行）》', en: 'HJ 633-2012 Technical Regulation on Ambient Air Quality Index (on trial)' },
  { id: 'GB 3095-2012', zh: 'GB 3095-2012《环境空气质量标准》', en: 'GB 3095-2012 Ambient Air Quality Standards' },
  { id: 'WHO 2021', zh: '世界卫生组织《全球空气质量指导值》（2021）', en: 'WHO Global Air Quality Guidelines (2021)' },
  { id: 'GB 50180-2018', zh: 'GB 50180-2018《城市居住区规划设计标准》', en: 'GB 50180-2018 Standard for Urban Residential Area Planning and Design' },
  { id: 'GB 55014-2021', zh: 'GB 55014-2021《园林绿化工程项目规范》', en: 'GB 55014-2021 Project Code for Landscaping and Greening' },
  { id: 'CJJ/T 85-2017', zh: 'CJJ/T 85-2017《城市绿地分类标准》', en: 'CJJ/T 85-2017 Standard for Classification of Urban Green Space' },
];

export interface VerifyNote {
  id: string;
  /** Where the flagged figure lives (module / table). */
  topic: string;
  zh: string;
  en: string;
}

/**
 * Figures not confirmed against the official text (standards.md "(verify)",
 * plus the choices this module made where standards.md is silent). Shown in
 * the UI's "about the numbers" panel.
 */
export const VERIFY_NOTES: readonly VerifyNote[] = [
  {
    id: 'lifecircle-residents',
    topic: 'lifeCircle.TIERS',
    zh: '十分钟生活圈（15,000–25,000 人）和五分钟生活圈（5,000–12,000 人）的居住人口规模待核实。',
    en: 'Residents of the 10-minute (15,000–25,000) and 5-minute (5,000–12,000) circles are to be verified.',
  },
  {
    id: 'lifecircle-radii',
    topic: 'lifeCircle.FACILITY_TYPES, lifeCircleRules.FACILITY_RADII_M',
    zh: '各类配套设施的服务半径（如初中 ≤1000 米、小学 ≤500 米、幼儿园 ≤300 米）为参考值，待核实；完整性按所在层级的步行距离判断。',
    en: 'Facility radii (e.g. junior middle school ≤ 1000 m, primary school ≤ 500 m, kindergarten ≤ 300 m) are indicative and to be verified; completeness uses the tier walking distance.',
  },
  {
    id: 'lifecircle-green-5min',
    topic: 'lifeCircleRules.TIER_GREEN_SPACE',
    zh: '五分钟生活圈公共绿地指标（≥1.0 平方米/人，公园 ≥0.4 公顷）待核实。',
    en: '5-minute circle public green space (≥ 1.0 m²/person, a park ≥ 0.4 ha) is to be verified.',
  },
  {
    id: 'green-classes-sizes',
    topic: 'parks.GREEN_SPACE_CLASSES',
    zh: 'CJJ/T 85-2017 绿地分类中的规模参考（综合公园约 ≥10 公顷、社区公园约 ≥1 公顷）待核实。',
    en: 'Size thresholds of the CJJ/T 85-2017 classes (comprehensive park roughly ≥ 10 ha, community park roughly ≥ 1 ha) are to be verified.',
  },
  {
    id: 'aqi-daily-min-hours',
    topic: 'aqi.DAILY_MEAN_MIN_HOURS, aqiSql.dailyAqiSql',
    zh: '日均值的数据有效性：每日至少 20 个有效小时值（GB 3095-2012 数据统计有效性规定），不足时该日均值记为缺失；此条未与原文逐字核对。',
    en: 'Daily means need at least 20 valid hours (GB 3095-2012 data-validity rules), otherwise the day is missing; not checked word for word against the text.',
  },
  {
    id: 'aqi-o3-8h-validity',
    topic: 'aqi.o3DailyMax8h, aqiSql.dailyAqiSql',
    zh: '臭氧 8 小时滑动平均：每个 8 小时窗口至少 6 个有效小时值；日最大值取当日 0–7 时至 16–23 时的 17 个窗口。HJ 663-2013 另要求每日至少 14 个有效 8 小时值，默认未启用，待核实。',
    en: 'O3 8-hour mean: at least 6 valid hours per 8-hour window; the daily maximum is over the 17 windows inside the day (00–07 … 16–23). HJ 663-2013 also asks for 14 valid windows a day: off by default, to be verified.',
  },
  {
    id: 'aqi-o3-1h-daily',
    topic: 'aqi.dailyAqi',
    zh: '日报 AQI 默认只用臭氧日最大 8 小时平均（按 standards.md）；HJ 633-2012 日报还列有臭氧日最大 1 小时平均，可选启用，待核实。',
    en: 'Daily AQI uses the O3 daily maximum 8-hour mean only (standards.md); HJ 633-2012 also lists the daily maximum 1-hour O3, available as an option, to be verified.',
  },
  {
    id: 'aqi-hour-label',
    topic: 'aqiSql.dailyAqiSql',
    zh: '小时数据的时间标签默认表示该小时的开始；国内站点数据常以小时结束时刻标记（01 时 = 00–01 时），需按数据源设置。',
    en: 'Hourly timestamps are read as the start of the hour by default; Chinese station feeds often label the end (01:00 = 00:00–01:00): set it per source.',
  },
  {
    id: 'aqi-above-800',
    topic: 'aqi.iaqiDetail',
    zh: '二氧化硫 1 小时浓度 >800 或臭氧 8 小时浓度 >800 时改用另一时段的分指数；若无该时段数据，则以另一时段的分段表套用本浓度（标记为替代）。',
    en: 'SO2 1 h > 800 and O3 8 h > 800 switch to the other period’s IAQI; when that value is missing the other table is applied to this concentration (flagged as substituted).',
  },
];
