// The CI gate: deterministic gates first (deterministic.ts: they cannot be flaky), then timing gates
// (timing.ts: budgets and the regression decision), and, when a first batch fails a timing gate or cannot
// tell, a confirmatory second batch (confirm.ts). The gate decides; the caller hands in the wording.
import { decide, poolSamples, samplesOfSession, type Decision } from '../analysis/decision.js';
import type { ProfileSession } from '../importtime/session.js';
import { confirmTiming, needsSecondBatch } from './confirm.js';
import { deterministicGates } from './deterministic.js';
import { samplesOfBase } from './sides.js';
import { timingGates } from './timing.js';
import type { BaseSide, GateOptions, GateResult, GateWording, Measured } from './types.js';

export function evaluateGates(head: ProfileSession, base: BaseSide | null, o: GateOptions, w: GateWording): GateResult {
  const d = deterministicGates(head, base, o, w);
  const t = timingGates(head, base, o, w);
  const failures = [...d.failures, ...t.failures];
  return { passed: failures.length === 0, checks: [...d.checks, ...t.checks], failures, comparison: t.comparison, confirmation: null };
}

/**
 * Evaluate the gates; when the first batch calls for it and `again` is given, measure a second batch
 * (see confirmTiming).
 */
export async function gateWithConfirmation(
  first: Measured,
  o: GateOptions,
  again: (() => Promise<Measured>) | null,
  w: GateWording,
): Promise<GateResult> {
  const result = evaluateGates(first.head, first.base, o, w);
  if (!again || !needsSecondBatch(result, o)) return result;
  const second = await again();
  const r2 = evaluateGates(second.head, second.base, o, w);
  let decisions: { pooled: Decision; replicated: Decision } | null = null;
  if (first.base && second.base) {
    const base = first.base === second.base ? samplesOfBase(first.base) : poolSamples(samplesOfBase(first.base), samplesOfBase(second.base));
    decisions = {
      pooled: decide(poolSamples(samplesOfSession(first.head), samplesOfSession(second.head)), base, o),
      replicated: decide(samplesOfSession(second.head), samplesOfBase(second.base), o),
    };
  }
  return confirmTiming(result, r2, decisions, second.head.aggregate.runs, o, w);
}
