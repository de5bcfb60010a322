// `invoke --json`: one JSON document on stdout (schemaVersion 1, kind "invoke").
import type { InvokeReport } from './inputs.js';
import type { Renderer } from './renderer.js';

function renderInvokeJson(report: InvokeReport): string {
  const s = report.summary;
  const doc = {
    schemaVersion: 1,
    kind: 'invoke',
    function: report.function.functionName,
    region: report.region,
    configuration: {
      functionArn: report.function.functionArn,
      qualifier: report.function.qualifier,
      runtime: report.function.runtime,
      memorySizeMB: report.function.memorySizeMB,
      architecture: report.function.architecture,
      packageType: report.function.packageType,
      logFormat: report.function.logFormat,
      logGroup: report.function.logGroup,
      snapStart: report.function.snapStart,
      provisionedConcurrency: report.function.provisionedConcurrency,
    },
    forced: report.forced,
    interrupted: report.interrupted,
    invocations: report.invocations.map((r) => ({
      index: r.index,
      requestId: r.requestId,
      cold: r.cold,
      kind: r.kind,
      initDurationMs: r.initDurationMs,
      restoreDurationMs: r.restoreDurationMs,
      durationMs: r.durationMs,
      billedDurationMs: r.billedDurationMs,
      memorySizeMB: r.memorySizeMB,
      maxMemoryUsedMB: r.maxMemoryUsedMB,
      status: r.status,
      functionError: r.functionError,
      errorType: r.errorType,
      logStream: r.logStream,
      pid: r.pid,
      executedVersion: r.executedVersion,
      round: r.round,
      source: r.source,
      clientMs: r.clientMs,
    })),
    summary: {
      count: s.count,
      cold: {
        count: s.cold.count,
        rate: s.cold.rate,
        initDurationMs: s.cold.initDurationMs,
        totalMs: s.cold.totalMs,
      },
      warm: { count: s.warm.count, durationMs: s.warm.durationMs },
      reinit: s.reinit,
      unknown: s.unknown,
      errors: s.errors,
      timeouts: s.timeouts,
      coldPenaltyMs: s.coldPenaltyMs,
      environments: s.environments,
      repeatedPids: s.repeatedPids,
      cost: s.cost,
    },
    notes: report.notes,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const renderer: Renderer<InvokeReport> = {
  render(report, sink) {
    sink.write(renderInvokeJson(report));
  },
};
