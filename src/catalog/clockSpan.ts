import type { TimeStep } from '../state/types';
import type { Catalog } from './types';

/**
 * What the app clock can show for a city. Hour and day steps span the air
 * readings: imported ones when the planner loaded some, else the catalog
 * file's vintage year. The year step spans every year any of the city's
 * datasets describes (restoration sites by completion year, the air year),
 * so the clock can show restoration building up.
 */
export function clockSpan(catalog: Catalog, cityId: string, step: TimeStep, imported: [string, string] | null = null): [string, string] | null {
  const city = catalog.cities.find((c) => c.id === cityId);
  if (!city) return null;
  const air = city.datasets.air_hourly;
  const airSpan: [string, string] | null = imported ?? (air ? [`${air.provenance.vintage}-01-01T00`, `${air.provenance.vintage}-12-31T23`] : null);
  if (step !== 'year') return airSpan;
  let lo = airSpan ? Number(airSpan[0].slice(0, 4)) : Infinity;
  let hi = airSpan ? Number(airSpan[1].slice(0, 4)) : -Infinity;
  for (const d of Object.values(city.datasets)) {
    if (!d.years) continue;
    lo = Math.min(lo, d.years[0]);
    hi = Math.max(hi, d.years[1]);
  }
  if (!Number.isFinite(lo)) return null;
  return [`${lo}-01-01T00`, `${hi}-12-31T23`];
}
