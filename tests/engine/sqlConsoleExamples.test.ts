/**
 * The console's example queries, run read-only on a city's real data (Node,
 * real DuckDB): each runs, and those labelled "(map)" come back with
 * positions that the result layer can draw.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../../src/engine/node.ts';
import type { Catalog } from '../../src/catalog/types.ts';
import { sqlExamples } from '../../src/modes/planner/sqlExamples.ts';
import { resultData } from '../../src/ui/sqlResultData.ts';
import { findResultGeometry, resultFeatures } from '../../src/layers/sqlResultLayer.ts';

const catalog = JSON.parse(readFileSync('data/catalog.json', 'utf8')) as Catalog;
const city = catalog.cities.find((c) => c.id === 'jinan')!;
let engine: NodeEngine;

beforeAll(async () => {
  engine = await createNodeEngine();
  for (const [ds, f] of Object.entries(city.datasets)) {
    if (ds === 'walk_network') continue;
    const bytes = readFileSync(`data/${f.path}`);
    if (f.format === 'parquet') await engine.loadParquet(`jinan__${ds}`, new Uint8Array(bytes));
    else await engine.loadGeoJSON(`jinan__${ds}`, bytes.toString('utf8'));
  }
});
afterAll(async () => {
  await engine?.close();
});

describe('example queries', () => {
  const examples = sqlExamples(city, 'en');
  test('there is one for each kind of data', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    expect(sqlExamples(city, 'zh')[0]!.label).toMatch(/^济南 · /);
  });
  test.each(examples.map((x) => [x.label, x.sql] as const))('%s', async (label, sql) => {
    const r = await engine.readOnlyQuery(sql);
    expect(r.table.numRows).toBeGreaterThan(0);
    const data = resultData(r.table);
    const g = findResultGeometry(data);
    if (label.endsWith('(map)')) {
      expect(g).not.toBeNull();
      const f = resultFeatures(data, g!);
      expect(f.features.features.length).toBeGreaterThan(0);
      const [w, s, e, n] = f.bounds!;
      expect(w).toBeGreaterThan(116);
      expect(e).toBeLessThan(118.5);
      expect(s).toBeGreaterThan(36);
      expect(n).toBeLessThan(37.5);
    } else expect(g).toBeNull();
  });
});
