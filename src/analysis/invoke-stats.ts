// Statistics over the invocation records of one `invoke` run: cold-start rate, init percentiles, the cold
// penalty against warm invocations, PIDs seen in several environments, and what the cold starts cost.
import { max, quantile } from 'simple-statistics';
import type { FunctionInfo, InvocationRecord } from '../model/invocation.js';
import { billedUnderInitBilling, cost, PRICE_PER_GB_SECOND } from './cost.js';

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface InvokeSummary {
  count: number;
  cold: {
    count: number;
    /** Share of all invocations that were cold (a new environment). */
    rate: number;
    initDurationMs: Percentiles | null;
    /** Init + duration of the cold invocations: what the caller waited. */
    totalMs: Percentiles | null;
  };
  warm: { count: number; durationMs: Percentiles | null };
  reinit: number;
  unknown: number;
  errors: number;
  timeouts: number;
  /** Cold total − warm duration, at p50 and p90. */
  coldPenaltyMs: { p50: number; p90: number } | null;
  environments: number;
  /** PIDs printed in more than one execution environment: a repeated PID is not a warm start. */
  repeatedPids: { pid: number; environments: number }[];
  cost: {
    architecture: 'x86_64' | 'arm64';
    memorySizeMB: number;
    pricePerGbSecond: number;
    /** Billed ms of all cold invocations under INIT billing. */
    coldBilledMs: number;
    coldUsd: number;
    perColdStartUsd: number | null;
    /** The part of it that is INIT (init ms billed). */
    initUsd: number;
    warmPerInvocationUsd: number | null;
  };
}

export function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const r = (x: number): number => Math.round(x * 100) / 100;
  return { p50: r(quantile(values, 0.5)), p90: r(quantile(values, 0.9)), p99: r(quantile(values, 0.99)), max: r(max(values)) };
}

export function summariseInvocations(records: InvocationRecord[], fn: FunctionInfo, priceOverride?: number): InvokeSummary {
  const cold = records.filter((r) => r.cold);
  const warm = records.filter((r) => r.kind === 'warm');
  const initVals = cold.map((r) => r.initDurationMs).filter((x): x is number => x !== null);
  const coldTotals = cold.filter((r) => r.durationMs !== null).map((r) => (r.initDurationMs ?? 0) + (r.durationMs as number));
  const warmDur = warm.map((r) => r.durationMs).filter((x): x is number => x !== null);
  const coldTotal = percentiles(coldTotals);
  const warmP = percentiles(warmDur);
  const price = priceOverride ?? PRICE_PER_GB_SECOND[fn.architecture];

  let coldBilledMs = 0;
  let initBilledMs = 0;
  for (const r of cold) {
    if (r.durationMs === null || r.billedDurationMs === null) continue;
    const memory = r.memorySizeMB ?? fn.memorySizeMB;
    const billed = billedUnderInitBilling(r.durationMs, r.billedDurationMs, r.initDurationMs);
    coldBilledMs += billed * (memory / fn.memorySizeMB);
    initBilledMs += Math.min(billed, r.initDurationMs ?? 0) * (memory / fn.memorySizeMB);
  }
  const coldUsd = cost(coldBilledMs, fn.memorySizeMB, price);
  const warmBilled = warm.map((r) => r.billedDurationMs).filter((x): x is number => x !== null);

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

  return {
    count: records.length,
    cold: {
      count: cold.length,
      rate: records.length ? cold.length / records.length : 0,
      initDurationMs: percentiles(initVals),
      totalMs: coldTotal,
    },
    warm: { count: warm.length, durationMs: warmP },
    reinit: records.filter((r) => r.kind === 're-init').length,
    unknown: records.filter((r) => r.kind === 'unknown').length,
    errors: records.filter((r) => r.status === 'error').length,
    timeouts: records.filter((r) => r.status === 'timeout').length,
    coldPenaltyMs:
      coldTotal && warmP
        ? { p50: Math.round((coldTotal.p50 - warmP.p50) * 100) / 100, p90: Math.round((coldTotal.p90 - warmP.p90) * 100) / 100 }
        : null,
    environments: new Set(records.map((r) => r.logStream).filter((s) => s !== null)).size,
    repeatedPids,
    cost: {
      architecture: fn.architecture,
      memorySizeMB: fn.memorySizeMB,
      pricePerGbSecond: price,
      coldBilledMs: Math.round(coldBilledMs),
      coldUsd,
      perColdStartUsd: cold.length ? coldUsd / cold.length : null,
      initUsd: cost(initBilledMs, fn.memorySizeMB, price),
      warmPerInvocationUsd: warmBilled.length ? cost(quantile(warmBilled, 0.5), fn.memorySizeMB, price) : null,
    },
  };
}
