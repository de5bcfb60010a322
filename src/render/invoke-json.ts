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
    /** With `interrupted`: after how many of the requested invocations. */
    completed: { invocations: s.count, requested: s.requested },
    invocations: report.invocations.map((r) => ({
      index: r.index,
      requestId: r.requestId,
      cold: r.cold,
      kind: r.kind,
      initDurationMs: r.initDurationMs,
      restoreDurationMs: r.restoreDurationMs,
      billedRestoreDurationMs: r.billedRestoreDurationMs,
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
    // Every figure set has its n (and its values when n < 5); re-inits have their own block, never in cold.
    summary: s,
    notes: report.notes,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const renderer: Renderer<InvokeReport> = {
  render(report, sink) {
    sink.write(renderInvokeJson(report));
  },
};
