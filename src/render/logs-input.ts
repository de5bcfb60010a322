// What the `logs` renderers take: one history summary per function (src/logs/aggregate.ts builds them),
// ranked by total cold-start time, and the functions that were skipped.

export interface StreamingPercentiles {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * The fixed log-scale bins of every histogram `logs` keeps (src/logs/aggregate.ts): bin i counts the values
 * in [MIN_MS·10^(i/PER_DECADE), MIN_MS·10^((i+1)/PER_DECADE)) ms; smaller values fall in bin 0, larger
 * ones in the last bin (Lambda's longest invocation, 900 s, is inside the range).
 */
export const HISTOGRAM_BINS = { minMs: 0.1, perDecade: 10, count: 70 } as const;

/** Counts per bin of HISTOGRAM_BINS; `from` is the bin of counts[0] (empty bins at both ends left out). */
export interface Histogram {
  from: number;
  counts: number[];
}

export interface FunctionHistory {
  invocations: number;
  coldStarts: number;
  coldStartRate: number;
  /** SnapStart cold starts (a restore, no init). */
  restores: number;
  errors: number;
  timeouts: number;
  reinits: number;
  unknown: number;
  initDurationMs: StreamingPercentiles | null;
  restoreDurationMs: StreamingPercentiles | null;
  /** Successful and failed cold starts' REPORT Duration. */
  coldDurationMs: StreamingPercentiles | null;
  /** Successful warm invocations only. */
  warmDurationMs: StreamingPercentiles | null;
  reinitInitDurationMs: StreamingPercentiles | null;
  /** Sum of Init (or Restore) Duration over the cold starts: the ranking key. */
  totalColdStartMs: number;
  /** Distinct log streams seen: one per execution environment. */
  environments: number;
  /** Signs of provisioned or proactive initialisation. */
  initAhead: {
    /** JSON logs: platform.initStart with initializationType provisioned-concurrency. */
    provisioned: number;
    /** Cold starts whose init ended more than 1 s (src/logs/aggregate.ts) before their request began. */
    aheadOfTraffic: number;
  };
  /** Cold starts under INIT billing: Billed Duration (init included since 2025-08-01) × memory × price. */
  coldCostUsd: number;
  coldBilledMs: number;
  /**
   * The filter engine only (it sees every event; Logs Insights returns percentiles): the cold starts' Init
   * Duration, their Duration, and the successful warm invocations' Duration, counted into fixed bins.
   */
  histograms?: { initMs: Histogram; coldDurationMs: Histogram; warmDurationMs: Histogram };
}

export interface LogsFunction {
  name: string;
  runtime: string | null;
  logGroup: string;
  logFormat: 'Text' | 'JSON';
  memorySizeMB: number;
  architecture: 'x86_64' | 'arm64';
  history: FunctionHistory;
}

/** `logs`: the document one run produces. */
export interface LogsReport {
  region: string;
  engine: 'filter' | 'insights';
  /** Why that engine (auto picks by window and number of functions). */
  engineReason: string;
  /** Epoch ms. */
  window: { start: number; end: number };
  pricePerGbSecond: { x86_64: number; arm64: number };
  /** Sorted by total cold-start time, largest first. */
  functions: LogsFunction[];
  skipped: { name: string; reason: string }[];
  notes: string[];
  stats: { pages: number; events: number; elapsedMs: number };
}
