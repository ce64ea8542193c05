import { describe, expect, it } from 'vitest';
import { tablesWithinCap, type KeptTable } from './savedTables';

const t = (table: string, size: number, savedAt: number): KeptTable => ({ table, kind: 'park', file: `${table}.geojson`, geojson: 'x'.repeat(size), savedAt });

describe('kept tables', () => {
  it('keep the newest tables that fit the cap, oldest first out, in the order they were saved', () => {
    const all = [t('user__a', 40, 1), t('user__b', 50, 2), t('user__c', 30, 3)];
    expect(tablesWithinCap(all, 100).map((k) => k.table)).toEqual(['user__b', 'user__c']);
    expect(tablesWithinCap(all, 120).map((k) => k.table)).toEqual(['user__a', 'user__b', 'user__c']);
    // One larger than the cap is not kept, and does not push out the others.
    expect(tablesWithinCap([...all, t('user__huge', 500, 4)], 120).map((k) => k.table)).toEqual(['user__a', 'user__b', 'user__c']);
  });
});
