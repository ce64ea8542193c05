import { describe, expect, it } from 'vitest';
import { isExactOrigin, MAX_ORIGINS, readAllowedOrigins } from './config';

const A = 'https://news.example.cn';
const B = 'https://staging.example.cn:8443';

function read(search: string, deployed?: string) {
  const warnings: string[] = [];
  const result = readAllowedOrigins(search, deployed, (m) => warnings.push(m));
  return { result, warnings };
}

describe('readAllowedOrigins', () => {
  it("defaults to '*' when neither the deployment nor the URL says anything", () => {
    expect(read('').result).toBe('*');
    expect(read('?origins=', '  ').result).toBe('*');
    expect(read('', '*').result).toBe('*');
  });

  it('takes exact origins from the URL', () => {
    expect(read(`?origins=${A},${encodeURIComponent(B)}`).result).toEqual([A, B]);
    expect(read(`?origins=${A},null`).result).toEqual([A, 'null']);
    expect(read(`?origins=${A},${A}`).result).toEqual([A]);
  });

  it('drops invalid entries with a warning that does not repeat them', () => {
    const hostile = encodeURIComponent('<script>alert(1)</script>');
    const { result, warnings } = read(`?origins=${A},${hostile},${A}/,https://News.example.cn,javascript:alert(1)`);
    expect(result).toEqual([A]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ignored 4 invalid/);
    expect(warnings.join()).not.toMatch(/script|alert|News/);
  });

  it('fails closed when a list is given but nothing in it is valid', () => {
    expect(read('?origins=*').result).toEqual([]);
    expect(read('?origins=news.example.cn').result).toEqual([]);
    expect(read('', 'not an origin').result).toEqual([]);
    expect(read('', `*,${A}`).result).toEqual([A]);
    expect(read(`?origins=${'a'.repeat(5000)}`).result).toEqual([]);
  });

  it('lets the URL narrow a deployed list but never widen it', () => {
    expect(read('', `${A}, ${B}`).result).toEqual([A, B]);
    expect(read(`?origins=${A}`, `${A},${B}`).result).toEqual([A]);
    const { result, warnings } = read(`?origins=https://evil.example,${A}`, A);
    expect(result).toEqual([A]);
    expect(warnings.join()).not.toContain('evil');
    expect(read('?origins=https://evil.example', A).result).toEqual([]);
  });

  it("an explicit deployed '*' still lets the URL restrict", () => {
    expect(read(`?origins=${A}`, '*').result).toEqual([A]);
  });

  it(`keeps at most ${MAX_ORIGINS} origins`, () => {
    const many = Array.from({ length: 20 }, (_, i) => `https://h${i}.example`).join(',');
    const { result, warnings } = read(`?origins=${many}`);
    expect(result).toHaveLength(MAX_ORIGINS);
    expect(warnings).toHaveLength(1);
  });
});

describe('isExactOrigin', () => {
  it.each([A, B, 'http://localhost:5173', 'http://127.0.0.1:8080', 'null', 'https://xn--fiqs8s.example'])('%s is exact', (o) => {
    expect(isExactOrigin(o)).toBe(true);
  });
  it.each([`${A}/`, `${A}/path`, 'https://news.example.cn:443', 'HTTPS://news.example.cn', 'ftp://x.example', 'file:///x', 'data:text/html,x', '*', '', 'https://中国.example'])(
    '%s is not',
    (o) => expect(isExactOrigin(o)).toBe(false),
  );
});
