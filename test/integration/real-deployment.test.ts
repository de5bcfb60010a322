// profile on a real deployment: boto3 and its dependencies installed into the task root as `pip install -t`
// leaves them (with their *.dist-info), a handler with a module-level client. Advice points only at the
// user's own files; every module has an owner; the same packages given as a layer give the same advice.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Advice } from '../../src/analysis/advice/types.js';
import type { Owner } from '../../src/python/distributions.js';
import { NODE_STACK, runCli, testCacheDir } from '../support/cli.js';
import { pythonOf } from '../support/python.js';
import { installInto, missingDistributions } from '../support/taskroot.js';

const DISTRIBUTIONS = ['boto3', 'botocore', 's3transfer', 'urllib3', 'python-dateutil', 'jmespath', 'six'];
const HANDLER = [
  'import os',
  'import boto3',
  '',
  "TABLE = os.environ.get('TABLE', 'orders')",
  "s3 = boto3.client('s3', region_name='us-east-1')",
  '',
  '',
  'def lambda_handler(event, context):',
  "    return {'table': TABLE, 'client': type(s3).__name__}",
  '',
].join('\n');

interface Doc {
  summary: { startupModuleCount: number; startupPreloaded: { requested: string[]; modules: string[]; us: number } | null };
  modules: Array<{ name: string; phase: string; owner: Owner | null; origin: string | null }>;
  packages: Array<{ name: string; owner: Owner }>;
  advice: Advice[];
  warnings: string[];
  missingModules: string[];
}

const python = pythonOf(11);
const missing = python ? missingDistributions(python.executable, DISTRIBUTIONS) : DISTRIBUTIONS;
if (!python || missing.length > 0) {
  console.warn(
    `SKIPPED real-deployment tests: ${python ? `Python ${python.version} lacks ${missing.join(', ')}` : 'no Python 3.11 found'} — they need boto3 and its dependencies installed for Python 3.11.`,
  );
}

describe.skipIf(!python || missing.length > 0)('profile: boto3 installed into the task root (pip install -t)', () => {
  const py = python?.executable ?? 'python3';
  let work: string;
  let cache: string;
  let inRoot: Doc;
  let asLayer: Doc;

  async function profile(args: string[]): Promise<Doc> {
    // --init-target far above any init: the provisioned-concurrency note depends on how fast the machine was
    const r = await runCli(['profile', ...args, '--python', py, '--runs', '2', '--init-target', '100000', '--json'], { env: { LAMBDA_COLD_CACHE_DIR: cache } });
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Doc;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'lc-real-'));
    cache = testCacheDir();
    const root = join(work, 'task');
    mkdirSync(root);
    installInto(py, DISTRIBUTIONS, root);
    writeFileSync(join(root, 'handler.py'), HANDLER);
    const fn = join(work, 'fn');
    const layer = join(work, 'layer');
    mkdirSync(fn);
    writeFileSync(join(fn, 'handler.py'), HANDLER);
    installInto(py, DISTRIBUTIONS, join(layer, 'python'));
    inRoot = await profile([join(root, 'handler.py')]);
    asLayer = await profile([join(fn, 'handler.py'), '--layer', layer]);
  }, 240_000);
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it('locates no advice in the libraries pip put into the task root', () => {
    expect(inRoot.advice.length).toBeGreaterThan(0);
    expect(inRoot.advice.map((a) => a.file)).toEqual(inRoot.advice.map(() => 'handler.py'));
  });

  it("says the module-level client is right, once, with the handler module's own cost", () => {
    const clients = inRoot.advice.filter((a) => a.kind === 'module-client');
    expect(clients.map((a) => [a.file, a.line, a.module])).toEqual([['handler.py', 5, 'handler']]);
  });

  it('gives every module an owner from the installation records', () => {
    const owner = (name: string) => inRoot.modules.find((m) => m.name === name && m.phase === 'init')?.owner;
    expect(owner('handler')).toEqual({ kind: 'user' });
    expect(owner('botocore.compat')).toMatchObject({ kind: 'third-party', distribution: 'botocore' });
    expect(owner('dateutil.tz')).toMatchObject({ kind: 'third-party', distribution: 'python-dateutil' });
    expect(owner('urllib3')).toMatchObject({ kind: 'third-party', distribution: 'urllib3' });
    expect(owner('datetime')).toEqual({ kind: 'stdlib' });
    const pkg = (name: string) => inRoot.packages.find((p) => p.name === name)?.owner;
    expect(pkg('boto3')).toMatchObject({ kind: 'third-party', distribution: 'boto3' });
    // only what was looked for and never loaded (no origin: not found, or failed) has no owner
    const init = inRoot.modules.filter((m) => m.phase === 'init');
    expect(init.filter((m) => (m.owner === null) !== (m.origin === null)).map((m) => m.name)).toEqual([]);
    expect(init.filter((m) => m.owner === null).map((m) => m.name)).toContain('brotli');
    // and a probe that was never found is no package of the deployment
    expect(inRoot.packages.map((p) => p.name).filter((n) => ['brotli', 'brotlicffi', '_winapi', 'org', 'awscrt', 'winreg', 'msvcrt'].includes(n))).toEqual([]);
  });

  it('says which modules start-up .pth files had loaded for the handler, and --no-pth charges them to it', async () => {
    const pthCertifi = inRoot.summary.startupPreloaded?.modules.includes('certifi') ?? false;
    if (!pthCertifi) {
      console.warn("SKIPPED .pth check: this Python's start-up does not import certifi through a .pth file.");
      return;
    }
    expect(inRoot.summary.startupPreloaded?.requested).toContain('certifi');
    expect(inRoot.warnings.some((w) => /^start-up had already loaded \d+ module\(s\) the handler needs \(.*certifi/.test(w))).toBe(true);
    expect(inRoot.modules.some((m) => m.name === 'certifi' && m.phase === 'init')).toBe(false);
    const bare = await profile([join(work, 'task', 'handler.py'), '--no-pth']);
    expect(bare.summary.startupModuleCount).toBeLessThan(inRoot.summary.startupModuleCount);
    expect(bare.modules.some((m) => m.name === 'certifi' && m.phase === 'init')).toBe(true);
    expect(bare.warnings.some((w) => w.startsWith('start-up had already loaded'))).toBe(false);
  }, 120_000);

  it('gives the same advice when the same packages come from a layer', () => {
    // the same kinds at the same lines; dependency-cost's threshold (10 ms of a distribution's own code) is a
    // measured figure, so a distribution near it may be said in one profile and not the other: compared apart
    const shape = (d: Doc) => d.advice.filter((a) => a.kind !== 'dependency-cost').map((a) => [a.kind, a.file, a.line, a.module]);
    expect(shape(asLayer)).toEqual(shape(inRoot));
    const where = (d: Doc) => [...new Set(d.advice.filter((a) => a.kind === 'dependency-cost').map((a) => `${a.file}:${a.line}`))];
    expect(where(asLayer)).toEqual(where(inRoot));
  });

  it('imports the same modules as a raw `python -X importtime -c "import handler"`, less what the runtime bootstrap loaded', () => {
    // the names of the `top` line of a raw run and of everything nested under it (printed just before it)
    const raw = (code: string, cwd: string, top: string): string[] => {
      const { stderr } = spawnSync(py, ['-X', 'importtime', '-c', code], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
      const rows = stderr
        .split('\n')
        .map((l) => /^import time:\s+\d+ \|\s+\d+ \| ( *)(\S+)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ depth: (m[1] as string).length / 2, name: m[2] as string }));
      let last = rows.length - 1;
      while (last >= 0 && !((rows[last] as { depth: number }).depth === 0 && (rows[last] as { name: string }).name === top)) last--;
      let first = last;
      while (first > 0 && (rows[first - 1] as { depth: number }).depth > 0) first--;
      return rows.slice(first, last + 1).map((r) => r.name);
    };
    // the harness pre-imports what Lambda's bootstrap has loaded (json, logging, time, traceback, warnings)
    const bootstrap = new Set(['json', 'logging', 'time', 'traceback', 'warnings', 'faulthandler'].flatMap((m) => raw(`import ${m}`, work, m)));
    const expected = raw('import handler', join(work, 'task'), 'handler').filter((n) => !bootstrap.has(n));
    const tool = inRoot.modules.filter((m) => m.phase === 'init').map((m) => m.name);
    const count = (names: string[]) => names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
    const differ = (a: Map<string, number>, b: Map<string, number>) => [...a].filter(([n, k]) => (b.get(n) ?? 0) !== k).map(([n]) => n);
    expect({ tool: differ(count(tool), count(expected)), raw: differ(count(expected), count(tool)) }).toEqual({ tool: [], raw: [] });
    expect(tool.length).toBe(expected.length);
    expect(inRoot.warnings.filter((w) => w.includes('did not all import the same modules'))).toEqual([]);
  });
});

const hasScipy = python ? missingDistributions(python.executable, ['numpy', 'scipy']).length === 0 : false;
if (!hasScipy) console.warn('SKIPPED numpy + scipy.stats test: Python 3.11 with numpy and scipy not found.');

describe.skipIf(!hasScipy)('profile: numpy + scipy.stats across runs', () => {
  it('keeps one row per module whatever imported it first, with no module-set warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-scipy-'));
    const cache = testCacheDir();
    try {
      writeFileSync(join(dir, 'handler.py'), 'import numpy\nimport scipy.stats\n\n\ndef lambda_handler(event, context):\n    return float(scipy.stats.norm.cdf(numpy.float64(0)))\n');
      const r = await runCli(['profile', join(dir, 'handler.py'), '--python', python?.executable ?? 'python3', '--runs', '5', '--json'], {
        env: { LAMBDA_COLD_CACHE_DIR: cache },
      });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { modules: Array<{ id: string; name: string; phase: string; runs?: number }>; warnings: string[]; advice: Advice[] };
      const init = doc.modules.filter((m) => m.phase === 'init');
      expect(init.length).toBeGreaterThan(300);
      expect(new Set(init.map((m) => m.id)).size).toBe(init.length);
      expect(init.filter((m) => m.id !== m.name && !/#\d+$/.test(m.id))).toEqual([]);
      expect(doc.warnings.filter((w) => w.includes('did not all import the same modules'))).toEqual([]);
      // the import graph (recorded by the warm-up run): scipy.stats asks for numpy too, so deferring numpy
      // alone saves nothing, and both together save more than scipy.stats alone
      const kinds = doc.advice.map((a) => [a.kind, a.module]);
      expect(kinds).toContainEqual(['defer-together', 'numpy + scipy.stats']);
      expect(kinds).toContainEqual(['defer-import', 'scipy.stats']);
      expect(kinds).not.toContainEqual(['defer-import', 'numpy']);
      const saving = (kind: string) => doc.advice.find((a) => a.kind === kind)?.savingMs ?? 0;
      expect(saving('defer-together')).toBeGreaterThan(saving('defer-import'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  }, 180_000);
});
