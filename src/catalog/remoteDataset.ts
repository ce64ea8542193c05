import type { CityDef, DatasetFile, RemoteSource } from './types';
import type { FetchStats, PartitionValues } from '../engine/remoteParquet';

/**
 * Which part of a remote store (types.ts `RemoteSource`) a city's table
 * holds: the city's partition, and the years asked for — by default the
 * dataset's vintage (the year the app's clock shows for it), or the last
 * year the store declares when the vintage is outside it. Never the whole
 * store.
 */

const CST_MS = 8 * 3600_000;
/** First hour of a year on the app's clock (China Standard Time), as UTC ms. */
const cstYearStart = (y: number) => Date.UTC(y, 0, 1) - CST_MS;

/**
 * The years the app shows: the clock's, and every year the chosen period
 * touches (charts and playback use it). What remote datasets load.
 */
export function yearsShown(s: { time: string; period: [string, string] | null; step: string }): number[] {
  const clock = Number(s.time.slice(0, 4));
  const years = new Set<number>(Number.isInteger(clock) ? [clock] : []);
  if (s.period && s.step !== 'year') {
    const [a, b] = s.period.map((d) => Number(d.slice(0, 4)));
    // A period is days of one store: a few years at most, never a loop over a garbled one.
    if (Number.isInteger(a) && Number.isInteger(b) && b! - a! <= 10) for (let y = a!; y <= b!; y++) years.add(y);
  }
  return [...years].sort((x, y) => x - y);
}

/** The years to load, sorted, each once, inside the declared `years` when there are any; may be empty. */
export function remoteYears(file: DatasetFile, asked?: readonly number[]): number[] {
  const span = file.years;
  const inSpan = (y: number) => !span || (y >= span[0] && y <= span[1]);
  const wanted = asked?.length ? asked : [inSpan(file.provenance.vintage) ? file.provenance.vintage : span![1]];
  return [...new Set(wanted)].filter((y) => Number.isInteger(y) && inSpan(y)).sort((a, b) => a - b);
}

/** Partitions to read, and the time range to prune row groups by when the year is not a partition key. */
export function remoteRequest(city: CityDef, remote: RemoteSource, years: number[]): { partitions: PartitionValues[]; time?: { column: string; from: number; to: number; ifPresent: true } } {
  const keys = remote.partitioning === 'hive' ? (remote.keys ?? []) : [];
  if (keys.includes('year')) return { partitions: years.map((year) => ({ city: city.id, year })) };
  // One file for all years: row-group statistics do the choosing (years in between come along).
  return {
    partitions: [{ city: city.id }],
    time: { column: remote.timeColumn ?? 'ts', from: cstYearStart(years[0]!), to: cstYearStart(years[years.length - 1]! + 1), ifPresent: true },
  };
}

/**
 * The city's years of a remote dataset as one Parquet file for
 * `Engine.loadParquet`. The reader is imported on demand, so a catalog
 * without remote data (the default build's) never loads it.
 */
export async function fetchRemoteDataset(
  city: CityDef,
  file: DatasetFile & { remote: RemoteSource },
  years: number[],
  fetchImpl: typeof fetch,
  stats?: FetchStats,
): Promise<Uint8Array> {
  const { readRemoteParquet } = await import('../engine/remoteParquet');
  const { partitions, time } = remoteRequest(city, file.remote, years);
  return (await readRemoteParquet(file.remote, partitions, { time, fetch: fetchImpl, stats })).bytes;
}
