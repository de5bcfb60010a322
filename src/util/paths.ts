// The user's cache folder for lambda-cold: private bytecode caches, resolved interpreters, recovery files.
// Never inside the user's source tree.
import { homedir, tmpdir } from 'node:os';
import { realpathSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAMBDA_COLD_CACHE_DIR) return env.LAMBDA_COLD_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'lambda-cold');
  let home: string | undefined;
  try {
    home = homedir();
  } catch {
    home = undefined;
  }
  if (process.platform === 'darwin' && home) return join(home, 'Library', 'Caches', 'lambda-cold');
  return home ? join(home, '.cache', 'lambda-cold') : join(tmpdir(), 'lambda-cold-cache');
}

/** The path with symlinks resolved, or just made absolute when it does not exist (yet). */
export function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** True when `path` is `dir` or lies below it (compared as given: resolve symlinks first if needed). */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep));
}
