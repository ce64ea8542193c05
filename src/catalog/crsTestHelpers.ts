/** Helpers the coordinate-conversion tests share (catalog/crs.test.ts, map/gcj.test.ts). Test code only. */
import { expect } from 'vitest';

/** Great-circle distance in metres. */
export function metres(a: readonly number[], b: readonly number[]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1]! - a[1]!) * rad;
  const dLon = (b[0]! - a[0]!) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1]! * rad) * Math.cos(b[1]! * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

export function expectNear(actual: readonly number[], expected: readonly number[], tol: number): void {
  expect(Math.abs(actual[0]! - expected[0]!)).toBeLessThan(tol);
  expect(Math.abs(actual[1]! - expected[1]!)).toBeLessThan(tol);
}
