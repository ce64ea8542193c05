import { describe, expect, it } from 'vitest';
import { budgetSetting, checkBudget, estimateInMemory, memoryBudget, overBudgetMessage } from './memoryBudget';

const MB = 2 ** 20;

describe('memory budget', () => {
  it('takes the planner\'s setting from the link or storage, and ignores nonsense', () => {
    expect(budgetSetting('?membudget=256', null)).toBe(256);
    expect(budgetSetting('', '1024')).toBe(1024);
    expect(budgetSetting('?membudget=300', '1024')).toBe(300);
    for (const bad of ['0', '-5', 'NaN', '1e9', 'abc', '8']) expect(budgetSetting(`?membudget=${bad}`, null)).toBeNull();
  });
  it('is a quarter of the device memory within 512 MB–2 GB, else 1 GB; a setting wins', () => {
    expect(memoryBudget(null, 8)).toEqual({ bytes: 2 * 1024 * MB, from: 'device' });
    expect(memoryBudget(null, 4)).toEqual({ bytes: 1024 * MB, from: 'device' });
    expect(memoryBudget(null, 0.5)).toEqual({ bytes: 512 * MB, from: 'device' });
    expect(memoryBudget(null, undefined)).toEqual({ bytes: 1024 * MB, from: 'default' });
    expect(memoryBudget(64, 8)).toEqual({ bytes: 64 * MB, from: 'setting' });
  });
  it('estimates by format, on the high side', () => {
    expect(estimateInMemory({ name: 'a.CSV', size: 10 * MB })).toBe(40 * MB);
    expect(estimateInMemory({ name: 'a.geojson', size: 10 * MB })).toBe(60 * MB);
    expect(estimateInMemory({ name: 'a.parquet', size: 10 * MB })).toBe(50 * MB);
    expect(estimateInMemory({ name: 'noext', size: 10 * MB })).toBe(50 * MB);
  });
  it('lets files in, in the order chosen, while they fit together; a refused one does not block the next', () => {
    const budget = memoryBudget(100, undefined);
    const files = [
      { name: 'a.csv', size: 10 * MB }, // 40
      { name: 'b.csv', size: 20 * MB }, // 80: over with a
      { name: 'c.csv', size: 5 * MB }, // 20
    ];
    const v = checkBudget(files, budget);
    expect(v.fits.map((f) => f.name)).toEqual(['a.csv', 'c.csv']);
    expect(v.refused).toEqual([{ file: files[1], estimate: 80 * MB }]);
    expect(checkBudget(files, budget, 90 * MB).fits).toEqual([]);
  });
  it('says how big is too big and what to do, in both languages', () => {
    const m = overBudgetMessage(300 * MB, 1200 * MB, memoryBudget(256, undefined));
    expect(m.level).toBe('error');
    expect(m.zh).toContain('300 MB');
    expect(m.zh).toContain('1200 MB');
    expect(m.zh).toContain('256 MB');
    expect(m.zh).toContain('最大约 64 MB');
    expect(m.zh).toMatch(/Parquet.*数据包/);
    expect(m.en).toContain('up to about 64 MB');
    expect(m.en).toContain('not read');
  });
});

describe('kept imports', () => {
  it('keep the newest files within the cap, in the order they were saved', async () => {
    const { withinCap } = await import('./savedImports');
    const f = (name: string, mb: number, savedAt: number) => ({ name, bytes: new Uint8Array(mb * MB), o3Columns: 'swapped' as const, savedAt });
    const kept = withinCap([f('old', 3, 1), f('mid', 4, 2), f('new', 5, 3)], 9.5 * MB);
    expect(kept.map((x) => x.name)).toEqual(['mid', 'new']);
    expect(withinCap([f('huge', 20, 5), f('a', 1, 1)], 10 * MB).map((x) => x.name)).toEqual(['a']);
  });
});
