// action.yml's steps run the way GitHub's runner runs a composite action, as far as that is possible
// outside GitHub: each `run:` script under `bash --noprofile --norc -eo pipefail` (the runner's `shell: bash`),
// its `env:` and `working-directory:` with the `${{ inputs.* }}` expressions filled in from the inputs
// given (or the action's defaults), GITHUB_ACTIONS=true, a step-summary file, GITHUB_ACTION_PATH pointing
// at this checkout (already built: the install step's "already built" branch) or, once, at a fresh clone
// of it (not built: the install step runs npm ci, which builds, as on a runner), on a git
// repository laid out as docs/ci-gate.md's workflow expects: handler and app code tracked, a clone whose
// `origin/main` is the base, a pull-request branch checked out.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, NODE_STACK, repoRoot, testCacheDir } from '../support/cli.js';

interface Step {
  name: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface ActionMetadata {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}
const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionMetadata;

/** `${{ inputs.name }}` filled in; any other expression is one this harness cannot evaluate: fail loudly. */
function expand(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const name = /^inputs\.([\w-]+)$/.exec(expr)?.[1];
    const input = name === undefined ? undefined : action.inputs[name];
    if (name === undefined || input === undefined) throw new Error(`action.yml uses an expression the test cannot evaluate: ${expr}`);
    return inputs[name] ?? input.default ?? '';
  });
}

interface StepsResult {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
}

let work: string;
let cache: string;

/** Run every step in order, as the runner would, stopping at the first that fails. */
function runAction(inputs: Record<string, string>, workspace: string, githubEnv: Record<string, string>, actionPath = repoRoot): StepsResult {
  const summaryFile = join(work, `summary-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(summaryFile, '');
  let stdout = '';
  let stderr = '';
  for (const [i, step] of action.runs.steps.entries()) {
    if (step.run === undefined) throw new Error(`step ${step.name}: only run steps can be exercised here`);
    expect(step.shell).toBe('bash');
    const script = join(work, `step-${i}.sh`);
    writeFileSync(script, expand(step.run, inputs));
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), inputs)]));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: resolve(workspace, expand(step['working-directory'] ?? '.', inputs)),
      encoding: 'utf8',
      env: {
        ...process.env,
        NO_COLOR: '1',
        LAMBDA_COLD_CACHE_DIR: cache,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_ACTION_PATH: actionPath,
        GITHUB_STEP_SUMMARY: summaryFile,
        ...githubEnv,
        ...stepEnv,
      },
      timeout: 300_000,
    });
    stdout += r.stdout;
    stderr += r.stderr;
    if (r.status !== 0) return { code: r.status ?? -1, stdout, stderr, summary: readFileSync(summaryFile, 'utf8') };
  }
  return { code: 0, stdout, stderr, summary: readFileSync(summaryFile, 'utf8') };
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' },
  });
}

describe('action.yml, its steps run as under GitHub Actions', () => {
  let upstream: string;
  let checkout: string;
  const pullRequest = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_BASE_REF: 'main' };

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'lambda-cold-action-test-'));
    cache = testCacheDir();
    // the upstream repository: the gate fixture's handler under src/, committed on main
    upstream = join(work, 'upstream');
    cpSync(join(fixtures, 'gate', 'base'), join(upstream, 'src'), { recursive: true });
    writeFileSync(join(upstream, '.gitignore'), '__pycache__/\n');
    git(['init', '-q', '-b', 'main'], upstream);
    git(['add', '-A'], upstream);
    git(['commit', '-qm', 'base'], upstream);
    // actions/checkout with fetch-depth: 0: a clone, origin/main there
    checkout = join(work, 'checkout');
    git(['clone', '-q', upstream, checkout], work);
  }, 60_000);
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it('a pull request that imports a forbidden package fails: exit 1, an annotation on the import line, the summary written', () => {
    git(['checkout', '-q', '-b', 'adds-extras', 'origin/main'], checkout);
    cpSync(join(fixtures, 'gate', 'variants', 'newdep'), join(checkout, 'src'), { recursive: true });
    git(['add', '-A'], checkout);
    git(['commit', '-qm', 'extras'], checkout);
    const importLine = readFileSync(join(checkout, 'src', 'app', 'db.py'), 'utf8').split('\n').indexOf('import extras') + 1;
    expect(importLine).toBeGreaterThan(0);

    // two runs a side: the timing gates cannot reach p < 0.01 on so few, only the deterministic ones decide
    const r = runAction({ target: 'src/handler.py', root: 'src', forbid: 'pandas, extras', 'budget-packages': 'app=60000', runs: '2' }, checkout, pullRequest);
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/already built/);
    // the inputs became flags; against defaulted to the pull request's base branch
    expect(r.stdout).toContain('lambda-cold profile src/handler.py --root src --against origin/main --budget-package app=60000 --forbid pandas --forbid extras --runs 2');
    const annotations = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.startsWith('::error '));
    expect(annotations.length).toBeGreaterThan(0);
    expect(annotations.every((a) => a.startsWith(`::error file=src/app/db.py,line=${importLine},`)), annotations.join('\n')).toBe(true);
    expect(annotations.join('\n')).toMatch(/forbidden module extras/);
    expect(r.summary).toMatch(/lambda-cold: gate failed/);
    expect(r.summary).toMatch(/forbid extras/);
  }, 300_000);

  it('an unchanged pull request passes, and the summary says so', () => {
    git(['checkout', '-q', '-b', 'unchanged', 'origin/main'], checkout);
    writeFileSync(join(checkout, 'NOTES.md'), 'docs only\n');
    git(['add', '-A'], checkout);
    git(['commit', '-qm', 'notes'], checkout);
    const r = runAction({ target: 'src/handler.py', root: 'src', forbid: 'pandas\nextras', runs: '2' }, checkout, pullRequest);
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/^::error /m);
    expect(r.summary).toMatch(/lambda-cold: gate passed/);
  }, 300_000);

  it("on a runner the action's checkout is not built: the install step builds it (npm ci), then the gate runs", () => {
    const fresh = join(work, 'action-checkout');
    git(['clone', '-q', '--no-hardlinks', repoRoot, fresh], work);
    expect(existsSync(join(fresh, 'dist'))).toBe(false);
    git(['checkout', '-q', 'unchanged'], checkout);
    const r = runAction({ target: 'src/handler.py', root: 'src', against: 'none', forbid: 'pandas', runs: '1' }, checkout, pullRequest, fresh);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(existsSync(join(fresh, 'dist', 'cli.js'))).toBe(true);
    expect(r.summary).toMatch(/lambda-cold: gate passed/);
  }, 300_000);

  it('on a push (no base branch) it runs the gate without a comparison; against: none turns it off on a pull request', () => {
    git(['checkout', '-q', 'unchanged'], checkout);
    const push = runAction({ target: 'src/handler.py', root: 'src', forbid: 'pandas', runs: '2' }, checkout, { GITHUB_EVENT_NAME: 'push', GITHUB_BASE_REF: '' });
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toContain('lambda-cold profile src/handler.py --root src --forbid pandas --runs 2\n');
    const none = runAction({ target: 'handler.py', 'working-directory': 'src', against: 'none', 'max-modules': '1' }, checkout, pullRequest);
    expect(none.code, none.stderr).toBe(1);
    expect(none.stdout).toContain('lambda-cold profile handler.py --max-modules 1\n');
    expect(none.summary).toMatch(/max-modules|modules/);
  }, 300_000);
});
