// Statistics over the invocation records of one `invoke` run. Each invocation is one kind (cold, warm,
// re-init, unknown: src/aws/log-lines.ts `classify`) and is counted under that kind only: a re-init (an init
// re-run inside an invoke after a timeout or a crash) is never a cold start, and warm latency is over
// successful warm invocations only. Every figure set carries its n; fewer than 5 values are kept as values.
import { quantile } from 'simple-statistics';
import { isSnapStartRestore, type FunctionInfo, type InvocationRecord } from '../model/invocation.js';
import { costLine, PRICE_PER_GB_SECOND, type CostLine } from './cost.js';

/** Below this many values a set is shown as its values: p50, p90, p99 and max of 3 numbers say nothing more. */
export const FEW_VALUES = 5;

export interface Percentiles {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** The values themselves (sorted) when there are fewer than FEW_VALUES; null otherwise. */
  values: number[] | null;
}

export interface InvokeSummary {
  /** Invocations that ran (interrupted runs: fewer than requested). */
  count: number;
  /** What --count asked for (with --cold: cold samples). */
  requested: number;
  cold: {
    /** New execution environments: Init Duration, or Restore Duration with SnapStart. */
    count: number;
    /** Share of all invocations that were cold. */
    rate: number;
    /** Init Duration of the cold starts that ran an init (not the SnapStart restores). */
    initDurationMs: Percentiles | null;
    /** SnapStart: cold starts that restored a snapshot, and their Restore Duration. */
    restore: { count: number; restoreDurationMs: Percentiles | null };
    /** Init (or Restore) Duration + Duration of each cold start: what its caller waited. */
    totalMs: Percentiles | null;
  };
  /** Successful warm invocations only; `failed` warm ones (errors, timeouts) are counted apart. */
  warm: { count: number; durationMs: Percentiles | null; failed: number };
  /** Inits re-run inside an invoke after a timeout or a crash: counted, reported and priced on their own. */
  reinit: { count: number; initDurationMs: Percentiles | null; durationMs: Percentiles | null; errors: number; timeouts: number };
  unknown: number;
  errors: number;
  timeouts: number;
  /** Each successful cold start's total against the warm median, summarised. */
  coldPenaltyMs: Percentiles | null;
  /** Distinct log streams when they were read, otherwise one per cold start. */
  environments: number;
  environmentsFrom: 'log-streams' | 'cold-starts';
  /** PIDs printed in more than one execution environment: a repeated PID is not a warm start. */
  repeatedPids: { pid: number; environments: number }[];
  cost: {
    architecture: 'x86_64' | 'arm64';
    memorySizeMB: number;
    pricePerGbSecond: number;
    cold: CostLine;
    warm: CostLine;
    reinit: CostLine;
    /** Every invocation with a Billed Duration (unknown ones have none). */
    total: CostLine;
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round2(quantile(sorted, 0.5)),
    p90: round2(quantile(sorted, 0.9)),
    p99: round2(quantile(sorted, 0.99)),
    max: round2(sorted[sorted.length - 1] as number),
    values: sorted.length < FEW_VALUES ? sorted.map(round2) : null,
  };
}

const defined = (xs: (number | null)[]): number[] => xs.filter((x): x is number => x !== null);

export function summariseInvocations(
  records: InvocationRecord[],
  fn: FunctionInfo,
  options: { pricePerGbSecond?: number; requested?: number } = {},
): InvokeSummary {
  const cold = records.filter((r) => r.kind === 'cold');
  const warm = records.filter((r) => r.kind === 'warm');
  const reinit = records.filter((r) => r.kind === 're-init');
  const restored = cold.filter(isSnapStartRestore);
  const okWarm = warm.filter((r) => r.status === 'success');
  const coldTotal = (r: InvocationRecord): number | null =>
    r.durationMs === null ? null : (r.initDurationMs ?? r.restoreDurationMs ?? 0) + r.durationMs;
  const warmP = percentiles(defined(okWarm.map((r) => r.durationMs)));
  const warmMedian = warmP ? quantile(defined(okWarm.map((r) => r.durationMs)), 0.5) : null;
  const penalties =
    warmMedian === null ? [] : defined(cold.filter((r) => r.status === 'success').map(coldTotal)).map((t) => t - warmMedian);
  const price = options.pricePerGbSecond ?? PRICE_PER_GB_SECOND[fn.architecture];
  const line = (rs: InvocationRecord[]): CostLine => costLine(rs, fn.memorySizeMB, price);

  const pidEnvs = new Map<number, Set<string>>();
  for (const r of records) {
    if (r.pid === null || r.logStream === null) continue;
    const s = pidEnvs.get(r.pid) ?? new Set<string>();
    s.add(r.logStream);
    pidEnvs.set(r.pid, s);
  }
  const repeatedPids = [...pidEnvs.entries()]
    .filter(([, envs]) => envs.size > 1)
    .map(([pid, envs]) => ({ pid, environments: envs.size }))
    .sort((a, b) => b.environments - a.environments || a.pid - b.pid);
  const streams = new Set(records.map((r) => r.logStream).filter((s) => s !== null));

  return {
    count: records.length,
    requested: options.requested ?? records.length,
    cold: {
      count: cold.length,
      rate: records.length ? cold.length / records.length : 0,
      initDurationMs: percentiles(defined(cold.map((r) => r.initDurationMs))),
      restore: { count: restored.length, restoreDurationMs: percentiles(defined(restored.map((r) => r.restoreDurationMs))) },
      totalMs: percentiles(defined(cold.map(coldTotal))),
    },
    warm: { count: okWarm.length, durationMs: warmP, failed: warm.length - okWarm.length },
    reinit: {
      count: reinit.length,
      initDurationMs: percentiles(defined(reinit.map((r) => r.initDurationMs))),
      durationMs: percentiles(defined(reinit.map((r) => r.durationMs))),
      errors: reinit.filter((r) => r.status === 'error').length,
      timeouts: reinit.filter((r) => r.status === 'timeout').length,
    },
    unknown: records.filter((r) => r.kind === 'unknown').length,
    errors: records.filter((r) => r.status === 'error').length,
    timeouts: records.filter((r) => r.status === 'timeout').length,
    coldPenaltyMs: percentiles(penalties),
    environments: streams.size > 0 ? streams.size : cold.length,
    environmentsFrom: streams.size > 0 ? 'log-streams' : 'cold-starts',
    repeatedPids,
    cost: {
      architecture: fn.architecture,
      memorySizeMB: fn.memorySizeMB,
      pricePerGbSecond: price,
      cold: line(cold),
      warm: line(warm),
      reinit: line(reinit),
      total: line(records),
    },
  };
}
