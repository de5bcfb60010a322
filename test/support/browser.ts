// A real headless Chromium for the tests of the HTML reports, driven by playwright-core. No browser is ever
// downloaded: the tests use the system's Chromium (Debian's `chromium` package, which .ci/run installs when
// it is missing) — $CHROMIUM_PATH, else /usr/bin/chromium, else `chromium` on PATH. When none is there,
// `chromium.missing` says why and the browser tests skip themselves, saying so loudly.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium as playwright, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where Chromium is, or why there is none. */
export function findChromium(): { path: string; missing: null } | { path: null; missing: string } {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    return executable(fromEnv) ? { path: fromEnv, missing: null } : { path: null, missing: `CHROMIUM_PATH=${fromEnv} is not an executable file` };
  }
  if (executable('/usr/bin/chromium')) return { path: '/usr/bin/chromium', missing: null };
  const which = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  const onPath = which.status === 0 ? which.stdout.trim() : '';
  if (onPath && executable(onPath)) return { path: onPath, missing: null };
  return {
    path: null,
    missing: 'no Chromium: neither $CHROMIUM_PATH, /usr/bin/chromium nor `chromium` on PATH (install it with `apt-get install chromium`, as .ci/run does)',
  };
}

export const chromium = findChromium();

/**
 * Say loudly, once per test file, that its browser tests are skipped and why; returns whether they must be
 * (for `describe.skipIf(noBrowser('…'))`).
 */
export function noBrowser(what: string): boolean {
  if (chromium.missing === null) return false;
  console.error(`\n*** SKIPPED: ${what} — ${chromium.missing}. ***\n`);
  return true;
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One page opened from a file, and what went wrong while it loaded and ran. */
export interface OpenedPage {
  page: Page;
  url: string;
  /** Console messages of type error, uncaught page errors, failed requests. */
  errors: string[];
  /** Requests for anything but the page itself (a self-contained page makes none). */
  requests: string[];
  /** A PNG of the whole page (or of the viewport only); also written to each of `files` given. */
  screenshot(files?: string[], options?: { fullPage?: boolean }): Promise<Buffer>;
}

export interface Browser {
  /** Open a local file (file://) in a new page of its own viewport size. */
  open(file: string, viewport?: { width: number; height: number }): Promise<OpenedPage>;
  close(): Promise<void>;
}

/** Launch the system's Chromium headless, with a fresh profile folder (removed by close()). */
export async function launchBrowser(): Promise<Browser> {
  if (chromium.path === null) throw new Error(chromium.missing);
  const profile = mkdtempSync(join(tmpdir(), 'lambda-cold-chromium-'));
  let context: BrowserContext;
  try {
    // a persistent context is the way playwright takes a --user-data-dir of the caller's
    context = await playwright.launchPersistentContext(profile, { executablePath: chromium.path, headless: true, args: ARGS, offline: true });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  return {
    async open(file, viewport = { width: 1100, height: 800 }) {
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.setViewportSize(viewport);
      const url = pathToFileURL(file).href;
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`));
      page.on('request', (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      await page.goto(url, { waitUntil: 'load' });
      return {
        page,
        url,
        errors,
        requests,
        async screenshot(files = [], { fullPage = true } = {}) {
          const png = await page.screenshot({ fullPage });
          for (const f of files) writeFileSync(f, png);
          return png;
        },
      };
    },
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}

/** How many distinct colours a PNG holds (a blank or failed render has one or two). */
export function distinctColours(png: Buffer): { width: number; height: number; colours: number } {
  const img = PNG.sync.read(png);
  const seen = new Set<number>();
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) seen.add(((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!) >>> 0);
  return { width: img.width, height: img.height, colours: seen.size };
}

/** A CSS property of an element as the browser computed it ("rgb(214, 96, 77)"). */
export function computedStyle(element: Locator, property: string): Promise<string> {
  return element.evaluate(
    (e, prop) => (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(e)[prop] ?? '',
    property,
  );
}
