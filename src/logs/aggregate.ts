// The per-function aggregation of a log history, in bounded memory: each REPORT becomes the same
// InvocationRecord `invoke` builds (model/invocation.ts, classified by aws/log-lines.ts `classify`: cold,
// warm, re-init never cold, SnapStart restore), is counted, and is dropped. Percentiles come from a
// t-digest (the `tdigest` package, the streaming quantile estimator prom-client's summaries use), so a
// window of millions of events holds a few hundred centroids per figure, not the values. Per log stream
// (one per execution environment) only the init lines not yet followed by their REPORT are kept. For the
// HTML page, init, cold and warm durations are also counted into fixed log-scale bins (70 counters each).
import { TDigest } from 'tdigest';
import { cost } from '../analysis/cost.js';
import type { PlatformLine } from '../aws/log-lines.js';
import { invocationRecord, type InvocationRecord } from '../model/invocation.js';
import { HISTOGRAM_BINS, type FunctionHistory, type Histogram, type StreamingPercentiles } from '../render/logs-input.js';

export type { FunctionHistory, StreamingPercentiles };

/** Gap between the end of an init and the first request it served beyond which the init ran ahead of traffic. */
export const AHEAD_OF_TRAFFIC_MS = 1000;

/** Quantiles of a stream of numbers: a t-digest plus the exact count and maximum. */
export class Quantiles {
  private digest = new TDigest();
  n = 0;
  max = -Infinity;
  sum = 0;

  push(x: number): void {
    this.digest.push(x);
    this.n++;
    this.sum += x;
    if (x > this.max) this.max = x;
  }

  summary(): StreamingPercentiles | null {
    if (this.n === 0) return null;
    this.digest.compress();
    const at = (q: number): number => Math.round(Math.min(this.max, this.digest.percentile(q)) * 100) / 100;
    return { n: this.n, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(this.max * 100) / 100 };
  }
}

/** The bin of HISTOGRAM_BINS a value (ms) falls in. */
export function histogramBin(ms: number): number {
  const { minMs, perDecade, count } = HISTOGRAM_BINS;
  if (!(ms > minMs)) return 0;
  // the small epsilon keeps a value on a bin's lower edge (1 ms, 10 ms…) in that bin despite rounding
  return Math.min(count - 1, Math.floor(Math.log10(ms / minMs) * perDecade + 1e-9));
}

/** A histogram over HISTOGRAM_BINS: a fixed number of counters, whatever the number of values. */
export class LogHistogram {
  private counts = new Array<number>(HISTOGRAM_BINS.count).fill(0);

  push(ms: number): void {
    this.counts[histogramBin(ms)]!++;
  }

  summary(): Histogram {
    const first = this.counts.findIndex((c) => c > 0);
    if (first < 0) return { from: 0, counts: [] };
    let last = this.counts.length - 1;
    while (this.counts[last] === 0) last--;
    return { from: first, counts: this.counts.slice(first, last + 1) };
  }
}

/** What one stream (execution environment) said since its last REPORT. */
interface StreamState {
  initStartAt: number | null;
  initializationType: string | null;
  initReports: Extract<PlatformLine, { kind: 'init-report' }>[];
  restoreReport: Extract<PlatformLine, { kind: 'restore-report' }> | null;
}

export class HistoryAggregator {
  private streams = new Map<string, StreamState>();
  private seenStreams = new Set<string>();
  private counts = { invocations: 0, cold: 0, restores: 0, errors: 0, timeouts: 0, reinits: 0, unknown: 0, provisioned: 0, ahead: 0 };
  private init = new Quantiles();
  private restore = new Quantiles();
  private coldDuration = new Quantiles();
  private warmDuration = new Quantiles();
  private reinitInit = new Quantiles();
  private hist = { initMs: new LogHistogram(), coldDurationMs: new LogHistogram(), warmDurationMs: new LogHistogram() };
  private totalColdMs = 0;
  private coldUsd = 0;
  private coldBilled = 0;

  constructor(
    private readonly memorySizeMB: number,
    private readonly pricePerGbSecond: number,
  ) {}

  private state(stream: string): StreamState {
    let s = this.streams.get(stream);
    if (!s) {
      s = { initStartAt: null, initializationType: null, initReports: [], restoreReport: null };
      this.streams.set(stream, s);
      this.seenStreams.add(stream);
    }
    return s;
  }

  /** Feed one parsed line of `stream`, logged at `timestamp` (epoch ms); lines of a stream in time order. */
  add(line: PlatformLine, stream: string, timestamp: number): InvocationRecord | null {
    const s = this.state(stream);
    switch (line.kind) {
      case 'init-start':
        s.initStartAt = timestamp;
        s.initializationType = line.initializationType;
        if (line.initializationType === 'provisioned-concurrency') this.counts.provisioned++;
        return null;
      case 'init-report':
        s.initReports.push(line);
        return null;
      case 'restore-report':
        s.restoreReport = line;
        return null;
      case 'report':
        return this.report(line, s, stream, timestamp);
      default:
        return null;
    }
  }

  private report(line: Extract<PlatformLine, { kind: 'report' }>, s: StreamState, stream: string, timestamp: number): InvocationRecord {
    const record = invocationRecord(
      { report: line, initReports: s.initReports, restoreReport: s.restoreReport, start: null, pids: [], sawInitStart: s.initStartAt !== null },
      null,
      { index: ++this.counts.invocations, source: 'cloudwatch', logStream: stream, round: null },
    );
    const c = this.counts;
    if (record.status === 'error') c.errors++;
    if (record.status === 'timeout') c.timeouts++;
    if (record.kind === 'cold') {
      c.cold++;
      if (record.initDurationMs !== null) {
        this.init.push(record.initDurationMs);
        this.hist.initMs.push(record.initDurationMs);
      }
      else if (record.restoreDurationMs !== null) {
        c.restores++;
        this.restore.push(record.restoreDurationMs);
      }
      if (record.durationMs !== null) {
        this.coldDuration.push(record.durationMs);
        this.hist.coldDurationMs.push(record.durationMs);
      }
      this.totalColdMs += record.initDurationMs ?? record.restoreDurationMs ?? 0;
      if (record.billedDurationMs !== null) {
        const billed = record.billedDurationMs + (record.billedRestoreDurationMs ?? 0);
        this.coldBilled += billed;
        this.coldUsd += cost(billed, record.memorySizeMB ?? this.memorySizeMB, this.pricePerGbSecond);
      }
      // The request began at (REPORT time − Duration); the init ended Init Duration after INIT_START.
      if (s.initStartAt !== null && record.initDurationMs !== null && record.durationMs !== null) {
        const gap = timestamp - record.durationMs - (s.initStartAt + record.initDurationMs);
        if (gap > AHEAD_OF_TRAFFIC_MS && s.initializationType !== 'provisioned-concurrency') c.ahead++;
      }
    } else if (record.kind === 're-init') {
      c.reinits++;
      if (record.initDurationMs !== null) this.reinitInit.push(record.initDurationMs);
    } else if (record.kind === 'warm') {
      if (record.status === 'success' && record.durationMs !== null) {
        this.warmDuration.push(record.durationMs);
        this.hist.warmDurationMs.push(record.durationMs);
      }
    } else c.unknown++;
    s.initStartAt = null;
    s.initializationType = null;
    s.initReports = [];
    s.restoreReport = null;
    return record;
  }

  summary(): FunctionHistory {
    const c = this.counts;
    return {
      invocations: c.invocations,
      coldStarts: c.cold,
      coldStartRate: c.invocations ? c.cold / c.invocations : 0,
      restores: c.restores,
      errors: c.errors,
      timeouts: c.timeouts,
      reinits: c.reinits,
      unknown: c.unknown,
      initDurationMs: this.init.summary(),
      restoreDurationMs: this.restore.summary(),
      coldDurationMs: this.coldDuration.summary(),
      warmDurationMs: this.warmDuration.summary(),
      reinitInitDurationMs: this.reinitInit.summary(),
      totalColdStartMs: Math.round(this.totalColdMs * 100) / 100,
      environments: this.seenStreams.size,
      initAhead: { provisioned: c.provisioned, aheadOfTraffic: c.ahead },
      coldCostUsd: this.coldUsd,
      coldBilledMs: this.coldBilled,
      histograms: { initMs: this.hist.initMs.summary(), coldDurationMs: this.hist.coldDurationMs.summary(), warmDurationMs: this.hist.warmDurationMs.summary() },
    };
  }
}
