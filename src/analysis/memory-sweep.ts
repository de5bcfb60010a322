// Statistics of `invoke --cold --memory`: one row per memory size (cold starts forced at that size), whether
// the on-demand init boost held, and the recommended size. The boost (docs/lambda-platform.md, "The Lambda
// Python runtime at a cold start"): an on-demand init runs on a full vCPU whatever the memory, the invoke
// phase on the share min(1, MB / 1769). So at low memory the init stays about as fast while the first call
// (the handler, and the imports it defers to it) slows down.
// As in `invoke`, each invocation counts under its kind only: failed cold starts, re-inits, warm failures
// and unknown ones are counted per size and kept out of the percentiles.
import type { InvocationRecord } from '../model/invocation.js';
import { billedMs, cost, usd } from './cost.js';
import { percentiles, type Percentiles } from './invoke-stats.js';
import { FULL_VCPU_MB, MAX_MEMORY_MB, MIN_MEMORY_MB } from './memory-scaling.js';

/** Defaults of --cold-rate and --tolerance (fractions). */
export const DEFAULT_COLD_RATE = 0.05;
export const DEFAULT_TOLERANCE = 0.1;
/** Two init p50s within this ratio (or within the inits' own p90/p50 spread, if wider) are "flat". */
export const INIT_NOISE = 0.25;

/** What one size's run produced. */
export interface SizeRun {
  memorySizeMB: number;
  records: InvocationRecord[];
  /** Configuration updates made at this size. */
  updates: number;
  /** 429s left to a next round. */
  throttled: number;
}

export interface SweepSettings {
  architecture: 'x86_64' | 'arm64';
  pricePerGbSecond: number;
  /** Share of invocations that are cold starts, for the cost per million (fraction). */
  coldRate: number;
  /** Where the rate came from: 'default', '--cold-rate', or '--cold-rate-from <the logs document>'. */
  coldRateFrom: string;
  /** The recommendation's tolerance on the fastest cold total (fraction). */
  tolerance: number;
}

export interface MemorySizeRow {
  memorySizeMB: number;
  /** Successful cold starts: the samples of the percentiles below. */
  coldSamples: number;
  initDurationMs: Percentiles | null;
  /** Duration of the cold invocation: the first call in a new environment. */
  firstCallMs: Percentiles | null;
  /** Init + first call. */
  coldTotalMs: Percentiles | null;
  /** Successful warm invocations (--warm); null without them. */
  warmDurationMs: Percentiles | null;
  /** Mean Billed Duration of a cold start (it includes the init since 2025-08-01). */
  billedMsPerColdStart: number | null;
  costPerColdStartUsd: number | null;
  /** Per million invocations, coldRate of them cold starts and the rest warm. */
  costPerMillionUsd: number | null;
  /** What the warm part of costPerMillionUsd is: measured warm calls, or the first call's Duration without --warm. */
  warmCostFrom: 'warm' | 'first-call' | null;
  failedColdStarts: number;
  warmInvocations: number;
  failedWarm: number;
  reinits: number;
  unknown: number;
  errors: number;
  timeouts: number;
  throttled: number;
  updates: number;
}

export interface InitBoost {
  /** Smallest size's p50 over the largest size's; null with fewer than two sizes measured. */
  initRatio: number | null;
  firstCallRatio: number | null;
  /** What the CPU share alone predicts for the first call: share(largest) / share(smallest). */
  cpuShareRatio: number | null;
  smallestMB: number | null;
  largestMB: number | null;
  /** true: init flat while the first call scaled; false: init scaled too; null: cannot be told. */
  held: boolean | null;
  sentence: string;
}

export interface Recommendation {
  memorySizeMB: number;
  fastestMemorySizeMB: number;
  reason: string;
}

export interface MemorySweep {
  sizes: MemorySizeRow[];
  initBoost: InitBoost;
  recommendation: Recommendation | null;
  settings: SweepSettings;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const defined = (xs: (number | null)[]): number[] => xs.filter((x): x is number => x !== null);
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
export const cpuShare = (mb: number): number => Math.min(1, mb / FULL_VCPU_MB);
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
/** 0.05 → "5 %". */
export const percent = (x: number): string => `${round2(x * 100)} %`;

export function sizeRow(run: SizeRun, s: SweepSettings): MemorySizeRow {
  const rs = run.records;
  const cold = rs.filter((r) => r.kind === 'cold');
  const okCold = cold.filter((r) => r.status === 'success' && r.durationMs !== null);
  const warm = rs.filter((r) => r.kind === 'warm');
  const okWarm = warm.filter((r) => r.status === 'success');
  const mb = run.memorySizeMB;
  const coldBilled = mean(defined(okCold.map(billedMs)));
  const warmBilled = mean(defined(okWarm.map(billedMs)));
  // Without --warm, a warm call is estimated by the first call's own Duration (billed per ms, rounded up).
  const firstBilled = mean(okCold.map((r) => Math.ceil(r.durationMs as number)));
  const warmEstimate = warmBilled ?? firstBilled;
  const costCold = coldBilled === null ? null : cost(coldBilled, mb, s.pricePerGbSecond);
  const costWarm = warmEstimate === null ? null : cost(warmEstimate, mb, s.pricePerGbSecond);
  return {
    memorySizeMB: mb,
    coldSamples: okCold.length,
    initDurationMs: percentiles(defined(okCold.map((r) => r.initDurationMs ?? r.restoreDurationMs))),
    firstCallMs: percentiles(okCold.map((r) => r.durationMs as number)),
    coldTotalMs: percentiles(okCold.map((r) => (r.initDurationMs ?? r.restoreDurationMs ?? 0) + (r.durationMs as number))),
    warmDurationMs: percentiles(defined(okWarm.map((r) => r.durationMs))),
    billedMsPerColdStart: coldBilled === null ? null : round2(coldBilled),
    costPerColdStartUsd: costCold,
    costPerMillionUsd: costCold === null || costWarm === null ? null : 1e6 * (s.coldRate * costCold + (1 - s.coldRate) * costWarm),
    warmCostFrom: costWarm === null ? null : warmBilled !== null ? 'warm' : 'first-call',
    failedColdStarts: cold.length - okCold.length,
    warmInvocations: okWarm.length,
    failedWarm: warm.length - okWarm.length,
    reinits: rs.filter((r) => r.kind === 're-init').length,
    unknown: rs.filter((r) => r.kind === 'unknown').length,
    errors: rs.filter((r) => r.status === 'error').length,
    timeouts: rs.filter((r) => r.status === 'timeout').length,
    throttled: run.throttled,
    updates: run.updates,
  };
}

/** Whether init stayed flat from the smallest to the largest size while the first call scaled, in one sentence. */
export function initBoost(rows: MemorySizeRow[]): InitBoost {
  const measured = rows.filter((r) => r.initDurationMs && r.firstCallMs);
  const none = (sentence: string): InitBoost => ({ initRatio: null, firstCallRatio: null, cpuShareRatio: null, smallestMB: null, largestMB: null, held: null, sentence });
  if (measured.length === 0) return none('No size had a successful cold start: nothing to compare.');
  const small = measured.reduce((a, b) => (b.memorySizeMB < a.memorySizeMB ? b : a));
  const large = measured.reduce((a, b) => (b.memorySizeMB > a.memorySizeMB ? b : a));
  if (small.memorySizeMB === large.memorySizeMB) return none(`Only ${small.memorySizeMB} MB had successful cold starts: the boost needs two sizes to compare.`);
  const si = small.initDurationMs as Percentiles;
  const li = large.initDurationMs as Percentiles;
  const sf = small.firstCallMs as Percentiles;
  const lf = large.firstCallMs as Percentiles;
  const initRatio = round2(si.p50 / li.p50);
  const firstCallRatio = round2(sf.p50 / lf.p50);
  const cpuShareRatio = round2(cpuShare(large.memorySizeMB) / cpuShare(small.memorySizeMB));
  const spread = (p: Percentiles): number => (p.p50 > 0 ? p.p90 / p.p50 - 1 : 0);
  const noise = Math.max(INIT_NOISE, spread(si), spread(li));
  const base = { initRatio, firstCallRatio, cpuShareRatio, smallestMB: small.memorySizeMB, largestMB: large.memorySizeMB };
  const sizes = `${small.memorySizeMB} MB and ${large.memorySizeMB} MB`;
  const initFig = `${ms(si.p50)} ms vs ${ms(li.p50)} ms, ${initRatio}×`;
  const firstFig = `${ms(sf.p50)} ms vs ${ms(lf.p50)} ms, ${firstCallRatio}×`;
  if (cpuShareRatio <= 1 + noise) {
    return { ...base, held: null, sentence: `Both ${sizes} get (about) a full vCPU in the invoke phase, so the init boost cannot show here (init ${initFig}; first call ${firstFig}).` };
  }
  const initFlat = initRatio <= 1 + noise;
  const firstScales = firstCallRatio > 1 + noise;
  if (initFlat && firstScales) {
    return {
      ...base,
      held: true,
      sentence: `The init boost held: init p50 stayed flat between ${sizes} (${initFig}) while the first call scaled with the CPU share (${firstFig}; the share alone predicts ${cpuShareRatio}×).`,
    };
  }
  if (!initFlat) {
    return {
      ...base,
      held: false,
      sentence: `The init boost did not hold: init p50 grew with less memory (between ${sizes}: ${initFig}; first call ${firstFig}), so this init ran on the memory's CPU share (provisioned-concurrency init gets no boost).`,
    };
  }
  return {
    ...base,
    held: null,
    sentence: `Neither the init (between ${sizes}: ${initFig}) nor the first call (${firstFig}) changed beyond noise: this function's first call is not CPU-bound, so the boost cannot be told apart and memory buys little here.`,
  };
}

/**
 * The cheapest size (cost per million invocations at the cold-start rate) whose cold total p50 is within
 * the tolerance of the fastest, and the fastest; the trade-off in one sentence.
 */
export function recommend(rows: MemorySizeRow[], s: SweepSettings): Recommendation | null {
  const timed = rows.filter((r) => r.coldTotalMs);
  if (timed.length === 0) return null;
  const total = (r: MemorySizeRow): number => (r.coldTotalMs as Percentiles).p50;
  const price = (r: MemorySizeRow): number => r.costPerMillionUsd ?? Infinity;
  const fastest = timed.reduce((a, b) => (total(b) < total(a) || (total(b) === total(a) && b.memorySizeMB < a.memorySizeMB) ? b : a));
  const within = timed.filter((r) => total(r) <= total(fastest) * (1 + s.tolerance));
  const cheapest = within.reduce((a, b) => (price(b) < price(a) || (price(b) === price(a) && b.memorySizeMB < a.memorySizeMB) ? b : a));
  const perM = (r: MemorySizeRow): string => usd(r.costPerMillionUsd, 4);
  const at = `per million invocations at ${percent(s.coldRate)} cold starts`;
  const reason =
    cheapest === fastest
      ? `${fastest.memorySizeMB} MB has the fastest cold start (init + first call p50 ${ms(total(fastest))} ms) and is also the cheapest size within ${percent(s.tolerance)} of it, at ${perM(fastest)} ${at}.`
      : `${cheapest.memorySizeMB} MB costs ${perM(cheapest)} ${at} against ${perM(fastest)} for the fastest, ${fastest.memorySizeMB} MB, ` +
        `for a cold start ${round2((total(cheapest) / total(fastest) - 1) * 100)} % slower (init + first call p50 ${ms(total(cheapest))} ms vs ${ms(total(fastest))} ms), within the ${percent(s.tolerance)} tolerance.`;
  return { memorySizeMB: cheapest.memorySizeMB, fastestMemorySizeMB: fastest.memorySizeMB, reason };
}

export function summariseSweep(runs: SizeRun[], settings: SweepSettings): MemorySweep {
  const sizes = runs.map((r) => sizeRow(r, settings));
  return { sizes, initBoost: initBoost(sizes), recommendation: recommend(sizes, settings), settings };
}

/**
 * `--memory 128,256,1769`: whole MB within Lambda's limits, no duplicates, in the order given. Returns the
 * sizes, or the one sentence that refuses them.
 */
export function parseMemorySizes(text: string): number[] | string {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) return `--memory takes memory sizes in MB separated by commas, such as 128,512,1769 (got "${text}").`;
  const sizes: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return `--memory takes whole MB from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB}, as Lambda does: "${p}" is not a whole number.`;
    const n = Number(p);
    if (n < MIN_MEMORY_MB || n > MAX_MEMORY_MB) return `--memory takes whole MB from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB}, as Lambda does: ${n} is outside.`;
    if (sizes.includes(n)) return `--memory lists ${n} MB twice: give each size once.`;
    sizes.push(n);
  }
  return sizes;
}

/** `--cold-rate 5%` / `--tolerance 10` (percent, the % sign optional) as a fraction, or the sentence that refuses it. */
export function parsePercent(flag: string, text: string, { max = 100, allowZero = true } = {}): number | string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  const v = m ? Number(m[1]) : NaN;
  if (!m || v > max || (!allowZero && v === 0)) return `${flag} takes a percentage ${allowZero ? 'from 0' : 'above 0'} to ${max}, such as 5% (got "${text}").`;
  return v / 100;
}
