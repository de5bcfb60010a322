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

export interface BaseHeadAdjusted {
  /** Within-side slope: removes each run's own noise (a busy moment hits one run). */
  slope: number;
  /** Slope applied to the difference between the sides' median controls (a busy period hits a whole side). */
  betweenSlope: number;
  /** Head's median control over the base's: above 1, the machine was slower for the head. */
  machineFactor: number;
  /** The base's median control: both sides are brought to it. */
  reference: number;
  base: number[];
  head: number[];
}

/**
 * Bring the head's runs to the base's machine speed. Within each side, each run's deviation from the
 * side's median control is removed with the within-side slope. Between the sides: a machine that was
 * slower for the head than for the base (a busier CI runner than when a baseline was saved) may have
 * slowed the whole import, not only the part a run's own noise shows (per-run noise under-estimates it:
 * a short busy moment hits the start-up or the import, a busy period hits both). The head then gets the
 * benefit of the doubt: the larger of the within-side slope and the proportional one (the base's import
 * over its control) — the gate never calls the machine's slowness a regression. When the machine was
 * faster for the head, the within-side slope is used (it adds less back).
 */
export function adjustToBase(base: ControlGroup, head: ControlGroup, maxSlope = 4): BaseHeadAdjusted {
  const within = controlAdjust([base, head], maxSlope).slope;
  const cb = median([...base.x]);
  const ch = median([...head.x]);
  const yb = median([...base.y]);
  const proportional = cb > 0 ? Math.min(maxSlope, yb / cb) : within;
  const betweenSlope = ch > cb ? Math.max(within, proportional) : within;
  return {
    slope: within,
    betweenSlope,
    machineFactor: cb > 0 ? ch / cb : 1,
    reference: cb,
    base: base.y.map((y, i) => y - within * ((base.x[i] as number) - cb)),
    head: head.y.map((y, i) => y - within * ((head.x[i] as number) - ch) - betweenSlope * (ch - cb)),
  };
}
