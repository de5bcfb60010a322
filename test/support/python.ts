// Finding the Pythons and tools the tests need, without this machine's paths: pyenv's versions (through
// `pyenv root` or PYENV_ROOT), `python3.X` on PATH, `moto_server` on PATH or `python -m moto.server`.
// A test that needs one and cannot find it fails with a sentence saying what is missing; a matrix over
// "every Python here" fails when it finds none at all.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface FoundPython {
  /** major.minor.micro as the interpreter reports it. */
  version: string;
  minor: number;
  executable: string;
}

function ask(python: string): FoundPython | null {
  try {
    const out = execFileSync(python, ['-c', 'import sys, platform; print(platform.python_version()); print(sys.executable)'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 20_000,
    });
    const [version, executable] = out.trim().split('\n');
    const m = /^3\.(\d+)\./.exec(version ?? '');
    return m && executable ? { version: version as string, minor: Number(m[1]), executable } : null;
  } catch {
    return null;
  }
}

function pyenvRoot(): string | null {
  if (process.env.PYENV_ROOT) return process.env.PYENV_ROOT;
  try {
    return execFileSync('pyenv', ['root'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

let cache: FoundPython[] | null = null;

/** Every CPython 3 found here, one per minor version (pyenv's first, then `python3.X` on PATH), oldest first. */
export function allPythons(): FoundPython[] {
  if (cache) return cache;
  const candidates: string[] = [];
  const root = pyenvRoot();
  if (root && existsSync(join(root, 'versions'))) {
    for (const v of readdirSync(join(root, 'versions')).filter((v) => /^3\.\d+\.\d+$/.test(v))) {
      candidates.push(join(root, 'versions', v, 'bin', 'python'));
    }
  }
  for (let minor = 6; minor <= 15; minor++) candidates.push(`python3.${minor}`);
  const byMinor = new Map<number, FoundPython>();
  for (const c of candidates) {
    if (c.includes('/') && !existsSync(c)) continue;
    const found = ask(c);
    if (found && !byMinor.has(found.minor)) byMinor.set(found.minor, found);
  }
  cache = [...byMinor.values()].sort((a, b) => a.minor - b.minor);
  return cache;
}

/** The interpreter of one minor version, or null. */
export function pythonOf(minor: number): FoundPython | null {
  return allPythons().find((p) => p.minor === minor) ?? null;
}

/** The interpreter of one minor version, or an error naming what is missing. */
export function requirePython(minor: number, why: string): FoundPython {
  const p = pythonOf(minor);
  if (!p) throw new Error(`no Python 3.${minor} found (pyenv root, PYENV_ROOT or python3.${minor} on PATH): needed for ${why}`);
  return p;
}

/** How to start moto_server: the command on PATH, else `python -m moto.server` with a Python that has moto. */
export function motoServerCommand(): { command: string; args: string[] } {
  if (process.env.MOTO_SERVER) return { command: process.env.MOTO_SERVER, args: [] };
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'moto_server'))) return { command: join(dir, 'moto_server'), args: [] };
  }
  for (const p of [...allPythons()].reverse()) {
    try {
      execFileSync(p.executable, ['-c', 'import moto.server'], { stdio: 'ignore', timeout: 30_000 });
      return { command: p.executable, args: ['-m', 'moto.server'] };
    } catch {
      // no moto in this one
    }
  }
  throw new Error('moto_server not found: neither `moto_server` on PATH nor a Python with moto installed (pip install "moto[server]")');
}
