/**
 * Life-circle rules (GB 50180-2018) in JS and SQL: the SQL runs in real
 * DuckDB-WASM and must agree with completeTiers() row by row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../engine/node.ts';
import { quoteIdent } from '../engine/sql.ts';
import { FACILITY_TYPES, TIERS, distanceColumn, type TierId } from './lifeCircle.ts';
import {
  FACILITY_RADII_M,
  RESIDENTIAL_BLOCK,
  TIER_DISTANCE_RANGE_M,
  TIER_GREEN_SPACE,
  completeTiers,
  lifeCircleCompletenessSqlExpr,
  lifeCircleMissingTypesSqlExpr,
  meetsTierGreenSpace,
} from './lifeCircleRules.ts';

const ALL = (d: number): Record<string, number> => Object.fromEntries(FACILITY_TYPES.map((t) => [t.id, d]));

describe('tables from standards.md', () => {
  it('tier distances, residents, green space', () => {
    expect(TIER_DISTANCE_RANGE_M).toEqual({ 15: [800, 1000], 10: [500, 500], 5: [300, 300] });
    for (const t of TIERS) expect(t.distanceM).toBe(TIER_DISTANCE_RANGE_M[t.id][1]);
    expect(RESIDENTIAL_BLOCK.residents).toEqual([1000, 3000]);
    expect(TIER_GREEN_SPACE).toEqual({
      15: { tier: 15, perCapitaM2: 2.0, minParkHa: 5, verify: false },
      10: { tier: 10, perCapitaM2: 1.0, minParkHa: 1, verify: false },
      5: { tier: 5, perCapitaM2: 1.0, minParkHa: 0.4, verify: true },
    });
    for (const id of Object.keys(FACILITY_RADII_M)) expect(FACILITY_TYPES.some((t) => t.id === id), id).toBe(true);
    expect(FACILITY_RADII_M.junior_middle_school?.radiusM).toBe(1000);
    expect(FACILITY_RADII_M.kindergarten?.radiusM).toBe(300);
  });

  it('green space checks use ≥', () => {
    expect(meetsTierGreenSpace(15, 2.0, 5)).toMatchObject({ pass: true });
    expect(meetsTierGreenSpace(15, 1.99, 6)).toMatchObject({ pass: false, perCapita: false, park: true });
    expect(meetsTierGreenSpace(5, 1.2, 0.39)).toMatchObject({ pass: false, park: false });
    expect(meetsTierGreenSpace(10, null, 2)).toMatchObject({ pass: null, perCapita: null, park: true });
    expect(meetsTierGreenSpace(10, null, 0.5).pass).toBe(false);
  });
});

describe('completeTiers', () => {
  it('a place with every type at the tier distance is complete (≤)', () => {
    expect(completeTiers(ALL(300)).complete).toEqual([5, 10, 15]);
    expect(completeTiers(ALL(500)).complete).toEqual([10, 15]);
    expect(completeTiers(ALL(1000)).complete).toEqual([15]);
    expect(completeTiers(ALL(1000.5)).complete).toEqual([]);
  });

  it('each tier needs the lower tiers’ types within its own distance', () => {
    const d = ALL(200);
    d.kindergarten = 450; // 5-minute type beyond 300 m
    const r = completeTiers(d);
    expect(r.complete).toEqual([10, 15]);
    expect(r.byTier[5].missing).toEqual(['kindergarten']);
    d.junior_middle_school = 1200;
    expect(completeTiers(d).complete).toEqual([10]);
  });

  it('missing distances mean not reachable', () => {
    for (const bad of [null, undefined, Number.NaN, -1, Infinity]) {
      const d: Record<string, number | null | undefined> = ALL(100);
      d.bus_stop = bad;
      const r = completeTiers(d);
      expect(r.complete, String(bad)).toEqual([5]);
      expect(r.byTier[10].missing).toEqual(['bus_stop']);
    }
    const d: Record<string, number> = ALL(100);
    delete d.market;
    expect(completeTiers(d).complete).toEqual([5]);
  });

  it('overrides change tier distances', () => {
    expect(completeTiers(ALL(900), { 15: 800 }).complete).toEqual([]);
    expect(completeTiers(ALL(900), { 10: 900 }).complete).toEqual([10, 15]);
    expect(completeTiers(ALL(900), { 10: 900 }).byTier[10].distanceM).toBe(900);
  });
});

describe('lifeCircleCompletenessSqlExpr = completeTiers', () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('agrees row by row, with and without overrides', async () => {
    let s = 50180;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const pick = (): number | null => {
      const u = rand();
      if (u < 0.05) return null;
      if (u < 0.07) return Number.NaN;
      if (u < 0.08) return -1;
      if (u < 0.2) return [300, 500, 800, 1000][Math.floor(rand() * 4)]!;
      return Math.round(rand() * 1300 * 10) / 10;
    };
    const rowsIn: Record<string, number | null>[] = [ALL(300), ALL(500), ALL(1000)];
    for (let i = 0; i < 400; i++) rowsIn.push(Object.fromEntries(FACILITY_TYPES.map((t) => [t.id, rand() < 0.6 ? Math.round(rand() * 250) : pick()])));
    const lit = (v: number | null) => (v === null ? 'CAST(NULL AS DOUBLE)' : Number.isNaN(v) ? "CAST('nan' AS DOUBLE)" : `CAST('${v}' AS DOUBLE)`);
    const cols = FACILITY_TYPES.map((t) => quoteIdent(distanceColumn(t.id)));
    const values = rowsIn.map((r, i) => `(${i}, ${FACILITY_TYPES.map((t) => lit(r[t.id] ?? null)).join(', ')})`).join(',\n');
    const tiers: TierId[] = [5, 10, 15];
    const overrides = { 15: 800 };
    const sql = `SELECT id,
        ${tiers.map((t) => `${lifeCircleCompletenessSqlExpr(t)} AS c${t}`).join(', ')},
        ${tiers.map((t) => `${lifeCircleCompletenessSqlExpr(t, overrides, { qualifier: 'v' })} AS o${t}`).join(', ')},
        ${tiers.map((t) => `${lifeCircleMissingTypesSqlExpr(t)} AS m${t}`).join(', ')}
      FROM (VALUES ${values}) AS v(id, ${cols.join(', ')}) ORDER BY id`;
    const got = (await engine.query(sql)).toArray().map((r) => r.toJSON() as Record<string, unknown>);
    expect(got).toHaveLength(rowsIn.length);
    const counts = { 5: 0, 10: 0, 15: 0 };
    for (const r of got) {
      const d = rowsIn[Number(r.id)]!;
      const js = completeTiers(d);
      const jsO = completeTiers(d, overrides);
      for (const t of tiers) {
        expect(r[`c${t}`], `row ${r.id} tier ${t}`).toBe(js.complete.includes(t));
        expect(r[`o${t}`], `row ${r.id} tier ${t} (override)`).toBe(jsO.complete.includes(t));
        expect(Array.from(r[`m${t}`] as Iterable<string>)).toEqual(js.byTier[t].missing);
        if (js.complete.includes(t)) counts[t]++;
      }
    }
    expect(counts[5]).toBeGreaterThan(5); // the vectors exercise both outcomes
    expect(counts[15]).toBeLessThan(rowsIn.length);
  });
});
