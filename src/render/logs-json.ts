// `logs --json`: one JSON document on stdout (schemaVersion 1, kind "logs"), the same whichever engine ran.
import { HISTOGRAM_BINS, type LogsReport } from './logs-input.js';
import type { Renderer } from './renderer.js';

export function logsDocument(report: LogsReport): unknown {
  return {
    schemaVersion: 1,
    kind: 'logs',
    region: report.region,
    engine: report.engine,
    engineReason: report.engineReason,
    window: { start: new Date(report.window.start).toISOString(), end: new Date(report.window.end).toISOString() },
    functions: report.functions.map((f) => {
      const h = f.history;
      return {
        name: f.name,
        runtime: f.runtime,
        logGroup: f.logGroup,
        logFormat: f.logFormat,
        memorySizeMB: f.memorySizeMB,
        architecture: f.architecture,
        invocations: h.invocations,
        coldStarts: h.coldStarts,
        coldStartRate: h.coldStartRate,
        restores: h.restores,
        errors: h.errors,
        timeouts: h.timeouts,
        reinits: h.reinits,
        unknown: h.unknown,
        initDurationMs: h.initDurationMs,
        restoreDurationMs: h.restoreDurationMs,
        coldDurationMs: h.coldDurationMs,
        warmDurationMs: h.warmDurationMs,
        reinitInitDurationMs: h.reinitInitDurationMs,
        totalColdStartMs: h.totalColdStartMs,
        environments: h.environments,
        initAhead: h.initAhead,
        coldStartCost: { billedMs: h.coldBilledMs, usd: h.coldCostUsd, pricePerGbSecond: report.pricePerGbSecond[f.architecture] },
        // the filter engine's counts per fixed log-scale bin (the HTML page draws them); Logs Insights gives none
        histograms: h.histograms ? { bins: HISTOGRAM_BINS, ...h.histograms } : null,
      };
    }),
    skipped: report.skipped,
    notes: report.notes,
    stats: report.stats,
  };
}

export const renderer: Renderer<LogsReport> = {
  render(report, sink) {
    sink.write(`${JSON.stringify(logsDocument(report), null, 2)}\n`);
  },
};
