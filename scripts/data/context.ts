/**
 * Everything the generators of one city share: config, land, terrain,
 * population, and point indexes of the rivers and the coastline for
 * "how far to water" questions.
 */
import type { CityCfg } from './cities.ts';
import { sharedBorderLines, type CityLand } from './boundaries.ts';
import { densify, SpatialHash, type Pt } from './geo.ts';
import { density, type CityPopulation } from './population.ts';
import type { HillFn } from './terrain.ts';

export interface LineIndex {
  hash: SpatialHash;
  /** Densified points (WGS-84) matching hash ids. */
  points: Pt[];
  /** Which line each point belongs to. */
  lineOf: number[];
}

export interface RiverLine {
  name: string;
  nameEn: string;
  /** Course, WGS-84. A river may consist of several pieces (several RiverLines). */
  points: Pt[];
}

export interface CityContext {
  cfg: CityCfg;
  land: CityLand;
  hill: HillFn;
  pop: CityPopulation;
  /** Resolved river courses (schematic control points or shared district borders). */
  riverLines: RiverLine[];
  /** Point index over riverLines; lineOf = index into riverLines. */
  rivers: LineIndex;
  coast: LineIndex;
}

/** Resolves each configured river to polylines. */
export function resolveRivers(cfg: CityCfg, land: CityLand): RiverLine[] {
  const out: RiverLine[] = [];
  for (const r of cfg.rivers) {
    if (r.points) out.push({ name: r.name, nameEn: r.nameEn, points: r.points.map((p) => [p[0], p[1]] as Pt) });
    for (const [a, b] of r.borders ?? []) {
      const da = land.districts.find((d) => d.cfg.slug === a);
      const db = land.districts.find((d) => d.cfg.slug === b);
      if (!da || !db) throw new Error(`${cfg.id}: river ${r.name}: unknown districts ${a}/${b}`);
      for (const line of sharedBorderLines(da, db)) {
        let len = 0;
        for (let i = 0; i + 1 < line.length; i++) len += land.frame.dist(line[i] as Pt, line[i + 1] as Pt);
        if (len >= 2000) out.push({ name: r.name, nameEn: r.nameEn, points: line });
      }
    }
  }
  return out;
}

export function lineIndex(lines: Pt[][], ctxLand: CityLand, stepM = 100): LineIndex {
  const hash = new SpatialHash(1000);
  const points: Pt[] = [];
  const lineOf: number[] = [];
  lines.forEach((line, li) => {
    for (const p of densify(line, ctxLand.frame, stepM)) {
      const [x, y] = ctxLand.frame.toXY(p[0], p[1]);
      hash.add(x, y);
      points.push(p);
      lineOf.push(li);
    }
  });
  return { hash, points, lineOf };
}

export function makeContext(cfg: CityCfg, land: CityLand, hill: HillFn, pop: CityPopulation): CityContext {
  const riverLines = resolveRivers(cfg, land);
  return {
    cfg,
    land,
    hill,
    pop,
    riverLines,
    rivers: lineIndex(
      riverLines.map((r) => r.points),
      land,
    ),
    coast: lineIndex(land.coast, land),
  };
}

/** Distance (m) from a point to the nearest indexed line point, capped at maxM (returns maxM if none). */
export function distanceTo(ctx: CityContext, idx: LineIndex, p: Pt, maxM: number): { d: number; line: number } {
  const [x, y] = ctx.land.frame.toXY(p[0], p[1]);
  const id = idx.hash.nearest(x, y, maxM);
  if (id < 0) return { d: maxM, line: -1 };
  return { d: Math.hypot((idx.hash.xs[id] as number) - x, (idx.hash.ys[id] as number) - y), line: idx.lineOf[id] as number };
}

/** Grid cell index → [lon, lat] of a uniformly random point inside the cell. */
export function randomPointInCell(ctx: CityContext, cell: number, u: number, v: number): Pt {
  const g = ctx.pop.grid;
  const col = cell % g.nx;
  const row = Math.floor(cell / g.nx);
  return [g.west + (col + u) * g.dLon, g.south + (row + v) * g.dLat];
}

export function cellDensity(ctx: CityContext, cell: number): number {
  return density(ctx.pop, cell);
}
