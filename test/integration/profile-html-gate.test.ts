// `profile --html` with the gate, through the real CLI: a baseline of python-fixtures/gate, then head with
// app.config 150 ms slower and a new package (variants plus150 and newdep). The page carries the verdict the
// JSON document of the same run reports, and the differential data: app.config at the slower end by the
// change the gate attributed to it, extras marked new. Exit 1 (a failed gate) and the JSON alone on stdout.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, NODE_STACK, runCli, testCacheDir } from '../support/cli.js';
import { allPythons } from '../support/python.js';

interface PageData {
  nodes: Array<[string, number, number, number, string]>;
  verdict: { passed: boolean; base: string | null; failures: string[]; checks: Array<[string, string, string, boolean]> } | null;
  diff: {
    base: string;
    scaleUs: number;
    colours: { slower: string };
    rows: Array<[number, number, number, string] | null>;
    removed: Array<[string, number, number]>;
  } | null;
}
interface GateDoc {
  gate: { passed: boolean; failures: Array<{ kind: string; message: string }> };
  checks: Array<{ label: string; measured: string; passed: boolean }>;
  comparison: { base: { label: string }; changes: Array<{ name: string; deltaUs: number }>; newModules: string[]; removedModules: string[] };
}

const python = allPythons().find((p) => p.minor >= 8);
let dir: string;
let cache: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lambda-cold-html-gate-'));
  cache = testCacheDir();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

describe('profile --html --baseline', () => {
  it('the page has the verdict and the differential icicle of the run the JSON document reports', async (ctx) => {
    if (!python) {
      console.warn('SKIPPED: no Python 3.8+ found (pyenv root, PYENV_ROOT or python3.X on PATH): --html with a baseline is untested.');
      return ctx.skip();
    }
    const env = { LAMBDA_COLD_CACHE_DIR: cache, GITHUB_ACTIONS: '' };
    cpSync(join(fixtures, 'gate', 'base'), join(dir, 'base'), { recursive: true });
    cpSync(join(fixtures, 'gate', 'base'), join(dir, 'head'), { recursive: true });
    for (const v of ['plus150', 'newdep']) cpSync(join(fixtures, 'gate', 'variants', v), join(dir, 'head'), { recursive: true });
    const baseline = join(dir, 'baseline.json');
    const saved = await runCli(['profile', join(dir, 'base', 'handler.py'), '--python', python.executable, '--runs', '2', '--save-baseline', baseline], { env });
    expect(saved.code, saved.stderr).toBe(0);

    const html = join(dir, 'gate.html');
    const r = await runCli(
      ['profile', join(dir, 'head', 'handler.py'), '--python', python.executable, '--runs', '2', '--baseline', baseline, '--no-confirm', '--html', html, '--json'],
      { env },
    );
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as GateDoc;
    const m = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(readFileSync(html, 'utf8'));
    const d = JSON.parse(m![1]!) as PageData;

    expect(d.verdict).toMatchObject({ passed: false, base: doc.comparison.base.label, failures: doc.gate.failures.map((f) => f.message) });
    expect(d.verdict!.checks.map((c) => [c[0], c[2], c[3]])).toEqual(doc.checks.map((c) => [c.label, c.measured, c.passed]));

    const diff = d.diff!;
    expect(diff.base).toBe(doc.comparison.base.label);
    const rowOf = (name: string) => diff.rows[d.nodes.findIndex((n) => n[0] === name)];
    const config = rowOf('app.config')!;
    const attributed = doc.comparison.changes.find((c) => c.name === 'app.config')!;
    expect(Math.abs(config[2] - attributed.deltaUs)).toBeLessThanOrEqual(1); // µs rounding of the medians
    expect(config[2]).toBe(diff.scaleUs); // the biggest change: the scale's end
    expect(config[3]).toBe(diff.colours.slower);
    expect(doc.comparison.newModules).toContain('extras');
    expect(rowOf('extras')).toBeNull();
    expect(rowOf('extras.plugins')).toBeNull();
    expect(diff.removed.map((x) => x[0])).toEqual(doc.comparison.removedModules);
  });
});
