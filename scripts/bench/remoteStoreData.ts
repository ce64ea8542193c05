/**
 * A modelled store of hourly city-level air quality for the remote-Parquet
 * bench and tests, hive-partitioned as `city=<id>/year=<y>/part.parquet`,
 * one row group per month (China Standard Time) so that a month is one row
 * group. Generated at bench time into a temporary directory and never
 * committed: it is a load for the reader, not data anyone should quote.
 *
 * The model is deliberately cheap (a few ms per city-year): seasonal and
 * diurnal cycles × a city level × exp(AR(1) noise), concentrations rounded as
 * monitoring reports round them, and the hourly AQI per HJ 633-2012 from
 * src/standards/aqi.ts (through lookup tables, since the values are rounded).
 * The same seed gives the same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { iaqi, type Pollutant } from '../../src/standards/aqi';
import { seededRandom } from '../../src/analysis/seededRandom';

export const POLLUTANT_COLUMNS = ['pm25', 'pm10', 'no2', 'so2', 'co', 'o3'] as const;
const CST_MS = 8 * 3600_000;

export interface StoreSpec {
  cities: string[];
  years: number[];
  seed: number;
}

export interface StoreSummary {
  dir: string;
  files: number;
  bytes: number;
  rows: number;
  /** Size of each file, by "city=…/year=…". */
  fileBytes: Map<string, number>;
}

/** The four cities of the app first, then modelled ones: `count` ids in all. */
export function cityIds(count: number): string[] {
  const real = ['jinan', 'qingdao', 'shenzhen', 'ningbo'];
  return [...real, ...Array.from({ length: Math.max(0, count - real.length) }, (_, i) => `city-${String(i + real.length + 1).padStart(3, '0')}`)].slice(0, count);
}

/** First hour of a China Standard Time year or month, as UTC ms. */
export const cstStart = (year: number, month = 0) => Date.UTC(year, month, 1) - CST_MS;

/** Hours in each CST month of a year: the row-group sizes. */
export function monthHours(year: number): number[] {
  return Array.from({ length: 12 }, (_, m) => (cstStart(year, m + 1) - cstStart(year, m)) / 3600_000);
}

const rng = seededRandom;

function hash(...parts: (string | number)[]): number {
  let h = 2166136261;
  for (const ch of parts.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** IAQI of a rounded concentration (×10 for CO), by table lookup. */
const LUT = new Map<Pollutant, Int16Array>();
function iaqiOf(p: Pollutant, c: number): number {
  let t = LUT.get(p);
  if (!t) {
    t = new Int16Array(2001).map((_, i) => iaqi(p, '1h', p === 'co' ? i / 10 : i) ?? 0);
    LUT.set(p, t);
  }
  const i = Math.round(p === 'co' ? c * 10 : c);
  return i < t.length ? t[i]! : (iaqi(p, '1h', c) ?? 0);
}

/** One city-year of hourly readings, column by column. */
export function cityYear(city: string, year: number, seed: number): { ts: bigint[]; values: Record<string, Float32Array>; aqi: Int32Array } {
  const r = rng(hash(seed, city, year));
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const level = 0.55 + 0.9 * rng(hash(seed, city))(); // the city's own pollution level, the same every year
  const n = monthHours(year).reduce((a, b) => a + b, 0);
  const start = cstStart(year);
  const ts = new Array<bigint>(n);
  const values = Object.fromEntries(POLLUTANT_COLUMNS.map((p) => [p, new Float32Array(n)])) as Record<string, Float32Array>;
  const aqi = new Int32Array(n);
  let ar = 0;
  for (let h = 0; h < n; h++) {
    const t = start + h * 3600_000;
    ts[h] = BigInt(t);
    const day = h / 24;
    const hour = h % 24;
    const winter = 1 + 0.55 * Math.cos((2 * Math.PI * (day - 15)) / 365);
    const summer = 2 - winter;
    ar = 0.96 * ar + 0.28 * gauss();
    const noise = Math.exp(ar);
    const rush = 1 + 0.35 * (Math.exp(-((hour - 8) ** 2) / 6) + Math.exp(-((hour - 19) ** 2) / 8));
    const sun = Math.max(0, Math.sin((Math.PI * (hour - 6)) / 14));
    const v = values;
    v.pm25![h] = Math.round(38 * level * winter * noise * (0.9 + 0.2 * rush - 0.2));
    v.pm10![h] = Math.round(v.pm25![h]! * (1.5 + 0.3 * r()) + 8 * r());
    v.no2![h] = Math.round(26 * level * rush * Math.sqrt(noise) * (1.1 - 0.2 * sun));
    v.so2![h] = Math.round(7 * level * winter * Math.sqrt(noise) + 2 * r());
    v.co![h] = Math.round(10 * (0.45 + 0.35 * level * winter * Math.sqrt(noise))) / 10;
    v.o3![h] = Math.round(30 + 95 * summer * sun * (0.8 + 0.4 * r()) / Math.sqrt(noise));
    let a = 0;
    for (const p of POLLUTANT_COLUMNS) a = Math.max(a, iaqiOf(p, v[p]![h]!));
    aqi[h] = a;
  }
  return { ts, values, aqi };
}

const SCHEMA = [
  { name: 'root', num_children: 2 + POLLUTANT_COLUMNS.length },
  { name: 'ts', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' }, repetition_type: 'REQUIRED' },
  ...POLLUTANT_COLUMNS.map((name) => ({ name, type: 'FLOAT', repetition_type: 'REQUIRED' })),
  { name: 'aqi', type: 'INT32', repetition_type: 'REQUIRED' },
];

/** One city-year as a Parquet file: SNAPPY, statistics on, one row group per CST month. */
export function cityYearParquet(city: string, year: number, seed: number): Uint8Array {
  const { ts, values, aqi } = cityYear(city, year, seed);
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'ts', data: ts, encoding: 'DELTA_BINARY_PACKED' },
      // Byte-stream split: smaller than a dictionary here and about twice as fast to write.
      ...POLLUTANT_COLUMNS.map((p) => ({ name: p, data: values[p]!, encoding: 'BYTE_STREAM_SPLIT' })),
      { name: 'aqi', data: aqi },
    ] as never,
    schema: SCHEMA as never,
    codec: 'SNAPPY',
    statistics: true,
    rowGroupSize: monthHours(year),
    createdBy: 'civic-atlas scripts/bench/remoteStoreData.ts (modelled)',
  });
  return new Uint8Array(buf);
}

/** Write the whole store under `dir`. */
export function writeAirStore(dir: string, spec: StoreSpec): StoreSummary {
  const out: StoreSummary = { dir, files: 0, bytes: 0, rows: 0, fileBytes: new Map() };
  for (const city of spec.cities) {
    for (const year of spec.years) {
      const part = `city=${city}/year=${year}`;
      const bytes = cityYearParquet(city, year, spec.seed);
      mkdirSync(join(dir, part), { recursive: true });
      writeFileSync(join(dir, part, 'part.parquet'), bytes);
      out.files++;
      out.bytes += bytes.length;
      out.rows += monthHours(year).reduce((a, b) => a + b, 0);
      out.fileBytes.set(part, bytes.length);
    }
  }
  return out;
}
