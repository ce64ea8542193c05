import { describe, expect, it } from 'vitest';
import { FACILITY_TYPES } from '../standards/lifeCircle';
import { isochroneDescription, type ChecklistSources } from './isochroneChecklist';

const MODELLED: ChecklistSources = { network: true, facilities: true };
const MEASURED: ChecklistSources = { network: false, facilities: false };

const nearest = (d: (id: string) => number | null) => FACILITY_TYPES.map((t) => ({ type: t.id, distM: d(t.id), name: d(t.id) === null ? null : `${t.id}-1` }));

describe('isochrone checklist', () => {
  it('ticks a type when its nearest facility is within the tier distance, and counts complete tiers', () => {
    // Everything at 250 m except the market at 700 m (a 10-minute type) and no junior middle school.
    const r = { snap: { lon: 117, lat: 36.6, offsetM: 12 }, areas: [], ms: 1, nearest: nearest((id) => (id === 'market' ? 700 : id === 'junior_middle_school' ? null : 250)) };
    const d = isochroneDescription(r, 'zh', MODELLED);
    const row = (label: string) => d.rows.find(([k]) => k.includes(label));
    expect(row('五分钟生活圈（300 m）')![1]).toBe('6/6 类可达 ✓ 完整');
    expect(row('十分钟生活圈（500 m）')![1]).toBe('9/10 类可达');
    expect(row('菜市场')![0].startsWith('✗')).toBe(true);
    expect(row('菜市场')![1]).toBe('700 m · market-1');
    expect(row('初中')![1]).toBe('1,000 m 内没有');
    expect(row('十五分钟生活圈（1,000 m）')![1]).toBe('16/17 类可达');
    expect(d.subtitle).toContain('模拟数据');
  });
  it('says there is no street nearby instead of a checklist, and names the parens per language', () => {
    expect(isochroneDescription({ snap: null, areas: [], nearest: [], ms: 0 }, 'en', MODELLED).subtitle).toContain('No walkable street');
    const en = isochroneDescription({ snap: { lon: 0, lat: 0, offsetM: 3 }, areas: [], nearest: nearest(() => 100), ms: 0 }, 'en', MEASURED);
    expect(en.rows[0]![0]).toBe('5-minute circle (300 m)');
    expect(en.subtitle).not.toContain('modelled');
  });

  it('judges with the distances the planner set', () => {
    const r = { snap: { lon: 0, lat: 0, offsetM: 3 }, areas: [], ms: 0, nearest: nearest(() => 280) };
    const d = isochroneDescription(r, 'zh', MODELLED, { 5: 250, 10: 500, 15: 1000 });
    expect(d.rows[0]).toEqual(['五分钟生活圈（250 m）', '0/6 类可达']);
    expect(d.title).toContain('自定距离');
  });

  it("says when the facilities are the planner's own, and that the network is still modelled", () => {
    const r = { snap: { lon: 0, lat: 0, offsetM: 3 }, areas: [], ms: 0, nearest: nearest(() => 100) };
    const zh = isochroneDescription(r, 'zh', { network: true, facilities: false, facilitiesFrom: 'OSM 生活圈设施 · 青岛' });
    expect(zh.subtitle).toContain('；步行网络为模拟数据；设施来自你的数据“OSM 生活圈设施 · 青岛”');
    expect(zh.subtitle).not.toContain('设施为模拟数据');
    expect(isochroneDescription(r, 'en', { network: false, facilities: false, facilitiesFrom: 'mine.csv' }).subtitle).toMatch(/; facilities from your data “mine\.csv”$/);
  });
});
