// `profile --html <file>` through the real CLI: the page is written besides the normal output (stdout keeps
// the document alone) and carries the same profile, from a capture and from runs of a real Python (owners
// told apart, the phase split with --invoke); a path that cannot be written is one sentence and exit 2.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, importtimeFixtures, NODE_STACK, runCli, testCacheDir } from '../support/cli.js';
import { allPythons } from '../support/python.js';

interface PageData {
  totalUs: number;
  nodes: Array<[string, number, number, number, string]>;
  packages: Array<{ name: string }>;
  phases: Array<[string, number]> | null;
}
interface ProfileDoc {
  kind: string;
  summary: { moduleCount: number; importUs: { median: number } };
  packages: Array<{ name: string }>;
  phases?: { startupMs: number; initMs: number; firstInvokeMs: number; warmInvokeMs: number | null };
}

let dir: string;
let cache: string;
const env = (): NodeJS.ProcessEnv => ({ LAMBDA_COLD_CACHE_DIR: cache });

/** The page's data, read as a browser reads it: the JSON <script> element's text, up to its end tag. */
function pageData(file: string): PageData {
  const html = readFileSync(file, 'utf8');
  const m = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as PageData;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lambda-cold-html-'));
  cache = testCacheDir();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

describe('profile --from-file with --html', () => {
  it('writes the page and keeps the JSON document alone on stdout; the page has the same profile', async () => {
    const html = join(dir, 'boto3.html');
    const r = await runCli(['profile', '--from-file', join(importtimeFixtures, 'py311-boto3.txt'), '--html', html, '--json'], { env: env() });
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ProfileDoc;
    expect(doc.kind).toBe('profile');
    expect(r.stderr).toContain(`Wrote ${html}`);
    const d = pageData(html);
    expect(d.nodes).toHaveLength(doc.summary.moduleCount);
    expect(d.nodes.map((n) => n[0])).toContain('boto3');
    expect(d.totalUs).toBe(doc.summary.importUs.median);
    expect(d.packages.map((p) => p.name)).toEqual(doc.packages.map((p) => p.name));
  });

  it('a folder as the file: one sentence, exit 2, nothing on stdout', async () => {
    const r = await runCli(['profile', '--from-file', join(importtimeFixtures, 'py312-email-http.txt'), '--html', dir, '--json'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lambda-cold: --html .* is a folder: give the path of the file to write\.$/m);
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.stdout).toBe('');
  });

  it('refuses --sam: a template has several import trees', async () => {
    const r = await runCli(['profile', '--sam', join(fixtures, 'sam', 'template.yaml'), '--html', join(dir, 'sam.html')], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--html export one import tree/);
    expect(existsSync(join(dir, 'sam.html'))).toBe(false);
  });
});

describe('profile of a real handler with --html', () => {
  const python = allPythons().find((p) => p.minor >= 8);
  const skipped = (ctx: { skip: () => void }): boolean => {
    if (python) return false;
    console.warn('SKIPPED: no Python 3.8+ found (pyenv root, PYENV_ROOT or python3.X on PATH): --html on a run is untested.');
    ctx.skip();
    return true;
  };

  it("tells the user's own modules from a third-party distribution's", async (ctx) => {
    if (skipped(ctx)) return;
    const html = join(dir, 'owners.html');
    const handler = join(fixtures, 'package', 'shadowing', 'fn', 'handler.py');
    const r = await runCli(['profile', handler, '--python', python!.executable, '--runs', '1', '--html', html], { env: env() });
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.code, r.stderr).toBe(0);
    const owner = new Map(pageData(html).nodes.map((n) => [n[0], n[4]]));
    expect(owner.get('handler')).toBe('u');
    expect(owner.get('shared')).toBe('u');
    // six-1.16.0.dist-info/RECORD names six.py
    expect(owner.get('six')).toBe('t');
  });

  it('with --invoke, shows the phase split the JSON document reports', async (ctx) => {
    if (skipped(ctx)) return;
    const html = join(dir, 'phases.html');
    const handler = join(fixtures, 'phases', 'handler.py');
    const r = await runCli(['profile', handler, '--python', python!.executable, '--runs', '1', '--invoke', '--warm', '1', '--html', html, '--json'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ProfileDoc;
    const phases = Object.fromEntries(pageData(html).phases ?? []);
    expect(phases['init (imports)']).toBe(doc.phases!.initMs);
    expect(phases['first invoke']).toBe(doc.phases!.firstInvokeMs);
    expect(phases['warm invoke']).toBe(doc.phases!.warmInvokeMs);
    expect(phases['start-up']).toBe(doc.phases!.startupMs);
  });
});
