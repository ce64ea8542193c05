/**
 * The SQL generators of aqiSql.ts run in real DuckDB-WASM (Node engine) and
 * must give exactly what the JS functions of aqi.ts give on the same vectors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../engine/node.ts';
import { quoteIdent } from '../engine/sql.ts';
import {
  BREAKPOINTS,
  aqiLevel,
  dailyAqi,
  dailyReadingsFromHours,
  hourlyAqi,
  iaqiDetail,
  segments,
  type Averaging,
  type DailyReadings,
  type HourlyReadings,
  type Pollutant,
  type TableKey,
} from './aqi.ts';
import {
  aqiLevelSqlExpr,
  aqiSqlExpr,
  dailyAqiSql,
  exceedingPollutantsSqlExpr,
  iaqiSqlExpr,
  iaqiSqlExprs,
  primaryPollutantsSqlExpr,
  tzOffsetMinutes,
} from './aqiSql.ts';

let engine: NodeEngine;

beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(async () => {
  await engine?.close();
});

type Row = Record<string, unknown>;

async function rows(sql: string): Promise<Row[]> {
  const t = await engine.query(sql);
  return t.toArray().map((r) => {
    const o = r.toJSON() as Row;
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'bigint') o[k] = Number(v);
      else if (v && typeof v === 'object' && 'toArray' in v) o[k] = Array.from((v as { toArray(): unknown[] }).toArray());
    }
    return o;
  });
}

/** A JS number (or missing marker) as a SQL DOUBLE literal that parses to the same double. */
function lit(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'CAST(NULL AS DOUBLE)';
  if (Number.isNaN(v)) return "CAST('nan' AS DOUBLE)";
  if (v === Infinity) return "CAST('inf' AS DOUBLE)";
  if (v === -Infinity) return "CAST('-inf' AS DOUBLE)";
  return `CAST('${String(v)}' AS DOUBLE)`;
}

/** Seeded LCG so the random vectors are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const MISSING = [null, Number.NaN, -9999, -999, -1, Infinity, -Infinity];

function vectorsFor(key: TableKey, rand: () => number): (number | null)[] {
  const out: (number | null)[] = [0, 1e-12, ...MISSING];
  const bps = BREAKPOINTS[key].breakpoints;
  for (const bp of bps) out.push(bp, bp + 0.01, Math.max(0, bp - 0.01), bp + 0.001);
  const top = bps[bps.length - 1]!;
  out.push(top * 1.5, top * 3);
  for (const s of segments(key)) for (let i = 0; i < 40; i++) out.push(Number((s.cLo + rand() * (s.cHi - s.cLo)).toFixed(2)));
  for (let i = 0; i < 40; i++) out.push(rand() * top * 1.3);
  return out;
}

describe('DuckDB behaviour the generators rely on', () => {
  it('greatest ignores NULLs; concat_ws skips NULLs', async () => {
    const [r] = await rows(`SELECT greatest(1, NULL, 3) AS g, greatest(CAST(NULL AS INTEGER), NULL) AS g0, concat_ws(',', NULL, 'a', NULL, 'b') AS s`);
    expect(r).toEqual({ g: 3, g0: null, s: 'a,b' });
  });
});

describe('iaqiSqlExpr = iaqiDetail', () => {
  const rand = rng(633);
  const KEYS = Object.keys(BREAKPOINTS) as TableKey[];
  for (const key of KEYS) {
    it(key, async () => {
      const [p, a] = key.split('_') as [Pollutant, Averaging];
      const cs = vectorsFor(key, rand);
      // substitute values for the "above 800" rules: some valid, some missing
      const subs = cs.map((_, i) => (i % 3 === 0 ? null : i % 3 === 1 ? Number((rand() * 1500).toFixed(1)) : -9999));
      const values = cs.map((c, i) => `(${i}, ${lit(c)}, ${lit(subs[i])})`).join(', ');
      const sql = `SELECT id, ${iaqiSqlExpr(p, a, 'c')} AS plain, ${iaqiSqlExpr(p, a, 'c', { substituteExpr: 's' })} AS sub
                   FROM (VALUES ${values}) AS v(id, c, s) ORDER BY id`;
      const got = await rows(sql);
      expect(got).toHaveLength(cs.length);
      for (const r of got) {
        const i = r.id as number;
        expect(r.plain, `${key} c=${cs[i]}`).toBe(iaqiDetail(p, a, cs[i])?.iaqi ?? null);
        expect(r.sub, `${key} c=${cs[i]} s=${subs[i]}`).toBe(iaqiDetail(p, a, cs[i], subs[i])?.iaqi ?? null);
      }
    });
  }

  it('works on expressions, and PM hourly reads the 24 h table', async () => {
    const [r] = await rows(`SELECT ${iaqiSqlExpr('pm25', '1h', '35 + 0.1')} AS a, ${iaqiSqlExpr('pm10', '1h', "CAST('NaN' AS DOUBLE)")} AS b, ${iaqiSqlExpr('co', '24h', 'CAST(2 AS INTEGER)')} AS c`);
    expect(r).toEqual({ a: 51, b: null, c: 50 });
  });
});

describe('aqiLevelSqlExpr = aqiLevel', () => {
  it('agrees on 0…520, non-integers and missing', async () => {
    const vs: (number | null)[] = [null, Number.NaN, -1];
    for (let a = 0; a <= 520; a++) vs.push(a);
    vs.push(50.5, 100.01, 300.5);
    const got = await rows(`SELECT id, ${aqiLevelSqlExpr('a')} AS level FROM (VALUES ${vs.map((v, i) => `(${i}, ${lit(v)})`).join(', ')}) AS t(id, a) ORDER BY id`);
    for (const r of got) {
      const v = vs[r.id as number]!;
      const expected = v === null || Number.isNaN(v) || v < 0 ? null : aqiLevel(v).level;
      expect(r.level, String(v)).toBe(expected);
    }
  });
});

describe('aqiSqlExpr = hourlyAqi / dailyAqi', () => {
  const rand = rng(2012);
  const maybe = (max: number, digits = 1): number | null => {
    const u = rand();
    if (u < 0.1) return null;
    if (u < 0.15) return -9999;
    if (u < 0.17) return Number.NaN;
    return Number((rand() * max).toFixed(digits));
  };

  it('hourly, with primary and exceeding pollutants', async () => {
    const rs: HourlyReadings[] = [
      { pm25: 35, pm10: 20 },
      { pm25: 75, pm10: 150, no2: 200 },
      { so2: 1000, so2_24h: 300 },
      { so2: 1000, so2_24h: null },
      {},
      { pm25: 900 },
    ];
    for (let i = 0; i < 300; i++) {
      rs.push({ pm25: maybe(300), pm10: maybe(500), so2: maybe(i % 10 === 0 ? 2000 : 300), no2: maybe(400), co: maybe(20, 2), o3: maybe(600), so2_24h: maybe(400) });
    }
    const cols = ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3', 'so2_24h'] as const;
    const values = rs.map((r, i) => `(${i}, ${cols.map((c) => lit(r[c])).join(', ')})`).join(',\n');
    const colMap = Object.fromEntries(cols.map((c) => [c, `t.${c}`]));
    const per = iaqiSqlExprs(colMap, 'hourly');
    const perCols = Object.fromEntries(Object.keys(per).map((p) => [p, `i_${p}`])) as Partial<Record<Pollutant, string>>;
    const sql = `WITH x AS (
        SELECT t.id, ${aqiSqlExpr(colMap, 'hourly')} AS aqi, ${Object.entries(per).map(([p, e]) => `${e} AS i_${p}`).join(', ')}
        FROM (VALUES ${values}) AS t(id, ${cols.join(', ')}))
      SELECT id, aqi, ${aqiLevelSqlExpr('aqi')} AS level, ${primaryPollutantsSqlExpr(perCols, 'aqi')} AS primary_p,
             ${exceedingPollutantsSqlExpr(perCols)} AS exceeding_p
      FROM x ORDER BY id`;
    const got = await rows(sql);
    expect(got).toHaveLength(rs.length);
    let withPrimary = 0;
    for (const r of got) {
      const js = hourlyAqi(rs[r.id as number]!);
      expect({ aqi: r.aqi, level: r.level, primary: r.primary_p, exceeding: r.exceeding_p }, JSON.stringify(rs[r.id as number])).toEqual({
        aqi: js.aqi,
        level: js.level,
        primary: js.primary,
        exceeding: js.exceeding,
      });
      if (js.primary.length > 0) withPrimary++;
    }
    expect(withPrimary).toBeGreaterThan(100);
    expect(got.slice(0, 6).map((r) => r.aqi)).toEqual([50, 100, 124, 225, null, 500]);
  });

  it('daily, with and without the O3 1 h indicator', async () => {
    const rs: DailyReadings[] = [
      { pm25: 75, pm10: 150, no2: 80, o3_8h: 160 },
      { o3_8h: 900, o3_1h: 1000 },
      { o3_8h: 900, o3_1h: null },
      { o3_8h: 100, o3_1h: 300 },
      { o3_1h: 300 },
    ];
    for (let i = 0; i < 300; i++) {
      rs.push({ pm25: maybe(300), pm10: maybe(500), so2: maybe(500), no2: maybe(300), co: maybe(15, 2), o3_8h: maybe(i % 10 === 0 ? 1000 : 300), o3_1h: maybe(1300) });
    }
    const cols = ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3_8h', 'o3_1h'] as const;
    const values = rs.map((r, i) => `(${i}, ${cols.map((c) => lit(r[c])).join(', ')})`).join(',\n');
    const colMap = Object.fromEntries(cols.map((c) => [c, c]));
    const sql = `SELECT id, ${aqiSqlExpr(colMap, 'daily')} AS a8, ${aqiSqlExpr(colMap, 'daily', { o3OneHourIndicator: true })} AS a81
      FROM (VALUES ${values}) AS t(id, ${cols.join(', ')}) ORDER BY id`;
    const got = await rows(sql);
    for (const r of got) {
      const d = rs[r.id as number]!;
      expect(r.a8, JSON.stringify(d)).toBe(dailyAqi(d).aqi);
      expect(r.a81, JSON.stringify(d)).toBe(dailyAqi(d, { o3OneHourIndicator: true }).aqi);
    }
    expect(got.slice(0, 5).map((r) => [r.a8, r.a81])).toEqual([[100, 100], [400, 400], [350, 350], [50, 150], [null, 150]]);
  });

  it('refuses an empty column map', () => {
    expect(() => aqiSqlExpr({}, 'hourly')).toThrow();
  });
});

describe('tzOffsetMinutes', () => {
  it('reads UTC+8 names and fixed offsets', () => {
    expect(tzOffsetMinutes('Asia/Shanghai')).toBe(480);
    expect(tzOffsetMinutes('+08:00')).toBe(480);
    expect(tzOffsetMinutes('+0800')).toBe(480);
    expect(tzOffsetMinutes('UTC+8')).toBe(480);
    expect(tzOffsetMinutes('-05:30')).toBe(-330);
    expect(tzOffsetMinutes('UTC')).toBe(0);
    expect(tzOffsetMinutes('local')).toBeNull();
    expect(() => tzOffsetMinutes('Europe/London')).toThrow(/unsupported time zone/);
    expect(() => tzOffsetMinutes('+25:00')).toThrow();
  });
});

// ---------------------------------------------------------------------------
// dailyAqiSql over a hand-made 48-hour series

const TABLE = 'air "hourly"';
const STATION = '站点 "id"';
const PM25 = 'PM2.5 "fine"';
const POLS = ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3'] as const;

interface HourRow {
  station: string;
  /** UTC epoch ms of the start of the hour. */
  ts: number;
  v: Partial<Record<(typeof POLS)[number], number | null>>;
}

/** Local (UTC+8) hour h of day 2024-07-01 … as UTC ms. */
const local = (h: number) => Date.UTC(2024, 6, 1, 0) - 8 * 3600_000 + h * 3600_000;

function series(): HourRow[] {
  const out: HourRow[] = [];
  // Station A: 48 local hours from 2024-07-01 00:00 (+08:00)
  for (let h = 0; h < 48; h++) {
    const hod = h % 24;
    if (h === 13) continue; // hour absent from the table entirely
    let o3: number | null;
    if (h < 24) o3 = hod < 10 ? 40 : hod === 10 || hod === 19 ? 120 : hod <= 18 ? 240 : 50;
    else o3 = hod >= 12 && hod <= 16 ? 300 : hod >= 17 && hod <= 19 ? -999 : 40;
    if (h === 16) o3 = null;
    out.push({
      station: 'A',
      ts: local(h),
      v: {
        pm25: h >= 26 && h <= 29 ? null : 30 + hod,
        pm10: h === 0 ? -9999 : 60,
        so2: 8,
        no2: 35 + (h % 5),
        co: 0.6,
        o3,
      },
    });
  }
  // Station A: one hour of the previous local day (23:00 on 30 June)
  out.push({ station: 'A', ts: local(-1), v: { pm25: 500, o3: 500 } });
  // Station B (hostile name): one day; PM2.5 has only 19 valid hours; a duplicated hour
  for (let h = 0; h < 24; h++) {
    out.push({ station: 'B "x"; --', ts: local(h), v: { pm25: h < 5 ? Number.NaN : 80, pm10: h === 5 ? 180 : 160, so2: 5, no2: 20, co: 0.4, o3: 100 } });
  }
  // hour 5 twice: 180 and 140 → hour mean 160
  out.push({ station: 'B "x"; --', ts: local(5), v: { pm25: 80, pm10: 140, so2: 5, no2: 20, co: 0.4, o3: 100 } });
  return out;
}

async function loadSeries(rowsIn: HourRow[], tsType: 'TIMESTAMP' | 'TIMESTAMPTZ' = 'TIMESTAMP'): Promise<void> {
  await engine.query(`DROP TABLE IF EXISTS ${quoteIdent(TABLE)}`);
  await engine.query(
    `CREATE TABLE ${quoteIdent(TABLE)} (${quoteIdent(STATION)} VARCHAR, ts ${tsType}, ${quoteIdent(PM25)} DOUBLE, pm10 DOUBLE, so2 DOUBLE, no2 DOUBLE, co DOUBLE, o3 DOUBLE)`,
  );
  const values = rowsIn
    .map((r) => {
      const iso = new Date(r.ts).toISOString().replace('T', ' ').replace('.000Z', '');
      const ts = tsType === 'TIMESTAMP' ? `TIMESTAMP '${iso}'` : `CAST('${iso}+00' AS TIMESTAMPTZ)`;
      return `('${r.station.replace(/'/g, "''")}', ${ts}, ${POLS.map((p) => lit(r.v[p])).join(', ')})`;
    })
    .join(',\n');
  await engine.query(`INSERT INTO ${quoteIdent(TABLE)} VALUES ${values}`);
}

/** The JS reference: per station and local day, 24 hourly arrays (duplicates averaged) → dailyReadingsFromHours → dailyAqi. */
function jsDaily(rowsIn: HourRow[]) {
  const acc = new Map<string, { station: string; day: string; sums: Record<string, { s: number; n: number }[]> }>();
  for (const r of rowsIn) {
    const t = new Date(r.ts + 8 * 3600_000);
    const day = t.toISOString().slice(0, 10);
    const hour = t.getUTCHours();
    const k = `${r.station}|${day}`;
    if (!acc.has(k)) {
      acc.set(k, { station: r.station, day, sums: Object.fromEntries(POLS.map((p) => [p, Array.from({ length: 24 }, () => ({ s: 0, n: 0 }))])) });
    }
    const e = acc.get(k)!;
    for (const p of POLS) {
      const v = r.v[p];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) {
        e.sums[p]![hour]!.s += v;
        e.sums[p]![hour]!.n += 1;
      }
    }
  }
  return [...acc.values()]
    .sort((a, b) => (a.station < b.station ? -1 : a.station > b.station ? 1 : a.day < b.day ? -1 : 1))
    .map((e) => {
      const hours = Object.fromEntries(POLS.map((p) => [p, e.sums[p]!.map((x) => (x.n ? x.s / x.n : null))])) as Record<Pollutant, (number | null)[]>;
      const readings = dailyReadingsFromHours(hours);
      return { station: e.station, day: e.day, readings, aqi: dailyAqi(readings), hours };
    });
}

const dailyQuery = (extra: Partial<Parameters<typeof dailyAqiSql>[0]> = {}) =>
  `SELECT strftime(day, '%Y-%m-%d') AS d, * EXCLUDE (day) FROM (${dailyAqiSql({
    table: TABLE,
    stationCol: STATION,
    tsCol: 'ts',
    tz: 'Asia/Shanghai',
    columns: { pm25: PM25 },
    ...extra,
  })})`;

describe('dailyAqiSql', () => {
  it('matches the JS daily rules on the 48-hour series', async () => {
    const data = series();
    await loadSeries(data);
    const t0 = performance.now();
    const got = await rows(dailyQuery());
    expect(performance.now() - t0).toBeLessThan(5000);
    const want = jsDaily(data);
    expect(got.map((r) => [r.station, r.d])).toEqual(want.map((w) => [w.station, w.day]));
    for (const [i, w] of want.entries()) {
      const r = got[i]!;
      const ctx = `${w.station} ${w.day}`;
      for (const k of ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3_8h', 'o3_1h'] as const) {
        const js = w.readings[k];
        if (js === null || js === undefined) expect(r[k], `${ctx} ${k}`).toBeNull();
        else expect(r[k] as number, `${ctx} ${k}`).toBeCloseTo(js, 9);
      }
      for (const p of ['so2', 'no2', 'pm10', 'co', 'o3', 'pm25'] as const) expect(r[`iaqi_${p}`], `${ctx} iaqi ${p}`).toBe(w.aqi.iaqi[p]);
      expect({ aqi: r.aqi, level: r.level, primary: r.primary_pollutants, exceeding: r.exceeding_pollutants }, ctx).toEqual({
        aqi: w.aqi.aqi,
        level: w.aqi.level,
        primary: w.aqi.primary,
        exceeding: w.aqi.exceeding,
      });
      expect(r.n_pm25, ctx).toBe(w.hours.pm25.filter((v) => v !== null).length);
    }
  });

  it('gives the hand-worked values', async () => {
    await loadSeries(series());
    const got = await rows(dailyQuery());
    const by = (s: string, d: string) => got.find((r) => r.station === s && r.d === d)!;

    const a1 = by('A', '2024-07-01');
    // O3: window 11–18 has 6 valid hours (13 absent, 16 NULL), all 240 → 240 → IAQI 175
    expect(a1.o3_8h).toBe(240);
    expect(a1.n_o3_8h).toBe(17);
    expect(a1.pm25 as number).toBeCloseTo(953 / 23, 12); // 30…53 without hour 13
    expect(a1.n_pm25).toBe(23);
    expect(a1.n_pm10).toBe(22); // hour 0 is −9999, hour 13 absent
    expect(a1).toMatchObject({ iaqi_o3: 175, iaqi_pm25: 59, aqi: 175, level: 4, primary_pollutants: ['o3'], exceeding_pollutants: ['o3'] });

    const a2 = by('A', '2024-07-02');
    // O3: 12–16 at 300, 17–19 are −999 → window 11–18 has 6 valid: (40 + 5·300)/6 = 256.67; 12–19 only 5 → invalid
    expect(a2.o3_8h as number).toBeCloseTo(1540 / 6, 12);
    expect(a2.o3_1h).toBe(300);
    expect(a2.n_o3_8h).toBe(12); // windows ending 07…18
    expect(a2.n_pm25).toBe(20); // 4 missing hours: still a valid mean
    expect(a2).toMatchObject({ iaqi_o3: 192, aqi: 192, level: 4, primary_pollutants: ['o3'] });

    const a0 = by('A', '2024-06-30');
    expect(a0).toMatchObject({ pm25: null, o3_8h: null, o3_1h: 500, aqi: null, level: null, primary_pollutants: [], exceeding_pollutants: [] });

    const b = by('B "x"; --', '2024-07-01');
    expect(b.pm25).toBeNull(); // 19 valid hours < 20
    expect(b.n_pm25).toBe(19);
    expect(b.pm10).toBe(160); // the duplicated hour averages to 160
    expect(b).toMatchObject({ iaqi_pm10: 105, iaqi_o3: 50, aqi: 105, level: 3, primary_pollutants: ['pm10'], exceeding_pollutants: ['pm10'] });
  });

  it('honours the options (min hours, O3 windows, 1 h indicator, missing columns)', async () => {
    await loadSeries(series());
    const lax = await rows(dailyQuery({ minHoursPerDay: 1 }));
    expect(lax.find((r) => r.station === 'A' && r.d === '2024-06-30')!.pm25).toBe(500);
    const strict = await rows(dailyQuery({ minO3WindowsPerDay: 14 }));
    expect(strict.find((r) => r.station === 'A' && r.d === '2024-07-02')!.o3_8h).toBeNull(); // only 12 valid windows
    expect(strict.find((r) => r.station === 'A' && r.d === '2024-07-01')!.o3_8h).toBe(240);
    const one = await rows(dailyQuery({ o3OneHourIndicator: true }));
    expect(one.find((r) => r.station === 'A' && r.d === '2024-06-30')!.aqi).toBe(225); // O3 1 h max 500 µg/m³ alone: 200 + 100·100/400
    const noCo = await rows(dailyQuery({ columns: { pm25: PM25, co: null } }));
    expect(noCo.every((r) => r.co === null && r.iaqi_co === null)).toBe(true);
  });

  it('assigns days by the local clock, with start- or end-labelled hours and TIMESTAMPTZ', async () => {
    // 24 rows labelled 01:00 … 24:00 local on 1 July (end of hour) = 17:00 UTC 30 June … 16:00 UTC 1 July
    const rowsIn: HourRow[] = Array.from({ length: 24 }, (_, i) => ({ station: 'C', ts: local(i + 1), v: { pm25: 10 + i } }));
    for (const tsType of ['TIMESTAMP', 'TIMESTAMPTZ'] as const) {
      await loadSeries(rowsIn, tsType);
      const start = await rows(dailyQuery());
      expect(start.map((r) => [r.d, r.n_pm25])).toEqual([['2024-07-01', 23], ['2024-07-02', 1]]);
      const end = await rows(dailyQuery({ hourLabel: 'end' }));
      expect(end.map((r) => [r.d, r.n_pm25, r.pm25])).toEqual([['2024-07-01', 24, 21.5]]);
      const utc = await rows(dailyQuery({ tz: '+00:00' }));
      expect(utc.map((r) => [r.d, r.n_pm25])).toEqual([['2024-06-30', 7], ['2024-07-01', 17]]);
    }
    // 'local': a TIMESTAMP already in local wall-clock time
    await loadSeries(rowsIn.map((r) => ({ ...r, ts: r.ts + 8 * 3600_000 })));
    const loc = await rows(dailyQuery({ tz: 'local' }));
    expect(loc.map((r) => [r.d, r.n_pm25])).toEqual([['2024-07-01', 23], ['2024-07-02', 1]]);
  });

  it('matches the JS rules on random series with gaps', async () => {
    const rand = rng(3095);
    const data: HourRow[] = [];
    for (const station of ['s1', 's2', 's3']) {
      for (let h = 0; h < 72; h++) {
        if (rand() < 0.05) continue; // absent hour
        const v: HourRow['v'] = {};
        for (const p of POLS) {
          const u = rand();
          v[p] = u < 0.06 ? null : u < 0.08 ? -9999 : Number((rand() * (p === 'co' ? 8 : p === 'o3' ? 400 : 250)).toFixed(1));
        }
        data.push({ station, ts: local(h), v });
      }
    }
    await loadSeries(data);
    const got = await rows(dailyQuery());
    const want = jsDaily(data);
    expect(got).toHaveLength(want.length);
    for (const [i, w] of want.entries()) {
      const r = got[i]!;
      expect([r.station, r.d]).toEqual([w.station, w.day]);
      if (w.readings.o3_8h == null) expect(r.o3_8h).toBeNull();
      else expect(r.o3_8h as number).toBeCloseTo(w.readings.o3_8h, 9);
      expect({ aqi: r.aqi, primary: r.primary_pollutants, exceeding: r.exceeding_pollutants }).toEqual({
        aqi: w.aqi.aqi,
        primary: w.aqi.primary,
        exceeding: w.aqi.exceeding,
      });
    }
  });
});
