// The CI gate: deterministic gates first (they cannot be flaky) — forbidden modules with the import chain
// that pulled them in, a module count, new packages or modules against a baseline — then timing gates —
// budgets and the regression decision (a three-way AND: relative rise, absolute rise, significance).
import { controlAdjust, pinCommonParts, type Pinned } from '../analysis/control.js';
import { mannWhitneyU } from '../analysis/mannwhitney.js';
import { summarize, type Summary } from '../analysis/stats.js';
import type { ModuleStat } from '../importtime/aggregate.js';
import type { ProfileSession } from '../importtime/session.js';
import { usAsMs as ms } from '../render/format.js';
import type { Baseline, BaselineModule } from './baseline.js';
import { baselineModules } from './modules.js';

export type FailureKind = 'forbid' | 'max-modules' | 'budget' | 'budget-package' | 'new-module' | 'regression';

export interface GateOptions {
  forbid: string[];
  maxModules?: number;
  /** ms: the median of the handler's import. */
  budgetMs?: number;
  /** ms per top-level package (its import time, dependencies included). */
  budgetPackages: Array<{ name: string; ms: number }>;
  /** Modules (or globs) a baseline comparison accepts as new. */
  allowNew: string[];
  /** %: the median must rise at least this much… */
  maxRegressionPct: number;
  /** …and at least this many ms… */
  minDeltaMs: number;
  /** …and the rise must be significant (one-sided Mann–Whitney U, p below this). */
  alpha: number;
}

export const DEFAULT_MAX_REGRESSION_PCT = 10;
export const DEFAULT_MIN_DELTA_MS = 5;
export const DEFAULT_ALPHA = 0.01;

export interface GateFailure {
  kind: FailureKind;
  module: string | null;
  message: string;
  /** The import chain from the handler to the module, for annotations (null when there is none). */
  chain: string[] | null;
}

export interface GateCheck {
  /** Stable key: 'forbid:pandas', 'budget', 'budget-package:boto3', 'regression'… */
  key: string;
  kind: FailureKind;
  timing: boolean;
  label: string;
  limit: string;
  measured: string;
  passed: boolean;
  /** Timing checks that failed a first batch and passed the confirmation batch. */
  unconfirmed?: boolean;
}

/** The side a comparison is made against: a saved baseline or the base revision measured now. */
export interface BaseSide {
  label: string;
  importUs: number[];
  /** Per run: the machine-speed control (start-up + runtime bootstrap), when measured. */
  controlUs: number[] | null;
  /** Per standard-library module: its self time per run, when measured. */
  stdlib: Map<string, number[]> | null;
  modules: BaselineModule[];
  runs: number;
}

export interface ModuleChange {
  name: string;
  baseSelfUs: number;
  headSelfUs: number;
  deltaUs: number;
  status: 'changed' | 'new' | 'removed';
}

export interface Comparison {
  baseLabel: string;
  /** The samples the decision is made on: adjusted to the same machine speed when a control was measured. */
  base: Summary;
  head: Summary;
  /** The handler's import as measured, before the adjustment. */
  raw: { base: Summary; head: Summary };
  /** The control-variate adjustment (null: none, the values are as measured). */
  adjustment: {
    /** Slope of the import on the control (start-up + runtime bootstrap), within each side. */
    slope: number;
    referenceUs: number;
    /** Standard-library modules counted at their pooled median, and what they add up to. */
    stdlibModules: number;
    stdlibUs: number;
  } | null;
  deltaUs: number;
  /** % of the base median. */
  deltaPct: number;
  /** One-sided Mann–Whitney U (head slower than base). */
  u: number;
  p: number;
  significant: boolean;
  /** All three conditions hold. */
  regression: boolean;
  /** Biggest changes in median self time first (new and removed modules included). */
  changes: ModuleChange[];
  newModules: string[];
  removedModules: string[];
}

export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
  failures: GateFailure[];
  comparison: Comparison | null;
  /** When timing gates failed a first batch, a second batch was measured: they fail only if both agree. */
  confirmation: { runs: number; confirmed: string[]; dismissed: string[] } | null;
}

export function baseFromBaseline(b: Baseline, label: string): BaseSide {
  const control = b.samples.controlUs && b.samples.controlUs.length === b.samples.importUs.length ? b.samples.controlUs : null;
  const n = b.samples.importUs.length;
  const rows = b.samples.stdlibSelfUs ? Object.entries(b.samples.stdlibSelfUs).filter(([, v]) => v.length === n) : null;
  return { label, importUs: b.samples.importUs, controlUs: control, stdlib: rows ? new Map(rows) : null, modules: b.modules, runs: b.measurement.runs };
}

export function baseFromSession(s: ProfileSession, label: string): BaseSide {
  return {
    label,
    importUs: s.aggregate.totalsUs,
    controlUs: s.controlUsPerRun,
    stdlib: s.stdlibSelfUsPerRun,
    modules: baselineModules(s),
    runs: s.aggregate.runs,
  };
}

/** A module pattern: `*` any characters (dots included), `?` one; a plain name also covers its submodules. */
export function moduleMatcher(pattern: string): (name: string) => boolean {
  const hasGlob = /[*?]/.test(pattern);
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return (name) => re.test(name) || (!hasGlob && name.startsWith(`${pattern}.`));
}

export function chainOf(m: ModuleStat): string[] {
  const names: string[] = [];
  for (let p: ModuleStat | null = m; p; p = p.parent) names.unshift(p.name);
  return names;
}

export const chainText = (chain: readonly string[]): string => chain.join(' → ');

function live(session: ProfileSession): ModuleStat[] {
  return session.aggregate.modules.filter((m) => !m.cached);
}

/** Module names imported in at least half of the runs (a module seen in one run of ten is noise, not a change). */
function steadyNames(modules: readonly { name: string; runs: number }[], runs: number): Set<string> {
  const need = Math.max(1, Math.ceil(runs / 2));
  return new Set(modules.filter((m) => m.runs >= need).map((m) => m.name));
}

/** The outermost (least deep, then first in import order) occurrence of a name. */
function outermost(modules: readonly ModuleStat[], pred: (m: ModuleStat) => boolean): ModuleStat | undefined {
  let best: ModuleStat | undefined;
  for (const m of modules) if (pred(m) && (!best || m.depth < best.depth)) best = m;
  return best;
}

/** Forbidden modules, the module count, and new packages/modules against the base. Never flaky. */
export function deterministicGates(head: ProfileSession, base: BaseSide | null, o: GateOptions): { checks: GateCheck[]; failures: GateFailure[] } {
  const checks: GateCheck[] = [];
  const failures: GateFailure[] = [];
  const mods = live(head);

  for (const pattern of o.forbid) {
    const match = moduleMatcher(pattern);
    const hit = outermost(mods, (m) => match(m.name));
    const chain = hit ? chainOf(hit) : null;
    checks.push({
      key: `forbid:${pattern}`,
      kind: 'forbid',
      timing: false,
      label: `forbid ${pattern}`,
      limit: 'not imported',
      measured: chain ? chainText(chain) : 'not imported',
      passed: !hit,
    });
    if (hit && chain) {
      failures.push({
        kind: 'forbid',
        module: hit.name,
        message: `forbidden module ${hit.name} is imported at init: ${chainText(chain)}`,
        chain,
      });
    }
  }

  if (o.maxModules !== undefined) {
    const count = mods.length;
    const passed = count <= o.maxModules;
    checks.push({ key: 'max-modules', kind: 'max-modules', timing: false, label: 'max-modules', limit: `≤ ${o.maxModules}`, measured: String(count), passed });
    if (!passed) {
      failures.push({
        kind: 'max-modules',
        module: null,
        message: `the handler imports ${count} modules at init, more than the limit of ${o.maxModules}`,
        chain: null,
      });
    }
  }

  if (base) {
    const fresh = newModuleNames(head, base).filter((n) => !o.allowNew.some((p) => moduleMatcher(p)(n)));
    const basePackages = new Set(base.modules.map((m) => m.package));
    const byPackage = new Map<string, string[]>();
    for (const n of fresh) {
      const pkg = n.split('.')[0] as string;
      if (!basePackages.has(pkg)) byPackage.set(pkg, [...(byPackage.get(pkg) ?? []), n]);
    }
    for (const [pkg, names] of byPackage) {
      const first = outermost(mods, (m) => m.package === pkg);
      const chain = first ? chainOf(first) : null;
      failures.push({
        kind: 'new-module',
        module: pkg,
        message: `new package ${pkg} at init (${names.length === 1 ? '1 module' : `${names.length} modules`})${chain ? `: ${chainText(chain)}` : ''}`,
        chain,
      });
    }
    for (const n of fresh) {
      if (byPackage.has(n.split('.')[0] as string)) continue;
      const first = outermost(mods, (m) => m.name === n);
      const chain = first ? chainOf(first) : null;
      failures.push({ kind: 'new-module', module: n, message: `new module ${n} at init${chain ? `: ${chainText(chain)}` : ''}`, chain });
    }
    const count = byPackage.size + fresh.filter((n) => !byPackage.has(n.split('.')[0] as string)).length;
    checks.push({
      key: 'new-module',
      kind: 'new-module',
      timing: false,
      label: 'new modules',
      limit: `none vs ${base.label}`,
      measured: fresh.length === 0 ? 'none' : `${fresh.length} new (${[...byPackage.keys(), ...fresh.filter((n) => !byPackage.has(n.split('.')[0] as string))].slice(0, 3).join(', ')}${count > 3 ? ', …' : ''})`,
      passed: fresh.length === 0,
    });
  }
  return { checks, failures };
}

export function newModuleNames(head: ProfileSession, base: BaseSide): string[] {
  const baseNames = new Set(base.modules.map((m) => m.name));
  const headNames = steadyNames(live(head), head.aggregate.runs);
  return [...headNames].filter((n) => !baseNames.has(n));
}

function selfByName(modules: readonly { name: string; selfUs: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of modules) out.set(m.name, (out.get(m.name) ?? 0) + m.selfUs);
  return out;
}

/** One side's per-run samples: the handler's import and, when measured, the machine-speed control. */
export interface Samples {
  importUs: number[];
  controlUs: number[] | null;
  /** Standard-library modules' self time per run (pinned to their pooled median, see pinCommonParts). */
  stdlib: Map<string, number[]> | null;
}

export function samplesOfSession(s: ProfileSession): Samples {
  const x = s.controlUsPerRun;
  return {
    importUs: [...s.aggregate.totalsUs],
    controlUs: x && x.length === s.aggregate.totalsUs.length ? [...x] : null,
    stdlib: s.stdlibSelfUsPerRun,
  };
}

export function samplesOfBase(b: BaseSide): Samples {
  return {
    importUs: [...b.importUs],
    controlUs: b.controlUs && b.controlUs.length === b.importUs.length ? [...b.controlUs] : null,
    stdlib: b.stdlib,
  };
}

export function poolSamples(a: Samples, b: Samples): Samples {
  let stdlib: Map<string, number[]> | null = null;
  if (a.stdlib && b.stdlib) {
    stdlib = new Map();
    for (const name of new Set([...a.stdlib.keys(), ...b.stdlib.keys()])) {
      stdlib.set(name, [...(a.stdlib.get(name) ?? a.importUs.map(() => 0)), ...(b.stdlib.get(name) ?? b.importUs.map(() => 0))]);
    }
  }
  return {
    importUs: [...a.importUs, ...b.importUs],
    controlUs: a.controlUs && b.controlUs ? [...a.controlUs, ...b.controlUs] : null,
    stdlib,
  };
}

export type Decision = Pick<Comparison, 'base' | 'head' | 'raw' | 'adjustment' | 'deltaUs' | 'deltaPct' | 'u' | 'p' | 'significant' | 'regression'> & {
  /** The rise is as large as the thresholds ask, whatever its significance. */
  largeEnough: boolean;
};

/**
 * The timing decision on two sides' samples: brought to the same machine speed when both measured the
 * control (analysis/control.ts), then the three-way AND — the median rose by ≥ max-regression % and by
 * ≥ min-delta ms, and a one-sided Mann–Whitney U test finds the rise significant (p < alpha).
 */
export function decide(head: Samples, base: Samples, o: GateOptions): Decision {
  let hy = head.importUs;
  let by = base.importUs;
  let pinned: Pinned | null = null;
  if (head.stdlib && base.stdlib) {
    pinned = pinCommonParts([
      { y: by, parts: base.stdlib },
      { y: hy, parts: head.stdlib },
    ]);
    by = pinned.sides[0] as number[];
    hy = pinned.sides[1] as number[];
  }
  let adjustment: Comparison['adjustment'] = null;
  if (head.controlUs && base.controlUs) {
    const adj = controlAdjust([
      { y: by, x: base.controlUs },
      { y: hy, x: head.controlUs },
    ]);
    by = adj.groups[0] as number[];
    hy = adj.groups[1] as number[];
    adjustment = { slope: adj.slope, referenceUs: adj.reference, stdlibModules: pinned?.names.length ?? 0, stdlibUs: pinned?.pinnedUs ?? 0 };
  } else if (pinned) {
    adjustment = { slope: 0, referenceUs: 0, stdlibModules: pinned.names.length, stdlibUs: pinned.pinnedUs };
  }
  const h = summarize(hy);
  const b = summarize(by);
  const deltaUs = h.median - b.median;
  const deltaPct = b.median > 0 ? (100 * deltaUs) / b.median : 0;
  const test = mannWhitneyU(hy, by, 'greater');
  const significant = test.p < o.alpha;
  const largeEnough = deltaPct >= o.maxRegressionPct && deltaUs >= o.minDeltaMs * 1000;
  return {
    base: b,
    head: h,
    raw: { base: summarize(base.importUs), head: summarize(head.importUs) },
    adjustment,
    deltaUs,
    deltaPct,
    u: test.u,
    p: test.p,
    significant,
    regression: largeEnough && significant,
    largeEnough,
  };
}

/** The biggest changes in median self time, and the new and removed modules. */
export function attribute(head: ProfileSession, base: BaseSide, top = 10): Pick<Comparison, 'changes' | 'newModules' | 'removedModules'> {
  const headModules = baselineModules(head);
  const hs = selfByName(headModules);
  const bs = selfByName(base.modules);
  const headSteady = steadyNames(headModules, head.aggregate.runs);
  const baseSteady = steadyNames(base.modules, base.runs);
  const newModules = [...headSteady].filter((n) => !bs.has(n));
  const removedModules = [...baseSteady].filter((n) => !hs.has(n));
  const changes: ModuleChange[] = [];
  for (const [name, headSelf] of hs) {
    const baseSelf = bs.get(name);
    if (baseSelf !== undefined) changes.push({ name, baseSelfUs: baseSelf, headSelfUs: headSelf, deltaUs: headSelf - baseSelf, status: 'changed' });
    else if (headSteady.has(name)) changes.push({ name, baseSelfUs: 0, headSelfUs: headSelf, deltaUs: headSelf, status: 'new' });
  }
  for (const name of removedModules) {
    const baseSelf = bs.get(name) ?? 0;
    changes.push({ name, baseSelfUs: baseSelf, headSelfUs: 0, deltaUs: -baseSelf, status: 'removed' });
  }
  changes.sort((x, y) => Math.abs(y.deltaUs) - Math.abs(x.deltaUs) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return { changes: changes.filter((c) => c.deltaUs !== 0).slice(0, top), newModules, removedModules };
}

export function compare(head: ProfileSession, base: BaseSide, o: GateOptions, top = 10): Comparison {
  const { largeEnough: _unused, ...d } = decide(samplesOfSession(head), samplesOfBase(base), o);
  return { baseLabel: base.label, ...d, ...attribute(head, base, top) };
}

/** The regression failure's sentence, with the module that changed most. */
export function regressionMessage(c: Comparison, o: GateOptions): string {
  const culprit = c.changes.find((x) => x.deltaUs > 0);
  return (
    `the handler's import got slower than ${c.baseLabel}: ${describeDelta(c)}, past +${o.maxRegressionPct}% and +${o.minDeltaMs} ms` +
    (culprit ? `; biggest change: ${culprit.name} ${signedMs(culprit.deltaUs)}${culprit.status === 'new' ? ' (new)' : ''} self time` : '')
  );
}

export function formatP(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  return p.toFixed(4);
}

function signedMs(us: number): string {
  return `${us >= 0 ? '+' : '−'}${ms(Math.abs(us))} ms`;
}

function signedPct(pct: number): string {
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}

export function describeDelta(c: Comparison): string {
  return `${ms(c.base.median)} → ${ms(c.head.median)} ms (${signedMs(c.deltaUs)}, ${signedPct(c.deltaPct)}, p ${c.p < 0.0001 ? '' : '= '}${formatP(c.p)})`;
}

/** Budgets and the regression decision. */
export function timingGates(
  head: ProfileSession,
  base: BaseSide | null,
  o: GateOptions,
): { checks: GateCheck[]; failures: GateFailure[]; comparison: Comparison | null } {
  const checks: GateCheck[] = [];
  const failures: GateFailure[] = [];
  const median = head.aggregate.totalUs.median;
  const runs = head.aggregate.runs;
  const mods = live(head);

  if (o.budgetMs !== undefined) {
    const passed = median <= o.budgetMs * 1000;
    checks.push({ key: 'budget', kind: 'budget', timing: true, label: 'budget', limit: `≤ ${o.budgetMs} ms`, measured: `${ms(median)} ms`, passed });
    if (!passed) {
      failures.push({
        kind: 'budget',
        module: null,
        message: `the handler's import takes ${ms(median)} ms (median of ${runs} runs), over the budget of ${o.budgetMs} ms`,
        chain: null,
      });
    }
  }
  for (const { name, ms: limit } of o.budgetPackages) {
    const pkg = head.packages.find((p) => p.name === name);
    const took = pkg?.cumulativeUs ?? 0;
    const passed = took <= limit * 1000;
    checks.push({
      key: `budget-package:${name}`,
      kind: 'budget-package',
      timing: true,
      label: `budget ${name}`,
      limit: `≤ ${limit} ms`,
      measured: pkg ? `${ms(took)} ms` : 'not imported',
      passed,
    });
    if (!passed) {
      const first = outermost(mods, (m) => m.package === name);
      failures.push({
        kind: 'budget-package',
        module: name,
        message: `${name} takes ${ms(took)} ms to import (median, dependencies included), over its budget of ${limit} ms`,
        chain: first ? chainOf(first) : null,
      });
    }
  }

  let comparison: Comparison | null = null;
  if (base) {
    comparison = compare(head, base, o);
    const c = comparison;
    checks.push({
      key: 'regression',
      kind: 'regression',
      timing: true,
      label: 'regression',
      limit: `< +${o.maxRegressionPct}% or < +${o.minDeltaMs} ms or p ≥ ${o.alpha}`,
      measured: describeDelta(c),
      passed: !c.regression,
    });
    if (c.regression) {
      const culprit = c.changes.find((x) => x.deltaUs > 0);
      const at = culprit ? outermost(mods, (m) => m.name === culprit.name) : undefined;
      failures.push({ kind: 'regression', module: culprit?.name ?? null, message: regressionMessage(c, o), chain: at ? chainOf(at) : null });
    }
  }
  return { checks, failures, comparison };
}

export function evaluateGates(head: ProfileSession, base: BaseSide | null, o: GateOptions): GateResult {
  const d = deterministicGates(head, base, o);
  const t = timingGates(head, base, o);
  const failures = [...d.failures, ...t.failures];
  return { passed: failures.length === 0, checks: [...d.checks, ...t.checks], failures, comparison: t.comparison, confirmation: null };
}

/** Timing checks that failed: the ones a second batch is measured for. */
export function failedTimingKeys(r: GateResult): string[] {
  return r.checks.filter((c) => c.timing && !c.passed).map((c) => c.key);
}

function failureKey(f: GateFailure): string {
  if (f.kind === 'budget-package') return `budget-package:${f.module ?? ''}`;
  return f.kind;
}

const TIMING_KINDS: readonly FailureKind[] = ['budget', 'budget-package', 'regression'];

export interface Measured {
  head: ProfileSession;
  base: BaseSide | null;
}

/** A first batch's p-value below this, with the median up, is inconclusive rather than a pass: measure more. */
export const SECOND_LOOK_P = 0.1;

/**
 * Whether a first batch calls for a second one: a timing gate failed, or the handler's import rose and
 * the first batch could not tell (the rise as large as the thresholds but not significant, or p < 0.1).
 */
export function needsSecondBatch(r: GateResult, o: GateOptions): boolean {
  if (failedTimingKeys(r).length > 0) return true;
  const c = r.comparison;
  if (!c || c.deltaUs <= 0) return false;
  return (c.deltaPct >= o.maxRegressionPct && c.deltaUs >= o.minDeltaMs * 1000) || c.p < SECOND_LOOK_P;
}

/**
 * Two batches. Budgets fail only when both batches fail them. The regression decision is made on both
 * batches pooled (twice the runs: a busy spell during one batch weighs half as much) and the second batch
 * alone must show the median up by at least --min-delta (a rise that vanished in the second batch was the
 * machine, not the code). Deterministic gates are the first batch's (they cannot change).
 */
export function confirmTiming(
  first: GateResult,
  second: GateResult,
  pooled: Decision | null,
  replicated: Decision | null,
  runs: number,
  o: GateOptions,
): GateResult {
  const firstFailed = new Set(failedTimingKeys(first));
  const confirmed: string[] = [];
  const dismissed: string[] = [];
  let comparison = first.comparison;
  const failures = first.failures.filter((f) => !TIMING_KINDS.includes(f.kind));
  const checks = first.checks.map((c) => {
    if (!c.timing) return c;
    if (c.key === 'regression' && pooled && replicated && second.comparison) {
      const regression = pooled.regression && replicated.deltaUs >= o.minDeltaMs * 1000;
      comparison = { ...second.comparison, ...withoutLargeEnough(pooled), regression };
      if (regression) confirmed.push(c.key);
      else if (firstFailed.has(c.key)) dismissed.push(c.key);
      const again = second.checks.find((x) => x.key === c.key) ?? c;
      const f = second.failures.find((x) => x.kind === 'regression');
      if (regression) {
        failures.push({
          kind: 'regression',
          module: f?.module ?? comparison.changes.find((x) => x.deltaUs > 0)?.name ?? null,
          message: regressionMessage(comparison, o),
          chain: f?.chain ?? null,
        });
      }
      return { ...again, measured: describeDelta(comparison), passed: !regression, ...(firstFailed.has(c.key) && !regression ? { unconfirmed: true } : {}) };
    }
    const again = second.checks.find((x) => x.key === c.key) ?? c;
    if (!firstFailed.has(c.key)) return c;
    if (!again.passed) {
      confirmed.push(c.key);
      failures.push(...second.failures.filter((f) => TIMING_KINDS.includes(f.kind) && failureKey(f) === c.key));
      return again;
    }
    dismissed.push(c.key);
    return { ...again, passed: true, unconfirmed: true };
  });
  return { passed: failures.length === 0, checks, failures, comparison, confirmation: { runs, confirmed, dismissed } };
}

function withoutLargeEnough(d: Decision): Omit<Decision, 'largeEnough'> {
  const { largeEnough: _unused, ...rest } = d;
  return rest;
}

/**
 * Evaluate the gates; when the first batch calls for it and `again` is given, measure a second batch
 * (see confirmTiming).
 */
export async function gateWithConfirmation(first: Measured, o: GateOptions, again: (() => Promise<Measured>) | null): Promise<GateResult> {
  const result = evaluateGates(first.head, first.base, o);
  if (!again || !needsSecondBatch(result, o)) return result;
  const second = await again();
  const r2 = evaluateGates(second.head, second.base, o);
  let pooled: Decision | null = null;
  let replicated: Decision | null = null;
  if (first.base && second.base) {
    const base = first.base === second.base ? samplesOfBase(first.base) : poolSamples(samplesOfBase(first.base), samplesOfBase(second.base));
    pooled = decide(poolSamples(samplesOfSession(first.head), samplesOfSession(second.head)), base, o);
    replicated = decide(samplesOfSession(second.head), samplesOfBase(second.base), o);
  }
  return confirmTiming(result, r2, pooled, replicated, second.head.aggregate.runs, o);
}
