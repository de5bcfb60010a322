// What Lambda's own start-up and bootstrap load before the handler, for a given interpreter: `site` without
// any .pth file (Lambda processes none of the task root's or layers'), then importlib, json, logging, os,
// time, traceback and warnings, which the runtime's bootstrap imports (docs/lambda-platform.md). A module the
// handler needs that is in this set is not the handler's cost on Lambda either, whatever a local .pth file
// did. Asked of the interpreter once (python -S -E -s), then kept in the cache per executable.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDir } from '../util/paths.js';
import type { Interpreter } from './interpreter.js';

const PROBE = [
  'import sys',
  'import site',
  'import importlib, json, logging, os, time, traceback, warnings',
  'sys.stdout.write("\\n".join(sorted(sys.modules)))',
].join('\n');

/** The module names; null when the interpreter cannot say (the caller then leaves nothing out). */
export function runtimeModules(interpreter: Interpreter, env: NodeJS.ProcessEnv = process.env): Set<string> | null {
  let stamp = '';
  try {
    const st = statSync(interpreter.executable);
    stamp = `${st.mtimeMs}:${st.size}`;
  } catch {
    return null;
  }
  const key = createHash('sha256').update(interpreter.executable).update('\0').update(interpreter.version).update('\0').update(stamp).digest('hex').slice(0, 24);
  const file = join(cacheDir(env), 'runtime-modules', `${key}.json`);
  try {
    return new Set(JSON.parse(readFileSync(file, 'utf8')) as string[]);
  } catch {
    // not asked yet
  }
  const r = spawnSync(interpreter.executable, ['-S', '-E', '-s', '-c', PROBE], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0 || !r.stdout) return null;
  const names = r.stdout.split('\n').filter(Boolean);
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(names));
    renameSync(tmp, file);
  } catch {
    // the next profile asks again
  }
  return new Set(names);
}
