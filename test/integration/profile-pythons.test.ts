// `profile --python A --python B`: the real CLI on Python 3.11 and 3.13 with python-fixtures/pythons, whose
// handler imports a standard-library module that 3.13 removed and a task-root module only 3.13 imports.
// Structure and caches only, never absolute times (few runs: no verdict is asserted).
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, NODE_STACK, runCli, testCacheDir, type CliResult } from '../support/cli.js';
import { requirePython, type FoundPython } from '../support/python.js';

interface Row {
  version: string;
  medianUs: number | null;
  vsBaseline: { verdict: string; p: number } | null;
}
interface PythonsDoc {
  schemaVersion: number;
  kind: string;
  runs: number;
  note: string;
  interpreters: Array<{
    version: string;
    executable: string;
    baseline: boolean;
    runtime: { id: string; status: string };
    bytecodeCache: string;
    init: { n: number; medianUs: number; p90Us: number };
    vsBaseline: { verdict: string } | null;
  }>;
  packages: Array<{ name: string; origin: string; perInterpreter: Row[] }>;
  packagesOnly: Array<{ version: string; names: string[] }>;
  modules: Array<{ version: string; only: string[]; missing: string[] }>;
}

const handler = join(fixtures, 'pythons', 'handler.py');
let cache: string;
let py11: FoundPython;
let py13: FoundPython;
let json: CliResult;
let doc: PythonsDoc;
const env = (): NodeJS.ProcessEnv => ({ LAMBDA_COLD_CACHE_DIR: cache });

/** Every file name under a folder. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

beforeAll(async () => {
  py11 = requirePython(11, 'profile --python A --python B');
  py13 = requirePython(13, 'profile --python A --python B');
  cache = testCacheDir();
  json = await runCli(['profile', handler, '--python', py11.executable, '--python', py13.executable, '--runs', '3', '--json'], { env: env() });
}, 120_000);

afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe('profile --python A --python B', () => {
  it('measures the handler on each, the first as the baseline, each mapped to its Lambda runtime', () => {
    expect(json.code, json.stderr).toBe(0);
    doc = JSON.parse(json.stdout) as PythonsDoc;
    expect(doc.schemaVersion).toBe(1);
    expect(doc.kind).toBe('profile-pythons');
    expect(doc.interpreters.map((i) => [i.version, i.baseline, i.runtime.id, i.init.n])).toEqual([
      [py11.version, true, 'python3.11', 3],
      [py13.version, false, 'python3.13', 3],
    ]);
    expect(doc.interpreters[0]?.vsBaseline).toBeNull();
    expect(doc.interpreters[1]?.vsBaseline?.verdict).toMatch(/^(faster|slower|within-noise)$/);
    expect(doc.note).toContain(`Python ${py13.version} → python3.13`);
  });

  it('names what each imports that the other does not: a module 3.13 removed, a module only 3.13 imports', () => {
    const row = (name: string) => doc.packages.find((p) => p.name === name)?.perInterpreter.map((x) => x.medianUs !== null);
    expect(row('common')).toEqual([true, true]);
    expect(row('imghdr')).toEqual([true, false]);
    expect(row('newer')).toEqual([false, true]);
    expect(doc.packages.find((p) => p.name === 'imghdr')?.origin).toBe('stdlib');
    expect(doc.packagesOnly).toEqual([
      { interpreter: 0, version: py11.version, names: ['imghdr'] },
      { interpreter: 1, version: py13.version, names: ['newer'] },
    ]);
    expect(doc.modules).toEqual([{ interpreter: 1, version: py13.version, only: ['newer'], missing: ['imghdr'] }]);
  });

  it('gave each interpreter its own bytecode cache, holding its own version of the handler', () => {
    const [a, b] = doc.interpreters.map((i) => i.bytecodeCache);
    expect(a).not.toBe(b);
    for (const dir of [a, b]) expect(dir?.startsWith(cache)).toBe(true);
    const inA = filesUnder(a as string).filter((f) => f.endsWith('.pyc'));
    const inB = filesUnder(b as string).filter((f) => f.endsWith('.pyc'));
    expect(inA.some((f) => f.endsWith('common.cpython-311.pyc'))).toBe(true);
    expect(inB.some((f) => f.endsWith('common.cpython-313.pyc'))).toBe(true);
    expect(inA.some((f) => f.includes('cpython-313'))).toBe(false);
    expect(inB.some((f) => f.includes('cpython-311'))).toBe(false);
  });

  it('the text report says which runtime each stands in for, and that 3 runs can show no difference', async () => {
    const r = await runCli(['profile', handler, '--python', py11.executable, '--python', py13.executable, '--runs', '3'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`The local interpreters stand in for the Lambda runtimes of the same minor version: Python ${py11.version} → python3.11, Python ${py13.version} → python3.13.`);
    expect(r.stdout).toContain('With 3 runs each no difference can reach p < 0.01');
    expect(r.stdout).toContain(`Python ${py13.version} does not import 1 module that Python ${py11.version} does: imghdr.`);
  });

  it('refuses two paths to the same interpreter, and options that measure one interpreter, in one sentence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-cold-pythons-'));
    try {
      const link = join(dir, 'python');
      symlinkSync(py11.executable, link);
      const same = await runCli(['profile', handler, '--python', py11.executable, '--python', link, '--runs', '1'], { env: env() });
      expect(same.code).toBe(2);
      expect(same.stderr).toMatch(/^lambda-cold: --python \S+ and --python \S+ are the same interpreter \(.+\): give different ones\.$/m);
      expect(same.stderr).not.toMatch(NODE_STACK);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const against = await runCli(['profile', handler, '--python', py11.executable, '--python', py13.executable, '--against', 'main'], { env: env() });
    expect(against.code).toBe(2);
    expect(against.stderr.trim()).toBe('lambda-cold: --against compares two revisions on one interpreter: run it with one --python, not several.');
    const html = await runCli(['profile', handler, '--python', py11.executable, '--python', py13.executable, '--format', 'markdown'], { env: env() });
    expect(html.code).toBe(2);
    expect(html.stderr.trim()).toBe('lambda-cold: --format markdown is not available with several --python: give text or json.');
  });

  it('one --python is a profile as before', async () => {
    const r = await runCli(['profile', handler, '--python', py13.executable, '--runs', '1', '--json'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const one = JSON.parse(r.stdout) as { kind: string; python: { version: string } };
    expect(one.kind).toBe('profile');
    expect(one.python.version).toBe(py13.version);
  });
});
