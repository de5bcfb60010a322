// `profile --html` in a real browser (headless Chromium, test/support/browser.ts): the page of a real run of
// python-fixtures/ranked opens from file:// without an error or a request, its icicle shows the modules
// widest first in proportion to the times the same run's JSON document reports, hovering tells a module's
// figures, a click zooms and the breadcrumb leads back, and a screenshot is not blank. The gate's page
// (--baseline) colours a slower module as slower and marks the new one. UPDATE_SCREENSHOTS=1 also writes the
// screenshots to docs/images/ (docs/developing.md).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computedStyle, distinctColours, launchBrowser, noBrowser, type Browser, type OpenedPage } from '../support/browser.js';
import { fixtures, NODE_STACK, repoRoot, runCli, testCacheDir } from '../support/cli.js';
import { expectShown } from '../support/html.js';
import { allPythons } from '../support/python.js';

interface ProfileDoc {
  summary: { importUs: { median: number } };
  modules: Array<{ name: string; selfUs: number; cumulativeUs: number }>;
}

interface BarBox {
  name: string;
  top: number;
  left: number;
  width: number;
}

const python = allPythons().find((p) => p.minor >= 8);
const skip = noBrowser('the browser tests of `profile --html`') || (!python && (console.error('\n*** SKIPPED: the browser tests of `profile --html` — no Python 3.8+ found. ***\n'), true));
const screenshots = process.env.UPDATE_SCREENSHOTS === '1' ? join(repoRoot, 'docs', 'images') : null;

let dir: string;
let cache: string;
let browser: Browser;
const env = (): NodeJS.ProcessEnv => ({ LAMBDA_COLD_CACHE_DIR: cache, GITHUB_ACTIONS: '' });

async function profile(args: string[], code: number, cwd?: string): Promise<string> {
  const r = await runCli(['profile', ...args, '--python', python!.executable], { env: env(), cwd });
  expect(r.stderr).not.toMatch(NODE_STACK);
  expect(r.code, r.stderr).toBe(code);
  return r.stdout;
}

async function bars(p: OpenedPage): Promise<BarBox[]> {
  return p.page.$$eval('#icicle .bar', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { name: e.textContent ?? '', top: Math.round(r.top), left: r.left, width: r.width };
    }),
  );
}

const bar = (p: OpenedPage, name: string) => p.page.locator('#icicle .bar').getByText(name, { exact: true });
const rgb = (css: string): number[] => (/rgba?\((\d+), (\d+), (\d+)/.exec(css) ?? []).slice(1).map(Number);

beforeAll(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'lambda-cold-browser-'));
  cache = testCacheDir();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (cache) rmSync(cache, { recursive: true, force: true });
});

describe.skipIf(skip)('profile --html in Chromium', () => {
  let doc: ProfileDoc;
  let p: OpenedPage;
  const mod = (name: string) => doc.modules.find((m) => m.name === name)!;

  beforeAll(async () => {
    const html = join(dir, 'ranked.html');
    // run from the fixture's folder: the page's title names handler.py, not this machine's path
    doc = JSON.parse(await profile(['handler.py', '--runs', '2', '--json', '--html', html], 0, join(fixtures, 'ranked'))) as ProfileDoc;
    p = await browser.open(html);
  });

  it('opens from file:// with no console error, page error or request', async () => {
    await p.page.locator('#icicle .bar').first().waitFor();
    expect(p.errors).toEqual([]);
    expect(p.requests).toEqual([]);
  });

  it("shows the handler's imports widest first, in proportion to their times", async () => {
    const all = await bars(p);
    const handler = all.find((b) => b.name === 'handler')!;
    expect(handler).toBeDefined();
    const level1 = all.filter((b) => b.top > handler.top && b.top === all.find((x) => x.top > handler.top)!.top);
    const widest = [...level1].sort((a, b) => b.width - a.width).slice(0, 3);
    expect(widest.map((b) => b.name)).toEqual(['heavypkg', 'mid', 'light']);
    const heavy = widest[0]!;
    for (const b of widest) {
      expect(b.width / heavy.width).toBeCloseTo(mod(b.name).cumulativeUs / mod('heavypkg').cumulativeUs, 2);
    }
  });

  it("hovering a bar shows the module's self and cumulative time and share, as the JSON document reports them", async () => {
    await bar(p, 'mid').hover();
    const tip = p.page.locator('#tip');
    expect(await tip.isVisible()).toBe(true);
    const text = (await tip.textContent()) ?? '';
    const [name, times, share] = text.split('\n');
    expect(name).toBe('mid');
    const m = /^self ([\d.]+) ms · cumulative ([\d.]+) ms$/.exec(times ?? '');
    expect(m, text).not.toBeNull();
    expectShown(Number(m![1]), mod('mid').selfUs / 1000, 1);
    expectShown(Number(m![2]), mod('mid').cumulativeUs / 1000, 1);
    const pct = /^([\d.]+)% of the imports · your code$/.exec(share ?? '');
    expect(pct, text).not.toBeNull();
    expectShown(Number(pct![1]), (100 * mod('mid').cumulativeUs) / doc.summary.importUs.median, 1);
  });

  it('a click zooms: the bar spans the width, the breadcrumb names it and leads back', async () => {
    const before = (await bars(p)).find((b) => b.name === 'heavypkg')!;
    const full = await p.page.locator('#icicle').evaluate((e) => e.getBoundingClientRect().width);
    await bar(p, 'heavypkg').click();
    const zoomed = (await bars(p)).find((b) => b.name === 'heavypkg')!;
    expect(zoomed.width).toBeGreaterThan(full - 3);
    expect(zoomed.width).toBeGreaterThan(before.width * 1.2);
    expect(await p.page.locator('#crumbs').textContent()).toBe('all imports › handler › heavypkg');
    // its children fill it in proportion too
    const core = (await bars(p)).find((b) => b.name === 'heavypkg.core')!;
    expect(core.width / zoomed.width).toBeCloseTo(mod('heavypkg.core').cumulativeUs / mod('heavypkg').cumulativeUs, 2);
    await p.page.locator('#crumbs span', { hasText: 'all imports' }).click();
    expect(await p.page.locator('#crumbs').textContent()).toBe('all imports');
    expect((await bars(p)).find((b) => b.name === 'heavypkg')!.width).toBeCloseTo(before.width, 0);
  });

  it('a screenshot of the page is not blank', async () => {
    await bar(p, 'heavypkg.core').hover();
    const png = await p.screenshot([join(dir, 'profile-html.png'), ...(screenshots ? [join(screenshots, 'profile-html.png')] : [])]);
    const { width, height, colours } = distinctColours(png);
    expect(width).toBeGreaterThan(500);
    expect(height).toBeGreaterThan(300);
    expect(colours).toBeGreaterThan(50);
    expect(p.errors).toEqual([]);
  });
});

describe.skipIf(skip)('profile --html --baseline in Chromium: the differential icicle', () => {
  let p: OpenedPage;

  beforeAll(async () => {
    const base = join(dir, 'gate-base');
    const head = join(dir, 'gate-head');
    cpSync(join(fixtures, 'gate', 'base'), base, { recursive: true });
    cpSync(join(fixtures, 'gate', 'base'), head, { recursive: true });
    for (const v of ['plus150', 'newdep']) cpSync(join(fixtures, 'gate', 'variants', v), head, { recursive: true });
    // the new package takes long enough to be drawn (the icicle leaves out bars under 0.15% of its width)
    writeFileSync(join(head, 'extras', 'plugins.py'), 'import time\n\ntime.sleep(0.02)\nSUFFIX = ""\n');
    // relative paths: the page names the handler and the baseline as a user's CI step would
    await profile([join('gate-base', 'handler.py'), '--runs', '5', '--save-baseline', 'baseline.json'], 0, dir);
    const html = join(dir, 'gate.html');
    // extras is a new module: the gate fails whatever the timings
    await profile([join('gate-head', 'handler.py'), '--runs', '5', '--baseline', 'baseline.json', '--no-confirm', '--html', html], 1, dir);
    p = await browser.open(html);
  });

  it('opens without an error; the verdict is on top', async () => {
    expect(p.errors).toEqual([]);
    expect(p.requests).toEqual([]);
    const verdict = p.page.locator('#verdict');
    expect(await verdict.getAttribute('class')).toBe('fail');
    expect(await verdict.locator(':scope > b').textContent()).toMatch(/^Gate failed: \d+ failures?$/);
    expect(await verdict.locator('li').allTextContents()).toContainEqual(expect.stringContaining('extras'));
  });

  it('a slower module is coloured as slower, an unchanged one far less, the new one is hatched', async () => {
    const colour = (name: string) => computedStyle(bar(p, name), 'backgroundColor');
    const [r, g, b] = rgb(await colour('app.config'));
    expect(r!).toBeGreaterThan(b! + 60); // towards the "slower" end
    expect(r! - g!).toBeGreaterThan(60);
    // app.schema did not change (its 15 ms sleep is the same on both sides): far nearer the middle of the scale
    const [r2, , b2] = rgb(await colour('app.schema'));
    expect(r! - b!).toBeGreaterThan(r2! - b2! + 60);
    const extras = bar(p, 'extras');
    expect(await extras.getAttribute('class')).toMatch(/\bnew\b/);
    expect(await computedStyle(extras, 'backgroundImage')).toContain('repeating-linear-gradient');
    // hovering gives the base's figures and the change
    await bar(p, 'extras').hover();
    expect(await p.page.locator('#tip').textContent()).toMatch(/\nnew: not imported in baseline /);
    await bar(p, 'app.config').hover();
    const tip = (await p.page.locator('#tip').textContent()) ?? '';
    expect(tip).toMatch(/\nbaseline .*baseline\.json: self [\d.]+ ms · cumulative [\d.]+ ms\nchange in self time: \+[\d.]+ ms \(\+[\d.]+%\)$/);
    const png = await p.screenshot([join(dir, 'profile-html-diff.png'), ...(screenshots ? [join(screenshots, 'profile-html-diff.png')] : [])], { fullPage: false });
    expect(distinctColours(png).colours).toBeGreaterThan(50);
  });

  it('the toggle switches back to the owner colours', async () => {
    await p.page.locator('#by-change').uncheck();
    const own = await computedStyle(p.page.locator('.legend span.u').first(), 'backgroundColor');
    expect(await computedStyle(bar(p, 'app.config'), 'backgroundColor')).toBe(own);
    expect(await bar(p, 'extras').getAttribute('class')).not.toMatch(/\bnew\b/);
    await p.page.locator('#by-change').check();
    expect(await bar(p, 'extras').getAttribute('class')).toMatch(/\bnew\b/);
    expect(p.errors).toEqual([]);
  });
});

// the folder UPDATE_SCREENSHOTS writes to exists in the repository; make sure of it for a fresh checkout
if (screenshots) mkdirSync(screenshots, { recursive: true });
