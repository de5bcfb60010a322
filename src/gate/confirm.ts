// The confirmatory second batch: when a first batch fails a timing gate (or cannot tell), a second batch
// is measured and the timing gates fail only when both batches agree.
import type { Decision } from '../analysis/decision.js';
import type { FailureKind, GateFailure, GateOptions, GateResult, GateWording } from './types.js';

const TIMING_KINDS: readonly FailureKind[] = ['budget', 'budget-package', 'regression'];

/** A first batch's p-value below this, with the median up, is inconclusive rather than a pass: measure more. */
const SECOND_LOOK_P = 0.1;

/** Timing checks that failed: the ones a second batch is measured for. */
function failedTimingKeys(r: GateResult): string[] {
  return r.checks.filter((c) => c.timing && !c.passed).map((c) => c.key);
}

function failureKey(f: GateFailure): string {
  if (f.kind === 'budget-package') return `budget-package:${f.module ?? ''}`;
  return f.kind;
}

function withoutLargeEnough(d: Decision): Omit<Decision, 'largeEnough'> {
  const { largeEnough: _unused, ...rest } = d;
  return rest;
}

/**
 * Whether a first batch calls for a second one: a timing gate failed, or the handler's import rose and
 * the first batch could not tell (the rise as large as the thresholds but not significant, or p < 0.1).
 */
export function needsSecondBatch(r: GateResult, o: GateOptions): boolean {
  if (failedTimingKeys(r).length > 0) return true;
  const c = r.comparison;
  if (!c || c.deltaUs <= 0) return false;
  return (c.deltaPct >= o.maxRegressionPct && c.deltaUs >= o.minDeltaMs * 1000) || c.p < SECOND_LOOK_P;
}

/**
 * Two batches. Budgets fail only when both batches fail them. The regression decision is made on both
 * batches pooled (twice the runs: a busy spell during one batch weighs half as much) and the second batch
 * alone must show the median up by at least --min-delta (a rise that vanished in the second batch was the
 * machine, not the code). Deterministic gates are the first batch's (they cannot change).
 */
export function confirmTiming(
  first: GateResult,
  second: GateResult,
  decisions: { pooled: Decision; replicated: Decision } | null,
  runs: number,
  o: GateOptions,
  w: GateWording,
): GateResult {
  const firstFailed = new Set(failedTimingKeys(first));
  const confirmed: string[] = [];
  const dismissed: string[] = [];
  let comparison = first.comparison;
  const failures = first.failures.filter((f) => !TIMING_KINDS.includes(f.kind));
  const checks = first.checks.map((c) => {
    if (!c.timing) return c;
    if (c.key === 'regression' && decisions && second.comparison) {
      const regression = decisions.pooled.regression && decisions.replicated.deltaUs >= o.minDeltaMs * 1000;
      comparison = { ...second.comparison, ...withoutLargeEnough(decisions.pooled), regression };
      if (regression) confirmed.push(c.key);
      else if (firstFailed.has(c.key)) dismissed.push(c.key);
      const again = second.checks.find((x) => x.key === c.key) ?? c;
      const f = second.failures.find((x) => x.kind === 'regression');
      if (regression) {
        failures.push({
          kind: 'regression',
          module: f?.module ?? comparison.changes.find((x) => x.deltaUs > 0)?.name ?? null,
          message: w.regression(comparison, o),
          chain: f?.chain ?? null,
        });
      }
      return { ...again, measured: w.delta(comparison), passed: !regression, ...(firstFailed.has(c.key) && !regression ? { unconfirmed: true } : {}) };
    }
    const again = second.checks.find((x) => x.key === c.key) ?? c;
    if (!firstFailed.has(c.key)) return c;
    if (!again.passed) {
      confirmed.push(c.key);
      failures.push(...second.failures.filter((f) => TIMING_KINDS.includes(f.kind) && failureKey(f) === c.key));
      return again;
    }
    dismissed.push(c.key);
    return { ...again, passed: true, unconfirmed: true };
  });
  return { passed: failures.length === 0, checks, failures, comparison, confirmation: { runs, confirmed, dismissed } };
}
