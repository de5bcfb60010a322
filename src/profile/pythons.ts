// `profile --python A --python B …`: which Python should this function run on? The same handler measured
// on each interpreter, interleaved by the one scheduler (A B B A …; with three, A B C C B A …) so that the
// machine's drift hits them alike, each with its own private bytecode cache (python/cache.ts keys it by the
// interpreter) and its own warm-up while that cache is cold; then each compared with the first.
import { HarnessExecutor, type Executor } from '../benchmark/executor.js';
import { schedule, type SchedulePolicy } from '../benchmark/scheduler.js';
import { comparePythons, type InterpreterSamples } from '../analysis/pythons.js';
import { DEFAULT_ALPHA } from '../gate/types.js';
import { topLevelPackage } from '../importtime/aggregate.js';
import type { ImportNode } from '../importtime/model.js';
import type { Origin } from '../importtime/packages.js';
import { parseOutcome, type ParsedRun } from '../importtime/run.js';
import type { ProfileSession } from '../importtime/session.js';
import { pycachePrefix } from '../python/cache.js';
import { resolveInterpreter, type Interpreter } from '../python/interpreter.js';
import { lambdaRuntimeOf } from '../python/lambda-runtimes.js';
import { runFailed } from '../python/protocol.js';
import type { RunSpec } from '../python/runner.js';
import type { Target } from '../python/target.js';
import type { PythonsInput } from '../render/pythons-input.js';
import { UserError } from '../util/errors.js';
import type { Output } from '../util/output.js';
import { realPath } from '../util/paths.js';
import { toolVersion } from '../version.js';
import type { ProfileOptions } from './options.js';
import { requireLayerFolders, sessionOf } from './runs.js';

/** The flags that make no sense with several interpreters (they measure or check one), as commander names them. */
const REFUSED: ReadonlyArray<readonly [key: string, flag: string, why: string]> = [
  ['against', '--against', 'compares two revisions on one interpreter'],
  ['baseline', '--baseline', 'compares with a baseline of one interpreter'],
  ['saveBaseline', '--save-baseline', 'saves a baseline of one interpreter'],
  ['remote', '--remote', 'measures the deployed function, on its own runtime'],
  ['sam', '--sam', "profiles a template's functions, each on one interpreter"],
  ['fromFile', '--from-file', 'reads captures, which runs no interpreter'],
  ['invoke', '--invoke', 'calls the handler; the interpreters are compared on the init'],
  ['runtime', '--runtime', 'names one runtime; each interpreter stands for the runtime of its own version'],
  ['forbid', '--forbid', 'is the CI gate, which checks one interpreter'],
  ['maxModules', '--max-modules', 'is the CI gate, which checks one interpreter'],
  ['budget', '--budget', 'is the CI gate, which checks one interpreter'],
  ['budgetPackage', '--budget-package', 'is the CI gate, which checks one interpreter'],
  ['speedscope', '--speedscope', 'exports one import tree'],
  ['trace', '--trace', 'exports one import tree'],
  ['html', '--html', 'exports one import tree'],
  ['tree', '--tree', 'prints one import tree'],
  ['memory', '--memory', "words a profile's advice, which a comparison of interpreters does not give"],
  ['functionName', '--function-name', "words a profile's advice, which a comparison of interpreters does not give"],
  ['memoryProfile', '--memory-profile', "words a profile's advice, which a comparison of interpreters does not give"],
];

/**
 * The sentence refusing a flag given with several --python (null: none is). Only flags given on the command
 * line count: a configuration file's settings for one interpreter (the gate's) are left out, with a warning.
 */
export function refusedWithPythons(explicit: ReadonlySet<string>, raw: Record<string, unknown>): string | null {
  for (const [key, flag, why] of REFUSED) {
    if (!explicit.has(key)) continue;
    const v = raw[key];
    if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
    return `${flag} ${why}: run it with one --python, not several.`;
  }
  if (explicit.has('bytecode') && raw.bytecode === 'both') return '--bytecode both measures two variants on one interpreter: give cached or compile with several --python.';
  return null;
}

/** The configuration file's settings that several interpreters leave out (the CI gate's, a baseline). */
export function ignoredFromConfig(o: ProfileOptions, explicit: ReadonlySet<string>): string[] {
  const set = (key: keyof ProfileOptions): boolean => {
    const v = o[key];
    return !explicit.has(key) && v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0);
  };
  return (['forbid', 'maxModules', 'budget', 'budgetPackage', 'baseline', 'saveBaseline', 'against', 'runtime', 'memory', 'functionName', 'memoryProfile'] as const).filter(set);
}

/** How reports and errors name an interpreter: "Python 3.12.1 (python3.12)". */
export function interpreterName(i: Pick<Interpreter, 'version' | 'requested'>): string {
  return `Python ${i.version} (${i.requested})`;
}

/** Resolve each --python once (shims included); two naming the same interpreter is an error. */
export function resolveInterpreters(requested: readonly string[], cwd: string): Interpreter[] {
  const seen = new Map<string, Interpreter>();
  return requested.map((r) => {
    const i = resolveInterpreter(r, cwd);
    const id = realPath(i.executable);
    const before = seen.get(id);
    if (before) throw new UserError(`--python ${before.requested} and --python ${r} are the same interpreter (${id}): give different ones.`);
    seen.set(id, i);
    return i;
  });
}

export interface PythonsPlan {
  runs: number;
  /** Warm-up runs per interpreter; 'auto': one for an interpreter whose private bytecode cache is cold. */
  warmup: number | 'auto';
  onRun?: (interpreter: number, outcome: ParsedRun, done: number, total: number) => void;
}

/**
 * The scheduler's policy for several interpreters: every round reverses the order of the last (A B, B A, …;
 * A B C, C B A, …) so that none always runs first or last; stops at the first run that fails; every
 * interpreter's cache is warm after a clean batch.
 */
export function pythonsPolicy(plan: PythonsPlan): SchedulePolicy<ParsedRun> {
  return { order: 'ABBA', runs: plan.runs, warmup: plan.warmup, stops: runFailed, markWarm: () => true, onRun: plan.onRun };
}

/** Measure every interpreter (variant k of the executor: the k-th --python); each one's outcomes, warm-ups first. */
export function measurePythons(executor: Executor<ParsedRun>, plan: PythonsPlan): Promise<ParsedRun[][]> {
  return schedule(executor, pythonsPolicy(plan));
}

/** Each top-level package's import per run: the cumulative time of its outermost imports (those with no ancestor of the same package). */
export function packagesPerRun(runs: ReadonlyArray<readonly ImportNode[]>, keep: (name: string) => boolean): Map<string, number[]> {
  const out = new Map<string, number[]>();
  runs.forEach((roots, i) => {
    const stack: Array<[ImportNode, ReadonlySet<string>]> = roots.map((r) => [r, new Set<string>()]);
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      const [node, above] = top;
      const pkg = topLevelPackage(node.name);
      if (!node.cached && !above.has(pkg) && keep(pkg)) {
        let row = out.get(pkg);
        if (!row) out.set(pkg, (row = new Array<number>(runs.length).fill(0)));
        row[i] = (row[i] as number) + node.cumulativeUs;
      }
      const below = above.has(pkg) ? above : new Set([...above, pkg]);
      for (const c of node.children) stack.push([c, below]);
    }
  });
  return out;
}

/** One interpreter's samples: its session's runs, packages and modules (probes that found nothing left out). */
export function samplesOf(measured: readonly ParsedRun[], session: ProfileSession): InterpreterSamples {
  const packages = new Set(session.packages.map((p) => p.name));
  const loaded = (name: string): boolean => session.origins.size === 0 || session.origins.has(name);
  return {
    initUs: [...session.aggregate.totalsUs],
    packages: packagesPerRun(
      measured.map((r) => r.init.roots),
      (p) => packages.has(p),
    ),
    modules: new Set(session.aggregate.modules.filter((m) => !m.cached && loaded(m.name)).map((m) => m.name)),
  };
}

/** Run a side's user error again with the interpreter's name in front. */
function naming<T>(i: Interpreter, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    throw new UserError(`${interpreterName(i)}: ${e.message}`, { detail: e.detail, exitCode: e.exitCode, cause: e });
  }
}

/** `profile --python A --python B …`: measure, compare, and hand back the document. */
export async function profilePythons(target: Target, o: ProfileOptions, output: Output): Promise<PythonsInput> {
  requireLayerFolders(o.layer);
  const interpreters = resolveInterpreters(o.pythons, target.root);
  for (const i of interpreters) {
    const r = lambdaRuntimeOf(i.major, i.minor);
    if (r.status === 'deprecated') output.warn(`${interpreterName(i)} stands in for ${r.id}, which Lambda deprecated on ${r.deprecatedOn}: new functions cannot use it`);
    if (r.status === 'none') output.warn(`${interpreterName(i)} has no Lambda runtime (no ${r.id}): its figures say what Lambda would do only once such a runtime exists`);
  }
  const bytecode = o.bytecode === 'compile' ? 'compile' : 'cached';
  const specs: RunSpec[] = interpreters.map((interpreter) => ({
    interpreter,
    module: target.module,
    root: target.root,
    layers: o.layer,
    bytecode,
    timeoutSec: o.timeout,
    noPth: !o.pth,
  }));
  output.progress(`importing ${target.module} on ${interpreters.map((i) => `Python ${i.version}`).join(', ')}…`);
  const results = await measurePythons(new HarnessExecutor(specs, process.env, parseOutcome), {
    runs: o.runs,
    warmup: o.warmup,
    onRun: (k, outcome, done, total) => output.progress(`run ${done}/${total}: Python ${interpreters[k]?.version ?? '?'}${outcome.warmup ? ' (warm-up)' : ''}`),
  });
  output.done();
  const sessions = interpreters.map((i, k) => naming(i, () => sessionOf(results[k] ?? [], target, o, i, o.layer)));
  const preloading = interpreters.filter((_, k) => (sessions[k]?.preloaded?.modules.length ?? 0) > 0);
  if (preloading.length > 0 && preloading.length < interpreters.length) {
    output.warn(
      `.pth files of ${preloading.map(interpreterName).join(', ')} load modules the handler needs at start-up, so the handler looks cheaper there than on the others; compare with --no-pth, as Lambda runs your code`,
    );
  }
  const samples = sessions.map((s, k) => samplesOf((results[k] ?? []).filter((x) => !x.warmup), s));
  const comparison = comparePythons(samples, { alpha: DEFAULT_ALPHA, minDeltaMs: o.minDelta, maxRegressionPct: o.maxRegression });
  const origins: Record<string, Origin> = {};
  for (const s of sessions) for (const p of s.packages) origins[p.name] ??= p.origin;
  return {
    target: { display: target.display, module: target.module, root: target.root, layers: [...o.layer] },
    bytecode,
    runs: o.runs,
    interpreters: interpreters.map((i, k) => ({
      version: i.version,
      implementation: i.implementation,
      executable: i.executable,
      requested: i.requested,
      viaShim: i.viaShim,
      runtime: lambdaRuntimeOf(i.major, i.minor),
      bytecodeCache: pycachePrefix(i, bytecode),
      warmup: (results[k] ?? []).filter((x) => x.warmup).length,
    })),
    comparison,
    origins,
    warnings: sessions.flatMap((s, k) => s.warnings.map((w) => `${interpreterName(interpreters[k] as Interpreter)}: ${w}`)),
    top: o.top,
    toolVersion: toolVersion(),
  };
}
