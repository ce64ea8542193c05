import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * Budgets for what a first visit downloads before the map can draw (issue
 * #9, item 6): the JavaScript and CSS that dist/index.html loads up front
 * (its module script and modulepreloads), gzip-compressed as a server sends
 * them. DuckDB's worker and wasm, the other workers and the lazily loaded
 * chunks come later and are not counted. Raising a quota is a decision:
 * change it here, with the reason in the commit.
 */
const DIST = resolve(__dirname, '../../dist');
const QUOTA_JS_GZIP = 850 * 1024;
const QUOTA_CSS_GZIP = 30 * 1024;

function initial(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((m) => m[1]!);
}

const gz = (path: string) => gzipSync(readFileSync(resolve(DIST, path)), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

describe('bundle budgets', () => {
  const html = readFileSync(resolve(DIST, 'index.html'), 'utf8');

  it(`initial JavaScript is at most ${kb(QUOTA_JS_GZIP)} gzip`, () => {
    const js = [...initial(html, /<script[^>]+type="module"[^>]*src="([^"]+)"/g), ...initial(html, /<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g)];
    expect(js.length).toBeGreaterThan(0);
    expect(js.every((p) => p.startsWith('./assets/'))).toBe(true); // same origin, nothing from a CDN
    const sizes = js.map((p) => [p, gz(p)] as const);
    const total = sizes.reduce((s, [, n]) => s + n, 0);
    console.log(`initial JS: ${kb(total)} gzip of ${kb(QUOTA_JS_GZIP)} (${sizes.map(([p, n]) => `${p.replace('./assets/', '')} ${kb(n)}`).join(', ')})`);
    expect(total).toBeLessThanOrEqual(QUOTA_JS_GZIP);
  });

  it(`initial CSS is at most ${kb(QUOTA_CSS_GZIP)} gzip`, () => {
    const css = initial(html, /<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"/g);
    const total = css.reduce((s, p) => s + gz(p), 0);
    console.log(`initial CSS: ${kb(total)} gzip of ${kb(QUOTA_CSS_GZIP)}`);
    expect(css.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(QUOTA_CSS_GZIP);
  });
});
