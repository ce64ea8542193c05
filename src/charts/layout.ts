/**
 * The pure geometry and statistics behind the charts: decimation, brush
 * snapping, calendar cells, box statistics, table ranking. No DOM, so they
 * are unit-tested in node (layout.test.ts); the render functions only draw.
 */
import { quantile } from 'd3';
import { addDays, monthOf, weekdayMon0 } from '../air/periodStats';

/** Missing: NaN, ±Infinity and the negative sentinels of station feeds. */
export const isValue = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v >= 0;

/**
 * Indices of the samples worth drawing at `columns` pixel columns: per column
 * and per unbroken run, the first, minimum, maximum and last sample (M4), so
 * the line keeps every peak a full draw would show. The first index of each
 * missing run is kept as well, so a line generator with `.defined()` still
 * breaks there: gaps stay gaps. Short series come back whole.
 */
export function decimateMinMax(values: ArrayLike<number>, columns: number): Int32Array {
  const n = values.length;
  const cols = Math.max(1, Math.floor(columns));
  if (n <= cols * 4) return Int32Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  let first = -1;
  let lo = -1;
  let hi = -1;
  let last = -1;
  let inGap = false;
  const flush = () => {
    if (first < 0) return;
    const picks = [first, lo, hi, last].sort((a, b) => a - b);
    for (let k = 0; k < 4; k++) if (k === 0 || picks[k] !== picks[k - 1]) out.push(picks[k]!);
    first = -1;
  };
  for (let c = 0; c < cols; c++) {
    const end = c === cols - 1 ? n : Math.floor(((c + 1) * n) / cols);
    for (let i = Math.floor((c * n) / cols); i < end; i++) {
      const v = values[i];
      if (!isValue(v)) {
        flush();
        if (!inGap) out.push(i);
        inGap = true;
        continue;
      }
      inGap = false;
      if (first < 0) first = lo = hi = i;
      else {
        if (v < values[lo]!) lo = i;
        if (v > values[hi]!) hi = i;
      }
      last = i;
    }
    flush();
  }
  return Int32Array.from(out);
}

/** Valid samples with no valid neighbour: a line cannot show them, so they get a dot. */
export function isolatedIndices(values: ArrayLike<number>, limit = 2000): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length && out.length < limit; i++) {
    if (isValue(values[i]) && !isValue(values[i - 1]) && !isValue(values[i + 1])) out.push(i);
  }
  return out;
}

/** Nearest sample time to `ms`, clamped to the series (n samples from startMs every stepMs). */
export function snapMs(ms: number, startMs: number, stepMs: number, n: number): number {
  const i = Math.min(Math.max(0, Math.round((ms - startMs) / stepMs)), Math.max(0, n - 1));
  return startMs + i * stepMs;
}

/**
 * A brushed time range on the sample grid: the start rounds down and the end
 * up, so the range covers every sample the user touched, clamped to the
 * series and at least one step long. Both ends are sample times.
 */
export function snapRange(a: number, b: number, startMs: number, stepMs: number, n: number): [number, number] {
  const lastI = Math.max(0, n - 1);
  const clampI = (i: number) => Math.min(Math.max(0, i), lastI);
  let i0 = clampI(Math.floor((Math.min(a, b) - startMs) / stepMs + 1e-9));
  let i1 = clampI(Math.ceil((Math.max(a, b) - startMs) / stepMs - 1e-9));
  if (i1 <= i0) {
    if (i0 < lastI) i1 = i0 + 1;
    else i0 = Math.max(0, i1 - 1);
  }
  return [startMs + i0 * stepMs, startMs + i1 * stepMs];
}

export interface CalendarLayout {
  /** Weeks (columns) the days span. */
  weeks: number;
  /** Column (week) and row (Mon = 0 … Sun = 6) of day i. */
  col: Int16Array;
  row: Int8Array;
  /** One label per month, at the column of its first day (or of the first day shown). */
  months: { month: number; col: number; day: string }[];
}

/** GitHub-style placement of `n` days from `startDay`: a column per ISO week, Monday on top. */
export function calendarLayout(startDay: string, n: number): CalendarLayout {
  const w0 = weekdayMon0(startDay);
  const col = new Int16Array(n);
  const row = new Int8Array(n);
  const months: CalendarLayout['months'] = [];
  let prevMonth = 0;
  for (let i = 0; i < n; i++) {
    col[i] = Math.floor((i + w0) / 7);
    row[i] = (i + w0) % 7;
    const m = monthOf(startDay, i);
    if (m !== prevMonth) {
      // A partial first month can leave two labels a column apart: keep the later one.
      const prev = months[months.length - 1];
      if (prev && col[i]! - prev.col < 2) months.pop();
      months.push({ month: m, col: col[i]!, day: addDays(startDay, i) });
      prevMonth = m;
    }
  }
  return { weeks: n > 0 ? Math.floor((n - 1 + w0) / 7) + 1 : 0, col, row, months };
}

export interface BoxStats {
  n: number;
  p10: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
}

/** Box-plot quantiles (d3.quantile, R-7) of the valid values; null when none. */
export function boxStats(values: ArrayLike<number>): BoxStats | null {
  const xs = Array.from(values).filter(isValue).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const q = (p: number) => quantile(xs, p)!;
  return { n: xs.length, p10: q(0.1), p25: q(0.25), p50: q(0.5), p75: q(0.75), p90: q(0.9) };
}

/** Daily values grouped by calendar month: index 0 = January. Years pool together. */
export function valuesByMonth(startDay: string, values: ArrayLike<number>): number[][] {
  const out: number[][] = Array.from({ length: 12 }, () => []);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isValue(v)) out[monthOf(startDay, i) - 1]!.push(v);
  }
  return out;
}

export type Better = 'high' | 'low';

/** Row order for a column: best first, missing values last, ties in input order. */
export function rankOrder(values: readonly (number | null)[], better: Better): number[] {
  const ok = (v: number | null): v is number => v !== null && Number.isFinite(v);
  return values
    .map((v, i) => i)
    .sort((a, b) => {
      const va = values[a]!;
      const vb = values[b]!;
      if (!ok(va) || !ok(vb)) return ok(va) ? -1 : ok(vb) ? 1 : a - b;
      return (better === 'high' ? vb - va : va - vb) || a - b;
    });
}

/** The best value of a column, or null when no row has one. */
export function bestValue(values: readonly (number | null)[], better: Better): number | null {
  const first = values[rankOrder(values, better)[0] ?? -1];
  return first !== undefined && first !== null && Number.isFinite(first) ? first : null;
}
