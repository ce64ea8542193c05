import { describe, expect, it } from 'vitest';
import { describeRecord, MAX_ROWS } from './describeRecord';

describe('describeRecord', () => {
  it('lists the columns as text, without geometry or working columns', () => {
    const d = describeRecord('学校.geojson', 'Your data', { name: '<img src=x onerror=alert(1)>', beds: 1234.5, ok: true, none: null, __geom: '{"type":"Point"}', geometry: {}, tags: { a: 1 } }, 'en');
    expect(d.title).toBe('学校.geojson');
    expect(d.rows).toEqual([
      ['name', '<img src=x onerror=alert(1)>'],
      ['beds', '1,234.5'],
      ['ok', 'true'],
      ['none', '–'],
      ['tags', '{"a":1}'],
    ]);
  });
  it('cuts long values and control characters, and says how many columns are left out', () => {
    const rec: Record<string, unknown> = { long: 'x'.repeat(1000), ctl: 'a\u0000\nb' };
    for (let i = 0; i < 30; i++) rec[`c${i}`] = i;
    const d = describeRecord('t', '', rec, 'zh');
    expect(d.rows[0]![1].length).toBe(160);
    expect(d.rows[0]![1].endsWith('…')).toBe(true);
    expect(d.rows[1]![1]).toBe('a b');
    expect(d.rows.length).toBe(MAX_ROWS + 1);
    expect(d.rows[MAX_ROWS]).toEqual(['其余列', String(32 - MAX_ROWS)]);
  });
});
