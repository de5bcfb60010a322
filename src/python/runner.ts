// Runs harness.py in fresh interpreters under `-X importtime`, the way Lambda would import the handler,
// one run at a time, and hands back each run's raw outcome: its stderr cut into phases by the harness's
// markers (protocol.ts) and the harness's result file. Parsing the import-time lines is the model's job.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { factsCachePath, graphCachePath, harnessBytecodePath, prefixSubtree, pycachePrefix, type BytecodeMode } from './cache.js';
import type { Interpreter } from './interpreter.js';
import { runFailed, runStatus, splitRunOutput, type HarnessResult, type InvokeConfig, type RunOutcome } from './protocol.js';
import { isWarm, recordWarm } from './warmth.js';
import { onInterrupt } from '../util/cleanup.js';

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
  /** Start without processing .pth files (python -S; the harness puts site-packages on sys.path itself). */
  noPth?: boolean;
}

const MAX_CAPTURE = 4 * 1024 * 1024;

let harnessFile: string | undefined;

/** harness.py: beside this module in the sources, in dist/python/ once bundled (facts.py beside it). */
function harnessPath(): string {
  if (harnessFile) return harnessFile;
  for (const rel of ['./harness.py', './python/harness.py', '../python/harness.py']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return (harnessFile = p);
  }
  throw new Error('harness.py is missing from the lambda-cold installation');
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

function capped(chunks: Buffer[], size: number, chunk: Buffer): number {
  if (size < MAX_CAPTURE) chunks.push(chunk);
  return size + chunk.length;
}

async function runOnce(
  spec: RunSpec,
  index: number,
  warmup: boolean,
  files: { script: string; config: string; result: string },
  env: NodeJS.ProcessEnv,
  active: Set<ChildProcess>,
): Promise<RunOutcome> {
  const args = ['-X', 'importtime', ...(spec.noPth ? ['-S'] : []), files.script, files.config];
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
  const { phases, otherLines, initComplete } = splitRunOutput(stderr);
  let result: HarnessResult | null = null;
  try {
    result = JSON.parse(readFileSync(files.result, 'utf8')) as HarnessResult;
  } catch {
    result = null;
  }
  return {
    index,
    warmup,
    status: runStatus(result, initComplete, killed, stderr),
    wallMs,
    exitCode: code,
    signal,
    initComplete,
    result,
    stdout: Buffer.concat(out).toString('utf8'),
    phases,
    otherLines,
  };
}

/**
 * Runs one handler's import in fresh interpreters, one run at a time, with its private bytecode cache.
 * The benchmark scheduler drives one per variant (src/benchmark/). Its temporary folder and running
 * interpreter are registered with the interrupt handler (util/cleanup.ts) until dispose().
 */
export class ImportRunner {
  readonly prefix: string;
  private readonly work: string;
  /** The harness's bytecode for this interpreter (written by the first run that finds it missing). */
  private readonly harnessPyc: string;
  private readonly userTrees: string[];
  private readonly active = new Set<ChildProcess>();
  private readonly baseEnv: NodeJS.ProcessEnv;
  private count = 0;
  private readonly unregister: () => void;

  constructor(
    readonly spec: RunSpec,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.baseEnv = env;
    this.prefix = pycachePrefix(spec.interpreter, spec.bytecode, env);
    mkdirSync(this.prefix, { recursive: true });
    this.work = mkdtempSync(join(tmpdir(), 'lambda-cold-'));
    this.harnessPyc = harnessBytecodePath(spec.interpreter, harnessPath(), env);
    // The user's code, whose bytecode the compile mode throws away before each measured run.
    this.userTrees = [spec.root, ...spec.layers].map((d) => prefixSubtree(this.prefix, d));
    // interrupted, nothing is written: the report comes after the runs
    this.unregister = onInterrupt(() => this.dispose(), 'no profile was written');
  }

  /** True when a previous profile left this handler's bytecode cache warm (see warmth.ts). */
  isWarm(): boolean {
    // a warm-up also records the import graph: without a recorded graph, the cache is not warm yet
    return isWarm(this.prefix, this.spec.module, this.spec.root, this.spec.layers) && existsSync(graphCachePath(this.spec.interpreter, this.spec.root, this.spec.module, this.baseEnv, this.spec.noPth));
  }

  /** Record that the cache is warm after a clean profile whose last run collected the module files. */
  markWarm(result: HarnessResult): void {
    recordWarm(this.prefix, this.spec.module, this.spec.root, this.spec.layers, result);
  }

  /**
   * One run. `collect`: also report where every module was loaded from and the ast facts (costs the run a few ms).
   * `attribute`: the attribution run, timing the top-level statements of these files (never a measured run).
   */
  async run(opts: { warmup: boolean; collect?: boolean; attribute?: readonly string[] }): Promise<RunOutcome> {
    const index = this.count++;
    const source = harnessPath();
    const compiled = existsSync(this.harnessPyc);
    const files = { script: compiled ? this.harnessPyc : source, config: join(this.work, `config-${index}.json`), result: join(this.work, `result-${index}.json`) };
    writeFileSync(
      files.config,
      JSON.stringify({
        module: this.spec.module,
        root: resolve(this.spec.root),
        layers: this.spec.layers.map((l) => resolve(l)),
        timeout: this.spec.timeoutSec,
        result: files.result,
        collect: opts.collect ?? false,
        invoke: this.spec.invoke ?? null,
        facts: join(dirname(source), 'facts.py'),
        factsCache: opts.collect ? factsCachePath(this.spec.interpreter, this.spec.root, this.baseEnv) : null,
        // the import requests: recorded in a warm-up run (unmeasured), read back by the collecting run
        graphCache: opts.warmup || opts.collect ? graphCachePath(this.spec.interpreter, this.spec.root, this.spec.module, this.baseEnv, this.spec.noPth) : null,
        recordImports: opts.warmup,
        // the attribution run (statements.py): the user's module files whose statements are timed
        statements: opts.attribute ? { files: opts.attribute } : null,
        source,
        compileTo: compiled ? null : this.harnessPyc,
      }),
    );
    let writeBytecode = true;
    if (this.spec.bytecode === 'compile' && !opts.warmup) {
      for (const t of this.userTrees) rmSync(t, { recursive: true, force: true });
      writeBytecode = false;
    }
    try {
      return await runOnce(this.spec, index, opts.warmup, files, runEnv(this.spec, this.prefix, writeBytecode, this.baseEnv), this.active);
    } finally {
      rmSync(files.config, { force: true });
      rmSync(files.result, { force: true });
    }
  }

  /** Kill a run still going and remove the temporary folder (idempotent). */
  dispose(): void {
    for (const c of this.active) c.kill('SIGKILL');
    this.unregister();
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** One run of a handler's import (module files collected), as `package --handler` needs; a clean run marks the cache warm. */
export async function importOnce(spec: RunSpec, env: NodeJS.ProcessEnv = process.env): Promise<RunOutcome> {
  const runner = new ImportRunner(spec, env);
  try {
    const outcome = await runner.run({ warmup: false, collect: true });
    if (!runFailed(outcome) && outcome.result) runner.markWarm(outcome.result);
    return outcome;
  } finally {
    runner.dispose();
  }
}
