// Reading a function's log history from CloudWatch Logs for `lambda-cold logs`: the platform events only
// (REPORT, INIT_REPORT, RESTORE_REPORT, INIT_START), page by page, so memory never holds the window.
// FilterLogEvents pages hold at most 10,000 events / 1 MB and a page can be empty while a nextToken
// remains; its quota is about 5 requests/s per account and region, so a ThrottlingException backs off
// with full jitter (docs/lambda-platform.md; https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ListFunctionsCommand, type FunctionConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogEvent } from './cloudwatch.js';
import { isThrottle, toUserError, type ErrorContext } from './errors.js';

/**
 * The filter pattern that keeps only the platform events `logs` reads, in the function's log format.
 * Text: quoted phrases OR-ed (patterns are case-sensitive; "REPORT RequestId" skips application lines that
 * merely say REPORT). JSON: the `type` of the platform records.
 */
export function historyPattern(format: 'Text' | 'JSON'): string {
  if (format === 'JSON') {
    const types = ['platform.report', 'platform.initReport', 'platform.restoreReport', 'platform.initStart'];
    return `{ ${types.map((t) => `($.type = "${t}")`).join(' || ')} }`;
  }
  return '?"REPORT RequestId" ?"INIT_REPORT" ?"RESTORE_REPORT" ?"INIT_START"';
}

export interface HistoryParams {
  logGroupName: string;
  /** Epoch ms, inclusive. */
  startTime: number;
  endTime: number;
  filterPattern: string;
  /** Events per page (AWS default and maximum: 10,000). */
  limit?: number;
}

export interface PageOptions {
  signal?: AbortSignal;
  /** How long one throttled call may keep backing off before CloudWatch is reported throttling (ms). */
  throttleBudgetMs?: number;
  baseMs?: number;
  capMs?: number;
  onThrottle?: (waitMs: number) => void;
}

/**
 * Call `onPage` with each page of events (sorted by time within the page), following nextToken through
 * empty pages to the end. Returns the number of calls made. Throttled calls back off with full jitter.
 */
export async function forEachPage(
  client: CloudWatchLogsClient,
  params: HistoryParams,
  onPage: (events: LogEvent[]) => void,
  options: PageOptions,
  ctx: Omit<ErrorContext, 'operation'>,
): Promise<number> {
  let nextToken: string | undefined;
  let calls = 0;
  let attempt = 0;
  let throttledSince = 0;
  // for (;;), not do … while: a `continue` after a throttled first call must retry it, not test nextToken.
  for (;;) {
    let r;
    try {
      calls++;
      r = await client.send(new FilterLogEventsCommand({ limit: 10_000, ...params, nextToken }), { abortSignal: options.signal });
    } catch (e) {
      const wait = Math.random() * Math.min(options.capMs ?? 8000, (options.baseMs ?? 500) * 2 ** attempt);
      if (attempt === 0) throttledSince = Date.now();
      if (isThrottle(e) && !options.signal?.aborted && Date.now() + wait - throttledSince < (options.throttleBudgetMs ?? 120_000)) {
        attempt++;
        options.onThrottle?.(wait);
        await sleep(wait, undefined, { signal: options.signal }).catch(() => undefined);
        continue;
      }
      throw toUserError(e, { ...ctx, operation: 'FilterLogEvents' });
    }
    attempt = 0;
    const events: LogEvent[] = [];
    for (const ev of r.events ?? []) {
      if (ev.message === undefined || ev.logStreamName === undefined) continue;
      events.push({ logStreamName: ev.logStreamName, timestamp: ev.timestamp ?? 0, message: ev.message });
    }
    events.sort((a, b) => a.timestamp - b.timestamp);
    onPage(events);
    nextToken = r.nextToken || undefined;
    if (!nextToken || options.signal?.aborted) return calls;
  }
}

/** Every function of the region (ListFunctions, all pages). */
export async function listFunctions(client: LambdaClient, ctx: Omit<ErrorContext, 'operation'>): Promise<FunctionConfiguration[]> {
  const out: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    try {
      const r = await client.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 50 }));
      out.push(...(r.Functions ?? []));
      marker = r.NextMarker || undefined;
    } catch (e) {
      throw toUserError(e, { ...ctx, operation: 'ListFunctions' });
    }
  } while (marker);
  return out;
}
