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

/** The same month, day and hour in another year (29 February becomes the 28th). */
export function withYear(t: string, year: number): string {
  const y = String(year).padStart(4, '0');
  const md = t.slice(5, 10) === '02-29' ? '02-28' : t.slice(5, 10);
  return `${y}-${md}${t.slice(10)}`;
}

/**
 * The clock moved by `n` steps of its unit. Day steps keep the hour (hourly
 * charts keep their place); year steps keep month, day and hour.
 */
export function stepClock(t: string, step: 'hour' | 'day' | 'year', n: number): string {
  if (step === 'year') return withYear(t, clockYear(t) + n);
  return addHours(t, n * (step === 'day' ? 24 : 1));
}

/** Clamps a time into [lo, hi], keeping what the step keeps (hour of day, or month-day-hour). */
export function clampClock(t: string, step: 'hour' | 'day' | 'year', [lo, hi]: [string, string]): string {
  const keep = (edge: string) =>
    step === 'day' ? `${edge.slice(0, 10)}${t.slice(10)}` : step === 'year' ? withYear(t, clockYear(edge)) : edge;
  const below = clockToUtcMs(t) < clockToUtcMs(lo);
  const above = clockToUtcMs(t) > clockToUtcMs(hi);
  if (!below && !above) return t;
  const edge = below ? lo : hi;
  const kept = keep(edge);
  // Keeping the hour (or date) could step just outside the edge: then the edge itself.
  const ms = clockToUtcMs(kept);
  return ms < clockToUtcMs(lo) || ms > clockToUtcMs(hi) ? edge : kept;
}
