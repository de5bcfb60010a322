// A profile session: everything one `profile` produced, the input of every renderer
// (like pyinstrument's Session). Built from harness runs or from captured -X importtime files.
import { summarize, type Summary } from '../model/summary.js';
import type { FileFacts, HarnessResult } from '../python/protocol.js';
import type { ParsedRun } from './run.js';
import { aggregateRuns, topLevelPackage, treeTotalUs, type Aggregate } from './aggregate.js';
import type { ImportNode, ImportRecord, ParseResult, ParseWarning } from './model.js';
import type { Owner } from '../python/distributions.js';
import type { ImportEdge } from '../model/import-edge.js';
import { preloadedByPth, type Preloaded } from './startup.js';
import { packageStats, type Origin, type PackageStat } from './packages.js';
import type { StatementAttribution } from './statements.js';

export interface SessionPython {
  version: string;
  implementation: string;
  executable: string;
  requested: string;
  viaShim: boolean;
  platform: string;
}

export interface ProfileSession {
  /** run: local runs of the handler; file: captured files; remote: the runtime's own `-X importtime` inside Lambda. */
  source: 'run' | 'file' | 'remote';
  /** What was imported (run) or which files were read (file). */
  target: { display: string; module: string; root: string; path: string | null; layers: string[]; layerPaths: string[] } | null;
  files: string[];
  python: SessionPython | null;
  bytecode: 'cached' | 'compile' | null;
  warmup: number;
  aggregate: Aggregate;
  packages: PackageStat[];
  /** The interpreter's own start-up imports per run (not charged to the handler). */
  startup: { totalUs: Summary; moduleCount: number; modules: Aggregate | null } | null;
  /** Start-up modules loaded by .pth files that the handler's import asked for (null: unknown). */
  preloaded: Preloaded | null;
  /** The Lambda runtime bootstrap's imports (json, logging, …): not charged either. */
  bootstrap: { totalUs: Summary; moduleCount: number } | null;
  /** The handler import's wall time as the harness timed it (includes -X importtime's own overhead). */
  initWallUs: Summary | null;
  /** Modules that something tried to import and that were not found (optional-dependency probes). */
  missing: string[];
  /** from-file: every record, in file order, raw. */
  records: ImportRecord[] | null;
  warnings: string[];
  /** Python-side origin of each top-level package and module (run mode). */
  origins: Map<string, Origin>;
  /** Whose code each module is: the user's, a third-party distribution's, the standard library's (run mode). */
  owners: Map<string, Owner>;
  /**
   * Per measured run: the interpreter's start-up plus the runtime bootstrap (µs) — the same work in every
   * run, which the handler's code cannot change: a gauge of how fast the machine was during that run
   * (the CI gate's control variate). Null for captured files.
   */
  controlUsPerRun: number[] | null;
  /**
   * Per module of the standard library imported by the handler (run mode): its self time in each measured
   * run (0 when a run did not import it). Its code is fixed by the Python version, so the CI gate counts
   * its run-to-run variation as the machine's. Null for captured files.
   */
  stdlibSelfUsPerRun: Map<string, number[]> | null;
  /** Where each module was loaded from (run mode). */
  moduleFiles: Map<string, string>;
  /** With --invoke: the imports the first call made, and the calls' durations. */
  invocation: Invocation | null;
  /** ast facts of the user's own files (run mode). */
  facts: FileFacts[];
  /** Every import request of the handler's import (who asked for which module), when a warm-up run recorded it. */
  importEdges: ImportEdge[] | null;
  /** With --bytecode both: what shipping .pyc saves. */
  bytecodeComparison: BytecodeComparison | null;
  /** The function's runtime (--runtime or a SAM template), when known: e.g. "python3.12". */
  runtime: string | null;
  /** The top-level statements of the user's modules, from the attribution run (run mode, when it ran). */
  statements?: StatementAttribution | null;
  /** source remote: which function, and the log streams (execution environments) the runs came from. */
  remote?: RemoteInfo;
}

/** Where a remote profile was measured. */
export interface RemoteInfo {
  functionName: string;
  region: string;
  logGroup: string;
  /** One per measured run (cold start), in run order. */
  logStreams: string[];
  /** With a local target as well: per top-level package, local and Lambda cost side by side. */
  comparison: PackageComparison | null;
}

export interface PackageComparison {
  /** The local target as shown (its display name) and its handler import's median (µs). */
  local: { display: string; importUs: number };
  /** Σ cumulative medians of each top-level package's outermost imports; null where one side never imported it. */
  packages: Array<{ name: string; localUs: number | null; lambdaUs: number | null; ratio: number | null }>;
}

/** One cold start inside Lambda: its log stream, the parsed init output, its REPORT's Init Duration. */
export interface RemoteRun {
  logStream: string;
  parsed: ParseResult;
  initDurationMs: number | null;
}

/**
 * The runtime's own `-X importtime` of each cold start, aggregated across runs as local runs are. Everything
 * the runtime imported is there, its bootstrap included; the handler module has no line (Lambda loads it with
 * importlib.import_module), so its top-level imports are roots.
 */
export function sessionFromRemote(
  runs: readonly RemoteRun[],
  info: Omit<RemoteInfo, 'logStreams' | 'comparison'> & { runtime: string | null },
): ProfileSession {
  const aggregate = aggregateRuns(runs.map((r) => ({ roots: r.parsed.roots })));
  const warnings = parserWarnings(
    runs.map((r) => r.parsed),
    (i) => `run ${i + 1} (${runs[i]?.logStream ?? '?'})`,
  );
  if (aggregate.differences.length > 0) {
    const shown = aggregate.differences
      .slice(0, 5)
      .map((d) => `${d.name} (runs ${d.presentIn.join(', ')})`)
      .join('; ');
    warnings.push(`the cold starts did not all import the same modules: ${aggregate.differences.length} module(s) were missing from some runs: ${shown}`);
  }
  const inits = runs.flatMap((r) => (r.initDurationMs === null ? [] : [r.initDurationMs * 1000]));
  return {
    ...sessionFromFiles([], []),
    source: 'remote',
    records: null,
    aggregate,
    packages: packageStats(aggregate.modules),
    initWallUs: inits.length > 0 ? summarize(inits) : null,
    warnings,
    runtime: info.runtime,
    remote: { functionName: info.functionName, region: info.region, logGroup: info.logGroup, logStreams: runs.map((r) => r.logStream), comparison: null },
  };
}

/** Local and Lambda cost per top-level package (cumulative medians), the costliest first. */
export function comparePackages(local: ProfileSession, remote: ProfileSession): PackageComparison {
  const localBy = new Map(local.packages.map((p) => [p.name, p.cumulativeUs]));
  const names = [...remote.packages.map((p) => p.name), ...local.packages.map((p) => p.name).filter((n) => !remote.packages.some((p) => p.name === n))];
  const remoteBy = new Map(remote.packages.map((p) => [p.name, p.cumulativeUs]));
  return {
    local: { display: local.target?.display ?? local.files.join(' '), importUs: local.aggregate.totalUs.median },
    packages: names.map((name) => {
      const localUs = localBy.get(name) ?? null;
      const lambdaUs = remoteBy.get(name) ?? null;
      return { name, localUs, lambdaUs, ratio: localUs !== null && lambdaUs !== null && localUs > 0 ? lambdaUs / localUs : null };
    }).sort((a, b) => Math.max(b.lambdaUs ?? 0, b.localUs ?? 0) - Math.max(a.lambdaUs ?? 0, a.localUs ?? 0)),
  };
}

export interface Invocation {
  /** module.function that was called. */
  handler: string;
  eventFile: string | null;
  /** Imports made during the first call (deferred imports), aggregated across runs. */
  imports: Aggregate;
  firstUs: Summary;
  warmUs: Summary;
  warmCalls: number;
}

export interface BytecodeComparison {
  cachedUs: Summary;
  compileUs: Summary;
  savingUs: number;
  packages: Array<{ name: string; origin: Origin; cachedUs: number; compileUs: number; savingUs: number }>;
}

function parserWarnings(results: readonly ParseResult[], label: (i: number) => string): string[] {
  const out: string[] = [];
  results.forEach((r, i) => {
    const byKind = new Map<string, ParseWarning[]>();
    for (const w of r.warnings) byKind.set(w.kind, [...(byKind.get(w.kind) ?? []), w]);
    for (const [kind, ws] of byKind) {
      const first = ws[0] as ParseWarning;
      out.push(`${label(i)}: ${ws.length} × ${kind} (first at line ${first.line}: ${first.message})`);
    }
  });
  return out;
}

function countModules(results: readonly ParseResult[]): number {
  return results.length === 0 ? 0 : Math.round(summarize(results.map((r) => r.records.length)).median);
}

export function originsFrom(result: HarnessResult | null): Map<string, Origin> {
  const origins = new Map<string, Origin>();
  if (!result) return origins;
  for (const [name, info] of Object.entries(result.modules)) origins.set(name, info.origin);
  return origins;
}

/** Self time per run of each standard-library module (by name) imported during the handler's import. */
export function stdlibSelfPerRun(runs: ReadonlyArray<readonly ImportNode[]>, origins: ReadonlyMap<string, Origin>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const isStdlib = (name: string): boolean => {
    const o = origins.get(name) ?? origins.get(topLevelPackage(name));
    return o === 'stdlib' || o === 'builtin';
  };
  runs.forEach((roots, i) => {
    const stack = [...roots];
    while (stack.length > 0) {
      const n = stack.pop() as ImportNode;
      stack.push(...n.children);
      if (n.cached || !isStdlib(n.name)) continue;
      let row = out.get(n.name);
      if (!row) {
        row = new Array<number>(runs.length).fill(0);
        out.set(n.name, row);
      }
      row[i] = (row[i] as number) + n.selfUs;
    }
  });
  return out;
}

export interface RunContext {
  target: ProfileSession['target'];
  python: SessionPython;
  bytecode: 'cached' | 'compile';
  warmup: number;
  invoke?: { handler: string; eventFile: string | null; warmCalls: number };
  runtime?: string | null;
  /** Whose code each module is (src/python/distributions.ts), read by the orchestration from the last run's module files. */
  owners?: ReadonlyMap<string, Owner>;
  /** What Lambda's own start-up and bootstrap load for this interpreter (python/runtime-modules.ts), when known. */
  runtimeModules?: ReadonlySet<string> | null;
}

function filesFrom(result: HarnessResult | null): Map<string, string> {
  const files = new Map<string, string>();
  if (!result) return files;
  for (const [name, info] of Object.entries(result.modules)) if (info.file) files.set(name, info.file);
  return files;
}

/** The measured runs (warm-up excluded) of a clean profile. */
export function sessionFromRuns(outcomes: readonly ParsedRun[], ctx: RunContext): ProfileSession {
  const measured = outcomes.filter((o) => !o.warmup);
  const aggregate = aggregateRuns(measured.map((o) => ({ roots: o.init.roots })));
  const last = measured[measured.length - 1]?.result ?? null;
  const origins = originsFrom(last);
  const owners = new Map(ctx.owners ?? []);
  const missing = new Set<string>();
  for (const o of measured) for (const m of o.result?.missing ?? []) missing.add(m);
  const warnings = parserWarnings(
    measured.map((o) => o.init),
    (i) => `run ${i + 1}`,
  );
  if (aggregate.differences.length > 0) {
    const shown = aggregate.differences
      .slice(0, 5)
      .map((d) => `${d.name} (runs ${d.presentIn.join(', ')})`)
      .join('; ');
    const more = aggregate.differences.length > 5 ? ` and ${aggregate.differences.length - 5} more` : '';
    warnings.push(
      `the runs did not all import the same modules: ${aggregate.differences.length} module(s) were missing from some runs: ${shown}${more}`,
    );
  }
  const target = ctx.target && last ? { ...ctx.target, layerPaths: last.layerPaths } : ctx.target;
  let invocation: Invocation | null = null;
  if (ctx.invoke) {
    invocation = {
      handler: ctx.invoke.handler,
      eventFile: ctx.invoke.eventFile,
      imports: aggregateRuns(measured.map((o) => ({ roots: o.invoke.roots }))),
      firstUs: summarize(measured.flatMap((o) => (o.result?.invoke?.firstUs != null ? [o.result.invoke.firstUs] : []))),
      warmUs: summarize(measured.flatMap((o) => o.result?.invoke?.warmUs ?? [])),
      warmCalls: ctx.invoke.warmCalls,
    };
  }
  const facts = last?.facts;
  const startup = {
    totalUs: summarize(measured.map((o) => treeTotalUs(o.startup.roots))),
    moduleCount: countModules(measured.map((o) => o.startup)),
    modules: aggregateRuns(measured.map((o) => ({ roots: o.startup.roots }))),
  };
  // every module asked for during init, with the packages above it (importing a.b imports a)
  const requested = last?.imports ? new Set(last.imports.flatMap(([, m]) => m.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.')))) : null;
  const preloaded = preloadedByPth(startup.modules, requested, ctx.runtimeModules ?? null);
  if (preloaded && preloaded.modules.length > 0) {
    const shown = preloaded.requested.slice(0, 6).join(', ');
    warnings.push(
      `start-up had already loaded ${preloaded.modules.length} module(s) the handler needs (${shown}${preloaded.requested.length > 6 ? ', …' : ''} and what they import; ${(preloaded.us / 1000).toFixed(1)} ms here): .pth files of site-packages imported them, so they are not in the handler's figures. ` +
        'Lambda processes no .pth file of the task root or layers: there the handler pays for them. --no-pth measures them.',
    );
  }
  if (facts && !Array.isArray(facts)) warnings.push(`could not read the handler's source for advice: ${facts.error}`);
  return {
    source: 'run',
    target,
    files: [],
    python: ctx.python,
    bytecode: ctx.bytecode,
    warmup: ctx.warmup,
    aggregate,
    packages: packageStats(aggregate.modules, origins, owners),
    startup,
    preloaded,
    bootstrap: {
      totalUs: summarize(measured.map((o) => treeTotalUs(o.bootstrap.roots))),
      moduleCount: countModules(measured.map((o) => o.bootstrap)),
    },
    initWallUs: summarize(measured.flatMap((o) => (o.result ? [o.result.initWallUs] : []))),
    missing: [...missing],
    records: null,
    warnings,
    origins,
    owners,
    controlUsPerRun: measured.map((o) => treeTotalUs(o.startup.roots) + treeTotalUs(o.bootstrap.roots)),
    stdlibSelfUsPerRun: stdlibSelfPerRun(measured.map((o) => o.init.roots), origins),
    moduleFiles: filesFrom(last),
    invocation,
    facts: Array.isArray(facts) ? facts : [],
    importEdges: last?.imports ? last.imports.map(([importer, imported]) => ({ importer: importer ?? '__main__', imported })) : null,
    bytecodeComparison: null,
    runtime: ctx.runtime ?? null,
  };
}

/** Captured -X importtime output: each file is one run; `records` keeps every line raw. */
export function sessionFromFiles(files: readonly string[], parsed: readonly ParseResult[]): ProfileSession {
  const aggregate = aggregateRuns(parsed.map((p) => ({ roots: p.roots })));
  const warnings = parserWarnings(parsed, (i) => files[i] ?? `file ${i + 1}`);
  return {
    source: 'file',
    target: null,
    files: [...files],
    python: null,
    bytecode: null,
    warmup: 0,
    aggregate,
    packages: packageStats(aggregate.modules),
    startup: null,
    preloaded: null,
    bootstrap: null,
    initWallUs: null,
    missing: [],
    records: parsed.flatMap((p) => p.records),
    warnings,
    origins: new Map(),
    owners: new Map(),
    controlUsPerRun: null,
    stdlibSelfUsPerRun: null,
    moduleFiles: new Map(),
    invocation: null,
    facts: [],
    importEdges: null,
    bytecodeComparison: null,
    runtime: null,
  };
}

/** --bytecode both: what compiling from source costs, in total and per package (handler import medians). */
export function compareBytecode(cached: ProfileSession, compiled: ProfileSession): BytecodeComparison {
  const cachedBy = new Map(cached.packages.map((p) => [p.name, p]));
  const packages = compiled.packages
    .map((p) => {
      const c = cachedBy.get(p.name);
      const cachedUs = c?.selfUs ?? 0;
      return { name: p.name, origin: c?.origin ?? p.origin, cachedUs, compileUs: p.selfUs, savingUs: p.selfUs - cachedUs };
    })
    .filter((p) => p.savingUs > 0 && p.origin !== 'stdlib' && p.origin !== 'builtin')
    .sort((a, b) => b.savingUs - a.savingUs);
  const cachedUs = cached.aggregate.totalUs;
  const compileUs = compiled.aggregate.totalUs;
  return { cachedUs, compileUs, savingUs: compileUs.median - cachedUs.median, packages };
}
