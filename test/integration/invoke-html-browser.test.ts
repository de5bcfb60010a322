// `invoke --html` in a real browser (headless Chromium, test/support/browser.ts): the page of a real run
// against the local Lambda emulator (a function that crashes on every third call, so the run has cold
// starts, warm calls, errors and a re-init) opens from file:// without an error or a request, draws one dot
// per figure the JSON document of the same run holds, apart by kind, hovering a dot tells that invocation's
// figures, a click on a strip zooms into it and the line above leads back, the percentile table shows the
// document's p50, and a screenshot is not blank.
// UPDATE_SCREENSHOTS=1 also writes the screenshot to docs/images/ (docs/developing.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computedStyle, distinctColours, launchBrowser, noBrowser, type Browser, type OpenedPage } from '../support/browser.js';
import { NODE_STACK, repoRoot, runCli } from '../support/cli.js';
import { cliEnv, ensureBuilt, FIXTURES, ROOT } from '../support/harness.js';
import { expectShown } from '../support/html.js';
import { findPython, LambdaEmulator } from '../support/lambda-emulator.js';

interface Invocation {
  requestId: string;
  kind: 'cold' | 'warm' | 're-init' | 'unknown';
  status: 'success' | 'error' | 'timeout';
  initDurationMs: number | null;
  durationMs: number | null;
}
interface InvokeDoc {
  invocations: Invocation[];
  summary: { cold: { initDurationMs: { n: number; p50: number } | null } };
}

const skip = noBrowser('the browser test of `invoke --html`');
const screenshots = process.env.UPDATE_SCREENSHOTS === '1' ? join(repoRoot, 'docs', 'images') : null;

let em: LambdaEmulator;
let home: string;
let browser: Browser;
let doc: InvokeDoc;
let p: OpenedPage;

/** The dot kind the page gives an invocation: failures apart from their start kind, re-inits apart from cold starts. */
const kindOf = (r: Invocation): string => (r.status !== 'success' ? 'error' : r.kind === 're-init' ? 'reinit' : r.kind);

beforeAll(async () => {
  if (skip) return;
  ensureBuilt();
  home = mkdtempSync(join(tmpdir(), 'lc-invoke-browser-'));
  em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 100, updateDelayMs: 100 });
  await em.start();
  em.addFunction({ name: 'web', codeDir: FIXTURES, handler: 'hello.handler', environment: { INIT_SLEEP_MS: '50' }, faults: { every: 3, kind: 'crash' } });
  const html = join(home, 'invoke.html');
  const r = await runCli(['invoke', 'web', '--count', '8', '--html', html, '--json', '--endpoint-url', em.url], { env: cliEnv(home), replaceEnv: true, cwd: ROOT });
  expect(r.stderr).not.toMatch(NODE_STACK);
  expect(r.code, r.stderr).toBe(0);
  doc = JSON.parse(r.stdout) as InvokeDoc;
  browser = await launchBrowser();
  p = await browser.open(html);
});

afterAll(async () => {
  await browser?.close();
  await em?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe.skipIf(skip)('invoke --html in Chromium', () => {
  it('opens from file:// with no console error, page error or request', async () => {
    await p.page.locator('#chart [data-kind]').first().waitFor();
    expect(p.errors).toEqual([]);
    expect(p.requests).toEqual([]);
  });

  it('draws one dot per figure of the run, each of its invocation and kind', async () => {
    const dots = await p.page.$$eval('#chart [data-kind]', (els) =>
      els.map((e) => ({ kind: e.getAttribute('data-kind'), figure: e.getAttribute('data-figure'), i: Number(e.getAttribute('data-i')) })),
    );
    const expected: Array<{ kind: string; figure: string; i: number }> = [];
    doc.invocations.forEach((r, i) => {
      if (r.initDurationMs !== null) expected.push({ kind: kindOf(r), figure: 'init', i });
      if (r.durationMs !== null) expected.push({ kind: kindOf(r), figure: 'duration', i });
    });
    const key = (d: { kind: string | null; figure: string | null; i: number }) => `${d.i}:${d.figure}:${d.kind}`;
    expect(dots.map(key).sort()).toEqual(expected.map(key).sort());
    // the run has each kind the chart tells apart
    const kinds = new Set(dots.map((d) => d.kind));
    for (const k of ['cold', 'warm', 'error', 'reinit']) expect(kinds, `a ${k} dot`).toContain(k);
    // the dots of one figure of different kinds are not drawn alike
    const look = async (kind: string) => {
      const dot = p.page.locator(`#chart [data-kind=${kind}][data-figure=duration]`).first();
      return `${await dot.evaluate((e) => e.tagName)}/${await computedStyle(dot, 'fill')}/${await computedStyle(dot, 'stroke')}`;
    };
    expect(new Set([await look('cold'), await look('warm'), await look('error')]).size).toBe(3);
  });

  it('hovering a cold start tells its request id and figures', async () => {
    const dot = p.page.locator('#chart [data-kind=cold][data-figure=init]').first();
    const i = Number(await dot.getAttribute('data-i'));
    const r = doc.invocations[i]!;
    await dot.hover();
    const tip = p.page.locator('#tip');
    await expect.poll(() => computedStyle(tip, 'display')).toBe('block');
    const text = (await tip.textContent()) ?? '';
    expect(text).toContain(r.requestId);
    const init = /init ([\d.]+) ms/.exec(text);
    expect(init, text).not.toBeNull();
    expectShown(Number(init![1]), r.initDurationMs!, 1);
    expect(text).toMatch(/duration/);
  });

  it('a click on a strip zooms its panel to that strip; the line above the chart leads back', async () => {
    const panel = p.page.locator('#chart g[data-panel=duration]');
    const ticks = async () => (await panel.locator('text').allTextContents()).filter((t) => / (ms|s)$/.test(t));
    const span = (labels: string[]) => {
      const v = labels.map((t) => (t.endsWith(' s') ? parseFloat(t) * 1000 : parseFloat(t)));
      return Math.max(...v) / Math.min(...v);
    };
    const warm = () => panel.locator('[data-kind=warm]').count();
    const before = { ticks: await ticks(), warm: await warm() };
    expect(before.warm).toBeGreaterThan(0);
    await panel.locator('rect.strip[data-strip=warm]').click();
    expect(await p.page.locator('#zoom').textContent()).toMatch(/all invocations › Duration › warm$/);
    // the axis now spans the warm calls' range only, narrower than all durations', and every warm call is still drawn
    expect(span(await ticks())).toBeLessThan(span(before.ticks));
    expect(await warm()).toBe(before.warm);
    await p.page.locator('#zoom .link').click();
    expect(await ticks()).toEqual(before.ticks);
    expect(await p.page.locator('#zoom').textContent()).not.toContain('›');
    expect(p.errors).toEqual([]);
  });

  it('the percentile table shows the run\'s cold-start init: its count and p50', async () => {
    const row = p.page.locator('#percentiles tr', { hasText: 'init (cold starts)' });
    const [, n, p50] = await row.locator('td').allTextContents();
    expect(Number(n)).toBe(doc.summary.cold.initDurationMs!.n);
    expectShown(Number(p50), doc.summary.cold.initDurationMs!.p50, 1);
  });

  it('a screenshot of the chart is not blank', async () => {
    const png = await p.page.locator('#chart').screenshot();
    const shot = distinctColours(png);
    expect(shot.width).toBeGreaterThan(200);
    expect(shot.colours).toBeGreaterThan(10);
    if (screenshots) {
      const full = await p.screenshot([join(screenshots, 'invoke-html.png')]);
      expect(distinctColours(full).colours).toBeGreaterThan(10);
    }
  });
});
