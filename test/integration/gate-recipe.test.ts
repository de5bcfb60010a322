// The CI recipe on a repository laid out the way Lambda projects are: handler and app code tracked, the
// dependencies installed by `pip install -r requirements.txt -t src` (untracked, .gitignore as pip
// users have it), the base branch fetched as origin/main. A branch adds a 25 ms import: the gate fails
// with exit 1 and one annotation, on that import's line; an unchanged branch passes. The dependencies
// are real wheels installed by pip from a local folder (no network).
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_STACK, runCli, testCacheDir } from '../support/cli.js';
import { zipFolder } from '../support/zip.js';
import { changedRequirements, checkoutBase, linkUntracked } from '../../src/profile/against.js';

const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
let work: string;
let cache: string;
let wheels: string;

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' },
  });
}

/** A wheel as pip builds them: the package and its .dist-info (METADATA, WHEEL, RECORD). */
async function wheel(name: string, init: string): Promise<void> {
  const dir = join(work, 'wheel-src', name);
  const info = join(dir, `${name}-1.0.dist-info`);
  write(join(dir, name, '__init__.py'), init);
  write(join(info, 'METADATA'), `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n`);
  write(join(info, 'WHEEL'), 'Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n');
  write(join(info, 'RECORD'), `${name}/__init__.py,,\n${name}-1.0.dist-info/METADATA,,\n${name}-1.0.dist-info/WHEEL,,\n${name}-1.0.dist-info/RECORD,,\n`);
  await zipFolder(dir, join(wheels, `${name}-1.0-py3-none-any.whl`));
}

/** `pip install -r requirements.txt -t src`, from the local wheels. */
function pipInstall(repo: string): void {
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-index', '--find-links', wheels, '-r', 'requirements.txt', '-t', 'src'], {
    cwd: repo,
    stdio: 'ignore',
  });
}

const LOGIC_BASE = '# The app code the handler uses.\nimport json\n\nimport fakedep\n\n\ndef answer():\n    return json.dumps(fakedep.VALUE)\n';
const NEW_IMPORT_LINE = 4;
const LOGIC_HEAD = '# The app code the handler uses.\nimport json\n\nimport slowdep\nimport fakedep\n\n\ndef answer():\n    return json.dumps([fakedep.VALUE, slowdep.VALUE])\n';

async function recipe(repo: string) {
  const summary = join(work, `summary-${Math.random().toString(36).slice(2)}.md`);
  const r = await runCli(['profile', '--python', python, '--against', 'origin/main'], {
    cwd: repo,
    env: { LAMBDA_COLD_CACHE_DIR: cache, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: repo },
  });
  expect(r.stderr).not.toMatch(NODE_STACK);
  const annotations = r.stderr.split('\n').filter((l) => l.startsWith('::error'));
  return { ...r, annotations, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
}

describe('the GitHub Actions recipe on a pip-installed task root', () => {
  let clone: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'lambda-cold-recipe-'));
    cache = testCacheDir();
    wheels = join(work, 'wheels');
    mkdirSync(wheels);
    await wheel('fakedep', 'import time\n\ntime.sleep(0.01)\nVALUE = 1\n');
    await wheel('slowdep', 'import time\n\ntime.sleep(0.025)\nVALUE = 2\n');
    const origin = join(work, 'origin');
    write(join(origin, '.gitignore'), '__pycache__/\n*.py[cod]\n*.so\n*.egg-info/\n.venv/\nbuild/\ndist/\nsrc/bin/\n');
    write(join(origin, 'requirements.txt'), 'fakedep==1.0\n');
    write(join(origin, 'pyproject.toml'), '[tool.lambda-cold]\ntarget = "src/handler.py"\nroot = "src"\nruns = 8\n');
    write(join(origin, 'src', 'handler.py'), 'from app import logic\n\n\ndef lambda_handler(event, context):\n    return logic.answer()\n');
    write(join(origin, 'src', 'app', '__init__.py'), '');
    write(join(origin, 'src', 'app', 'logic.py'), LOGIC_BASE);
    git(['init', '--quiet', '--initial-branch=main'], origin);
    git(['add', '-A'], origin);
    git(['commit', '--quiet', '-m', 'base'], origin);
    clone = join(work, 'clone');
    git(['clone', '--quiet', origin, clone], work);
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it('a branch adding a 25 ms import fails with exit 1 and one annotation on that import', async () => {
    git(['checkout', '--quiet', '-b', 'feature'], clone);
    write(join(clone, 'requirements.txt'), 'fakedep==1.0\nslowdep==1.0\n');
    write(join(clone, 'src', 'app', 'logic.py'), LOGIC_HEAD);
    git(['commit', '--quiet', '-am', 'slowdep'], clone);
    pipInstall(clone);
    expect(git(['status', '--porcelain', '--untracked-files=normal'], clone)).toMatch(/^\?\? src\/fakedep\/$/m);

    const r = await recipe(clone);
    expect(r.code, r.stderr).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]).toMatch(new RegExp(`^::error file=src/app/logic\\.py,line=${NEW_IMPORT_LINE},title=lambda-cold [^:]*new-module[^:]*::.*slowdep`));
    expect(r.stdout).not.toMatch(/^::/m);
    expect(r.stderr).toContain("requirements.txt differs between base (origin/main) and the working tree: both sides ran with the working tree's installed dependencies");
    expect(r.summary).toContain('slowdep');
    // the base's view of the installed packages was links: the working tree's files are all still there
    expect(existsSync(join(clone, 'src', 'fakedep', '__init__.py'))).toBe(true);
    expect(existsSync(join(clone, 'src', 'slowdep-1.0.dist-info', 'RECORD'))).toBe(true);
    expect(git(['worktree', 'list', '--porcelain'], clone).match(/^worktree /gm)).toHaveLength(1);
  });

  it('an unchanged branch passes, with no annotation', async () => {
    git(['checkout', '--quiet', '-b', 'unchanged', 'origin/main'], clone);
    pipInstall(clone);
    const r = await recipe(clone);
    expect(r.code, r.stderr).toBe(0);
    expect(r.annotations).toEqual([]);
    expect(r.stderr).not.toContain('differs between');
  });

  it('an error of one side names the side', async () => {
    const bare = join(work, 'bare');
    git(['clone', '--quiet', join(work, 'origin'), bare], work);
    // nothing installed in the base's task root, and a head that does not need fakedep
    write(join(bare, 'src', 'app', 'logic.py'), 'import json\n\n\ndef answer():\n    return json.dumps(1)\n');
    const r = await runCli(['profile', '--python', python, '--against', 'origin/main', '--runs', '2'], { cwd: bare, env: { LAMBDA_COLD_CACHE_DIR: cache, GITHUB_ACTIONS: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lambda-cold: base \(origin\/main\): app\.logic imports fakedep, which cannot be found|^lambda-cold: base \(origin\/main\): .* imports fakedep, which cannot be found/m);
  });
});

describe('the base checkout sees what git does not track', () => {
  it("links untracked and ignored files and folders, never over the base's tracked code, and removes only the links", () => {
    const repo = join(work ?? mkdtempSync(join(tmpdir(), 'lambda-cold-recipe-')), 'links');
    write(join(repo, '.gitignore'), '*.so\nvendor/\n');
    write(join(repo, 'src', 'handler.py'), 'import app\n');
    write(join(repo, 'src', 'app.py'), 'VALUE = "base"\n');
    write(join(repo, 'src', 'gone', 'kept.py'), '');
    git(['init', '--quiet', '--initial-branch=main'], repo);
    git(['add', '-A'], repo);
    git(['commit', '--quiet', '-m', 'base'], repo);
    // the working tree: app.py no longer tracked (and changed), gone/ removed from git, deps installed
    git(['rm', '--quiet', '--cached', 'src/app.py'], repo);
    write(join(repo, 'src', 'app.py'), 'VALUE = "head"\n');
    write(join(repo, 'src', 'dep', '__init__.py'), '');
    write(join(repo, 'src', '_speed.so'), 'not really a shared object');
    write(join(repo, 'src', 'vendor', 'pkg.whl'), 'wheel');
    write(join(repo, 'src', 'dep', '__pycache__', 'x.pyc'), '');
    git(['rm', '--quiet', '-r', 'src/gone'], repo);
    write(join(repo, 'src', 'gone', 'untracked.py'), '');
    const checkout = checkoutBase('main', repo);
    try {
      const made = linkUntracked(checkout, [join(repo, 'src')]);
      const base = join(checkout.dir, 'src');
      for (const name of ['dep', '_speed.so', 'vendor']) {
        expect(lstatSync(join(base, name)).isSymbolicLink(), name).toBe(true);
        expect(realpathSync(join(base, name))).toBe(realpathSync(join(repo, 'src', name)));
      }
      expect(made).toBe(4); // dep, _speed.so, vendor and gone/untracked.py
      // the base's own tracked code wins
      expect(readFileSync(join(base, 'app.py'), 'utf8')).toBe('VALUE = "base"\n');
      expect(lstatSync(join(base, 'gone')).isDirectory()).toBe(true);
      expect(lstatSync(join(base, 'gone')).isSymbolicLink()).toBe(false);
      expect(existsSync(join(base, 'gone', 'untracked.py'))).toBe(true); // the base's folder: linked inside it
      expect(changedRequirements(checkout)).toEqual([]);
    } finally {
      checkout.dispose();
    }
    expect(existsSync(checkout.dir)).toBe(false);
    for (const f of ['src/dep/__init__.py', 'src/_speed.so', 'src/vendor/pkg.whl', 'src/app.py']) expect(existsSync(join(repo, f)), f).toBe(true);
  });
});
