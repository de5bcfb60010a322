// A profile session: everything one `profile` produced, the input of every renderer
// (like pyinstrument's Session). Built from harness runs or from captured -X importtime files.
import { summarize, type Summary } from '../analysis/stats.js';
import type { HarnessResult, RunOutcome } from '../python/runner.js';
import { aggregateRuns, treeTotalUs, type Aggregate } from './aggregate.js';
import type { ImportRecord, ParseResult, ParseWarning } from './model.js';
import { packageStats, type Origin, type PackageStat } from './packages.js';

export interface SessionPython {
  version: string;
  implementation: string;
  executable: string;
  requested: string;
  viaShim: boolean;
  platform: string;
}

export interface ProfileSession {
  source: 'run' | 'file';
  /** What was imported (run) or which files were read (file). */
  target: { display: string; module: string; root: string; layers: string[]; layerPaths: string[] } | null;
  files: string[];
  python: SessionPython | null;
  bytecode: 'cached' | 'compile' | null;
  warmup: number;
  aggregate: Aggregate;
  packages: PackageStat[];
  /** The interpreter's own start-up imports per run (not charged to the handler). */
  startup: { totalUs: Summary; moduleCount: number } | null;
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

export interface RunContext {
  target: ProfileSession['target'];
  python: SessionPython;
  bytecode: 'cached' | 'compile';
  warmup: number;
}

/** The measured runs (warm-up excluded) of a clean profile. */
export function sessionFromRuns(outcomes: readonly RunOutcome[], ctx: RunContext): ProfileSession {
  const measured = outcomes.filter((o) => !o.warmup);
  const aggregate = aggregateRuns(measured.map((o) => ({ roots: o.init.roots })));
  const last = measured[measured.length - 1]?.result ?? null;
  const origins = originsFrom(last);
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
  return {
    source: 'run',
    target,
    files: [],
    python: ctx.python,
    bytecode: ctx.bytecode,
    warmup: ctx.warmup,
    aggregate,
    packages: packageStats(aggregate.modules, origins),
    startup: {
      totalUs: summarize(measured.map((o) => treeTotalUs(o.startup.roots))),
      moduleCount: countModules(measured.map((o) => o.startup)),
    },
    bootstrap: {
      totalUs: summarize(measured.map((o) => treeTotalUs(o.bootstrap.roots))),
      moduleCount: countModules(measured.map((o) => o.bootstrap)),
    },
    initWallUs: summarize(measured.flatMap((o) => (o.result ? [o.result.initWallUs] : []))),
    missing: [...missing],
    records: null,
    warnings,
    origins,
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
    bootstrap: null,
    initWallUs: null,
    missing: [],
    records: parsed.flatMap((p) => p.records),
    warnings,
    origins: new Map(),
  };
}
