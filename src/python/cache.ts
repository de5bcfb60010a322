// The private bytecode cache (PYTHONPYCACHEPREFIX): one per interpreter and bytecode mode, outside the
// user's tree, so that profiling never writes __pycache__ folders next to the user's files.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join, parse as parsePath, resolve } from 'node:path';
import { cacheDir } from '../util/paths.js';
import { toolVersion } from '../version.js';
import type { Interpreter } from './interpreter.js';

export type BytecodeMode = 'cached' | 'compile';

/** The private bytecode cache for an interpreter and mode. */
export function pycachePrefix(interpreter: Interpreter, mode: BytecodeMode, env: NodeJS.ProcessEnv = process.env): string {
  const key = createHash('sha256').update(interpreter.executable).digest('hex').slice(0, 16);
  return join(cacheDir(env), 'pycache', `${key}-${mode}`);
}

/**
 * Where the harness's bytecode for an interpreter lives: keyed by the interpreter and the harness's text,
 * so that a changed harness or another Python never runs stale bytecode.
 */
export function harnessBytecodePath(interpreter: Interpreter, harness: string, env: NodeJS.ProcessEnv = process.env): string {
  const key = createHash('sha256').update(interpreter.executable).update('\0').update(readFileSync(harness)).digest('hex').slice(0, 24);
  return join(cacheDir(env), 'harness', `${key}.pyc`);
}

/** Where the harness keeps the ast facts of a task root's files between profiles (per interpreter: ast differs by version). */
export function factsCachePath(interpreter: Interpreter, root: string, env: NodeJS.ProcessEnv = process.env): string {
  const key = createHash('sha256').update(interpreter.executable).update('\0').update(resolve(root)).digest('hex').slice(0, 24);
  return join(cacheDir(env), 'facts', `${key}.json`);
}

/** Where the harness keeps the import requests of a handler's import, recorded in a warm-up run (per interpreter and root). */
export function graphCachePath(interpreter: Interpreter, root: string, module: string, env: NodeJS.ProcessEnv = process.env, noPth = false): string {
  const key = createHash('sha256')
    .update(interpreter.executable)
    .update('\0')
    .update(resolve(root))
    .update('\0')
    .update(module)
    .update(noPth ? '\0no-pth' : '')
    .digest('hex')
    .slice(0, 24);
  return join(cacheDir(env), 'graph', `${key}.json`);
}

/** Where CPython puts the bytecode of files under `dir` when sys.pycache_prefix is `prefix`. */
export function prefixSubtree(prefix: string, dir: string): string {
  const abs = resolve(dir);
  return join(prefix, abs.slice(parsePath(abs).root.length));
}

/** Remove what the cache holds for the folders of a temporary checkout (--against's base; the first is its task root, whose `module` is profiled): it would never be used again. */
export function dropCaches(interpreter: Interpreter, mode: BytecodeMode, dirs: readonly string[], module: string, env: NodeJS.ProcessEnv = process.env): void {
  const prefix = pycachePrefix(interpreter, mode, env);
  for (const dir of dirs) {
    rmSync(prefixSubtree(prefix, dir), { recursive: true, force: true });
    rmSync(factsCachePath(interpreter, dir, env), { force: true });
  }
  if (dirs[0] !== undefined) rmSync(graphCachePath(interpreter, dirs[0], module, env), { force: true });
}

/**
 * Where an attribution run's raw statement times are kept (`profile`'s statements): keyed by the interpreter,
 * the handler, and every non-standard-library file its import loaded with its size and modification time —
 * the user's code and the libraries it calls — so that a changed file, an upgraded package or another Python
 * runs the attribution again, and an unchanged handler is not traced twice.
 */
export function statementsCachePath(
  interpreter: Interpreter,
  spec: { root: string; module: string; layers: readonly string[]; bytecode: BytecodeMode; noPth?: boolean },
  files: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string {
  const h = createHash('sha256').update(toolVersion()).update('\0').update(interpreter.executable).update('\0').update(interpreter.version);
  h.update('\0').update(resolve(spec.root)).update('\0').update(spec.module).update('\0').update(spec.bytecode).update(spec.noPth ? '\0no-pth' : '');
  for (const l of spec.layers) h.update('\0layer ').update(resolve(l));
  for (const f of [...files].sort()) {
    let stamp = 'missing';
    try {
      const s = statSync(f);
      stamp = `${s.size}:${s.mtimeMs}`;
    } catch {
      // a file gone since the run: the key says so
    }
    h.update('\0').update(f).update('\0').update(stamp);
  }
  return join(cacheDir(env), 'statements', `${h.digest('hex').slice(0, 24)}.json`);
}
