/**
 * Shared by the import tests: one real DuckDB (Node) per test file, and a
 * way to stage a file's text as the dialog would (inspectUserFile), failing
 * the test with the problems when it is refused.
 */
import { afterAll, beforeAll } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../engine/node';
import { inspectUserFile, type Inspection } from './userImport';

export function useImportEngine(prefix: string) {
  let engine: NodeEngine;
  let n = 0;
  beforeAll(async () => {
    engine = await createNodeEngine();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });
  return {
    engine: () => engine,
    /** A fresh staging table for each call. */
    stageName: () => `user__${prefix}_${++n}`,
    async stage(name: string, text: string): Promise<Inspection> {
      const r = await inspectUserFile(engine, name, new TextEncoder().encode(text), `user__${prefix}_${++n}`);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      return r;
    },
  };
}
