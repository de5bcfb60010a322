// Lambda data and control plane calls used by `invoke`: reading the configuration, invoking with the
// log tail, retrying 429s with retryAfterSeconds.
import {
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../util/errors.js';
import { errorName, isThrottle, retryAfterMs, toUserError, type ErrorContext } from './errors.js';

/** `name:qual` (or a qualified ARN) as the unqualified name and the qualifier; `$LATEST` included. */
export function splitQualifier(name: string): { name: string; qualifier: string | null } {
  const arn = /^(arn:[^:]+:lambda:[^:]*:\d*:function:[^:]+):([^:]+)$/.exec(name);
  if (arn) return { name: arn[1] as string, qualifier: arn[2] as string };
  if (name.startsWith('arn:')) return { name, qualifier: null };
  const parts = name.split(':');
  return parts.length === 2 ? { name: parts[0] as string, qualifier: parts[1] as string } : { name, qualifier: null };
}


export async function getConfiguration(
  client: LambdaClient,
  functionName: string,
  qualifier: string | undefined,
  ctx: Omit<ErrorContext, 'operation'>,
): Promise<FunctionConfiguration> {
  try {
    return await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }));
  } catch (e) {
    throw toUserError(e, { ...ctx, operation: 'GetFunctionConfiguration' });
  }
}

/** GetFunction once: the waiter polls it, and a waiter swallows AccessDenied until it times out. */
export async function probeGetFunction(client: LambdaClient, functionName: string, ctx: Omit<ErrorContext, 'operation'>): Promise<void> {
  try {
    await client.send(new GetFunctionCommand({ FunctionName: functionName }));
  } catch (e) {
    throw toUserError(e, { ...ctx, operation: 'GetFunction' });
  }
}

/** A version's or alias's provisioned concurrency, as GetProvisionedConcurrencyConfig reports it. */
export interface ProvisionedConcurrency {
  allocated: number | null;
  requested: number | null;
  status: string | null;
}

/** Provisioned concurrency exists only on a version or alias; null when none is configured or we may not look. */
export async function getProvisionedConcurrency(
  client: LambdaClient,
  functionName: string,
  qualifier: string | undefined,
  warn: (text: string) => void,
): Promise<ProvisionedConcurrency | null> {
  if (!qualifier || qualifier === '$LATEST') return null;
  try {
    const r = await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier }));
    return {
      allocated: r.AllocatedProvisionedConcurrentExecutions ?? null,
      requested: r.RequestedProvisionedConcurrentExecutions ?? null,
      status: r.Status ?? null,
    };
  } catch (e) {
    const name = errorName(e);
    if (name === 'ProvisionedConcurrencyConfigNotFoundException' || name === 'ResourceNotFoundException') return null;
    warn(`could not read provisioned concurrency for ${functionName}:${qualifier} (${name || 'error'}); the report assumes none.`);
    return null;
  }
}

/**
 * The function's reserved concurrency (GetFunctionConcurrency): at most this many invocations run at once,
 * the rest are throttled (429). Null when none is reserved or we may not look (then: unknown, said once).
 */
export async function getReservedConcurrency(
  client: LambdaClient,
  functionName: string,
  warn: (text: string) => void,
): Promise<number | null> {
  try {
    const r = await client.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }));
    return r.ReservedConcurrentExecutions ?? null;
  } catch (e) {
    warn(`could not read the reserved concurrency of ${functionName} (${errorName(e) || 'error'}); --concurrency is not capped.`);
    return null;
  }
}

/** A 429 that the caller asked not to retry (a --cold round: a retry would land on a warm environment). */
export class InvokeThrottled extends Error {
  constructor(readonly retryAfterMs: number | null) {
    super('TooManyRequestsException');
  }
}

export interface InvokeResult {
  requestId: string;
  statusCode: number;
  functionError: string | null;
  executedVersion: string | null;
  /** Decoded LogResult (the last 4 KB of the invocation's log). */
  tail: string;
  payload: string;
  /** Wall time of the successful attempt. */
  clientMs: number;
  /** When the successful attempt was sent and answered (epoch ms): the window its log lines fall in. */
  startedAt: number;
  endedAt: number;
  throttled: number;
}

export interface RetryPolicy {
  /** Retries after a 429 before giving up. */
  maxRetries: number;
  /** First backoff when no retryAfterSeconds is given; doubles each retry. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 20_000 };

/**
 * Invoke once (RequestResponse, LogType Tail); 429s are retried with backoff, honouring retryAfterSeconds,
 * unless `retryThrottles` is false: then a 429 throws InvokeThrottled.
 */
export async function invokeOnce(
  client: LambdaClient,
  args: {
    functionName: string;
    qualifier?: string;
    payload: Uint8Array;
    signal?: AbortSignal;
    onThrottle?: (waitMs: number, attempt: number) => void;
    retryThrottles?: boolean;
  },
  policy: RetryPolicy,
  ctx: Omit<ErrorContext, 'operation'>,
): Promise<InvokeResult> {
  let throttled = 0;
  for (let attempt = 0; ; attempt++) {
    const t0 = performance.now();
    const startedAt = Date.now();
    try {
      const r = await client.send(
        new InvokeCommand({
          FunctionName: args.functionName,
          Qualifier: args.qualifier,
          InvocationType: 'RequestResponse',
          LogType: 'Tail',
          Payload: args.payload,
        }),
        { abortSignal: args.signal },
      );
      const clientMs = performance.now() - t0;
      return {
        requestId: r.$metadata.requestId ?? '',
        statusCode: r.StatusCode ?? 0,
        functionError: r.FunctionError ?? null,
        executedVersion: r.ExecutedVersion ?? null,
        tail: r.LogResult ? Buffer.from(r.LogResult, 'base64').toString('utf8') : '',
        payload: r.Payload ? Buffer.from(r.Payload).toString('utf8') : '',
        clientMs,
        startedAt,
        endedAt: Date.now(),
        throttled,
      };
    } catch (e) {
      if (isThrottle(e) && args.retryThrottles === false) throw new InvokeThrottled(retryAfterMs(e));
      if (isThrottle(e) && attempt < policy.maxRetries && !args.signal?.aborted) {
        throttled++;
        const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
        const wait = Math.min(policy.maxDelayMs, Math.max(retryAfterMs(e) ?? 0, backoff));
        args.onThrottle?.(wait, attempt + 1);
        await sleep(wait, undefined, { signal: args.signal }).catch(() => undefined);
        continue;
      }
      if (isThrottle(e)) {
        throw new UserError(
          `Lambda throttled ${args.functionName} ${throttled + 1} times in a row (429 TooManyRequestsException) and lambda-cold gave up after ${policy.maxRetries} retries: retry later or lower --concurrency.`,
          { cause: e },
        );
      }
      throw toUserError(e, { ...ctx, operation: 'Invoke' });
    }
  }
}
