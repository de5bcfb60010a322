// One interleaving scheduler for every measurement: each variant's warm-up runs first, then the measured
// runs alternate between the variants so that the machine's drift and noise hit them alike (the gate's
// Mann-Whitney comparison assumes the two samples saw the same machine). Runs are never parallel: they would share the cores they are
// timed on. What differs between uses is policy: the order, the stop rule and which caches to mark warm.
import { onInterrupt } from '../util/cleanup.js';
import type { Executor } from './executor.js';

/**
 * ABAB: every round in variant order (bytecode cached then compiled).
 * ABBA: the order reverses every round (A B, B A, A B, …) so that neither side always runs first (the gate).
 */
export type Order = 'ABAB' | 'ABBA';

export interface SchedulePolicy<T> {
  order: Order;
  /** Measured runs per variant. */
  runs: number;
  /** Unmeasured runs per variant first; 'auto': one for a variant whose caches are not warm. */
  warmup: number | 'auto';
  /** Stop rule: true for a run after which the batch stops (its outcome is the last of its variant). */
  stops: (outcome: T) => boolean;
  /** After a complete batch: whether to mark a variant's caches warm (`warmedUp`: it had warm-up runs). */
  markWarm: (variant: number, warmedUp: boolean) => boolean;
  /** Called after each run, warm-up included. */
  onRun?: (variant: number, outcome: T, done: number, total: number) => void;
}

/** The variants of round `i` in the order they run. */
function roundOrder(order: Order, variants: number, i: number): number[] {
  const round = Array.from({ length: variants }, (_, k) => k);
  return order === 'ABBA' && i % 2 === 1 ? round.reverse() : round;
}

/**
 * Run a batch; returns each variant's outcomes (warm-ups first). A run the stop rule flags ends the batch
 * at once. The executor is disposed at the end, and on Ctrl-C/SIGTERM by the interrupt handler.
 */
export async function schedule<T>(executor: Executor<T>, policy: SchedulePolicy<T>): Promise<T[][]> {
  const unregister = onInterrupt(() => executor.dispose());
  const n = executor.variants;
  const results: T[][] = Array.from({ length: n }, () => []);
  try {
    const warmups = results.map((_, k) => (policy.warmup === 'auto' ? (executor.isWarm(k) ? 0 : 1) : policy.warmup));
    const total = warmups.reduce((t, w) => t + w, 0) + policy.runs * n;
    let done = 0;
    const step = async (k: number, warmup: boolean, last: boolean): Promise<boolean> => {
      const outcome = await executor.run(k, { warmup, last });
      (results[k] as T[]).push(outcome);
      policy.onRun?.(k, outcome, ++done, total);
      return !policy.stops(outcome);
    };
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < (warmups[k] as number); i++) if (!(await step(k, true, false))) return results;
    }
    for (let i = 0; i < policy.runs; i++) {
      for (const k of roundOrder(policy.order, n, i)) if (!(await step(k, false, i === policy.runs - 1))) return results;
    }
    results.forEach((outcomes, k) => {
      const last = outcomes[outcomes.length - 1];
      if (last !== undefined && policy.markWarm(k, (warmups[k] as number) > 0)) executor.markWarm(k, last);
    });
  } finally {
    unregister();
    executor.dispose();
  }
  return results;
}
