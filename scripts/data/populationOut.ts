/**
 * The population dataset as a parquet table: one row per populated 500 m
 * cell, row-major from the south-west.
 */
import type { CityCfg } from './cities.ts';
import type { CityLand } from './boundaries.ts';
import type { ParquetTable } from './parquet.ts';
import { cellId, type CityPopulation } from './population.ts';

export function populationTable(cfg: CityCfg, land: CityLand, pop: CityPopulation): ParquetTable {
  const g = pop.grid;
  return {
    columns: [
      { name: 'cell_id', kind: 'STRING', data: pop.cells.map((i) => cellId(cfg.code, pop, i)), encoding: 'DELTA_BYTE_ARRAY' },
      { name: 'lon', kind: 'DOUBLE', data: pop.cells.map((i) => Math.round(g.centreLon(i % g.nx) * 1e6) / 1e6) },
      { name: 'lat', kind: 'DOUBLE', data: pop.cells.map((i) => Math.round(g.centreLat(Math.floor(i / g.nx)) * 1e6) / 1e6) },
      { name: 'pop', kind: 'INT32', data: pop.cells.map((i) => pop.pop[i] as number), encoding: 'DELTA_BINARY_PACKED' },
      { name: 'district', kind: 'STRING', data: pop.cells.map((i) => land.districts[pop.district[i] as number]?.id ?? '') },
    ],
  };
}
