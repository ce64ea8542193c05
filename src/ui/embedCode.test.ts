import { describe, expect, it } from 'vitest';
import { apiExample, iframeSnippet } from './embedCode';

describe('embed code', () => {
  it('makes a sandboxed, lazy iframe for the URL', () => {
    const s = iframeSnippet('https://atlas.example.cn/?city=qingdao&mode=embed&layers=air,parks', '城市环境图谱 Civic Atlas');
    expect(s).toContain('src="https://atlas.example.cn/?city=qingdao&amp;mode=embed&amp;layers=air,parks"');
    expect(s).toContain('sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"');
    expect(s).not.toContain('allow-top-navigation');
    expect(s).toContain('loading="lazy"');
  });
  it('escapes quotes and angle brackets in attributes', () => {
    const s = iframeSnippet('https://x.example/?a="><script>', 't"<');
    expect(s).not.toContain('"><script>');
    expect(s).toContain('&quot;&gt;&lt;script&gt;');
    expect(s).toContain('title="t&quot;&lt;"');
  });
  it('the API example targets the map origin, never "*"', () => {
    const s = apiExample('https://atlas.example.cn');
    expect(s).toContain("'https://atlas.example.cn'");
    expect(s).not.toContain("'*'");
  });
});
