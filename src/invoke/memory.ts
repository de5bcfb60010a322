// The orchestration of `invoke --cold --memory 128,512,1769`: for each size, in the order given, one
// configuration update that sets MemorySize together with the nonce (ColdForcer: the same safe merge,
// RevisionId and waiter as --cold), the cold rounds at that size (further updates only when --count exceeds
// --concurrency), then --warm calls into the environments just made. The caller restores the function
// (MemorySize and Environment together) whatever happens; then the records are completed from CloudWatch.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SizeRun } from '../analysis/memory-sweep.js';
import type { ColdForcer } from '../aws/cold.js';
import type { ErrorContext } from '../aws/errors.js';
import type { RetryPolicy } from '../aws/lambda.js';
import type { FunctionInfo } from '../model/invocation.js';
import { completeFromLogs, runInvocations, type RunHooks, type RunResult } from './run.js';

export interface SweepOptions {
  sizes: number[];
  count: number;
  concurrency: number;
  /** Warm invocations per size, after its cold rounds. */
  warm: number;
  payload: Uint8Array;
  retry: RetryPolicy;
  signal: AbortSignal;
  forcer: ColdForcer;
}

/** One size as it ran: the invocations (cold rounds, then warm calls), before CloudWatch completes them. */
export interface SizeInvocations {
  memorySizeMB: number;
  cold: RunResult;
  warm: RunResult | null;
  updates: number;
}

export interface SweepResult {
  sizes: SizeInvocations[];
  /** Why the sweep stopped early (somebody changed the function, a size produced no cold start), if it did. */
  stoppedBy: Error | null;
}

/**
 * Run the sizes in order; Ctrl-C (the signal) stops after what is in flight. Throws what runInvocations
 * throws (throttling beyond the retries, an AWS error): the caller restores the function either way.
 */
export async function runMemorySweep(
  lambda: LambdaClient,
  fn: FunctionInfo,
  opts: SweepOptions,
  ctx: Omit<ErrorContext, 'operation'>,
  hooks: RunHooks,
): Promise<SweepResult> {
  const done: SizeInvocations[] = [];
  let stoppedBy: Error | null = null;
  for (const [i, mb] of opts.sizes.entries()) {
    if (opts.signal.aborted) break;
    hooks.info(`memory ${mb} MB (${i + 1} of ${opts.sizes.length}): MemorySize and the nonce in one configuration update, then the cold rounds`);
    opts.forcer.useMemorySize(mb);
    const before = opts.forcer.updates;
    const at = { ...fn, memorySizeMB: mb };
    const cold = await runInvocations(
      lambda,
      at,
      { count: opts.count, concurrency: opts.concurrency, payload: opts.payload, retry: opts.retry, signal: opts.signal, forcer: opts.forcer },
      ctx,
      hooks,
    );
    const size: SizeInvocations = { memorySizeMB: mb, cold, warm: null, updates: opts.forcer.updates - before };
    // A size stopped before its first invocation (a deploy refused its update, Ctrl-C during it) has no row.
    if (cold.pending.length > 0) done.push(size);
    if (cold.stoppedBy) {
      stoppedBy = cold.stoppedBy;
      break;
    }
    if (opts.warm > 0 && !opts.signal.aborted) {
      // Into the environments the rounds just made: at most as many at once as there are of them.
      size.warm = await runInvocations(
        lambda,
        at,
        { count: opts.warm, concurrency: Math.max(1, Math.min(opts.warm, opts.concurrency)), payload: opts.payload, retry: opts.retry, signal: opts.signal },
        ctx,
        hooks,
      );
    }
    const n = cold.pending.length;
    hooks.info(`memory ${mb} MB done: ${n} cold-round invocation${n === 1 ? '' : 's'}${size.warm ? ` and ${size.warm.pending.length} warm` : ''} in ${size.updates} update${size.updates === 1 ? '' : 's'}`);
  }
  return { sizes: done, stoppedBy };
}

/**
 * Complete every size's records from CloudWatch (only what the tails lack), numbered per size: one search of
 * the log group for the whole sweep, so that late REPORT lines are waited for once, not once per size.
 */
export async function completeSweep(
  fn: FunctionInfo,
  sweep: SizeInvocations[],
  opts: { logs: CloudWatchLogsClient; useLogs: boolean; timeoutMs: number; signal: AbortSignal },
  ctx: Omit<ErrorContext, 'operation'>,
  hooks: RunHooks,
): Promise<SizeRun[]> {
  const perSize = sweep.map((s) => [...s.cold.pending, ...(s.warm?.pending ?? [])]);
  const all: RunResult = { pending: perSize.flat(), updates: 0, startedAt: sweep[0]?.cold.startedAt ?? Date.now(), stoppedBy: null, throttled: 0 };
  const { records } = await completeFromLogs(fn, all, { ...opts, environments: false }, ctx, hooks);
  let from = 0;
  return sweep.map((s, k) => {
    const n = perSize[k]?.length ?? 0;
    const mine = records.slice(from, from + n).map((r, j) => ({ ...r, index: j + 1 }));
    from += n;
    return { memorySizeMB: s.memorySizeMB, records: mine, updates: s.updates, throttled: s.cold.throttled + (s.warm?.throttled ?? 0) };
  });
}
