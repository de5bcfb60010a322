// Statement attribution through the real CLI on real Pythons (python-fixtures/statements/): the cost of
// app.config sits on line 8 (a call of a function defined elsewhere that sleeps), that of app.patterns on
// the loop of line 7 (re.compile), that of app.clients on line 4 (a real boto3.client('s3'), where the
// Python has boto3). Checked by line and ranking, never by absolute time.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, NODE_STACK, runCli, testCacheDir } from '../support/cli.js';
import { pythonOf, type FoundPython } from '../support/python.js';

interface Statement {
  line: number;
  text: string;
  selfUs: number;
  share: number;
  calls?: { name: string; distribution: string | null; version: string | null };
}
interface Doc {
  modules: Array<{ name: string; phase: string; selfUs: number; statements?: Statement[] }>;
  statementsRun?: { tracer: string; wallMs: number; measuredWallMs: number; overheadRatio: number; modules: number; cachedAt: string | null };
  advice: Array<{ kind: string; file: string; line: number; statement?: { line: number; calls: string | null } }>;
}

const dir = join(fixtures, 'statements');
let cache: string;
const env = (): NodeJS.ProcessEnv => ({ LAMBDA_COLD_CACHE_DIR: cache, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });

beforeAll(() => {
  cache = testCacheDir();
});
afterAll(() => rmSync(cache, { recursive: true, force: true }));

async function profile(python: FoundPython, args: string[]): Promise<{ doc: Doc; stderr: string }> {
  const r = await runCli(['profile', ...args, '--runs', '1', '--json', '--python', python.executable], { env: env() });
  expect(r.stderr).not.toMatch(NODE_STACK);
  expect(r.code, r.stderr).toBe(0);
  return { doc: JSON.parse(r.stdout) as Doc, stderr: r.stderr };
}

const ranked = (doc: Doc, module: string): Statement[] => {
  const m = doc.modules.find((x) => x.name === module && x.phase === 'init');
  expect(m?.statements, `${module} has statements`).toBeDefined();
  return [...(m?.statements ?? [])].sort((a, b) => b.selfUs - a.selfUs);
};

function found(minor: number): FoundPython | null {
  const p = pythonOf(minor);
  // eslint-disable-next-line no-console
  if (!p) console.warn(`SKIPPED: no Python 3.${minor} here (pyenv root, PYENV_ROOT or python3.${minor} on PATH) for the statement attribution test`);
  return p;
}

describe.each([7, 11, 13])('statement attribution on Python 3.%i', (minor) => {
  const python = found(minor);
  it.skipIf(!python)('names the statements that cost each module its time, and the library they called', async () => {
    const { doc } = await profile(python as FoundPython, [join(dir, 'handler.py')]);
    expect(doc.statementsRun?.tracer).toBe(minor >= 12 ? 'sys.monitoring' : 'sys.settrace');
    expect(doc.statementsRun?.overheadRatio).toBeGreaterThan(0);
    const config = ranked(doc, 'app.config');
    expect(config[0]).toMatchObject({ line: 8, text: 'SETTINGS = load_settings()' });
    expect(config[0]?.calls).toBeUndefined(); // load_settings is the user's own function
    expect(config[0]?.share).toBeGreaterThan(0.9);
    const patterns = ranked(doc, 'app.patterns');
    expect(patterns[0]).toMatchObject({ line: 7, text: 'for i in range(250): …', calls: { name: 're.compile', distribution: null } });
    // the statements share the module's measured self time
    const m = doc.modules.find((x) => x.name === 'app.patterns');
    expect(patterns.reduce((t, s) => t + s.selfUs, 0)).toBeGreaterThan((m?.selfUs ?? 0) * 0.99);
    expect(patterns.reduce((t, s) => t + s.selfUs, 0)).toBeLessThan((m?.selfUs ?? 0) * 1.01 + 5);
  });
});

describe('statement attribution of a real boto3 client (Python 3.11)', () => {
  const python = found(11);
  let hasBoto3 = false;
  if (python) {
    try {
      execFileSync(python.executable, ['-c', 'import boto3'], { stdio: 'ignore' });
      hasBoto3 = true;
    } catch {
      // eslint-disable-next-line no-console
      console.warn(`SKIPPED: boto3 is not installed for ${python.executable}: the real-client statement test needs it`);
    }
  }
  it.skipIf(!python || !hasBoto3)('charges the client statement with boto3.client, and module-client keeps its advice with that cost', async () => {
    const { doc } = await profile(python as FoundPython, [join(dir, 'clients_handler.py')]);
    const clients = ranked(doc, 'app.clients');
    expect(clients[0]).toMatchObject({ line: 4, calls: { name: 'boto3.client', distribution: 'boto3' } });
    const advice = doc.advice.find((a) => a.kind === 'module-client');
    expect(advice).toMatchObject({ file: join('app', 'clients.py'), line: 4, statement: { line: 4, calls: expect.stringMatching(/^boto3\.client \(boto3 /) } });
  });
});

describe('--tree --lines and --no-statements', () => {
  const python = found(11);
  it.skipIf(!python)('shows the statements under their module in the tree; --no-statements runs no attribution', async () => {
    const r = await runCli(['profile', join(dir, 'handler.py'), '--runs', '1', '--tree', '--lines', '--python', (python as FoundPython).executable], { env: { ...env(), NO_COLOR: '1' } });
    expect(r.code, r.stderr).toBe(0);
    const tree = r.stdout.slice(r.stdout.indexOf('Import tree'));
    const config = tree.split('\n').findIndex((l) => /[├└]─ app\.config$/.test(l));
    expect(config).toBeGreaterThan(0);
    expect(tree.split('\n')[config + 1]).toMatch(/:8 {2}SETTINGS = load_settings\(\)$/);
    expect(tree).toMatch(/:7 {2}for i in range\(250\): … {2}→ re\.compile \(standard library\)/);
    const { doc } = await profile(python as FoundPython, [join(dir, 'handler.py'), '--no-statements']);
    expect(doc.statementsRun).toBeUndefined();
    expect(doc.modules.some((m) => m.statements)).toBe(false);
  });
});

describe('the attribution run is kept while no loaded file changes', () => {
  const python = found(11);
  it.skipIf(!python)('a second profile scales the kept times instead of tracing again; an edited module is traced again', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'lc-statements-'));
    try {
      cpSync(dir, copy, { recursive: true });
      const first = (await profile(python as FoundPython, [join(copy, 'handler.py')])).doc;
      expect(first.statementsRun?.cachedAt).toBeNull();
      const second = (await profile(python as FoundPython, [join(copy, 'handler.py')])).doc;
      // the earlier run's raw times (its wall time), scaled to this profile's own measured self times
      expect(second.statementsRun?.cachedAt).toEqual(expect.any(String));
      expect(second.statementsRun?.wallMs).toBe(first.statementsRun?.wallMs);
      const self = second.modules.find((m) => m.name === 'app.config' && m.phase === 'init')!;
      const sum = ranked(second, 'app.config').reduce((a, st) => a + st.selfUs, 0);
      expect(Math.abs(sum - self.selfUs)).toBeLessThanOrEqual(self.statements!.length);
      expect(ranked(second, 'app.config')[0]?.line).toBe(8);
      appendFileSync(join(copy, 'app', 'config.py'), '\n# edited\n');
      const third = (await profile(python as FoundPython, [join(copy, 'handler.py')])).doc;
      expect(third.statementsRun?.cachedAt).toBeNull();
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe.each([11, 13])('an attribution run that fails on Python 3.%i', (minor) => {
  const python = found(minor);
  it.skipIf(!python)('costs one warning: the profile stands without statements', async () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'lc-statements-fail-'));
    try {
      // a handler that refuses to be imported under a tracer (sys.settrace before 3.12, sys.monitoring after)
      writeFileSync(
        join(dir2, 'handler.py'),
        [
          'import sys, time',
          'mon = getattr(sys, "monitoring", None)',
          'if sys.gettrace() is not None or (mon and any(mon.get_tool(i) for i in range(6))):',
          '    raise RuntimeError("traced")',
          'time.sleep(0.005)',
          'def lambda_handler(event, context):',
          '    return 1',
          '',
        ].join('\n'),
      );
      const r = await runCli(['profile', join(dir2, 'handler.py'), '--runs', '1', '--json', '--python', (python as FoundPython).executable], { env: env() });
      expect(r.stderr).not.toMatch(NODE_STACK);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`the statement attribution run did not finish \\(\\w+\\) on Python 3\\.${minor}[.\\d]*: statements are not shown; the rest of the profile stands`));
      const doc = JSON.parse(r.stdout) as Doc;
      expect(doc.statementsRun).toBeUndefined();
      expect(doc.modules.find((m) => m.name === 'handler')?.selfUs).toBeGreaterThan(4000);
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  });
});
