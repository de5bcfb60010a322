// `invoke --cold --memory … --json`: one JSON document on stdout (schemaVersion 1, kind "invoke-memory"): a row
// per memory size in the order swept, the init boost (smallest size's p50 over the largest's), and the
// recommendation. `profile --memory-profile` reads it back.
import type { InvokeMemoryReport } from './inputs.js';
import type { Renderer } from './renderer.js';

export function invokeMemoryDocument(report: InvokeMemoryReport): unknown {
  const { sweep } = report;
  const fn = report.function;
  return {
    schemaVersion: 1,
    kind: 'invoke-memory',
    function: fn.functionName,
    region: report.region,
    configuration: {
      functionArn: fn.functionArn,
      runtime: fn.runtime,
      architecture: fn.architecture,
      packageType: fn.packageType,
      originalMemorySizeMB: fn.memorySizeMB,
    },
    requested: report.requested,
    coldRate: sweep.settings.coldRate,
    coldRateFrom: sweep.settings.coldRateFrom,
    tolerance: sweep.settings.tolerance,
    pricePerGbSecond: sweep.settings.pricePerGbSecond,
    // Every figure set is { n, p50, p90, p99, max, values } (values when n < 5), null without samples.
    sizes: sweep.sizes.map((r) => ({
      memorySizeMB: r.memorySizeMB,
      coldSamples: r.coldSamples,
      initDurationMs: r.initDurationMs,
      firstCallMs: r.firstCallMs,
      coldTotalMs: r.coldTotalMs,
      warmDurationMs: r.warmDurationMs,
      billedMsPerColdStart: r.billedMsPerColdStart,
      costPerColdStartUsd: r.costPerColdStartUsd,
      costPerMillionUsd: r.costPerMillionUsd,
      warmCostFrom: r.warmCostFrom,
      failedColdStarts: r.failedColdStarts,
      warmInvocations: r.warmInvocations,
      failedWarm: r.failedWarm,
      reinits: r.reinits,
      unknown: r.unknown,
      errors: r.errors,
      timeouts: r.timeouts,
      throttled: r.throttled,
      updates: r.updates,
    })),
    initBoost: sweep.initBoost,
    recommendation: sweep.recommendation,
    forced: report.forced,
    interrupted: report.interrupted,
    stoppedBy: report.stoppedBy,
    notes: report.notes,
  };
}

export const renderer: Renderer<InvokeMemoryReport> = {
  render(report, sink) {
    sink.write(`${JSON.stringify(invokeMemoryDocument(report), null, 2)}\n`);
  },
};
