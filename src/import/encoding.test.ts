import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeText } from './encoding.ts';

const GBK_FIXTURE = new URL('../../tests/fixtures/cnemc/stations.gbk.csv', import.meta.url);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeText', () => {
  it('reads GBK bytes as GBK', () => {
    // 北京 in GBK: B1 B1 BE A9 (not valid UTF-8).
    expect(decodeText(new Uint8Array([0xb1, 0xb1, 0xbe, 0xa9]))).toEqual({ text: '北京', encoding: 'gbk' });
    const { text, encoding } = decodeText(new Uint8Array(readFileSync(GBK_FIXTURE)));
    expect(encoding).toBe('gbk');
    expect(text.split('\n')[0]).toBe('监测点编码,监测点名称,城市,经度,纬度,对照点,省级行政区,地级行政区');
    expect(text).toContain('旧厂房(停运190101)');
  });

  it('keeps valid UTF-8 Chinese as UTF-8 (never re-read as GBK)', () => {
    const s = '监测点编码,监测点名称\n9001A,示范公园 PM2.5 µg/m³\n';
    expect(decodeText(utf8(s))).toEqual({ text: s, encoding: 'utf-8' });
  });

  it('strips a UTF-8 byte-order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('城市,a\n')]);
    expect(decodeText(bytes)).toEqual({ text: '城市,a\n', encoding: 'utf-8' });
  });

  it('treats plain ASCII and empty input as UTF-8', () => {
    expect(decodeText(utf8('a,b\n1,2\n'))).toEqual({ text: 'a,b\n1,2\n', encoding: 'utf-8' });
    expect(decodeText(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8' });
  });

  it('refuses UTF-16 with a clear message', () => {
    expect(() => decodeText(new Uint8Array([0xff, 0xfe, 0x41, 0x00]))).toThrow(/UTF-16/);
  });
});
