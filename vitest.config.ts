import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['tests/e2e/**', 'node_modules/**'],
          // One DuckDB per test file: duckdb-wasm's blocking Node build keeps global state.
          pool: 'forks',
          // Both cores: the default leaves one free (availableParallelism − 1), which on
          // the 2-core CI machines ran the unit files one at a time (≈170 s → ≈105 s).
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/globalSetup.ts'],
          pool: 'forks',
          // Chromium with SwiftShader is CPU-bound on 2 cores: one file at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
