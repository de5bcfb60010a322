// The Mann–Whitney U test (Wilcoxon rank-sum test) for "did the import get slower?".
//
// simple-statistics gives the rank sum (wilcoxonRankSum, tied values share their average rank) and the
// error function; it has no p-value for the test. The p-value here is the standard large-sample normal
// approximation with the tie correction and the continuity correction — what scipy.stats.mannwhitneyu
// computes with method='asymptotic' — checked against scipy and textbook samples in the unit tests.
// The gate compares 10 or more runs a side, where the approximation is accurate (Mann & Whitney 1947;
// the exact distribution is needed only below about 8 a side).
import { errorFunction, wilcoxonRankSum } from 'simple-statistics';

export type Alternative = 'greater' | 'less' | 'two-sided';

export interface MannWhitneyResult {
  /** U of the first sample: how many (x, y) pairs have x > y (ties count one half). */
  u: number;
  /** The standardised statistic (continuity-corrected, tie-corrected). */
  z: number;
  /** The p-value for the alternative asked. */
  p: number;
  n1: number;
  n2: number;
}

/** P(Z ≥ z) for a standard normal Z. */
export function upperTail(z: number): number {
  const p = 0.5 * (1 - errorFunction(z / Math.SQRT2));
  return Math.min(1, Math.max(0, p));
}

/** Σ (t³ − t) over groups of tied values in the pooled sample. */
export function tieTerm(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  let sum = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const t = j - i;
    if (t > 1) sum += t * t * t - t;
    i = j;
  }
  return sum;
}

/**
 * Mann–Whitney U test of x against y. `greater`: the alternative that x tends to be larger than y
 * (the head's import times larger than the base's).
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], alternative: Alternative = 'two-sided'): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new Error('mannWhitneyU needs two non-empty samples');
  const r1 = wilcoxonRankSum([...x], [...y]);
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm([...x, ...y]) / (n * (n - 1)));
  if (variance <= 0) {
    // every value tied: no evidence either way
    return { u, z: 0, p: 1, n1, n2 };
  }
  const sd = Math.sqrt(variance);
  let z: number;
  let p: number;
  if (alternative === 'greater') {
    z = (u - mu - 0.5) / sd;
    p = upperTail(z);
  } else if (alternative === 'less') {
    z = (u - mu + 0.5) / sd;
    p = 1 - upperTail(z);
  } else {
    const d = Math.abs(u - mu);
    z = Math.max(0, d - 0.5) / sd;
    p = Math.min(1, 2 * upperTail(z));
    z = u >= mu ? z : -z;
  }
  return { u, z, p: Math.min(1, Math.max(0, p)), n1, n2 };
}
