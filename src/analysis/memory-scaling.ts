// What an import costs in the first request rather than at init, at a given memory size. Lambda gives a
// function CPU in proportion to its memory, one full vCPU at 1,769 MB
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html), but an on-demand function's
// init runs on a full vCPU whatever its memory (AWS guidance, not a contract: docs/lambda-platform.md).
// So code moved from init into the handler runs about 1,769 / MB times slower there below 1,769 MB, and
// as fast at or above it. That is an estimate; an `invoke --memory` sweep of the function measures it.

/** The memory size at which the invoke phase gets one full vCPU: its CPU share is min(1, MB / 1769). */
export const FULL_VCPU_MB = 1769;
/** What Lambda accepts for MemorySize, whole MB (docs/lambda-platform.md, "The AWS APIs"). */
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;

/** A memory size as the advice writes it: "1,769 MB". */
export const mb = (n: number): string => `${n.toLocaleString('en-US')} MB`;

export interface MemoryScaling {
  memorySizeMB: number;
  /** How many times longer the same code takes in the first request than at init, at this size. */
  factor: number;
  /** estimate: the CPU share (1,769 / MB, at least 1); measured: an `invoke --memory` sweep. */
  source: 'estimate' | 'measured';
  /** cpu-share (the estimate); for a sweep, the size itself, interpolated between two, or the nearest one. */
  method: 'cpu-share' | 'exact' | 'interpolated' | 'nearest';
  /** The measured sizes the factor comes from (empty for the estimate). */
  fromSizesMB: number[];
  /** The smallest size at which the first request pays no more than init does (by the same source), or null. */
  breakEvenMB: number | null;
}

/** One measured size of a sweep: the medians the factor is computed from. */
export interface SweepSize {
  memorySizeMB: number;
  initP50Ms: number;
  firstCallP50Ms: number;
}

/** What the advice reads of an `invoke --memory` document. */
export interface MemorySweep {
  function: string;
  sizes: readonly SweepSize[];
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The CPU share's estimate: 1,769 / MB, and 1 from 1,769 MB up. */
export function estimateFactor(memorySizeMB: number): number {
  return Math.max(1, FULL_VCPU_MB / memorySizeMB);
}

export function estimateScaling(memorySizeMB: number): MemoryScaling {
  return { memorySizeMB, factor: round2(estimateFactor(memorySizeMB)), source: 'estimate', method: 'cpu-share', fromSizesMB: [], breakEvenMB: FULL_VCPU_MB };
}

/**
 * Each measured size's factor: its first call over its init (medians), relative to the same ratio at the
 * largest size measured — where the handler runs on (nearly) the CPU init had. Below 1,769 MB that largest
 * size is itself slowed by the CPU share, which is applied on top (the estimate's only part in it).
 * Sizes without a positive init and first call are left out.
 */
export function sweepFactors(sweep: MemorySweep): Array<{ memorySizeMB: number; factor: number }> {
  const usable = sweep.sizes.filter((s) => s.initP50Ms > 0 && s.firstCallP50Ms > 0).sort((a, b) => a.memorySizeMB - b.memorySizeMB);
  const largest = usable[usable.length - 1];
  if (!largest) return [];
  const ratio = (s: SweepSize): number => s.firstCallP50Ms / s.initP50Ms;
  const base = ratio(largest) / estimateFactor(largest.memorySizeMB);
  return usable.map((s) => ({ memorySizeMB: s.memorySizeMB, factor: ratio(s) / base }));
}

/**
 * The measured factor at `memorySizeMB`: a measured size's own; between two measured sizes, interpolated
 * linearly in 1/MB (the CPU share is proportional to memory, so the factor to 1/MB); outside them, the
 * nearest. Null when the sweep has fewer than two usable sizes (nothing to scale from).
 */
export function measuredScaling(sweep: MemorySweep, memorySizeMB: number): MemoryScaling | null {
  const factors = sweepFactors(sweep);
  if (factors.length < 2) return null;
  const breakEvenMB = factors.find((f) => f.factor <= 1)?.memorySizeMB ?? null;
  const of = (factor: number, method: MemoryScaling['method'], fromSizesMB: number[]): MemoryScaling => ({
    memorySizeMB,
    factor: round2(factor),
    source: 'measured',
    method,
    fromSizesMB,
    breakEvenMB,
  });
  const exact = factors.find((f) => f.memorySizeMB === memorySizeMB);
  if (exact) return of(exact.factor, 'exact', [exact.memorySizeMB]);
  const first = factors[0] as (typeof factors)[number];
  const last = factors[factors.length - 1] as (typeof factors)[number];
  if (memorySizeMB < first.memorySizeMB) return of(first.factor, 'nearest', [first.memorySizeMB]);
  if (memorySizeMB > last.memorySizeMB) return of(last.factor, 'nearest', [last.memorySizeMB]);
  const upper = factors.findIndex((f) => f.memorySizeMB > memorySizeMB);
  const a = factors[upper - 1] as (typeof factors)[number];
  const b = factors[upper] as (typeof factors)[number];
  const t = (1 / memorySizeMB - 1 / a.memorySizeMB) / (1 / b.memorySizeMB - 1 / a.memorySizeMB);
  return of(a.factor + (b.factor - a.factor) * t, 'interpolated', [a.memorySizeMB, b.memorySizeMB]);
}

/** How the advice names where a factor comes from, in a few words. */
export function describeScaling(s: MemoryScaling): string {
  if (s.source === 'estimate') {
    return `an estimate: init runs on a full vCPU, the handler on ${s.memorySizeMB >= FULL_VCPU_MB ? 'one too' : `${s.memorySizeMB.toLocaleString('en-US')}/1,769 of one`}`;
  }
  if (s.method === 'exact') return `measured by invoke --memory at ${mb(s.memorySizeMB)}`;
  if (s.method === 'interpolated') return `measured by invoke --memory, interpolated between ${s.fromSizesMB.map(mb).join(' and ')}`;
  return `measured by invoke --memory at the nearest size, ${mb(s.fromSizesMB[0] as number)}`;
}
