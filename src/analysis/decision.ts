// The timing decision of the gate: did the handler's import get slower? Two sides' per-run samples are
// brought to the same machine speed (control.ts), then a three-way AND decides — the median rose by at
// least a relative and an absolute threshold, and a one-sided Mann–Whitney U test (mannwhitney.ts) finds
// the rise significant.
import type { ProfileSession } from '../importtime/session.js';
import { controlAdjust, pinCommonParts, type Pinned } from './control.js';
import { mannWhitneyU } from './mannwhitney.js';
import { summarize, type Summary } from '../model/summary.js';

/** One side's per-run samples: the handler's import and, when measured, the machine-speed control. */
export interface Samples {
  importUs: number[];
  controlUs: number[] | null;
  /** Standard-library modules' self time per run (pinned to their pooled median, see pinCommonParts). */
  stdlib: Map<string, number[]> | null;
}

/** What counts as a regression. */
export interface Thresholds {
  /** %: the median must rise at least this much… */
  maxRegressionPct: number;
  /** …and at least this many ms… */
  minDeltaMs: number;
  /** …and the rise must be significant (one-sided Mann–Whitney U, p below this). */
  alpha: number;
}

/** The control-variate adjustment made before deciding. */
export interface Adjustment {
  /** Slope of the import on the control (start-up + runtime bootstrap), within each side. */
  slope: number;
  referenceUs: number;
  /** Standard-library modules counted at their pooled median, and what they add up to. */
  stdlibModules: number;
  stdlibUs: number;
}

export interface Decision {
  /** The samples the decision is made on: adjusted to the same machine speed when a control was measured. */
  base: Summary;
  head: Summary;
  /** The handler's import as measured, before the adjustment. */
  raw: { base: Summary; head: Summary };
  /** The control-variate adjustment (null: none, the values are as measured). */
  adjustment: Adjustment | null;
  deltaUs: number;
  /** % of the base median. */
  deltaPct: number;
  /** One-sided Mann–Whitney U (head slower than base). */
  u: number;
  p: number;
  significant: boolean;
  /** All three conditions hold. */
  regression: boolean;
  /** The rise is as large as the thresholds ask, whatever its significance. */
  largeEnough: boolean;
}

export function samplesOfSession(s: ProfileSession): Samples {
  const x = s.controlUsPerRun;
  return {
    importUs: [...s.aggregate.totalsUs],
    controlUs: x && x.length === s.aggregate.totalsUs.length ? [...x] : null,
    stdlib: s.stdlibSelfUsPerRun,
  };
}

/** Two batches of one side as one sample (a module missing from a batch counts 0 in its runs). */
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

/**
 * The timing decision on two sides' samples: brought to the same machine speed when both measured the
 * control (control.ts), then the three-way AND — the median rose by ≥ max-regression % and by
 * ≥ min-delta ms, and a one-sided Mann–Whitney U test finds the rise significant (p < alpha).
 */
export function decide(head: Samples, base: Samples, o: Thresholds): Decision {
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
  let adjustment: Adjustment | null = null;
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
