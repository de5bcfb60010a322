// What a size of an `invoke --memory` sweep lost to failures, worded once for the terminal report and the page.
import type { MemorySizeRow } from '../analysis/memory-sweep.js';

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
