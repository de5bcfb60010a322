// `invoke --cold --memory 128,1769 --count 2 --concurrency 2 --html <file> --json` through the CLI against the
// local Lambda emulator with its init-boost model (cpuModel 'init-boost', test/support/lambda-emulator.ts: the
// init at full speed whatever the memory, the invoke phase at min(1, MB / 1769) of a vCPU; deferred.py pays
// FIRST_CALL_MS on an environment's first call). One sweep: the page's data is the JSON document's, and in
// a real browser (headless Chromium, test/support/browser.ts) the page opens without an error or a request,
// draws one bar group per size with its bars in proportion to the figures, marks the recommended and the
// fastest sizes, shows a size's figures on hover, and a screenshot is not blank. An --html path in a folder
// that does not exist is refused before any change. UPDATE_SCREENSHOTS=1 also writes the screenshot to
// docs/images/ (docs/developing.md).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computedStyle, distinctColours, launchBrowser, noBrowser, type Browser, type OpenedPage } from '../support/browser.js';
import { NODE_STACK, repoRoot, runCli } from '../support/cli.js';
import { cliEnv, ensureBuilt, FIXTURES, ROOT, tempDir } from '../support/harness.js';
import { expectShown, pageData } from '../support/html.js';
import { pageRowsOf, type SweepDoc, type SweepPage } from '../support/invoke-memory-page.js';
import { findPython, LambdaEmulator } from '../support/lambda-emulator.js';

/** With a successful cold start at every size, the sweep recommends a size. */
interface Doc extends SweepDoc {
  recommendation: NonNullable<SweepDoc['recommendation']>;
}

const skip = noBrowser('the browser test of `invoke --memory --html`');
const screenshots = process.env.UPDATE_SCREENSHOTS === '1' ? join(repoRoot, 'docs', 'images') : null;
// INIT 300 ms (sleeping): the two cold starts of a size overlap, so each gets its own environment.
const ENV = { INIT_SLEEP_MS: '300', FIRST_CALL_MS: '40' };

let em: LambdaEmulator;
let home: string;
let html: string;
let doc: Doc;
let stderr: string;
let code: number | null;
let browser: Browser | undefined;
let p: OpenedPage;

beforeAll(async () => {
  ensureBuilt();
  home = tempDir('lc-invoke-memory-html-');
  em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 0, updateDelayMs: 100 });
  await em.start();
  em.addFunction({ name: 'sweep', codeDir: FIXTURES, handler: 'deferred.handler', cpuModel: 'init-boost', memorySize: 1024, environment: ENV });
  html = join(home, 'sweep.html');
  const r = await runCli(['invoke', 'sweep', '--cold', '--memory', '128,1769', '--count', '2', '--concurrency', '2', '--html', html, '--json', '--endpoint-url', em.url], {
    env: cliEnv(home),
    replaceEnv: true,
    cwd: ROOT,
  });
  ({ code, stderr } = r);
  doc = JSON.parse(r.stdout) as Doc;
  if (!skip) {
    browser = await launchBrowser();
    p = await browser.open(html);
  }
});

afterAll(async () => {
  await browser?.close();
  await em?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('invoke --cold --memory --html through the CLI', () => {
  it('writes the page besides the JSON document, and restores the function', () => {
    expect(stderr).not.toMatch(NODE_STACK);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`Wrote ${html}`);
    expect(doc.sizes.map((s) => s.memorySizeMB)).toEqual([128, 1769]);
    expect(em.configuration('sweep')).toMatchObject({ MemorySize: 1024, Environment: { Variables: ENV } });
  });

  it("the page's data is the JSON document's: every size's figures, the fastest and recommended sizes, the boost and the reason", () => {
    const d = pageData<SweepPage>(readFileSync(html, 'utf8'));
    expect(d.sizes).toEqual(pageRowsOf(doc));
    // no --warm: no warm figure
    expect(d.sizes.every((s) => s.warm === null)).toBe(true);
    expect(d.sizes.every((s) => s.samples === 2)).toBe(true);
    expect([d.recommended, d.fastest]).toEqual([doc.recommendation.memorySizeMB, doc.recommendation.fastestMemorySizeMB]);
    expect(d.boost).toBe(doc.initBoost.sentence);
    expect(d.recommendation[1]).toBe(doc.recommendation.reason);
  });

  it('an --html path in a folder that does not exist is one sentence and exit 2, before any change', async () => {
    const before = em.updates.length;
    const r = await runCli(['invoke', 'sweep', '--cold', '--memory', '128', '--html', join(home, 'nope', 'x.html'), '--endpoint-url', em.url], { env: cliEnv(home), replaceEnv: true, cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.stderr).toMatch(/--html .*nope.*does not exist/);
    expect(em.updates.length).toBe(before);
    expect(existsSync(join(home, 'nope'))).toBe(false);
  });
});

describe.skipIf(skip)('invoke --memory --html in Chromium', () => {
  it('opens from file:// with no console error, page error or request', async () => {
    await p.page.locator('#chart [data-size]').first().waitFor();
    expect(p.errors).toEqual([]);
    expect(p.requests).toEqual([]);
  });

  it('draws one bar group per size, in the order swept, its bars in proportion to the init and first-call p50s', async () => {
    const groups = await p.page.$$eval('#chart [data-size]', (els) =>
      els.map((g) => {
        const w = (part: string) => Number(g.querySelector(`[data-part=${part}]`)?.getAttribute('width'));
        return { size: Number(g.getAttribute('data-size')), init: w('init'), first: w('first'), whisker: g.querySelectorAll('[data-part=init-p90]').length };
      }),
    );
    expect(groups.map((g) => g.size)).toEqual([128, 1769]);
    const px = groups[0]!.init / doc.sizes[0]!.initDurationMs!.p50;
    groups.forEach((g, i) => {
      const row = doc.sizes[i]!;
      expect(g.whisker).toBe(1);
      // one scale for every bar: pixels per ms alike
      expect(g.init / row.initDurationMs!.p50).toBeCloseTo(px, 3);
      expect(g.first / row.firstCallMs!.p50).toBeCloseTo(px, 3);
    });
    // the model shows: the first call is longer at 128 MB than at 1769 MB
    expect(groups[0]!.first).toBeGreaterThan(groups[1]!.first);
  });

  it('marks the recommended and the fastest size', async () => {
    const rec = p.page.locator('#chart [data-recommended=true]');
    expect(await rec.count()).toBe(1);
    expect(Number(await rec.getAttribute('data-size'))).toBe(doc.recommendation.memorySizeMB);
    expect(await rec.textContent()).toContain('recommended');
    const fastest = p.page.locator('#chart [data-fastest=true]');
    expect(await fastest.count()).toBe(1);
    expect(Number(await fastest.getAttribute('data-size'))).toBe(doc.recommendation.fastestMemorySizeMB);
    expect(await fastest.textContent()).toContain('fastest');
    expect(await p.page.locator('#recommendation').textContent()).toContain(doc.recommendation.reason);
    const rows = await p.page.locator('#rows tr').count();
    expect(rows).toBe(1 + doc.sizes.length);
  });

  it("hovering a size shows that size's figures", async () => {
    const toMs = (m: RegExpExecArray | null): number => (m![2] === 's' ? Number(m![1]) * 1000 : Number(m![1]));
    for (const [i, row] of doc.sizes.entries()) {
      await p.page.locator(`#chart [data-size="${row.memorySizeMB}"] [data-part=first]`).hover();
      const tip = p.page.locator('#tip');
      await expect.poll(() => computedStyle(tip, 'display')).toBe('block');
      await expect.poll(() => tip.textContent()).toContain(`${row.memorySizeMB} MB`);
      const text = (await tip.textContent()) ?? '';
      expect(text, `size ${i}`).toContain(`cold samples ${row.coldSamples}`);
      // the page prints 1 decimal below 1 s, 2 decimals of a second above
      const near = (got: number, want: number) => (want >= 1000 ? expectShown(got / 1000, want / 1000, 2) : expectShown(got, want, 1));
      near(toMs(/init p50 ([\d.]+) (ms|s)/.exec(text)), row.initDurationMs!.p50);
      near(toMs(/first call p50 ([\d.]+) (ms|s)/.exec(text)), row.firstCallMs!.p50);
      near(toMs(/cold total p50 ([\d.]+) (ms|s)/.exec(text)), row.coldTotalMs!.p50);
      expect(text).toContain(`per cold start $${row.costPerColdStartUsd!.toFixed(10)}`);
    }
  });

  it('a screenshot of the chart is not blank', async () => {
    const png = await p.page.locator('#chart').screenshot();
    const shot = distinctColours(png);
    expect(shot.width).toBeGreaterThan(200);
    expect(shot.colours).toBeGreaterThan(10);
    if (screenshots) {
      await p.page.locator('#chart [data-size="1769"] [data-part=init]').hover({ position: { x: 20, y: 8 } });
      const full = await p.screenshot([join(screenshots, 'invoke-memory-html.png')]);
      expect(distinctColours(full).colours).toBeGreaterThan(10);
    }
  });
});
