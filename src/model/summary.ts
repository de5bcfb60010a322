// Summary statistics over repeated samples (simple-statistics does the arithmetic).
import { max, median, medianAbsoluteDeviation, min, quantileSorted } from 'simple-statistics';

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  p25: number;
  p75: number;
  /** Median absolute deviation: a spread that one noisy run does not inflate. */
  mad: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { n: 0, median: 0, min: 0, max: 0, p25: 0, p75: 0, mad: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: values.length,
    median: median(sorted),
    min: min(sorted),
    max: max(sorted),
    p25: quantileSorted(sorted, 0.25),
    p75: quantileSorted(sorted, 0.75),
    mad: values.length > 1 ? medianAbsoluteDeviation(sorted) : 0,
  };
}
