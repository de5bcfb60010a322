// Runs harness.py in fresh interpreters under `-X importtime`, the way Lambda would import the handler,
// and splits each run's stderr into start-up, runtime-bootstrap and handler-import (init) import trees.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, parse as parsePath, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImportTimeParser } from '../importtime/parse.js';
import type { ParseResult } from '../importtime/model.js';
import { cacheDir } from '../util/paths.js';
import type { Interpreter } from './interpreter.js';

export type BytecodeMode = 'cached' | 'compile';

export interface RunSpec {
  interpreter: Interpreter;
  /** Dotted module name imported as the handler. */
  module: string;
  /** Task root (/var/task): first on sys.path and the working directory. */
  root: string;
  /** Layer folders, in Lambda order. */
  layers: string[];
  bytecode: BytecodeMode;
  timeoutSec: number;
}

export interface HarnessModuleInfo {
  file: string | null;
  origin: 'task-root' | 'layer' | 'site-packages' | 'stdlib' | 'builtin' | 'other';
}

export interface HarnessError {
  type: string;
  message: string;
  traceback: string;
  missingModule: string | null;
  location: { file: string; line: number } | null;
}

/** What harness.py writes to its result file. */
export interface HarnessResult {
  status: 'ok' | 'error';
  initWallUs: number;
  python: {
    version: string;
    implementation: string;
    executable: string;
    platform: string;
    cacheTag: string | null;
    pycachePrefix: string | null;
    dontWriteBytecode: boolean;
  };
  sysPath: string[];
  layerPaths: string[];
  missing: string[];
  error: HarnessError | null;
  modules: Record<string, HarnessModuleInfo>;
}

export type RunStatus = 'ok' | 'error' | 'timeout' | 'crash';

export interface RunOutcome {
  /** 0-based over all runs, warm-up included. */
  index: number;
  warmup: boolean;
  status: RunStatus;
  /** Wall time of the whole interpreter process, ms. */
  wallMs: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The interpreter's own start-up imports (encodings, site, .pth files). */
  startup: ParseResult;
  /** What the Lambda runtime's bootstrap imports before the handler (json, logging, …). */
  bootstrap: ParseResult;
  /** The handler's import: the init the function pays for. */
  init: ParseResult;
  /** Whether the init-end marker was seen (false on a hang or a crash: `init` is then partial). */
  initComplete: boolean;
  result: HarnessResult | null;
  /** The handler's stdout (capped). */
  stdout: string;
  /** Everything on stderr that was neither an import-time record nor a marker (tracebacks, prints). */
  stderrText: string;
}

const MARKER = '@@lambda-cold:';
const MAX_CAPTURE = 4 * 1024 * 1024;

export function harnessPath(): string {
  return fileURLToPath(new URL('./harness.py', import.meta.url));
}

/** The private bytecode cache for an interpreter and mode (PYTHONPYCACHEPREFIX), outside the user's tree. */
export function pycachePrefix(interpreter: Interpreter, mode: BytecodeMode, env: NodeJS.ProcessEnv = process.env): string {
  const key = createHash('sha256').update(interpreter.executable).digest('hex').slice(0, 16);
  return join(cacheDir(env), 'pycache', `${key}-${mode}`);
}

/** Where CPython puts the bytecode of files under `dir` when sys.pycache_prefix is `prefix`. */
export function prefixSubtree(prefix: string, dir: string): string {
  const abs = resolve(dir);
  return join(prefix, abs.slice(parsePath(abs).root.length));
}

const DROPPED_ENV = [
  'PYTHONPATH',
  'PYTHONDONTWRITEBYTECODE',
  'PYTHONPYCACHEPREFIX',
  'PYTHONPROFILEIMPORTTIME',
  'PYTHONSTARTUP',
  'PYTHONINSPECT',
  'PYTHONOPTIMIZE',
  'PYTHONDEVMODE',
  'PYTHONTRACEMALLOC',
  'PYTHONASYNCIODEBUG',
  'PYTHONMALLOCSTATS',
  'PYTHONVERBOSE',
  'PYTHONDEBUG',
  'PYTHONEXECUTABLE',
];

/** The run's environment: the user's, less what would change how Python imports, plus what Lambda sets. */
export function runEnv(spec: RunSpec, prefix: string, writeBytecode: boolean, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of DROPPED_ENV) delete env[k];
  env.PYTHONPYCACHEPREFIX = prefix;
  if (!writeBytecode) env.PYTHONDONTWRITEBYTECODE = '1';
  env.PYTHONNOUSERSITE = '1'; // Lambda has no user site-packages
  env.PYTHONUNBUFFERED = '1'; // keep the handler's prints in order with the import lines
  env.LAMBDA_TASK_ROOT = resolve(spec.root);
  return env;
}

type Phase = 'startup' | 'bootstrap' | 'init' | 'after';

/** Split one run's stderr into its phases and parse each; returns the non-record text too. */
export function splitRunOutput(stderr: string): {
  startup: ParseResult;
  bootstrap: ParseResult;
  init: ParseResult;
  initComplete: boolean;
  text: string;
} {
  const parsers: Record<Exclude<Phase, 'after'>, ImportTimeParser> = {
    startup: new ImportTimeParser(),
    bootstrap: new ImportTimeParser(),
    init: new ImportTimeParser(),
  };
  let phase: Phase = 'startup';
  let initComplete = false;
  const text: string[] = [];
  const lines = stderr.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const at = line.indexOf(MARKER);
    if (at >= 0) {
      if (at > 0 && phase !== 'after') parsers[phase].push(line.slice(0, at));
      else if (at > 0) text.push(line.slice(0, at));
      const what = line.slice(at + MARKER.length).split(' ')[0];
      if (what === 'startup-end') phase = 'bootstrap';
      else if (what === 'init-begin') phase = 'init';
      else if (what === 'init-end') {
        phase = 'after';
        initComplete = true;
      }
      continue;
    }
    if (phase === 'after') {
      // imports made by the harness after the handler (sysconfig…) are not the handler's
      if (!line.includes('import time:')) text.push(line);
      continue;
    }
    parsers[phase].push(line);
  }
  const startup = parsers.startup.end();
  const bootstrap = parsers.bootstrap.end();
  const init = parsers.init.end();
  return {
    startup,
    bootstrap,
    init,
    initComplete,
    text: [...startup.output, ...bootstrap.output, ...init.output, ...text].join('\n'),
  };
}

function capped(chunks: Buffer[], size: number, chunk: Buffer): number {
  if (size < MAX_CAPTURE) chunks.push(chunk);
  return size + chunk.length;
}

async function runOnce(
  spec: RunSpec,
  index: number,
  warmup: boolean,
  configPath: string,
  env: NodeJS.ProcessEnv,
  active: Set<import('node:child_process').ChildProcess>,
): Promise<RunOutcome> {
  const args = ['-X', 'importtime', harnessPath(), configPath];
  const started = process.hrtime.bigint();
  const child = spawn(spec.interpreter.executable, args, { cwd: spec.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  active.add(child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let outSize = 0;
  let errSize = 0;
  child.stdout.on('data', (c: Buffer) => (outSize = capped(out, outSize, c)));
  child.stderr.on('data', (c: Buffer) => (errSize = capped(err, errSize, c)));
  // The harness dumps the stacks and exits itself at the timeout (faulthandler); this is the backstop.
  let killed = false;
  const killer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, (spec.timeoutSec + 5) * 1000);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res, rej) => {
    child.on('error', rej);
    child.on('close', (c, s) => res({ code: c, signal: s }));
  }).finally(() => {
    clearTimeout(killer);
    active.delete(child);
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const stderr = Buffer.concat(err).toString('utf8');
  const split = splitRunOutput(stderr);
  let result: HarnessResult | null = null;
  try {
    result = JSON.parse(readFileSync(join(configPath, '..', 'result.json'), 'utf8')) as HarnessResult;
  } catch {
    result = null;
  }
  rmSync(join(configPath, '..', 'result.json'), { force: true });
  let status: RunStatus;
  if (result && split.initComplete) status = result.status;
  else if (killed || /^Timeout \(\d+:\d\d:\d\d(\.\d+)?\)!/m.test(split.text)) status = 'timeout';
  else status = 'crash';
  return {
    index,
    warmup,
    status,
    wallMs,
    exitCode: code,
    signal,
    startup: split.startup,
    bootstrap: split.bootstrap,
    init: split.init,
    initComplete: split.initComplete,
    result,
    stdout: Buffer.concat(out).toString('utf8'),
    stderrText: split.text,
  };
}

export interface RunPlan {
  runs: number;
  warmup: number;
  /** Called after each run (warm-up included). */
  onRun?: (outcome: RunOutcome, done: number, total: number) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * Run the warm-up and measured runs one after the other (never in parallel: they would share the cores
 * they are timed on). Stops at the first run that does not import cleanly and returns what it has.
 */
export async function runImports(spec: RunSpec, plan: RunPlan): Promise<RunOutcome[]> {
  const baseEnv = plan.env ?? process.env;
  const prefix = pycachePrefix(spec.interpreter, spec.bytecode, baseEnv);
  mkdirSync(prefix, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'lambda-cold-'));
  const configPath = join(work, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      module: spec.module,
      root: resolve(spec.root),
      layers: spec.layers.map((l) => resolve(l)),
      timeout: spec.timeoutSec,
      result: join(work, 'result.json'),
    }),
  );
  // The user's code, whose bytecode the compile mode throws away before each measured run.
  const userTrees = [spec.root, ...spec.layers].map((d) => prefixSubtree(prefix, d));
  const active = new Set<import('node:child_process').ChildProcess>();
  const total = plan.warmup + plan.runs;
  const outcomes: RunOutcome[] = [];
  const stopChildren = (): void => {
    for (const c of active) c.kill('SIGKILL');
  };
  process.once('exit', stopChildren);
  try {
    for (let i = 0; i < total; i++) {
      const warmup = i < plan.warmup;
      let writeBytecode = true;
      if (spec.bytecode === 'compile' && !warmup) {
        for (const t of userTrees) rmSync(t, { recursive: true, force: true });
        writeBytecode = false;
      }
      const outcome = await runOnce(spec, i, warmup, configPath, runEnv(spec, prefix, writeBytecode, baseEnv), active);
      outcomes.push(outcome);
      plan.onRun?.(outcome, i + 1, total);
      if (outcome.status !== 'ok') break;
    }
  } finally {
    process.removeListener('exit', stopChildren);
    rmSync(work, { recursive: true, force: true });
  }
  return outcomes;
}

/** True when `dir` lies inside `parent` (or is it). */
export function isInside(dir: string, parent: string): boolean {
  const rel = relative(resolve(parent), resolve(dir));
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}
