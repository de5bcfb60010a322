// `profile --python A --python B …`: the same handler's init on several interpreters, each compared with the
// first (the baseline) with the gate's statistics — a two-sided Mann–Whitney U test and the gate's thresholds
// (decision.ts): a difference that is not significant or not large enough is no difference (within noise).
// The samples are compared as measured: the gate's control-variate and standard-library pinning assume one
// interpreter on both sides, and here start-up and the standard library are part of what differs.
import { quantileSorted } from 'simple-statistics';
import { summarize } from '../model/summary.js';
import type { Thresholds } from './decision.js';
import { mannWhitneyU } from './mannwhitney.js';

/** One interpreter's measured runs, as samples. */
export interface InterpreterSamples {
  /** Per measured run: the handler's import (µs). */
  initUs: number[];
  /** Per top-level package: its import in each measured run (µs, dependencies included; 0 where a run did not import it). */
  packages: Map<string, number[]>;
  /** The modules imported during init (loaded, not probes that were not found). */
  modules: ReadonlySet<string>;
}

/** How a measure compares with the baseline's. */
export type Verdict = 'faster' | 'slower' | 'within-noise';

export interface Difference {
  /** This interpreter's median minus the baseline's (µs; negative: faster). */
  deltaUs: number;
  /** % of the baseline's median. */
  deltaPct: number;
  /** Two-sided Mann–Whitney U p-value. */
  p: number;
  significant: boolean;
  /** |delta| reaches both thresholds (min-delta ms and max-regression %). */
  largeEnough: boolean;
  /** faster or slower only when significant and large enough. */
  verdict: Verdict;
}

export interface Spread {
  n: number;
  median: number;
  p90: number;
  min: number;
  max: number;
  /** Median absolute deviation. */
  mad: number;
}

export interface PackageRow {
  name: string;
  /** Per interpreter, its median (µs); null where that interpreter never imported the package. */
  medianUs: Array<number | null>;
  /** Per interpreter, against the baseline (null for the baseline itself and where either lacks the package). */
  vsBaseline: Array<Difference | null>;
}

export interface ModuleDifference {
  /** Index of the interpreter (never 0, the baseline). */
  interpreter: number;
  /** Imported here, not on the baseline. */
  only: string[];
  /** Imported on the baseline, not here. */
  missing: string[];
}

export interface PythonsComparison {
  thresholds: Thresholds;
  /** Per interpreter: the handler's init and its difference with the baseline (null for the baseline). */
  init: Array<{ spread: Spread; vsBaseline: Difference | null }>;
  /** Every top-level package imported on any interpreter, the costliest (largest median anywhere) first. */
  packages: PackageRow[];
  /** Per interpreter, the packages it imported that another interpreter did not (with two: those only it imported). */
  packagesOnly: Array<{ interpreter: number; names: string[] }>;
  /** Per interpreter but the baseline: the modules that differ from the baseline's. */
  modules: ModuleDifference[];
  /** Whether these numbers of runs can show any difference at all: p below alpha even when every run of one is slower than every run of the other. */
  canDetect: boolean;
}

export function spreadOf(values: readonly number[]): Spread {
  const s = summarize(values);
  const p90 = values.length === 0 ? 0 : quantileSorted([...values].sort((a, b) => a - b), 0.9);
  return { n: s.n, median: s.median, p90, min: s.min, max: s.max, mad: s.mad };
}

/** `x` against the baseline's `base`: the median's change, two-sided Mann–Whitney U, the gate's thresholds. */
export function differenceOf(x: readonly number[], base: readonly number[], t: Thresholds): Difference {
  const mx = summarize(x).median;
  const mb = summarize(base).median;
  const deltaUs = mx - mb;
  const deltaPct = mb > 0 ? (100 * deltaUs) / mb : 0;
  const p = x.length > 0 && base.length > 0 ? mannWhitneyU(x, base, 'two-sided').p : 1;
  const significant = p < t.alpha;
  const largeEnough = Math.abs(deltaUs) >= t.minDeltaMs * 1000 && Math.abs(deltaPct) >= t.maxRegressionPct;
  const verdict: Verdict = significant && largeEnough ? (deltaUs > 0 ? 'slower' : 'faster') : 'within-noise';
  return { deltaUs, deltaPct, p, significant, largeEnough, verdict };
}

/** Compare every interpreter with the first. */
export function comparePythons(sides: readonly InterpreterSamples[], t: Thresholds): PythonsComparison {
  const base = sides[0];
  if (!base) throw new RangeError('comparePythons needs at least one interpreter');
  const init = sides.map((s, k) => ({ spread: spreadOf(s.initUs), vsBaseline: k === 0 ? null : differenceOf(s.initUs, base.initUs, t) }));
  const names = [...new Set(sides.flatMap((s) => [...s.packages.keys()]))];
  const packages: PackageRow[] = names.map((name) => {
    const samples = sides.map((s) => s.packages.get(name) ?? null);
    const b = samples[0] ?? null;
    return {
      name,
      medianUs: samples.map((x) => (x ? summarize(x).median : null)),
      vsBaseline: samples.map((x, k) => (k === 0 || !x || !b ? null : differenceOf(x, b, t))),
    };
  });
  const top = (r: PackageRow): number => Math.max(...r.medianUs.map((m) => m ?? 0));
  packages.sort((a, b) => top(b) - top(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const packagesOnly = sides
    .map((s, k) => ({ interpreter: k, names: packages.filter((r) => r.medianUs[k] !== null && r.medianUs.some((m, j) => j !== k && m === null)).map((r) => r.name) }))
    .filter((x) => x.names.length > 0);
  const modules = sides.slice(1).map((s, i) => ({
    interpreter: i + 1,
    only: [...s.modules].filter((m) => !base.modules.has(m)).sort(),
    missing: [...base.modules].filter((m) => !s.modules.has(m)).sort(),
  }));
  const n = Math.min(...sides.map((s) => s.initUs.length));
  const apart = n > 0 ? mannWhitneyU(Array.from({ length: n }, (_, i) => 2 * n + i), Array.from({ length: n }, (_, i) => i), 'two-sided').p : 1;
  return { thresholds: t, init, packages, packagesOnly, modules, canDetect: apart < t.alpha };
}
