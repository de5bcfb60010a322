// Runs harness.py in fresh interpreters under `-X importtime`, the way Lambda would import the handler,
// and splits each run's stderr into start-up, runtime-bootstrap and handler-import (init) import trees.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, parse as parsePath, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImportTimeParser } from '../importtime/parse.js';
import type { ParseResult } from '../importtime/model.js';
import { cacheDir } from '../util/paths.js';
import type { Interpreter } from './interpreter.js';
import { isWarm, recordWarm } from './warmth.js';
import { runInterruptCleanups } from '../util/cleanup.js';

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
  /** Call the handler after the import: the first request, then warm ones. */
  invoke?: InvokeConfig;
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
  /** With an invoke config: the first call and the warm calls. */
  invoke: HarnessInvoke | null;
  /** From the collecting run: ast facts of the user's own files (facts.py), or an error. */
  facts: FileFacts[] | { error: string } | null;
}

export interface HarnessInvoke {
  status: 'ok' | 'error';
  /** The function that was called (the first of the candidates that exists). */
  function: string | null;
  firstUs: number | null;
  warmUs: number[];
  error: HarnessError | null;
}

/** What facts.py says of one of the user's files. */
export interface FileFacts {
  module: string;
  file: string;
  error: string | null;
  imports: Array<{
    line: number;
    module: string;
    names: string[];
    kind: 'import' | 'from';
    star?: boolean;
    uses: 'module-level' | 'functions' | 'none';
    firstUseLine: number | null;
  }>;
  clients: Array<{ line: number; call: string; service: string | null }>;
}

/** How the harness calls the handler after the import (issue: phases). */
export interface InvokeConfig {
  /** The handler function, or candidates tried in order (lambda_handler, then handler). */
  function: string | string[];
  event: unknown;
  warm: number;
  functionName?: string;
  memoryMb?: number;
}

export type RunStatus = 'ok' | 'error' | 'timeout' | 'crash';

/** One run's imports, phase by phase. */
export interface RunPhases {
  /** The interpreter's own start-up imports (encodings, site, .pth files). */
  startup: ParseResult;
  /** What the Lambda runtime's bootstrap imports before the handler (json, logging, …). */
  bootstrap: ParseResult;
  /** The handler's import: the init the function pays for. */
  init: ParseResult;
  /** Imports made during the first call (deferred imports): the first request pays for them. */
  invoke: ParseResult;
  /** Imports made during the warm calls. */
  warm: ParseResult;
}

export interface RunOutcome extends RunPhases {
  /** 0-based over all runs, warm-up included. */
  index: number;
  warmup: boolean;
  status: RunStatus;
  /** Wall time of the whole interpreter process, ms. */
  wallMs: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
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

/** harness.py: beside this module in the sources, in dist/python/ once bundled. */
export function harnessPath(): string {
  for (const rel of ['./harness.py', './python/harness.py', '../python/harness.py']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('harness.py is missing from the lambda-cold installation');
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

type Phase = 'startup' | 'bootstrap' | 'init' | 'between' | 'invoke' | 'warm' | 'after';
type ParsedPhase = 'startup' | 'bootstrap' | 'init' | 'invoke' | 'warm';

/** Split one run's stderr into its phases and parse each; returns the non-record text too. */
export function splitRunOutput(stderr: string): RunPhases & { initComplete: boolean; text: string } {
  const parsers: Record<ParsedPhase, ImportTimeParser> = {
    startup: new ImportTimeParser(),
    bootstrap: new ImportTimeParser(),
    init: new ImportTimeParser(),
    invoke: new ImportTimeParser(),
    warm: new ImportTimeParser(),
  };
  const parsed = (p: Phase): p is ParsedPhase => p !== 'after' && p !== 'between';
  let phase: Phase = 'startup';
  let initComplete = false;
  const text: string[] = [];
  const lines = stderr.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const at = line.indexOf(MARKER);
    if (at >= 0) {
      if (at > 0 && parsed(phase)) parsers[phase].push(line.slice(0, at));
      else if (at > 0) text.push(line.slice(0, at));
      const what = line.slice(at + MARKER.length).split(' ')[0];
      if (what === 'startup-end') phase = 'bootstrap';
      else if (what === 'init-begin') phase = 'init';
      else if (what === 'init-end') {
        phase = 'between';
        initComplete = true;
      } else if (what === 'invoke-begin') phase = 'invoke';
      else if (what === 'invoke-end') phase = 'warm';
      else if (what === 'warm-end') phase = 'after';
      continue;
    }
    if (!parsed(phase)) {
      // imports made by the harness after the handler (sysconfig…) are not the handler's
      if (!line.includes('import time:')) text.push(line);
      continue;
    }
    parsers[phase].push(line);
  }
  const startup = parsers.startup.end();
  const bootstrap = parsers.bootstrap.end();
  const init = parsers.init.end();
  const invoke = parsers.invoke.end();
  const warm = parsers.warm.end();
  return {
    startup,
    bootstrap,
    init,
    invoke,
    warm,
    initComplete,
    text: [...startup.output, ...bootstrap.output, ...init.output, ...invoke.output, ...warm.output, ...text].join('\n'),
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
  active: Set<ChildProcess>,
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
    invoke: split.invoke,
    warm: split.warm,
    initComplete: split.initComplete,
    result,
    stdout: Buffer.concat(out).toString('utf8'),
    stderrText: split.text,
  };
}

export interface RunPlan {
  runs: number;
  /** Unmeasured runs first; 'auto': one, unless the private bytecode cache is already warm. */
  warmup: number | 'auto';
  /** Called after each run (warm-up included). */
  onRun?: (outcome: RunOutcome, done: number, total: number) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs one handler's import in fresh interpreters, one run at a time, with its private bytecode cache.
 * `runImports` drives it for a profile; a comparison (base against head) interleaves two of them.
 * Call dispose() when done (it also kills a run still going).
 */
export class ImportRunner {
  readonly prefix: string;
  private readonly work: string;
  private readonly userTrees: string[];
  private readonly active = new Set<ChildProcess>();
  private readonly baseEnv: NodeJS.ProcessEnv;
  private count = 0;
  private readonly stopChildren = (): void => {
    for (const c of this.active) c.kill('SIGKILL');
  };

  constructor(
    readonly spec: RunSpec,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.baseEnv = env;
    this.prefix = pycachePrefix(spec.interpreter, spec.bytecode, env);
    mkdirSync(this.prefix, { recursive: true });
    this.work = mkdtempSync(join(tmpdir(), 'lambda-cold-'));
    // The user's code, whose bytecode the compile mode throws away before each measured run.
    this.userTrees = [spec.root, ...spec.layers].map((d) => prefixSubtree(this.prefix, d));
    process.once('exit', this.stopChildren);
  }

  /** True when a previous profile left this handler's bytecode cache warm (see warmth.ts). */
  isWarm(): boolean {
    return isWarm(this.prefix, this.spec.module, this.spec.root, this.spec.layers);
  }

  /** Record that the cache is warm after a clean profile whose last run collected the module files. */
  markWarm(result: HarnessResult): void {
    recordWarm(this.prefix, this.spec.module, this.spec.root, this.spec.layers, result);
  }

  /**
   * One run. `collect`: also report where every module was loaded from (costs the run a few ms).
   * `harness`: extra settings passed to harness.py as they are.
   */
  async run(opts: { warmup: boolean; collect?: boolean; harness?: Record<string, unknown> }): Promise<RunOutcome> {
    const index = this.count++;
    const dir = join(this.work, String(index));
    mkdirSync(dir);
    const configPath = join(dir, 'config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        ...opts.harness,
        module: this.spec.module,
        root: resolve(this.spec.root),
        layers: this.spec.layers.map((l) => resolve(l)),
        timeout: this.spec.timeoutSec,
        result: join(dir, 'result.json'),
        collect: opts.collect ?? false,
        invoke: this.spec.invoke ?? null,
      }),
    );
    let writeBytecode = true;
    if (this.spec.bytecode === 'compile' && !opts.warmup) {
      for (const t of this.userTrees) rmSync(t, { recursive: true, force: true });
      writeBytecode = false;
    }
    try {
      return await runOnce(this.spec, index, opts.warmup, configPath, runEnv(this.spec, this.prefix, writeBytecode, this.baseEnv), this.active);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  dispose(): void {
    this.stopChildren();
    process.removeListener('exit', this.stopChildren);
    rmSync(this.work, { recursive: true, force: true });
  }

  /** The private folder of this runner's config and result files (removed by dispose). */
  get workDir(): string {
    return this.work;
  }
}

/** A run that must stop the series: the import failed, or (with --invoke) the handler's call did. */
export function runFailed(o: RunOutcome): boolean {
  return o.status !== 'ok' || o.result?.invoke?.status === 'error';
}

/**
 * Run the warm-up and measured runs one after the other (never in parallel: they would share the cores
 * they are timed on). Stops at the first run that fails and returns what it has.
 */
export async function runImports(spec: RunSpec, plan: RunPlan): Promise<RunOutcome[]> {
  return (await runInterleaved([spec], plan))[0] as RunOutcome[];
}

/**
 * Several variants of one import (e.g. cached and compiled bytecode) measured A B A B … so that the
 * machine's drift and noise hit them alike. Each variant gets its own warm-up first.
 */
export async function runInterleaved(specs: readonly RunSpec[], plan: RunPlan): Promise<RunOutcome[][]> {
  const runners = specs.map((s) => new ImportRunner(s, plan.env ?? process.env));
  const results: RunOutcome[][] = specs.map(() => []);
  const warmups = runners.map((r) => (plan.warmup === 'auto' ? (r.isWarm() ? 0 : 1) : plan.warmup));
  const total = warmups.reduce((t, w) => t + w, 0) + plan.runs * specs.length;
  let done = 0;
  // Ctrl-C / SIGTERM: stop the interpreter that is running, remove the temporary files, and leave with
  // the conventional 128 + signal code (nothing of the user's was changed, so nothing to restore).
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const r of runners) r.dispose();
    runInterruptCleanups();
    process.stderr.write(`\nlambda-cold: interrupted (${signal}); no profile was written.\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const step = async (k: number, warmup: boolean, collect: boolean): Promise<boolean> => {
    const outcome = await (runners[k] as ImportRunner).run({ warmup, collect });
    (results[k] as RunOutcome[]).push(outcome);
    plan.onRun?.(outcome, ++done, total);
    return !runFailed(outcome);
  };
  try {
    for (let k = 0; k < runners.length; k++) {
      for (let i = 0; i < (warmups[k] as number); i++) if (!(await step(k, true, false))) return results;
    }
    for (let i = 0; i < plan.runs; i++) {
      for (let k = 0; k < runners.length; k++) {
        // the last run of each variant also reports where every module came from (the others skip that work)
        if (!(await step(k, false, i === plan.runs - 1))) return results;
      }
    }
    runners.forEach((r, k) => {
      const last = (results[k] as RunOutcome[])[plan.runs - 1 + (warmups[k] as number)];
      if (last?.result) r.markWarm(last.result);
    });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    for (const r of runners) r.dispose();
  }
  return results;
}
