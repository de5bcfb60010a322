// `lambda-cold profile` end to end: the real CLI on real Python fixtures with sleep-based import costs.
// Assertions are on rankings and proportions, never on absolute times (the machine is shared and noisy).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cliPath, fixtures, importtimeFixtures, NODE_STACK, repoRoot, runCli, testCacheDir } from '../support/cli.js';
import { allPythons } from '../support/python.js';

interface ModuleRow {
  id?: string;
  name: string;
  depth: number;
  selfUs: number;
  cumulativeUs: number;
  origin?: string | null;
  package?: string;
  runs?: number;
  line?: number;
}
interface PackageRow {
  name: string;
  origin: string;
  selfUs: number;
  cumulativeUs: number;
  moduleCount: number;
}
interface ProfileDoc {
  schemaVersion: number;
  kind: string;
  source: string;
  python: { version: string; executable: string } | null;
  summary: {
    runs: number;
    moduleCount: number;
    importUs: { median: number; min: number; max: number };
    importUsPerRun: number[];
    startupUs: { median: number } | null;
    startupModuleCount: number | null;
  };
  modules: ModuleRow[];
  packages: PackageRow[];
  moduleSetDifferences: Array<{ name: string; presentIn: number[] }>;
  warnings: string[];
}

let cache: string;
const env = (): NodeJS.ProcessEnv => ({ LAMBDA_COLD_CACHE_DIR: cache });

beforeAll(() => {
  cache = testCacheDir();
});
afterAll(() => {
  rmSync(cache, { recursive: true, force: true });
});

async function profileJson(args: string[], cwd?: string): Promise<ProfileDoc> {
  const r = await runCli(['profile', ...args, '--json'], { env: env(), cwd });
  expect(r.stderr).not.toMatch(NODE_STACK);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ProfileDoc;
}

const byName = (doc: ProfileDoc, name: string): ModuleRow => {
  const m = doc.modules.find((x) => x.name === name);
  if (!m) throw new Error(`module ${name} not in the profile: ${doc.modules.map((x) => x.name).join(', ')}`);
  return m;
};

describe('profile: ranking and proportions (python-fixtures/ranked)', () => {
  let doc: ProfileDoc;
  beforeAll(async () => {
    doc = await profileJson([join(fixtures, 'ranked', 'handler.py'), '--runs', '3']);
  });

  it('writes one versioned document with the required fields', () => {
    expect(doc.schemaVersion).toBe(1);
    expect(doc.kind).toBe('profile');
    expect(doc.summary.runs).toBe(3);
    expect(doc.summary.importUsPerRun).toHaveLength(3);
    expect(doc.summary.moduleCount).toBe(doc.modules.length);
    const { median, min, max } = doc.summary.importUs;
    expect(min).toBeLessThanOrEqual(median);
    expect(median).toBeLessThanOrEqual(max);
    for (const m of doc.modules) {
      expect(typeof m.name).toBe('string');
      expect(Number.isInteger(m.depth)).toBe(true);
      expect(typeof m.selfUs).toBe('number');
      expect(typeof m.cumulativeUs).toBe('number');
    }
    for (const p of doc.packages) expect(typeof p.cumulativeUs).toBe('number');
  });

  it("holds exactly the handler's imports: nothing from the interpreter's start-up or the runtime bootstrap", () => {
    const names = doc.modules.map((m) => m.name).sort();
    expect(names).toEqual(['handler', 'heavypkg', 'heavypkg.core', 'heavypkg.util', 'light', 'mid']);
    // start-up is measured apart (site, encodings and the .pth imports)
    expect(doc.summary.startupUs?.median ?? 0).toBeGreaterThan(0);
    expect(doc.summary.startupModuleCount ?? 0).toBeGreaterThan(5);
    const startup = (doc as unknown as { startupModules: Array<{ name: string; phase: string }> }).startupModules;
    expect(startup.every((m) => m.phase === 'startup')).toBe(true);
    expect(startup.map((m) => m.name)).toContain('site');
  });

  it('ranks modules by their sleep-based costs, in proportion', () => {
    const self = (n: string) => byName(doc, n).selfUs;
    expect(self('heavypkg.core')).toBeGreaterThan(self('mid'));
    expect(self('mid')).toBeGreaterThan(self('heavypkg.util'));
    expect(self('heavypkg.util')).toBeGreaterThan(self('light'));
    // 90 : 15 ms → about 6×; generous bounds
    expect(self('heavypkg.core') / self('light')).toBeGreaterThan(3);
    expect(self('heavypkg.core') / self('light')).toBeLessThan(12);
    const handler = byName(doc, 'handler');
    expect(handler.depth).toBe(0);
    expect(byName(doc, 'heavypkg.core').depth).toBe(2);
    // heavypkg ≈ 120 of ≈ 195 ms
    const share = byName(doc, 'heavypkg').cumulativeUs / handler.cumulativeUs;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.8);
  });

  it('attributes cost to top-level packages, most expensive first, with their origin', () => {
    expect(doc.packages.map((p) => p.name)).toEqual(['heavypkg', 'mid', 'light', 'handler']);
    const heavy = doc.packages[0] as PackageRow;
    expect(heavy.moduleCount).toBe(3);
    expect(heavy.origin).toBe('task-root');
    expect(heavy.selfUs).toBeCloseTo(
      ['heavypkg', 'heavypkg.core', 'heavypkg.util'].reduce((t, n) => t + byName(doc, n).selfUs, 0),
      0,
    );
  });
});

describe('profile: terminal report', () => {
  it('prints the summary, the two rankings and the package table, without colour when not a TTY', async () => {
    const r = await runCli(['profile', join(fixtures, 'ranked', 'handler.py'), '--runs', '2', '--top', '10'], { env: { ...env(), NO_COLOR: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Handler import (init)');
    expect(r.stdout).toContain('Interpreter start-up');
    expect(r.stdout).toContain('Slowest imports by cumulative time (top 6)');
    expect(r.stdout).toContain('Slowest imports by self time (top 6)');
    expect(r.stdout).toContain('Cost by top-level package');
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/\x1b\[/);
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/\x1b\[/);
    const selfSection = (r.stdout.split('Slowest imports by self time')[1] as string).split('Cost by top-level package')[0] as string;
    const order = ['heavypkg.core', 'mid', 'heavypkg.util'].map((n) => selfSection.indexOf(` ${n} `));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('--tree honours --max-depth and --min-ms', async () => {
    const deep = await runCli(['profile', join(fixtures, 'ranked', 'handler.py'), '--runs', '1', '--tree', '--max-depth', '1'], { env: env() });
    expect(deep.code, deep.stderr).toBe(0);
    const tree = deep.stdout.split('Import tree')[1] as string;
    expect(tree).toMatch(/├─ heavypkg\b/);
    expect(tree).not.toContain('heavypkg.core');
    expect(tree).toContain('more below --max-depth');
    const min = await runCli(['profile', join(fixtures, 'ranked', 'handler.py'), '--runs', '1', '--tree', '--min-ms', '40'], { env: env() });
    const tree2 = min.stdout.split('Import tree')[1] as string;
    expect(tree2).toContain('heavypkg.core');
    expect(tree2).toMatch(/└─ mid|├─ mid/);
    expect(tree2).not.toMatch(/─ light/);
    expect(tree2).toContain('more under --min-ms');
  });
});

describe('profile: targets, roots and layers', () => {
  it('imports a dotted module name under --root', async () => {
    const doc = await profileJson(['heavypkg.core', '--root', join(fixtures, 'ranked'), '--runs', '1']);
    // `import heavypkg.core` is one root; heavypkg (whose __init__ imports core and util) runs inside it,
    // so heavypkg.core has two lines: the real import inside heavypkg, and the outer statement's own
    expect(doc.modules.map((m) => m.name).sort()).toEqual(['heavypkg', 'heavypkg.core', 'heavypkg.core', 'heavypkg.util']);
    expect(doc.modules.filter((m) => m.depth === 0).map((m) => m.name)).toEqual(['heavypkg.core']);
  });

  it('imports a package folder', async () => {
    const doc = await profileJson([join(fixtures, 'errors', 'pkg_target'), '--runs', '1']);
    expect(doc.modules.map((m) => m.name).sort()).toEqual(['pkg_target', 'pkg_target.inner']);
  });

  it('finds dependencies in layers searched as /opt is, and says where they came from', async () => {
    const layered = join(fixtures, 'layered');
    const doc = await profileJson([
      join(layered, 'src', 'handler.py'),
      '--layer',
      join(layered, 'layers', 'deps'),
      '--layer',
      join(layered, 'layers', 'extra'),
      '--runs',
      '1',
    ]);
    expect(byName(doc, 'layerdep').origin).toBe('layer');
    expect(byName(doc, 'extradep').origin).toBe('layer');
    expect(byName(doc, 'handler').origin).toBe('task-root');
  });

  it("never imports from a layer's root (Lambda puts only /opt/python… on sys.path) and says why", async () => {
    const layer = mkdtempSync(join(tmpdir(), 'lambda-cold-rootlayer-'));
    try {
      writeFileSync(join(layer, 'layerdep.py'), 'X = 1\n');
      const r = await runCli(['profile', join(fixtures, 'layered', 'src', 'handler.py'), '--layer', layer, '--runs', '1'], { env: env() });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`the layer folder ${layer} has no python/ folder`);
      expect(r.stderr).toMatch(/handler imports layerdep, which cannot be found/);
      expect(r.stderr).not.toMatch(NODE_STACK);
    } finally {
      rmSync(layer, { recursive: true, force: true });
    }
  });

  it('names the missing module and suggests --layer when a layer was not given', async () => {
    const r = await runCli(['profile', join(fixtures, 'layered', 'src', 'handler.py'), '--runs', '1'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lambda-cold: handler imports layerdep, which cannot be found \(handler\.py:1\)\..*--layer/m);
    expect(r.stderr).not.toMatch(NODE_STACK);
  });
});

describe('profile: bytecode modes never write into the user tree', () => {
  let project: string;
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'lambda-cold-bytecode-'));
    // a big module: compiling it from source costs far more than loading its bytecode
    const body = Array.from({ length: 4000 }, (_, i) => `def f${i}(a, b=${i}):\n    return [a * b + ${i} for _ in range(3)]\n`).join('');
    writeFileSync(join(project, 'bigmod.py'), body);
    writeFileSync(join(project, 'handler.py'), 'import bigmod\n');
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const pycacheDirs = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => p.includes('__pycache__') || p.endsWith('.pyc'));

  it('compile mode compiles the task root on every run; cached mode loads bytecode', async () => {
    const cached = await profileJson([join(project, 'handler.py'), '--runs', '3', '--bytecode', 'cached']);
    const compiled = await profileJson([join(project, 'handler.py'), '--runs', '3', '--bytecode', 'compile']);
    const c = byName(cached, 'bigmod').selfUs;
    const k = byName(compiled, 'bigmod').selfUs;
    expect(k / c).toBeGreaterThan(3);
    expect(pycacheDirs(project)).toEqual([]);
  });

  it('a second compile-mode profile is still compiled (the private cache of the task root is dropped each run)', async () => {
    const again = await profileJson([join(project, 'handler.py'), '--runs', '2', '--warmup', '0', '--bytecode', 'compile']);
    const cached = await profileJson([join(project, 'handler.py'), '--runs', '2', '--bytecode', 'cached']);
    expect(byName(again, 'bigmod').selfUs / byName(cached, 'bigmod').selfUs).toBeGreaterThan(3);
    expect(pycacheDirs(project)).toEqual([]);
  });
});

describe('profile: --warmup auto', () => {
  it('warms up once, then not while the sources and the private cache are unchanged, then again after a change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-cold-warm-'));
    writeFileSync(join(dir, 'handler.py'), 'import dep\n');
    writeFileSync(join(dir, 'dep.py'), 'X = 1\n');
    const warmups = async (): Promise<number> => {
      const r = await runCli(['profile', join(dir, 'handler.py'), '--runs', '1', '--json'], { env: env() });
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { summary: { warmup: number } }).summary.warmup;
    };
    expect(await warmups()).toBe(1);
    expect(await warmups()).toBe(0);
    writeFileSync(join(dir, 'dep.py'), 'X = 2  # changed\n');
    expect(await warmups()).toBe(1);
    const explicit = await runCli(['profile', join(dir, 'handler.py'), '--runs', '1', '--warmup', '2', '--json'], { env: env() });
    expect((JSON.parse(explicit.stdout) as { summary: { warmup: number } }).summary.warmup).toBe(2);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('profile: runs that import different modules are reported', () => {
  it('lists the modules missing from some runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-cold-flaky-'));
    const counter = join(dir, 'counter');
    mkdirSync(join(dir, 'root'));
    writeFileSync(
      join(dir, 'root', 'handler.py'),
      [
        'import os',
        `path = ${JSON.stringify(counter)}`,
        'n = int(open(path).read()) if os.path.exists(path) else 0',
        'open(path, "w").write(str(n + 1))',
        'if n % 2:',
        '    import colorsys',
        '',
      ].join('\n'),
    );
    const r = await runCli(['profile', join(dir, 'root', 'handler.py'), '--runs', '4', '--warmup', '0', '--json'], { env: env() });
    rmSync(dir, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ProfileDoc;
    expect(doc.moduleSetDifferences).toEqual([expect.objectContaining({ name: 'colorsys', presentIn: [2, 4] })]);
    expect(r.stderr).toContain('did not all import the same modules');
  });
});

describe('profile --from-file', () => {
  const boto3 = join(importtimeFixtures, 'py311-boto3.txt');
  const dataLines = (f: string) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => /import time:\s+-?\d+ \|/.test(l));

  it('keeps every line of the file, in file order, with raw values', async () => {
    const doc = await profileJson(['--from-file', boto3]);
    const lines = dataLines(boto3);
    expect(doc.source).toBe('file');
    expect(doc.modules).toHaveLength(lines.length);
    expect(doc.summary.moduleCount).toBe(lines.length);
    lines.forEach((l, i) => {
      const m = /import time:\s+(-?\d+) \|\s+(-?\d+) \| ( *)(\S+)/.exec(l) as RegExpExecArray;
      const row = doc.modules[i] as ModuleRow;
      expect(row.name).toBe(m[4]);
      expect(row.selfUs).toBe(Number(m[1]));
      expect(row.cumulativeUs).toBe(Number(m[2]));
      expect(row.depth).toBe((m[3] as string).length / 2);
    });
    expect(doc.packages[0]?.name).toBeDefined();
    expect(doc.packages.some((p) => p.name === 'botocore')).toBe(true);
  });

  it('keeps duplicate names', async () => {
    const dup = join(importtimeFixtures, 'py311-json-decoder-dup.txt');
    const doc = await profileJson(['--from-file', dup]);
    const lines = dataLines(dup);
    expect(doc.modules).toHaveLength(lines.length);
    expect(doc.modules.filter((m) => m.name === 'json.decoder').length).toBe(lines.filter((l) => / json\.decoder$/.test(l)).length);
  });

  it('reads several files as runs', async () => {
    const a = join(importtimeFixtures, 'py311-email-http.txt');
    const b = join(importtimeFixtures, 'py312-email-http.txt');
    const doc = await profileJson(['--from-file', a, b]);
    expect(doc.summary.runs).toBe(2);
    expect(doc.modules).toHaveLength(dataLines(a).length + dataLines(b).length);
  });
});

describe('profile: bad input is one sentence and exit 2, never a Node stack', () => {
  const cases: Array<{ name: string; args: string[]; sentence: RegExp; detail?: RegExp[] }> = [
    { name: 'a target that does not exist', args: ['nope/handler.py'], sentence: /^lambda-cold: The target nope\/handler\.py does not exist\.$/m },
    {
      name: 'a module that cannot be found under the root',
      args: ['no_such_module', '--root', join(fixtures, 'ranked')],
      sentence: /^lambda-cold: No module named no_such_module under the task root .*ranked: check the target and --root\.$/m,
    },
    {
      name: 'a missing dependency',
      args: [join(fixtures, 'errors', 'missing_dep.py')],
      sentence: /^lambda-cold: missing_dep imports definitely_not_installed_dep, which cannot be found \(missing_dep\.py:3\)\./m,
      detail: [/ModuleNotFoundError: No module named 'definitely_not_installed_dep'/, /What finished importing before it stopped/],
    },
    {
      name: 'a syntax error',
      args: [join(fixtures, 'errors', 'syntax_error.py')],
      sentence: /^lambda-cold: Syntax error in the handler's code \(syntax_error\.py:4\): /m,
      detail: [/SyntaxError/],
    },
    {
      name: 'an exception at import, with the traceback and the partial tree',
      args: [join(fixtures, 'errors', 'raises.py')],
      sentence: /^lambda-cold: The handler's import \(raises\) raised KeyError: 'TABLE_NAME' \(raises\.py:5\)\.$/m,
      detail: [/Traceback \(most recent call last\)/, /raises\.py", line 5/, /What finished importing before it stopped/, /colorsys/],
    },
    {
      name: 'a hang past --timeout, with where it hung and the partial tree',
      args: [join(fixtures, 'errors', 'hang.py'), '--timeout', '1'],
      sentence: /^lambda-cold: Importing hang did not finish within --timeout 1 s/m,
      detail: [/hang\.py", line \d+ in wait_for_database/, /colorsys/],
    },
    {
      name: 'a crash in the interpreter',
      args: [join(fixtures, 'errors', 'crash.py')],
      sentence: /^lambda-cold: Python was killed by SIGABRT while importing crash/m,
      detail: [/crash\.py", line 4/],
    },
    { name: 'no Python', args: [join(fixtures, 'ranked', 'handler.py'), '--python', '/nonexistent/python3'], sentence: /^lambda-cold: No Python interpreter at \/nonexistent\/python3/m },
    { name: 'invalid --runs', args: [join(fixtures, 'ranked', 'handler.py'), '--runs', '0'], sentence: /^lambda-cold: Invalid value for --runs: must be at least 1 \(got "0"\)\.$/m },
    { name: 'non-numeric --runs', args: [join(fixtures, 'ranked', 'handler.py'), '--runs', 'ten'], sentence: /^lambda-cold: Invalid value for --runs: expected a whole number/m },
    { name: 'negative --min-ms', args: [join(fixtures, 'ranked', 'handler.py'), '--min-ms', '-1'], sentence: /Invalid value for --min-ms|unknown option/ },
    { name: '--lines without --tree', args: [join(fixtures, 'ranked', 'handler.py'), '--lines'], sentence: /^lambda-cold: --lines shapes the import tree, which only --tree prints: add --tree\.$/m },
    { name: '--max-depth and --min-ms without --tree', args: [join(fixtures, 'ranked', 'handler.py'), '--max-depth', '2', '--min-ms', '1'], sentence: /^lambda-cold: --max-depth, --min-ms shape the import tree, which only --tree prints: add --tree\.$/m },
    { name: '--lines with --no-statements', args: [join(fixtures, 'ranked', 'handler.py'), '--tree', '--lines', '--no-statements'], sentence: /^lambda-cold: --lines shows what the attribution run timed, and --no-statements skips that run: give one\.$/m },
    { name: '--lines with --remote', args: ['--remote', 'my-fn', '--tree', '--lines'], sentence: /^lambda-cold: --lines shows what a local attribution run timed; a profile measured inside Lambda \(--remote\) has none: drop --lines\.$/m },
    { name: 'bad --warmup', args: [join(fixtures, 'ranked', 'handler.py'), '--warmup', 'some'], sentence: /^lambda-cold: Invalid value for --warmup: expected auto or a whole number from 0 to 1000 \(got "some"\)\.$/m },
    { name: 'bad --timeout', args: [join(fixtures, 'ranked', 'handler.py'), '--timeout', '0'], sentence: /^lambda-cold: Invalid value for --timeout: must be greater than 0/m },
    { name: 'bad --bytecode', args: [join(fixtures, 'ranked', 'handler.py'), '--bytecode', 'never'], sentence: /argument 'never' is invalid/ },
    { name: 'an unknown flag', args: [join(fixtures, 'ranked', 'handler.py'), '--nope'], sentence: /unknown option '--nope'/ },
    { name: 'a --from-file that does not exist', args: ['--from-file', '/nonexistent/log.txt'], sentence: /^lambda-cold: The file \/nonexistent\/log\.txt does not exist\.$/m },
    { name: 'a --from-file with no import-time lines', args: ['--from-file', join(fixtures, 'README.md')], sentence: /^lambda-cold: .*README\.md holds no import-time lines/m },
    { name: 'no target', args: [], sentence: /^lambda-cold: No target: /m },
    { name: 'a non-Python file', args: [join(fixtures, 'README.md')], sentence: /is not a Python file/ },
    { name: 'a missing --root', args: ['handler', '--root', '/nonexistent/root'], sentence: /^lambda-cold: The task root \/nonexistent\/root does not exist or is not a folder\.$/m },
    { name: 'a missing --layer', args: [join(fixtures, 'ranked', 'handler.py'), '--layer', '/nonexistent/layer'], sentence: /^lambda-cold: The layer folder \/nonexistent\/layer does not exist\.$/m },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCli(['profile', ...c.args, '--runs', c.args.includes('--runs') ? (c.args[c.args.indexOf('--runs') + 1] as string) : '1'], { env: env() });
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(c.sentence);
      for (const d of c.detail ?? []) expect(r.stderr).toMatch(d);
      expect(r.stderr).not.toMatch(NODE_STACK);
      expect(r.stderr).not.toContain('internal error');
      expect(r.stdout).toBe('');
    });
  }

  it('a Python older than 3.7', async (ctx) => {
    const old = allPythons().find((p) => p.minor < 7);
    if (!old) {
      console.warn('SKIPPED: no Python older than 3.7 here (pyenv root or python3.6 on PATH): the "too old" message is untested.');
      ctx.skip();
      return;
    }
    const r = await runCli(['profile', join(fixtures, 'ranked', 'handler.py'), '--python', old.executable], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lambda-cold: Python 3\.6\.\d+ .* is too old: lambda-cold needs Python 3\.7 or newer/m);
  });
});

describe('profile on every Python here', () => {
  const pythons = allPythons().filter((p) => p.minor >= 7);
  it('finds at least one Python 3.7+ to profile with', () => {
    expect(pythons.map((p) => p.version), 'no Python 3.7+ found (pyenv root, PYENV_ROOT or python3.X on PATH)').not.toEqual([]);
  });
  for (const { version: v, executable: python } of pythons) {
    it(`Python ${v}`, async () => {
      const doc = await profileJson([join(fixtures, 'ranked', 'handler.py'), '--runs', '1', '--python', python]);
      expect(doc.python?.version).toBe(v);
      expect(doc.modules.map((m) => m.name).sort()).toEqual(['handler', 'heavypkg', 'heavypkg.core', 'heavypkg.util', 'light', 'mid']);
      expect(byName(doc, 'heavypkg.core').selfUs).toBeGreaterThan(byName(doc, 'light').selfUs);
    });
  }
});

describe('CLI basics', () => {
  it('stops quietly when the reader goes away (| head)', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; node ${JSON.stringify(cliPath)} profile --help | head -1; node ${JSON.stringify(cliPath)} package --help | head -1`], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['Usage: lambda-cold profile [options] [target]', 'Usage: lambda-cold package [options] <path>']);
    expect(r.status).toBe(0);
  });

  it('--color always colours a pipe, never wins over FORCE_COLOR, before or after the command; a bad value is exit 2', async () => {
    const capture = join(importtimeFixtures, 'py311-boto3.txt');
    const always = await runCli(['profile', '--from-file', capture, '--color', 'always']);
    expect(always.code).toBe(0);
    expect(always.stdout).toMatch(/\x1b\[\d+m/);
    const never = await runCli(['--color', 'never', 'profile', '--from-file', capture], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(never.code).toBe(0);
    expect(never.stdout).not.toMatch(/\x1b\[/);
    const auto = await runCli(['profile', '--from-file', capture], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(auto.stdout).toMatch(/\x1b\[\d+m/);
    const bad = await runCli(['profile', '--from-file', capture, '--color', 'sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'sometimes' is invalid. Allowed choices are auto, always, never.");
  });

  it('--version, --help and profile --help with examples', async () => {
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(v.stdout).toBe(`lambda-cold ${version}\n`);
    // the fast path (bin/) and commander's (a --version among other arguments) say the same
    const slow = await runCli(['--version', '--color', 'never']);
    expect(slow.stdout).toBe(v.stdout);
    const h = await runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('profile');
    const p = await runCli(['profile', '--help']);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('Examples:');
    expect(p.stdout).toContain('--from-file');
  });

  it("every command's help lists its exit codes and at least one example", async () => {
    for (const command of ['profile', 'package', 'invoke', 'restore']) {
      const h = await runCli([command, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout, command).toMatch(/^Examples:\n {2}\$ lambda-cold /m);
      expect(h.stdout, command).toMatch(/^Exit codes: 0 /m);
      expect(h.stdout, command).toContain('--color <when>');
    }
  });
});
