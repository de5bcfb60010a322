// What an `invoke --memory` sweep's report says in words, worded once for the terminal report and the page:
// what a size lost to failures, and what the cost columns assume.
import { INIT_BILLING_NOTE } from '../analysis/cost.js';
import { percent, type MemorySizeRow, type MemorySweep } from '../analysis/memory-sweep.js';

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
