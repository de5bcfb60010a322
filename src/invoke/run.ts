// The orchestration of `invoke`: invoke the function (in rounds of fresh environments with --cold), read
// each invocation from its 4 KB tail, then ask CloudWatch Logs only for what the tails lack.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { findReports, type Wanted } from '../aws/cloudwatch.js';
import { ConcurrentChangeError, type ColdForcer } from '../aws/cold.js';
import type { ErrorContext } from '../aws/errors.js';
import { getReservedConcurrency, invokeOnce, InvokeThrottled, type InvokeResult, type RetryPolicy } from '../aws/lambda.js';
import { classify, collectInvocation, parseLogText, type InvocationLog } from '../aws/log-lines.js';
import { invocationRecord, type FunctionInfo, type InvocationRecord } from '../model/invocation.js';
import { UserError } from '../util/errors.js';

export interface RunHooks {
  progress(text: string): void;
  info(text: string): void;
  warn(text: string): void;
}

/**
 * `--concurrency` capped at the function's reserved concurrency (GetFunctionConcurrency), saying so; a
 * reserved concurrency of 0 is an error (every invocation would be throttled). `perUpdate`: the run forces
 * cold starts, so the cap is also the number of cold starts per configuration update.
 */
export async function capConcurrency(lambda: LambdaClient, functionName: string, concurrency: number, hooks: RunHooks, perUpdate: boolean): Promise<number> {
  if (concurrency <= 1) return concurrency;
  const reserved = await getReservedConcurrency(lambda, functionName, hooks.warn);
  if (reserved === 0) throw new UserError(`${functionName} has a reserved concurrency of 0: Lambda throttles every invocation of it.`);
  if (reserved === null || reserved >= concurrency) return concurrency;
  hooks.info(`${functionName} has a reserved concurrency of ${reserved}: --concurrency ${concurrency} is capped at ${reserved}${perUpdate ? ` (${reserved} cold starts per configuration update)` : ''}.`);
  return reserved;
}

interface Pending {
  result: InvokeResult;
  log: InvocationLog;
  round: number | null;
  source: InvocationRecord['source'];
}

function fromTail(result: InvokeResult, round: number | null): Pending {
  const log = collectInvocation(parseLogText(result.tail), result.requestId);
  return { result, log, round, source: log.report ? 'tail' : 'none' };
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
  /** 429 answers: retried ones without --cold, ones left to the next round with --cold. */
  throttled: number;
}

/**
 * A --cold sample as far as the tail tells: a cold start, or a request of a fresh round whose tail lost the
 * REPORT (CloudWatch settles it later). A warm invocation is never one.
 */
function coldSample(p: Pending): boolean {
  const kind = classify(p.log, p.result.functionError).kind;
  return kind === 'cold' || kind === 'unknown';
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
        retryThrottles: round === null,
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
  // Rounds that ran at least one invocation; rounds wholly throttled are bounded by --max-retries instead.
  const maxRounds = Math.ceil(opts.count / opts.concurrency) + 3;
  let productive = 0;
  let throttledRounds = 0;
  let waitMs = 0;
  for (let round = 1; coldSamples < opts.count && !opts.signal.aborted; round++) {
    if (productive >= maxRounds) {
      hooks.warn(`stopped after ${maxRounds} configuration updates with ${coldSamples} cold samples of ${opts.count}.`);
      break;
    }
    if (waitMs > 0) {
      // Retry-After of the last round's 429s (or a backoff): the next round comes no sooner.
      hooks.progress(`throttled: waiting ${(waitMs / 1000).toFixed(1)} s before the next round`);
      await sleep(waitMs, undefined, { signal: opts.signal }).catch(() => undefined);
      if (opts.signal.aborted) break;
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
    // A throttled request is not retried into this round (it would land on an environment another request
    // of the round just freed: a warm start); the next round makes up for it.
    const settled = await Promise.allSettled(Array.from({ length: n }, () => invoke(round)));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && !(s.reason instanceof InvokeThrottled));
    if (failed) {
      if (opts.signal.aborted) break;
      throw failed.reason;
    }
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as InvokeThrottled);
    const ran = settled.filter((s): s is PromiseFulfilledResult<Pending> => s.status === 'fulfilled').map((s) => s.value);
    throttled += refused.length;
    const fresh = ran.filter(coldSample).length;
    coldSamples += fresh;
    if (refused.length > 0) {
      const after = Math.max(...refused.map((t) => t.retryAfterMs ?? 0));
      waitMs = Math.min(opts.retry.maxDelayMs, Math.max(after, ran.length === 0 ? opts.retry.baseDelayMs * 2 ** throttledRounds : 0));
      hooks.warn(`update ${round}: ${refused.length} of ${n} invocations throttled (429); the next round makes up for them.`);
    } else {
      waitMs = 0;
    }
    if (ran.length === 0) {
      throttledRounds++;
      if (throttledRounds > opts.retry.maxRetries) {
        throw new UserError(
          `Lambda throttled ${fn.functionName} on every invocation of ${throttledRounds} round${throttledRounds === 1 ? '' : 's'} in a row (429 TooManyRequestsException) and lambda-cold gave up after ${opts.retry.maxRetries} retries: retry later or lower --concurrency.`,
        );
      }
      continue;
    }
    throttledRounds = 0;
    productive++;
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
  /** Also read the log stream (environment) of invocations whose tail had their REPORT. */
  environments: boolean;
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * Turn the invocations into records. CloudWatch is asked only for the REPORT of invocations whose tail lacks
 * it (and, with `environments`, for every invocation's log stream). If CloudWatch stays unavailable, every
 * invocation whose tail had its REPORT is kept as it is, the others stay `unknown`, and a warning says so.
 */
export async function completeFromLogs(
  fn: FunctionInfo,
  run: RunResult,
  opts: CompleteOptions,
  ctx: Omit<ErrorContext, 'operation'>,
  hooks: RunHooks,
): Promise<{ records: InvocationRecord[]; missing: number; calls: number }> {
  const pending = run.pending;
  const streams = new Map<string, string>();
  let missing = 0;
  let calls = 0;
  const lacking = pending.filter((p) => !p.log.report);
  const wanted: Wanted[] = (opts.environments ? pending : lacking).map((p) => ({
    requestId: p.result.requestId,
    startedAt: p.result.startedAt,
    endedAt: p.result.endedAt,
  }));
  if (opts.useLogs && wanted.length > 0 && !opts.signal.aborted) {
    hooks.progress(`reading ${fn.logGroup} for ${wanted.length} request id(s)`);
    const r = await findReports(
      opts.logs,
      { logGroupName: fn.logGroup, format: fn.logFormat, wanted },
      {
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        onWait: (n, ms) => hooks.progress(`waiting ${(ms / 1000).toFixed(1)} s for ${n} REPORT line(s) to reach CloudWatch`),
        onThrottle: (ms) => hooks.progress(`CloudWatch Logs throttled FilterLogEvents: retrying in ${(ms / 1000).toFixed(1)} s`),
      },
      ctx,
    );
    calls = r.calls;
    for (const p of pending) {
      const f = r.found.get(p.result.requestId);
      if (!f) continue;
      streams.set(p.result.requestId, f.logStream);
      if (!p.log.report) {
        p.log = { ...p.log, report: f.report };
        p.source = 'cloudwatch';
      }
    }
    const stillLacking = pending.filter((p) => !p.log.report).length;
    missing = wanted.filter((w) => !r.found.has(w.requestId)).length;
    if (r.unavailable) {
      hooks.warn(
        `CloudWatch Logs stayed unavailable (${r.unavailable.message.replace(/\.$/, '')}): kept the ${pending.length - stillLacking} invocation(s) whose tail had their REPORT` +
          (stillLacking ? `; ${stillLacking} without a REPORT are marked unknown.` : '.'),
      );
    } else if (missing > 0) {
      hooks.warn(
        `${missing} invocation(s)' REPORT never reached CloudWatch Logs (${fn.logGroup}) within ${Math.round(opts.timeoutMs / 1000)} s: ` +
          (stillLacking ? `${stillLacking} have no REPORT at all and are marked unknown.` : 'their environment is unknown.'),
      );
    }
  } else if (lacking.length > 0 && !opts.signal.aborted) {
    hooks.warn(`${lacking.length} invocation(s) have no REPORT in their 4 KB tail and CloudWatch Logs was not read (--no-logs): marked unknown.`);
  }
  const records = pending.map((p, i) =>
    invocationRecord(p.log, p.result, { index: i + 1, source: p.source, logStream: streams.get(p.result.requestId) ?? null, round: p.round }),
  );
  return { records, missing, calls };
}
