// The orchestration of `invoke`: invoke the function (in rounds of fresh environments with --cold),
// read each invocation from its 4 KB tail, then complete the records from CloudWatch Logs.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { findReports, streamLines } from '../aws/cloudwatch.js';
import { ConcurrentChangeError, type ColdForcer } from '../aws/cold.js';
import type { ErrorContext } from '../aws/errors.js';
import { invokeOnce, type InvokeResult, type RetryPolicy } from '../aws/lambda.js';
import { collectInvocation, parseLogText, type InvocationLog } from '../aws/log-lines.js';
import { invocationRecord, type FunctionInfo, type InvocationRecord } from '../model/invocation.js';

export interface RunHooks {
  progress(text: string): void;
  info(text: string): void;
  warn(text: string): void;
}

interface Pending {
  result: InvokeResult;
  log: InvocationLog;
  /** The tail began at or before this invocation's START (nothing of it was cut). */
  complete: boolean;
  round: number | null;
  source: InvocationRecord['source'];
}

function fromTail(result: InvokeResult, round: number | null): Pending {
  const lines = parseLogText(result.tail);
  const log = collectInvocation(lines, result.requestId);
  return { result, log, complete: log.start !== null && log.report !== null, round, source: log.report ? 'tail' : 'none' };
}

export interface RunOptions {
  count: number;
  concurrency: number;
  payload: Uint8Array;
  qualifier?: string;
  retry: RetryPolicy;
  signal: AbortSignal;
  /** With --cold: the forcer that retires environments before each round. */
  forcer?: ColdForcer;
}

export interface RunResult {
  pending: Pending[];
  updates: number;
  startedAt: number;
  /** Why forcing stopped early, if it did. */
  stoppedBy: Error | null;
  throttled: number;
}

/** Invoke `count` times, `concurrency` at a time. With a forcer: rounds of fresh environments until `count` cold samples. */
export async function runInvocations(
  lambda: LambdaClient,
  fn: FunctionInfo,
  opts: RunOptions,
  ctx: Omit<ErrorContext, 'operation'>,
  hooks: RunHooks,
): Promise<RunResult> {
  const pending: Pending[] = [];
  const startedAt = Date.now();
  let throttled = 0;
  const invoke = async (round: number | null): Promise<Pending> => {
    const result = await invokeOnce(
      lambda,
      {
        functionName: fn.functionName,
        qualifier: opts.qualifier,
        payload: opts.payload,
        signal: opts.signal,
        onThrottle: (waitMs, attempt) => hooks.warn(`throttled (429): retry ${attempt} of ${opts.retry.maxRetries} in ${(waitMs / 1000).toFixed(1)} s`),
      },
      opts.retry,
      ctx,
    );
    throttled += result.throttled;
    const p = fromTail(result, round);
    pending.push(p);
    hooks.progress(`invoked ${pending.length}${opts.forcer ? '' : `/${opts.count}`}`);
    return p;
  };

  if (!opts.forcer) {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < opts.count && !opts.signal.aborted) {
        next++;
        try {
          await invoke(null);
        } catch (e) {
          // Ctrl-C aborted the call in flight: stop quietly, the report shows what completed.
          if (opts.signal.aborted) return;
          throw e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.count) }, worker));
    return { pending, updates: 0, startedAt, stoppedBy: null, throttled };
  }

  const forcer = opts.forcer;
  let coldSamples = 0;
  let stoppedBy: Error | null = null;
  const maxRounds = Math.ceil(opts.count / opts.concurrency) + 3;
  for (let round = 1; coldSamples < opts.count && !opts.signal.aborted; round++) {
    if (round > maxRounds) {
      hooks.warn(`stopped after ${maxRounds} configuration updates with ${coldSamples} cold samples of ${opts.count}.`);
      break;
    }
    const n = Math.min(opts.concurrency, opts.count - coldSamples);
    hooks.info(`update ${round}: retiring every execution environment, then ${n} concurrent invocation${n === 1 ? '' : 's'}`);
    try {
      await forcer.retireEnvironments(opts.signal);
    } catch (e) {
      if (opts.signal.aborted) break;
      // Somebody else changed the function: stop forcing, keep the samples, report it. Anything else is an error.
      if (!(e instanceof ConcurrentChangeError)) throw e;
      stoppedBy = e;
      break;
    }
    if (opts.signal.aborted) break;
    const settled = await Promise.allSettled(Array.from({ length: n }, () => invoke(round)));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      if (opts.signal.aborted) break;
      throw failed.reason;
    }
    const fresh = settled.filter((s) => s.status === 'fulfilled' && (s.value.log.report?.initDurationMs != null || s.value.log.report?.restoreDurationMs != null || s.value.log.initReports.some((r) => r.phase === 'invoke'))).length;
    coldSamples += fresh;
    if (fresh === 0) {
      hooks.warn(`update ${round} produced no cold start (no Init Duration in any REPORT); stopping.`);
      break;
    }
  }
  return { pending, updates: forcer.updates, startedAt, stoppedBy, throttled };
}

export interface CompleteOptions {
  logs: CloudWatchLogsClient;
  useLogs: boolean;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Turn the invocations into records: the log stream (environment) from CloudWatch, and any lines the tail cut. */
export async function completeFromLogs(
  fn: FunctionInfo,
  run: RunResult,
  opts: CompleteOptions,
  ctx: Omit<ErrorContext, 'operation'>,
  hooks: RunHooks,
): Promise<{ records: InvocationRecord[]; missing: number; fetchedStreams: number }> {
  const pending = run.pending;
  const streams = new Map<string, string>();
  let fetchedStreams = 0;
  let missing = 0;
  if (opts.useLogs && pending.length > 0 && !opts.signal.aborted) {
    const startTime = run.startedAt - 60_000;
    const endTime = Date.now() + 60_000;
    hooks.progress(`reading ${fn.logGroup} for ${pending.length} request ids`);
    const { found } = await findReports(
      opts.logs,
      { logGroupName: fn.logGroup, format: fn.logFormat, startTime, endTime, requestIds: pending.map((p) => p.result.requestId) },
      {
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        onWait: (n, ms) => hooks.progress(`waiting ${(ms / 1000).toFixed(1)} s for ${n} REPORT line(s) to reach CloudWatch`),
      },
      ctx,
    );
    for (const p of pending) {
      const f = found.get(p.result.requestId);
      if (!f) {
        missing++;
        continue;
      }
      streams.set(p.result.requestId, f.logStream);
      if (!p.log.report) {
        p.log.report = f.report;
        p.source = 'cloudwatch';
      }
    }
    // Tails that were cut (a handler that prints a lot): read the rest of those environments' streams.
    const cut = pending.filter((p) => !p.complete && streams.has(p.result.requestId));
    const byStream = new Map<string, Pending[]>();
    for (const p of cut) {
      const s = streams.get(p.result.requestId) as string;
      byStream.set(s, [...(byStream.get(s) ?? []), p]);
    }
    for (const [stream, ps] of byStream) {
      if (opts.signal.aborted) break;
      const lines = await streamLines(opts.logs, { logGroupName: fn.logGroup, logStream: stream, startTime, endTime }, ctx, opts.signal);
      fetchedStreams++;
      for (const p of ps) {
        const full = collectInvocation(lines, p.result.requestId);
        if (full.report) {
          p.log = { ...full, report: p.log.report ?? full.report };
          p.source = 'cloudwatch';
        }
      }
    }
    if (missing > 0) {
      hooks.warn(
        `${missing} invocation(s)' REPORT never reached CloudWatch Logs (${fn.logGroup}) within ${Math.round(opts.timeoutMs / 1000)} s: their environment is unknown${pending.some((p) => !p.log.report) ? ' and some have no REPORT at all' : ''}.`,
      );
    }
  }
  const records = pending.map((p, i) => {
    const stream = streams.get(p.result.requestId) ?? null;
    return invocationRecord(p.log, p.result, { index: i + 1, source: p.source, logStream: stream, round: p.round });
  });
  return { records, missing, fetchedStreams };
}
