// The CI gate end to end: the real CLI on python-fixtures/gate (sleep-based costs), exit codes, baselines,
// --against on a git repository made for the test, configuration files and GitHub Actions output.
// Regressions are +150 ms (no noise hides them); the no-regression cases run unchanged code. No test
// asserts an absolute time.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, fixtures, NODE_STACK, runCli, testCacheDir } from '../support/cli.js';

interface Failure {
  kind: string;
  module: string | null;
  message: string;
}
interface GateDoc {
  gate: { passed: boolean; failures: Failure[] };
  checks: Array<{ kind: string; label: string; passed: boolean }>;
  comparison: null | {
    base: { label: string };
    regression: boolean;
    changes: Array<{ name: string; deltaUs: number }>;
    newModules: string[];
  };
  summary: { runs: number };
}

let work: string;
let cache: string;
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ LAMBDA_COLD_CACHE_DIR: cache, GITHUB_ACTIONS: '', ...extra });
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

/** A copy of the gate fixture, with a variant's files laid over it. */
function tree(name: string, variant?: string): string {
  const dir = join(work, name);
  cpSync(join(fixtures, 'gate', 'base'), dir, { recursive: true });
  if (variant) cpSync(join(fixtures, 'gate', 'variants', variant), dir, { recursive: true });
  return dir;
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' },
  });
}

async function gate(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = await runCli(['profile', ...args, '--python', python], { env: env(opts.env), cwd: opts.cwd });
  expect(r.stderr).not.toMatch(NODE_STACK);
  return r;
}

async function gateJson(args: string[], code: 0 | 1, opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<GateDoc> {
  const r = await gate([...args, '--json'], opts);
  expect(r.code, r.stderr).toBe(code);
  return JSON.parse(r.stdout) as GateDoc;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lambda-cold-gate-test-'));
  cache = testCacheDir();
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

describe('deterministic gates and exit codes', () => {
  let handler: string;
  beforeAll(() => {
    handler = join(tree('plain'), 'handler.py');
  });

  it('exit 0 and "gate": { passed: true } when every gate holds', async () => {
    const doc = await gateJson([handler, '--runs', '2', '--forbid', 'pandas', '--max-modules', '500', '--budget', '60000'], 0);
    expect(doc.gate).toEqual({ passed: true, failures: [] });
    expect(doc.checks.map((c) => [c.kind, c.passed])).toEqual([
      ['forbid', true],
      ['max-modules', true],
      ['budget', true],
    ]);
  });

  it('--forbid: exit 1 with the import chain, globs included', async () => {
    const doc = await gateJson([handler, '--runs', '1', '--forbid', 'csv', '--forbid', 'email.*'], 1);
    expect(doc.gate.passed).toBe(false);
    expect(doc.gate.failures).toEqual([
      { kind: 'forbid', module: 'csv', message: 'forbidden module csv is imported at init: handler → app.db → csv' },
      { kind: 'forbid', module: 'email.parser', message: 'forbidden module email.parser is imported at init: handler → app.db → app.schema → email.parser' },
    ]);
  });

  it('--max-modules, --budget and --budget-package: exit 1, each failure named in the terminal report', async () => {
    const r = await gate([handler, '--runs', '1', '--max-modules', '3', '--budget', '1', '--budget-package', 'app=1', '--budget-package', 'numpy=5']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^Gate {2}FAILED \(3 of 4 checks\)$/m);
    expect(r.stdout).toMatch(/✗ max-modules: the handler imports \d+ modules at init, more than the limit of 3/);
    expect(r.stdout).toMatch(/✗ budget: the handler's import takes [\d.]+ ms \(median of 1 run[s]?\), over the budget of 1 ms/);
    expect(r.stdout).toMatch(/✗ budget-package: app takes [\d.]+ ms to import .* over its budget of 1 ms/);
    expect(r.stdout).toMatch(/budget numpy\s+≤ 5 ms\s+not imported\s+ok/);
    // a second batch was measured before failing the timing gates
    expect(r.stdout).toContain('a second batch of 1 run was measured');
  });

  it('exit 2 for a bad gate flag, one sentence, no stack', async () => {
    const bad = await gate([handler, '--budget-package', 'boto3', '--runs', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^lambda-cold: Invalid value for --budget-package: expected name=ms, as in boto3=150/m);
    const contradiction = await gate([handler, '--json', '--format', 'markdown', '--runs', '1']);
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr).toMatch(/--json and --format markdown contradict each other/);
    const sam = await gate(['--sam', join(work, 'template.yaml'), '--forbid', 'pandas']);
    expect(sam.code).toBe(2);
    expect(sam.stderr).toBe('lambda-cold: The CI gate checks one handler: give its target (or --handler) instead of --sam, one CI step per function.\n');
    const fromFile = await gate(['--from-file', join(fixtures, '..', 'test', 'fixtures', 'importtime', 'py311-boto3.txt'), '--against', 'HEAD']);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(/need runs of the handler, not --from-file captures/);
  });

  it('gates work on --from-file captures too', async () => {
    const capture = join(fixtures, '..', 'test', 'fixtures', 'importtime', 'py311-boto3.txt');
    const r = await runCli(['profile', '--from-file', capture, '--forbid', 'botocore.client', '--json'], { env: env() });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as GateDoc;
    expect(doc.gate.failures[0]?.message).toMatch(/^forbidden module botocore\.client is imported at init: .*botocore\.client$/);
  });
});

describe('baselines', () => {
  let base: string;
  let baseline: string;
  beforeAll(async () => {
    base = tree('b-base');
    baseline = join(work, 'baselines', 'base.json');
    const r = await gate([join(base, 'handler.py'), '--runs', '6', '--save-baseline', baseline]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Baseline saved to ${baseline} (6 runs`);
  });

  it('saves a versioned file with the environment, the raw samples and the module medians', () => {
    const b = JSON.parse(readFileSync(baseline, 'utf8')) as {
      kind: string;
      schemaVersion: number;
      environment: { pythonVersion: string; implementation: string };
      samples: { importUs: number[]; controlUs: number[]; stdlibSelfUs: Record<string, number[]> };
      modules: Array<{ name: string }>;
    };
    expect(b.kind).toBe('lambda-cold-baseline');
    expect(b.schemaVersion).toBe(1);
    expect(b.environment.implementation).toBe('cpython');
    expect(b.samples.importUs).toHaveLength(6);
    expect(b.samples.controlUs).toHaveLength(6);
    expect(b.samples.stdlibSelfUs.csv).toHaveLength(6);
    expect(b.modules.map((m) => m.name)).toEqual(expect.arrayContaining(['handler', 'app.db', 'app.config', 'csv']));
  });

  it('unchanged code passes against its baseline', async () => {
    const doc = await gateJson([join(base, 'handler.py'), '--runs', '6', '--baseline', baseline], 0);
    expect(doc.gate.passed).toBe(true);
    expect(doc.comparison?.regression).toBe(false);
    expect(doc.comparison?.newModules).toEqual([]);
  });

  it('a +150 ms import fails as a regression, attributed to the module that changed', async () => {
    const slow = tree('b-slow', 'plus150');
    const doc = await gateJson([join(slow, 'handler.py'), '--runs', '6', '--baseline', baseline], 1);
    expect(doc.gate.failures.map((f) => [f.kind, f.module])).toEqual([['regression', 'app.config']]);
    expect(doc.gate.failures[0]?.message).toMatch(/^the handler's import got slower than baseline .*base\.json: .* past \+10% and \+5 ms; biggest change: app\.config \+1\d\d\.\d ms self time$/);
    expect(doc.comparison?.changes[0]?.name).toBe('app.config');
  });

  it('new packages and modules fail the deterministic gate', async () => {
    const added = tree('b-new', 'newdep');
    const doc = await gateJson([join(added, 'handler.py'), '--runs', '2', '--baseline', baseline, '--no-confirm'], 1);
    expect(doc.gate.failures.filter((f) => f.kind === 'new-module')).toEqual([
      { kind: 'new-module', module: 'extras', message: 'new package extras at init (2 modules): handler → app.db → extras' },
    ]);
    const allowed = await gateJson([join(added, 'handler.py'), '--runs', '2', '--baseline', baseline, '--allow-new', 'extras', '--no-confirm'], 0);
    expect(allowed.gate.failures).toEqual([]);
  });

  it('refuses a corrupt, foreign or missing baseline with exit 2 before running anything', async () => {
    const corrupt = join(work, 'corrupt.json');
    writeFileSync(corrupt, readFileSync(baseline, 'utf8').slice(0, 100));
    const r = await gate([join(base, 'handler.py'), '--baseline', corrupt]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`lambda-cold: The baseline file ${corrupt} is not valid JSON (corrupt or truncated): save it again with --save-baseline.\n`);
    const f = await gate([join(base, 'handler.py'), '--baseline', join(fixtures, '..', 'package.json')]);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/is not a lambda-cold baseline/);
    const missing = await gate([join(base, 'handler.py'), '--baseline', join(work, 'none.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist: create it with --save-baseline/);
  });

  it('refuses a baseline from another Python unless --allow-env-mismatch', async () => {
    const other = join(work, 'other-python.json');
    const b = JSON.parse(readFileSync(baseline, 'utf8')) as { environment: { pythonVersion: string } };
    const real = b.environment.pythonVersion;
    b.environment.pythonVersion = '3.99.0';
    writeFileSync(other, JSON.stringify(b));
    const r = await gate([join(base, 'handler.py'), '--runs', '2', '--baseline', other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `lambda-cold: The baseline ${other} was measured in another environment (Python version 3.99.0 in the baseline, ${real} here): its timings are not comparable; save a new baseline here, or pass --allow-env-mismatch.`,
    );
    const otherHandler = await gate(['app.config', '--root', base, '--runs', '1', '--baseline', baseline]);
    expect(otherHandler.code).toBe(2);
    expect(otherHandler.stderr).toBe(
      `lambda-cold: The baseline ${baseline} measures the handler handler, not app.config: save a baseline of this handler with --save-baseline.\n`,
    );
    const allowed = await gate([join(base, 'handler.py'), '--runs', '2', '--baseline', other, '--allow-env-mismatch', '--no-confirm']);
    expect(allowed.code, allowed.stderr).not.toBe(2);
    expect(allowed.stderr).toContain(`warning: the baseline was made with Python version 3.99.0, this run with ${real}`);
  });
});

describe('--against <git-ref>', () => {
  let repo: string;
  beforeAll(() => {
    repo = tree('repo');
    git(['init', '--quiet', '--initial-branch=main'], repo);
    git(['add', '-A'], repo);
    git(['commit', '--quiet', '-m', 'base'], repo);
  });
  const worktrees = (): string => git(['worktree', 'list', '--porcelain'], repo);

  it('unchanged working tree: passes, and the temporary worktree is gone afterwards', async () => {
    const doc = await gateJson([join(repo, 'handler.py'), '--runs', '5', '--against', 'main'], 0, { cwd: repo });
    expect(doc.comparison?.base.label).toMatch(/^main \([0-9a-f]{7}\)$/);
    expect(doc.comparison?.regression).toBe(false);
    expect(worktrees().match(/^worktree /gm)).toHaveLength(1);
  });

  it('an uncommitted +150 ms change fails against HEAD; a new package is named', async () => {
    cpSync(join(fixtures, 'gate', 'variants', 'plus150'), repo, { recursive: true });
    cpSync(join(fixtures, 'gate', 'variants', 'newdep'), repo, { recursive: true });
    try {
      const r = await gate([join(repo, 'handler.py'), '--runs', '5', '--against', 'HEAD', '--format', 'markdown'], { cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toMatch(/^### ❌ lambda-cold: gate failed — `handler`$/m);
      expect(r.stdout).toMatch(/^\| regression \| .* \| ❌ fail \|$/m);
      expect(r.stdout).toContain('- **new-module**: new package extras at init (2 modules): handler → app.db → extras');
      expect(r.stdout).toMatch(/^\| `app\.config` \| [\d.]+ \| [\d.]+ \| \+1\d\d\.\d \| {2}\|$/m);
      expect(r.stdout).toContain('**New modules at init:** `extras.plugins`, `extras`');
    } finally {
      git(['checkout', '--', '.'], repo);
      rmSync(join(repo, 'extras'), { recursive: true, force: true });
    }
    expect(worktrees().match(/^worktree /gm)).toHaveLength(1);
  });

  it('Ctrl-C while measuring: exit 130 and the temporary worktree is removed', async () => {
    const child = spawn(process.execPath, [cliPath, 'profile', join(repo, 'handler.py'), '--python', python, '--runs', '50', '--against', 'main'], {
      cwd: repo,
      env: { ...process.env, ...env(), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    // the base checkout exists once git lists it, and its removal is registered before it is made: interrupt then
    for (let i = 0; i < 200 && (worktrees().match(/^worktree /gm) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(worktrees().match(/^worktree /gm)).toHaveLength(2);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(worktrees().match(/^worktree /gm)).toHaveLength(1);
  });

  it('a bad ref, a target outside a repository and a missing git are clear errors (exit 2)', async () => {
    const bad = await gate([join(repo, 'handler.py'), '--against', 'no-such-branch'], { cwd: repo });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^lambda-cold: The git ref no-such-branch does not name a commit in .*\.$/m);
    const outside = tree('not-a-repo');
    const o = await gate([join(outside, 'handler.py'), '--against', 'main'], { cwd: outside, env: { GIT_CEILING_DIRECTORIES: work } });
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/^lambda-cold: .*not-a-repo is not inside a git repository: --against compares against a revision of one\.$/m);
    // git missing: a PATH with nothing on it (node and python are given by absolute path)
    const empty = join(work, 'empty-path');
    mkdirSync(empty, { recursive: true });
    const noGit = await runCli(['profile', join(repo, 'handler.py'), '--python', python, '--against', 'main'], {
      cwd: repo,
      env: { ...env(), PATH: empty },
    });
    expect(noGit.code).toBe(2);
    expect(noGit.stderr).toBe('lambda-cold: git is not installed (or not on PATH): --against needs it to check out the base revision.\n');
  });
});

describe('configuration', () => {
  it('pyproject.toml [tool.lambda-cold] makes the whole CI step `lambda-cold profile`', async () => {
    const dir = tree('cfg-py');
    writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "orders"\n\n[tool.lambda-cold]\ntarget = "handler.py"\nruns = 2\nforbid = ["csv"]\n');
    const doc = await gateJson([], 1, { cwd: dir });
    expect(doc.summary.runs).toBe(2);
    expect(doc.gate.failures.map((f) => f.module)).toEqual(['csv']);
  });

  it('lambda-cold.config.json wins over pyproject.toml, and flags win over both', async () => {
    const dir = tree('cfg-both');
    writeFileSync(join(dir, 'pyproject.toml'), '[tool.lambda-cold]\ntarget = "handler.py"\nforbid = ["csv"]\n');
    writeFileSync(join(dir, 'lambda-cold.config.json'), JSON.stringify({ target: 'handler.py', runs: 1, forbid: ['decimal'] }));
    const r = await gate(['--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as GateDoc).gate.failures.map((f) => f.module)).toEqual(['decimal']);
    expect(r.stderr).toContain('has a [tool.lambda-cold] table too');
    const flags = await gateJson(['--forbid', 'nothing.here', '--runs', '2'], 0, { cwd: dir });
    expect(flags.summary.runs).toBe(2);
    const none = await gateJson(['handler.py', '--no-config', '--runs', '1'], 0, { cwd: dir });
    expect(none.checks).toEqual([]);
  });

  it('a bad configuration is exit 2 with the key named', async () => {
    const dir = tree('cfg-bad');
    writeFileSync(join(dir, 'lambda-cold.config.json'), JSON.stringify({ target: 'handler.py', 'max-modules': -3 }));
    const r = await gate([], { cwd: dir });
    expect(r.code).toBe(2);
    // worded as the flag's own error, the key and the file named instead of the flag
    expect(r.stderr).toMatch(/^lambda-cold: Invalid value for max-modules in .*lambda-cold\.config\.json: expected a whole number from 0 \(got "-3"\)\.$/m);
    const flag = await gate(['handler.py', '--no-config', '--max-modules', '-3'], { cwd: dir });
    expect(flag.stderr).toBe('lambda-cold: Invalid value for --max-modules: expected a whole number from 0 (got "-3").\n');
  });
});

describe('under GitHub Actions', () => {
  it('annotates the import statement and appends the markdown summary to $GITHUB_STEP_SUMMARY', async () => {
    const dir = tree('gha');
    const summary = join(work, 'step-summary.md');
    const r = await gate([join(dir, 'handler.py'), '--runs', '1', '--forbid', 'csv', '--forbid', 'app.schema'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: dir },
    });
    expect(r.code).toBe(1);
    // workflow commands on stderr: stdout is the report alone
    expect(r.stdout).not.toMatch(/^::/m);
    const annotations = r.stderr.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toEqual([
      '::error file=app/db.py,line=1,title=lambda-cold forbid::forbidden module csv is imported at init: handler → app.db → csv',
      '::error file=app/db.py,line=5,title=lambda-cold forbid::forbidden module app.schema is imported at init: handler → app.db → app.schema',
    ]);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^### ❌ lambda-cold: gate failed — `handler`/);
    expect(md).toContain('| forbid csv | not imported | handler → app.db → csv | ❌ fail |');
  });

  it('--format markdown writes the document alone on stdout; an unwritable step summary is a warning and the result stands', async () => {
    const dir = tree('gha-md');
    const r = await gate([join(dir, 'handler.py'), '--runs', '1', '--forbid', 'csv', '--format', 'markdown'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'no-such-folder', 'summary.md'), GITHUB_WORKSPACE: dir },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^### ❌ lambda-cold: gate failed — `handler`/);
    expect(r.stdout).not.toMatch(/^::/m);
    expect(r.stderr).toMatch(/^::error file=app\/db\.py,line=1,/m);
    expect(r.stderr).toMatch(/^warning: could not write the step summary to .*summary\.md \(ENOENT\): the gate's result and exit code stand$/m);
  });
});
