// What an `invoke --memory` sweep's report says in words, worded once for the terminal report and the page:
// the function, how the run ended, what a size lost to failures, the recommendation's sizes, and what the
// cost columns assume.
import { INIT_BILLING_NOTE } from '../analysis/cost.js';
import { percent, type MemorySizeRow, type MemorySweep, type Recommendation } from '../analysis/memory-sweep.js';
import type { InvokeMemoryReport } from './inputs.js';

/** "python3.12 · arm64 · us-east-1 · configured 1024 MB" */
export function functionLine(report: InvokeMemoryReport): string {
  const fn = report.function;
  return `${fn.runtime ?? fn.packageType ?? 'unknown runtime'} · ${fn.architecture} · ${report.region} · configured ${fn.memorySizeMB} MB`;
}

/** What became of the function's memory size and environment: "restored" (also when nothing had changed), or why not. */
export function restoredWord(report: InvokeMemoryReport): string {
  const r = report.forced.restore;
  return r === 'restored' || r === 'unchanged' ? 'restored' : r;
}

/** How the sweep stopped short, if it did: interrupted, or stopped early and why. */
export function stopLines(report: InvokeMemoryReport): string[] {
  const lines: string[] = [];
  if (report.interrupted) lines.push(`interrupted after ${report.sweep.sizes.length} of ${report.requested.sizesMB.length} sizes (the last one possibly partial)`);
  if (report.stoppedBy) lines.push(`stopped early: ${report.stoppedBy}`);
  return lines;
}

/** "fastest cold start: 1769 MB; cheapest within 10 %: 1024 MB" */
export function recommendationSizes(rec: Recommendation, tolerance: number): string {
  return `fastest cold start: ${rec.fastestMemorySizeMB} MB; cheapest within ${percent(tolerance)}: ${rec.memorySizeMB} MB`;
}

/** "128 MB: 2 failed cold start(s), 1 re-init(s) (kept out of the percentiles)", or null when nothing failed. */
export function sizeFailures(r: MemorySizeRow): string | null {
  const parts = [
    r.failedColdStarts ? `${r.failedColdStarts} failed cold start(s)` : '',
    r.failedWarm ? `${r.failedWarm} failed warm call(s)` : '',
    r.reinits ? `${r.reinits} re-init(s)` : '',
    r.unknown ? `${r.unknown} without a REPORT` : '',
    r.throttled ? `${r.throttled} throttled (429) and made up in a later round` : '',
  ].filter(Boolean);
  return parts.length ? `${r.memorySizeMB} MB: ${parts.join(', ')} (kept out of the percentiles)` : null;
}

/** What the cost per million assumes: the cold-start rate and where it came from, the warm calls' cost, the price. */
export function costBasis(sweep: MemorySweep): string {
  const s = sweep.settings;
  const rateFrom =
    s.coldRateFrom === 'default' ? 'the default; --cold-rate sets it' : s.coldRateFrom.startsWith('--cold-rate-from') ? `measured by logs: ${s.coldRateFrom}` : s.coldRateFrom;
  const warmFrom = sweep.sizes.some((r) => r.warmCostFrom === 'first-call') ? "warm calls estimated by the first call's Duration (--warm measures them)" : 'warm calls as measured';
  return (
    `Per million invocations, ${percent(s.coldRate)} of them cold starts (${rateFrom}), ${warmFrom}; ` +
    `${s.architecture} at $${s.pricePerGbSecond}/GB-s, request charges not included. ${INIT_BILLING_NOTE}`
  );
}
