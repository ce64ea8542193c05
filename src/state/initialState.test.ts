import { describe, expect, it, vi } from 'vitest';
import type { Catalog } from '../catalog/types';
import { initialState } from './initialState';

const catalog = {
  defaultCity: 'shenzhen',
  cities: [{ id: 'shenzhen' }, { id: 'jinan' }],
  layers: [
    { id: 'parks', defaultVisible: true },
    { id: 'air', defaultVisible: false },
  ],
} as unknown as Catalog;
const opts = { lang: 'zh' as const, pack: null, span: (city: string) => (city === 'jinan' ? (['2025-01-01T00', '2025-06-30T23'] as [string, string]) : null) };

describe('initialState', () => {
  it('starts on the catalog defaults and the newest hour of the city', () => {
    const s = initialState({ city: 'jinan' }, catalog, opts);
    expect(s).toMatchObject({ city: 'jinan', layers: ['parks'], time: '2025-06-30T23', airMap: 'clock', period: null, mode: 'planner' });
  });
  it('drops a city or a layer the catalog does not have, with a warning, and keeps the rest of the link', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const s = initialState({ city: 'atlantis', layers: ['air', 'radon'], period: ['2025-01-01', '2025-01-07'], airMap: 'period' }, catalog, opts);
    expect(s.city).toBe('shenzhen');
    expect(s.layers).toEqual(['air']);
    expect(s).toMatchObject({ period: ['2025-01-01', '2025-01-07'], airMap: 'period', time: '2025-12-31T23' });
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('unknown city "atlantis"'), expect.stringContaining('unknown layer "radon"')]);
    warn.mockRestore();
  });
});
