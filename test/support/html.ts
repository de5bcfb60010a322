// Reading a generated HTML page as a browser's parser cuts it: its <script> elements (each ends at the first
// `</script`), the JSON data element's value, and the checks every self-contained page must pass.
import { expect } from 'vitest';

/** The contents of every <script> element, cut where an HTML parser cuts them: at the first `</script`. */
export function scripts(html: string): Array<{ attrs: string; body: string }> {
  const out: Array<{ attrs: string; body: string }> = [];
  const re = /<script\b([^>]*)>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const start = m.index + m[0].length;
    const end = html.toLowerCase().indexOf('</script', start);
    out.push({ attrs: m[1] ?? '', body: html.slice(start, end) });
    re.lastIndex = end;
  }
  return out;
}

/** The page's data: the JSON <script> element's text, parsed. */
export function pageData<T>(html: string): T {
  const data = scripts(html).find((s) => s.attrs.includes('application/json'));
  expect(data).toBeDefined();
  return JSON.parse(data!.body) as T;
}

/** One document, nothing loaded from elsewhere, a policy that allows only inline code, a script that parses. */
export function expectSelfContained(html: string, ids: string[]): void {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
  expect(html).not.toMatch(/\b(src|href)\s*=/i);
  expect(html).not.toMatch(/@import|url\(/i);
  const all = scripts(html);
  expect(all).toHaveLength(2);
  const code = all.find((s) => !s.attrs.includes('application/json'))!.body;
  expect(() => new Function(code)).not.toThrow();
  for (const id of ids) expect(html).toContain(`id="${id}"`);
}

/** A crafted text that would end a <script>, open markup or a comment, or break a JS string literal. */
export const EVIL = '</script><img src=x onerror=alert(1)><!--<script>&amp;\u2028x\u2029y"\'';

/** What a crafted text must not do to the page. */
export function expectNoBreakout(html: string): void {
  expect(html).not.toContain('<img');
  expect(html).not.toContain('<!--');
  expect(html).not.toMatch(/[\u2028\u2029]/);
  expect(html.match(/<\/script/gi)).toHaveLength(2);
}

/** The request ids of an invoke page, as its script decodes them (packed UUIDs: 22 base64url characters each). */
export function invokePageIds(d: { n: number; idPack: 'uuid' | 'raw'; ids: string | string[] }): string[] {
  if (d.idPack === 'raw') return d.ids as string[];
  const packed = d.ids as string;
  return Array.from({ length: d.n }, (_, i) => {
    const h = Buffer.from(packed.slice(i * 22, i * 22 + 22), 'base64url').toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  });
}

/**
 * A figure the page prints with `decimals` decimals equals the document's up to that rounding: within half a unit of
 * the last digit, plus float error (toBeCloseTo's strict `<` fails a value that sits exactly on the half, 12.35 → 12.3).
 */
export function expectShown(shown: number, value: number, decimals: number): void {
  expect(Math.abs(shown - value), `${shown} shows ${value} to ${decimals} decimals`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-9);
}
