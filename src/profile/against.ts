// `--against <git-ref>`: the base revision checked out into a temporary git worktree (outside the user's
// tree), measured interleaved with the working tree as it is, then removed — also on an error or Ctrl-C.
// What git does not track (dependencies installed into the task root or a layer, .so files, vendored
// wheels) is linked into the checkout, so that both sides import the same installed code.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { onInterrupt } from '../util/cleanup.js';
import { UserError } from '../util/errors.js';
import { isInside, realPath } from '../util/paths.js';

export interface BaseCheckout {
  ref: string;
  /** The commit the ref named. */
  commit: string;
  /** Top of the user's repository. */
  repo: string;
  /** The temporary worktree holding the base revision. */
  dir: string;
  /** Where a path of the user's repository is in the base checkout (paths outside the repository stay). */
  map(path: string): string;
  /** Whether a path lies inside the repository. */
  inRepo(path: string): boolean;
  /** Remove the worktree (idempotent). */
  dispose(): void;
}

function git(args: string[], cwd: string): { ok: boolean; stdout: string; stderr: string; missing: boolean } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { ok: false, stdout: '', stderr: r.error.message, missing: code === 'ENOENT' };
  }
  return { ok: r.status === 0, stdout: r.stdout.trim(), stderr: r.stderr.trim(), missing: false };
}


/** The repository holding `dir`, with clear errors for a missing git and a folder outside any repository. */
function repositoryOf(dir: string): string {
  const top = git(['rev-parse', '--show-toplevel'], dir);
  if (top.missing) throw new UserError('git is not installed (or not on PATH): --against needs it to check out the base revision.');
  if (!top.ok || !top.stdout) throw new UserError(`${dir} is not inside a git repository: --against compares against a revision of one.`);
  return realPath(top.stdout);
}

/** Check out `ref` of the repository holding `dir` into a temporary worktree. */
export function checkoutBase(ref: string, dir: string): BaseCheckout {
  const repo = repositoryOf(dir);
  if (ref.startsWith('-')) throw new UserError(`The git ref ${ref} is not valid.`);
  const verify = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], repo);
  if (!verify.ok || !verify.stdout) {
    throw new UserError(`The git ref ${ref} does not name a commit in ${repo} (in CI, fetch it first: actions/checkout with fetch-depth: 0).`);
  }
  const commit = verify.stdout;
  const holder = mkdtempSync(join(tmpdir(), 'lambda-cold-base-'));
  const wt = join(holder, 'base');
  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    unregister();
    git(['worktree', 'remove', '--force', wt], repo);
    rmSync(holder, { recursive: true, force: true });
    git(['worktree', 'prune'], repo);
  };
  const unregister = onInterrupt(dispose);
  const add = git(['worktree', 'add', '--detach', '--quiet', wt, commit], repo);
  if (!add.ok) {
    dispose();
    throw new UserError(`git could not check out ${ref} into a temporary worktree: ${add.stderr.split('\n')[0] ?? 'unknown error'}.`);
  }
  const wtReal = realPath(wt);
  return {
    ref,
    commit,
    repo,
    dir: wtReal,
    inRepo: (p) => isInside(realPath(p), repo),
    map: (p) => {
      const abs = realPath(p);
      return isInside(abs, repo) ? join(wtReal, relative(repo, abs)) : abs;
    },
    dispose,
  };
}

/** Names the installed code never needs: bytecode lives in lambda-cold's private cache (PYTHONPYCACHEPREFIX). */
const NOT_LINKED = /^(__pycache__|.*\.py[co])$/;

/**
 * Make what git does not track under `dirs` (folders of the repository: the task root, the layers) —
 * untracked and ignored files alike — visible in the base checkout, as symbolic links to the working
 * tree's files: nothing is copied, however large site-packages is. `git ls-files --others --directory`
 * names a wholly untracked folder once, so a package folder is one link. The base's own tracked code
 * always wins: nothing is linked where the base has a file of that name, nor inside a folder the base
 * does not have; where both have a folder, its untracked entries are linked one by one. Returns the
 * number of links made.
 */
export function linkUntracked(checkout: Pick<BaseCheckout, 'repo' | 'dir'>, dirs: readonly string[]): number {
  const specs = dirs.map((d) => relative(checkout.repo, realPath(d)) || '.');
  if (specs.length === 0) return 0;
  const r = spawnSync('git', ['ls-files', '-z', '--others', '--directory', '--no-empty-directory', '--', ...specs], {
    cwd: checkout.repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new UserError(`git could not list the untracked files of ${checkout.repo}: ${r.stderr.trim().split('\n')[0] ?? 'unknown error'}.`);
  let made = 0;
  for (const entry of r.stdout.split('\0')) {
    const rel = entry.replace(/\/$/, '');
    if (rel) made += linkInto(join(checkout.repo, rel), join(checkout.dir, rel));
  }
  return made;
}

/**
 * Link `from` (untracked in the working tree) at `at` in the base checkout, unless the base has a file
 * there; where both have a folder, look inside it (everything under an untracked folder is untracked).
 */
function linkInto(from: string, at: string): number {
  if (NOT_LINKED.test(basename(from)) || !existsSync(dirname(at))) return 0;
  let isDir: boolean;
  try {
    isDir = statSync(from).isDirectory();
  } catch {
    return 0; // a dangling link of the user's: nothing to share
  }
  if (!lexists(at)) {
    symlinkSync(from, at, isDir ? 'junction' : 'file');
    return 1;
  }
  if (!isDir || !lstatSync(at).isDirectory()) return 0;
  let made = 0;
  for (const name of readdirSync(from)) made += linkInto(join(from, name), join(at, name));
  return made;
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Files that say which dependencies are installed (requirements*.txt, lock files). */
const REQUIREMENTS = [
  ':(glob)**/requirements*.txt',
  ':(glob)**/constraints*.txt',
  ':(glob)**/Pipfile',
  ':(glob)**/Pipfile.lock',
  ':(glob)**/poetry.lock',
  ':(glob)**/uv.lock',
  ':(glob)**/pdm.lock',
];

/** The requirements files (relative to the repository) that differ between the base commit and the working tree. */
export function changedRequirements(checkout: Pick<BaseCheckout, 'repo' | 'commit'>): string[] {
  const r = git(['diff', '--name-only', '--no-renames', checkout.commit, '--', ...REQUIREMENTS], checkout.repo);
  return r.ok && r.stdout ? r.stdout.split('\n') : [];
}

/** A short description of the base for reports: `main (1a2b3c4)`. */
export function baseLabel(checkout: Pick<BaseCheckout, 'ref' | 'commit'>): string {
  return `${checkout.ref} (${checkout.commit.slice(0, 7)})`;
}

/** The commit checked out in `dir` and whether the tree has uncommitted changes (for baseline notes). */
export function describeWorkingTree(dir: string): { gitCommit: string | null; dirty: boolean } | null {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { gitCommit: commit, dirty: status.trim().length > 0 };
  } catch {
    return null;
  }
}
