/**
 * The app clock is an hour in China Standard Time (UTC+8, no daylight saving),
 * written "YYYY-MM-DDTHH". These helpers convert it to and from UTC epoch ms,
 * which is how the data stores timestamps.
 */
const CST_OFFSET_MS = 8 * 3600_000;

export function clockToUtcMs(t: string): number {
  const y = Number(t.slice(0, 4));
  const mo = Number(t.slice(5, 7));
  const d = Number(t.slice(8, 10));
  const h = Number(t.slice(11, 13));
  return Date.UTC(y, mo - 1, d, h) - CST_OFFSET_MS;
}

export function utcMsToClock(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}`;
}

export function clockYear(t: string): number {
  return Number(t.slice(0, 4));
}

export function addHours(t: string, hours: number): string {
  return utcMsToClock(clockToUtcMs(t) + hours * 3600_000);
}
