// Find the user's Python and resolve it to the real interpreter once.
// A pyenv (or asdf) shim is a shell script that costs ~240 ms per start: timing through it would swamp
// the figures, so every measured run uses sys.executable as the shim reported it. The answer is cached
// in the user's cache folder, keyed by everything a shim decides with, so repeated profiles skip it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, openSync, readFileSync, readSync, closeSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { cacheDir } from '../util/paths.js';

export interface Interpreter {
  /** The real executable (sys.executable), used for every run. */
  executable: string;
  /** What the user asked for (a path or a command name). */
  requested: string;
  version: string;
  major: number;
  minor: number;
  implementation: string;
  /** True when `requested` was a script (a shim) rather than the interpreter itself. */
  viaShim: boolean;
}

const MIN_PYTHON: readonly [number, number] = [3, 7];

const PROBE =
  'import sys; v = sys.version_info; ' +
  "impl = getattr(getattr(sys, 'implementation', None), 'name', 'cpython'); " +
  "sys.stdout.write('%s\\n%d.%d.%d\\n%s\\n' % (sys.executable, v[0], v[1], v[2], impl))";

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Look a command up on PATH the way a shell would. */
export function which(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (command.includes('/')) return isExecutable(resolve(command)) ? resolve(command) : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isScript(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(2);
    return readSync(fd, buf, 0, 2, 0) === 2 && buf.toString('latin1') === '#!';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function mtime(path: string): string {
  try {
    return String(Math.trunc(statSync(path).mtimeMs));
  } catch {
    return '-';
  }
}

/** Everything a version-manager shim decides with: its env vars and version files up the tree. */
function shimKey(path: string, cwd: string, env: NodeJS.ProcessEnv): string {
  const parts = [path, mtime(path), cwd];
  for (const name of ['PYENV_VERSION', 'PYENV_ROOT', 'ASDF_PYTHON_VERSION', 'ASDF_DATA_DIR', 'VIRTUAL_ENV']) {
    parts.push(`${name}=${env[name] ?? ''}`);
  }
  let dir = resolve(cwd);
  for (;;) {
    parts.push(mtime(join(dir, '.python-version')), mtime(join(dir, '.tool-versions')));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const pyenvRoot = env.PYENV_ROOT ?? join(env.HOME ?? '', '.pyenv');
  parts.push(mtime(join(pyenvRoot, 'version')));
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 24);
}

function probe(path: string, cwd: string, env: NodeJS.ProcessEnv): Omit<Interpreter, 'requested' | 'viaShim'> {
  // -E -s -S: no environment, no user site, no site: only the version and the real executable.
  const r = spawnSync(path, ['-E', '-s', '-S', '-c', PROBE], { cwd, env, encoding: 'utf8', timeout: 30_000 });
  if (r.error) {
    throw new UserError(`Could not start the Python interpreter ${path}: ${r.error.message}.`);
  }
  const lines = (r.stdout ?? '').split('\n');
  const [executable, version, implementation] = lines;
  if (r.status !== 0 || !executable || !version || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new UserError(`${path} did not run as a Python interpreter (exit ${r.status}).`, {
      detail: (r.stderr ?? '').trim() || undefined,
    });
  }
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return { executable, version, major, minor, implementation: implementation || 'cpython' };
}

/**
 * Resolve the interpreter: `--python`, else $LAMBDA_COLD_PYTHON, else python3, else python.
 * Throws a UserError when none is found or it is older than 3.7.
 */
export function resolveInterpreter(requested: string | undefined, cwd: string, env: NodeJS.ProcessEnv = process.env): Interpreter {
  const candidates = requested ? [requested] : env.LAMBDA_COLD_PYTHON ? [env.LAMBDA_COLD_PYTHON] : ['python3', 'python'];
  let path: string | undefined;
  let asked = candidates[0] as string;
  for (const c of candidates) {
    const p = which(c.includes('/') ? resolve(c) : c, env);
    if (p) {
      path = p;
      asked = c;
      break;
    }
  }
  if (!path) {
    throw new UserError(
      requested
        ? `No Python interpreter at ${requested}: the file does not exist or is not executable.`
        : 'No Python interpreter found: python3 and python are not on PATH; pass one with --python <path>.',
    );
  }

  const viaShim = isScript(path);
  let info: Omit<Interpreter, 'requested' | 'viaShim'> | undefined;
  const cacheFile = viaShim ? join(cacheDir(env), 'interpreters', `${shimKey(path, cwd, env)}.json`) : undefined;
  if (cacheFile) {
    try {
      const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as Omit<Interpreter, 'requested' | 'viaShim'>;
      if (isExecutable(cached.executable)) info = cached;
    } catch {
      // no cache yet, or unreadable: probe
    }
  }
  if (!info) {
    info = probe(path, cwd, env);
    if (cacheFile) {
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        writeFileSync(cacheFile, JSON.stringify(info));
      } catch {
        // a read-only cache folder only costs the next run a probe
      }
    }
  }
  if (info.major < MIN_PYTHON[0] || (info.major === MIN_PYTHON[0] && info.minor < MIN_PYTHON[1])) {
    throw new UserError(
      `Python ${info.version} (${asked}) is too old: lambda-cold needs Python ${MIN_PYTHON.join('.')} or newer (Lambda's oldest supported runtime is newer still); pass another with --python.`,
    );
  }
  if (!isExecutable(info.executable)) {
    throw new UserError(`${asked} reported sys.executable = ${info.executable || '(empty)'}, which cannot be run; pass the interpreter itself with --python.`);
  }
  return { ...info, requested: asked, viaShim };
}
