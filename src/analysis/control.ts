// Control-variate adjustment (as in ANCOVA, or CUPED in online experiments): every run also measures work
// the handler's code cannot change — the interpreter's start-up and the runtime bootstrap. On a shared
// machine both slow down together when the machine is busy (correlation ≈ 0.8 measured on this project's
// 2-core CI box), so removing the part of each run's import time that the control predicts takes most of
// the machine's noise out while leaving any real change of the handler's import in place.
import { mean, median } from 'simple-statistics';

export interface ControlGroup {
  /** The measured values (the handler's import, per run). */
  y: readonly number[];
  /** The control measured in the same runs. */
  x: readonly number[];
}

export interface Adjusted {
  /** The pooled within-group slope of y on x (clamped to [0, maxSlope]); 0 means no adjustment. */
  slope: number;
  /** The control value every run is brought to: the median control over all groups. */
  reference: number;
  /** Per group: y − slope · (x − reference). */
  groups: number[][];
}

/**
 * Adjust each group's values to the same machine speed. The slope is estimated within groups (each
 * group's own means removed), so a difference between the groups never leaks into it.
 */
export function controlAdjust(groups: readonly ControlGroup[], maxSlope = 4): Adjusted {
  let sxy = 0;
  let sxx = 0;
  for (const g of groups) {
    if (g.x.length !== g.y.length) throw new Error('controlAdjust: x and y differ in length');
    if (g.x.length < 2) continue;
    const mx = mean([...g.x]);
    const my = mean([...g.y]);
    for (let i = 0; i < g.x.length; i++) {
      const dx = (g.x[i] as number) - mx;
      sxy += dx * ((g.y[i] as number) - my);
      sxx += dx * dx;
    }
  }
  const raw = sxx > 0 ? sxy / sxx : 0;
  const slope = Number.isFinite(raw) ? Math.min(maxSlope, Math.max(0, raw)) : 0;
  const all = groups.flatMap((g) => [...g.x]);
  const reference = all.length > 0 ? median(all) : 0;
  return {
    slope,
    reference,
    groups: groups.map((g) => g.y.map((y, i) => y - slope * ((g.x[i] as number) - reference))),
  };
}

export interface PinnedSide {
  /** Per run: the measured total. */
  y: readonly number[];
  /** Per component: its share of each run's total (0 when the run did not have it). */
  parts: ReadonlyMap<string, readonly number[]>;
}

export interface Pinned {
  /** The components every side had in at least half of its runs. */
  names: string[];
  /** Σ of their pooled medians (µs): what they count for in every run. */
  pinnedUs: number;
  /** Per side: y − Σ its components in that run + Σ their pooled medians. */
  sides: number[][];
}

/**
 * Components known to be identical on every side (standard-library modules: their code is fixed by the
 * Python version, which the baseline's environment check pins) are counted at their pooled median in
 * every run, so that their run-to-run variation — the machine's, not the code's — leaves the totals.
 * The totals keep their meaning (the components still count, at their typical cost).
 */
export function pinCommonParts(sides: readonly PinnedSide[]): Pinned {
  if (sides.length === 0) return { names: [], pinnedUs: 0, sides: [] };
  const steady = (side: PinnedSide, name: string): boolean => {
    const row = side.parts.get(name);
    if (!row || row.length !== side.y.length) return false;
    return row.filter((v) => v > 0).length >= Math.max(1, Math.ceil(side.y.length / 2));
  };
  const names = [...(sides[0] as PinnedSide).parts.keys()].filter((n) => sides.every((s) => steady(s, n))).sort();
  let pinnedUs = 0;
  const pooled = new Map<string, number>();
  for (const n of names) {
    const m = median(sides.flatMap((s) => [...(s.parts.get(n) as readonly number[])]));
    pooled.set(n, m);
    pinnedUs += m;
  }
  return {
    names,
    pinnedUs,
    sides: sides.map((s) =>
      s.y.map((y, i) => {
        let v = y + pinnedUs;
        for (const n of names) v -= (s.parts.get(n) as readonly number[])[i] as number;
        return v;
      }),
    ),
  };
}
