// The run path of `profile`: the handler imported in fresh interpreters (the harness and its runner),
// each run's outcome turned into a session, or into the one sentence that says what went wrong.
// Loaded only when Python runs: `profile --from-file` never pays for child_process and crypto.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HarnessExecutor } from '../benchmark/executor.js';
import { schedule, type SchedulePolicy } from '../benchmark/scheduler.js';
import { parseOutcome, type ParsedRun } from '../importtime/run.js';
import { compareBytecode, sessionFromRuns, type ProfileSession, type RunContext } from '../importtime/session.js';
import type { Interpreter } from '../python/interpreter.js';
import { ownersOf } from '../python/distributions.js';
import { runtimeModules } from '../python/runtime-modules.js';
import { resolveInterpreter } from '../python/interpreter.js';
import { runFailed } from '../python/protocol.js';
import type { RunSpec } from '../python/runner.js';
import type { Target } from '../python/target.js';
import { fromImportNodes, renderTree } from '../render/tree.js';
import { UserError } from '../util/errors.js';
import type { Output } from '../util/output.js';
import type { ProfileOptions } from './options.js';
import { attributeStatements } from './statements.js';

export { resolveInterpreter };
export { resolveTarget } from '../python/target.js';

/** The partial tree of a run that did not finish its import cleanly. */
function partialTree(outcome: ParsedRun): string {
  if (outcome.init.roots.length === 0) return 'No module finished importing before it stopped.';
  return `What finished importing before it stopped (raw µs of this run, as ms):\n${renderTree(fromImportNodes(outcome.init.roots))}`;
}

function where(loc: { file: string; line: number } | null, root: string): string {
  if (!loc) return '';
  const rel = relative(root, loc.file);
  return ` (${rel.startsWith('..') ? loc.file : rel}:${loc.line})`;
}

/** Turn a run that did not import cleanly into the one sentence (plus traceback and partial tree). */
export function failure(outcome: ParsedRun, target: Target, layers: readonly string[], timeoutSec: number): UserError {
  const tree = partialTree(outcome);
  const output = outcome.stderrText.trim();
  if (outcome.status === 'timeout') {
    const stack = output ? `${output}\n\n` : '';
    return new UserError(
      `Importing ${target.module} did not finish within --timeout ${timeoutSec} s: it hangs or is slower than that at import; the stacks below show where it was.`,
      { detail: `${stack}${tree}` },
    );
  }
  if (outcome.status === 'crash') {
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
    return new UserError(`Python ${how} while importing ${target.module}, before the import finished.`, {
      detail: `${output ? `${output}\n\n` : ''}${tree}`,
    });
  }
  const err = outcome.result?.error;
  const tb = err?.traceback?.trim() ?? output;
  const detail = `${tb}\n\n${tree}`;
  if (err?.missingModule) {
    const missing = err.missingModule;
    if (missing === target.module || target.module.startsWith(`${missing}.`)) {
      return new UserError(
        `No module named ${missing} under the task root ${target.root}: check the target and --root.`,
        { detail: tb },
      );
    }
    const requirements = join(target.root, 'requirements.txt');
    const hint = existsSync(requirements)
      ? ` The task root has a requirements.txt whose dependencies are not installed in it: lambda-cold installs nothing, so install them as the deployment does (pip install -r ${requirements} -t ${target.root}, or into a layer given with --layer) and profile again.`
      : layers.length === 0
        ? ' If it comes from a Lambda layer, pass the layer with --layer <dir>; otherwise install it into the task root.'
        : " It is in neither the task root, the layers given, nor the interpreter's site-packages.";
    return new UserError(
      `${target.module} imports ${missing}, which cannot be found${where(err.location, target.root)}.${hint}`,
      { detail },
    );
  }
  if (err?.type === 'SyntaxError' || err?.type === 'IndentationError' || err?.type === 'TabError') {
    return new UserError(`Syntax error in the handler's code${where(err.location, target.root)}: ${err.message}.`, { detail });
  }
  return new UserError(
    `The handler's import (${target.module}) raised ${err?.type ?? 'an exception'}${err?.message ? `: ${err.message}` : ''}${where(err?.location ?? null, target.root)}.`,
    { detail },
  );
}

/** `--handler`: `module.function` or `function`; without it, lambda_handler then handler. */
function handlerFunction(handler: string | undefined, module: string): string | string[] {
  if (!handler) return ['lambda_handler', 'handler'];
  const dot = handler.lastIndexOf('.');
  if (dot < 0) return handler;
  const mod = handler.slice(0, dot);
  if (mod !== module) {
    throw new UserError(`--handler ${handler} names the module ${mod}, but the target imports ${module}: give the target's module (or only the function name).`);
  }
  return handler.slice(dot + 1);
}

function readEvent(invoke: true | string | undefined): { event: unknown; file: string | null } {
  if (invoke === undefined || invoke === true) return { event: {}, file: null };
  if (!existsSync(invoke)) throw new UserError(`The event file ${invoke} does not exist.`);
  try {
    return { event: JSON.parse(readFileSync(invoke, 'utf8')) as unknown, file: invoke };
  } catch (e) {
    throw new UserError(`The event file ${invoke} is not valid JSON: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

export interface ProfileResult {
  session: ProfileSession;
  /** Set when the handler's call raised (with --invoke): reported after the init profile. */
  invokeError: UserError | null;
}

/** Every --layer folder exists, or the sentence that refuses the first one missing. */
export function requireLayerFolders(layers: readonly string[]): void {
  for (const l of layers) {
    if (!existsSync(l) || !statSync(l).isDirectory()) throw new UserError(`The layer folder ${l} does not exist.`);
  }
}

export async function profileRuns(target: Target, o: ProfileOptions, output: Output): Promise<ProfileResult> {
  requireLayerFolders(o.layer);
  for (const l of o.layer) {
    if (!existsSync(join(l, 'python'))) {
      output.warn(
        `the layer folder ${l} has no python/ folder: Lambda extracts a layer into /opt and puts only /opt/python and /opt/python/lib/pythonX.Y/site-packages on sys.path, never /opt itself, so nothing in it is importable (here either). Put its packages under ${join(l, 'python')}/.`,
      );
    }
  }
  const interpreter = resolveInterpreter(o.python, target.root);
  const localRuntime = `python${interpreter.major}.${interpreter.minor}`;
  if (o.runtime && o.runtime !== localRuntime) {
    output.warn(
      `the function runs on ${o.runtime} but this profile uses Python ${interpreter.version} (${interpreter.executable}): import times and bytecode differ between versions; pass --python with a ${o.runtime.replace('python', 'Python ')} interpreter for faithful figures.`,
    );
  }
  const event = o.invoke === undefined ? null : readEvent(o.invoke);
  const base: RunSpec = {
    interpreter,
    module: target.module,
    root: target.root,
    layers: o.layer,
    bytecode: o.bytecode === 'compile' ? 'compile' : 'cached',
    timeoutSec: o.timeout,
    noPth: !o.pth,
    invoke: event ? { function: handlerFunction(o.handler, target.module), event: event.event, warm: o.warm } : undefined,
  };
  const specs = o.bytecode === 'both' ? [base, { ...base, bytecode: 'compile' as const }] : [base];
  output.progress(`Python ${interpreter.version}: importing ${target.module}…`);
  // the variants (bytecode cached and compiled) A B A B …; every variant's cache is warm after a clean batch
  const results = await schedule(new HarnessExecutor(specs, process.env, parseOutcome), {
    order: 'ABAB',
    runs: o.runs,
    warmup: o.warmup,
    stops: runFailed,
    markWarm: () => true,
    onRun: (_variant, outcome, done, total) => {
      const last = outcome.status === 'ok' ? ` (last: ${(outcome.init.roots.reduce((t, r) => t + r.cumulativeUs, 0) / 1000).toFixed(1)} ms)` : '';
      output.progress(`run ${done}/${total}${outcome.warmup ? ' (warm-up)' : ''}${last}`);
    },
  });
  output.done();
  const all = results.flat();
  const bad = all.find((x) => x.status !== 'ok');
  if (bad) throw failure(bad, target, o.layer, o.timeout);
  const outcomes = results[0] as ParsedRun[];
  const invokeFailed = all.find((x) => x.result?.invoke?.status === 'error');
  // with a failing call, the init profile still stands: measured runs, or the warm-up if none finished
  let measured = outcomes.filter((x) => !x.warmup);
  if (measured.length === 0) measured = outcomes.map((x) => ({ ...x, warmup: false }));
  const invokedFn = measured.find((x) => x.result?.invoke?.function)?.result?.invoke?.function;
  const session = sessionFromRuns(measured, {
    ...runContext(outcomes, target, o, interpreter, o.layer),
    invoke: event && !invokeFailed ? { handler: `${target.module}.${invokedFn ?? String(base.invoke?.function)}`, eventFile: event.file, warmCalls: o.warm } : undefined,
  });
  if (o.bytecode === 'both') {
    const compiled = (results[1] as ParsedRun[]).filter((x) => !x.warmup);
    session.bytecodeComparison = compareBytecode(session, sessionFromRuns(compiled, { ...runContext(compiled, target, o, interpreter, o.layer), bytecode: 'compile' }));
  }
  // after the measured runs, whose figures it leaves untouched (src/profile/statements.ts)
  if (o.statements && !invokeFailed) session.statements = await attributeStatements(base, session, measured, output);
  let invokeError: UserError | null = null;
  if (invokeFailed) {
    const err = invokeFailed.result?.invoke?.error;
    invokeError = new UserError(
      err?.type === 'HandlerNotFound'
        ? `${err.message}: pass the function with --handler module.function.`
        : `The handler raised ${err?.type ?? 'an exception'}${err?.message ? `: ${err.message}` : ''} on its first call${where(err?.location ?? null, target.root)} (the init profile above stands).`,
      { detail: err?.traceback?.trim() || undefined },
    );
  }
  return { session, invokeError };
}


/** What a session says about how its runs were made. */
function runContext(outcomes: readonly ParsedRun[], target: Target, o: ProfileOptions, interpreter: Interpreter, layers: readonly string[]): RunContext {
  return {
    target: { display: target.display, module: target.module, root: target.root, path: target.path, layers: [...layers], layerPaths: [] },
    python: {
      version: interpreter.version,
      implementation: interpreter.implementation,
      executable: interpreter.executable,
      requested: interpreter.requested,
      viaShim: interpreter.viaShim,
      platform: outcomes[0]?.result?.python.platform ?? process.platform,
    },
    bytecode: o.bytecode === 'compile' ? 'compile' : 'cached',
    warmup: outcomes.filter((x) => x.warmup).length,
    runtime: o.runtime ?? null,
    owners: ownersOf(outcomes.filter((x) => !x.warmup).at(-1)?.result?.modules ?? {}),
    runtimeModules: o.pth ? runtimeModules(interpreter) : null,
  };
}

/** One side of a comparison: its runs as a session, or the sentence saying why they failed. */
export function sessionOf(outcomes: readonly ParsedRun[], target: Target, o: ProfileOptions, interpreter: Interpreter, layers: readonly string[]): ProfileSession {
  const bad = outcomes.find((x) => x.status !== 'ok');
  if (bad) throw failure(bad, target, [...layers], o.timeout);
  return sessionFromRuns(
    outcomes.filter((x) => !x.warmup),
    runContext(outcomes, target, o, interpreter, layers),
  );
}

export interface SideOutcomes {
  base: ParsedRun[];
  head: ParsedRun[];
}

export interface InterleavePlan {
  runs: number;
  /** Warm-up runs per side; 'auto': one for a side whose private bytecode cache is cold. */
  warmup: number | 'auto';
  onRun?: (side: 'base' | 'head', outcome: ParsedRun, done: number, total: number) => void;
  env?: NodeJS.ProcessEnv;
}

const SIDES = ['base', 'head'] as const;

/**
 * The gate's policy, base (variant 0) against head (variant 1): A B B A … so that whatever else the machine
 * is doing hits both sides alike and neither side always runs first. Stops at the first run that does not
 * import cleanly (its outcome is the last of its side). Only the head's cache is marked warm, after a
 * warm-up: the base is a temporary checkout whose bytecode is dropped afterwards.
 */
export function gatePolicy(plan: InterleavePlan): SchedulePolicy<ParsedRun> {
  return {
    order: 'ABBA',
    runs: plan.runs,
    warmup: plan.warmup,
    stops: (outcome) => outcome.status !== 'ok',
    markWarm: (k, warmedUp) => SIDES[k] === 'head' && warmedUp,
    onRun: plan.onRun ? (k, outcome, done, total) => plan.onRun?.(SIDES[k] ?? 'head', outcome, done, total) : undefined,
  };
}

/** Measure base against head with the gate's policy. */
export async function measureInterleaved(baseSpec: RunSpec, headSpec: RunSpec, plan: InterleavePlan): Promise<SideOutcomes> {
  const [base = [], head = []] = await schedule(new HarnessExecutor([baseSpec, headSpec], plan.env ?? process.env, parseOutcome), gatePolicy(plan));
  return { base, head };
}
