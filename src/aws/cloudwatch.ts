// CloudWatch Logs side of `invoke`: finding the REPORT of the invocations whose 4 KB tail lacks it (and, on
// request, every invocation's log stream = its execution environment). Only by request id, within the
// invocations' time window, several ids per FilterLogEvents call; never whole streams. Events arrive seconds
// after they happen: poll with backoff, bounded. A page can be empty while a nextToken remains.
// FilterLogEvents has a low quota (about 5 requests/s per account and region, docs/lambda-platform.md):
// a ThrottlingException backs off with full jitter ("Exponential Backoff And Jitter", aws.amazon.com/blogs/
// architecture/exponential-backoff-and-jitter/) for a bounded total time, after which CloudWatch is
// reported unavailable and the caller keeps what it has.
import { FilterLogEventsCommand, type CloudWatchLogsClient, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { UserError } from '../util/errors.js';
import { isThrottle, toUserError, type ErrorContext } from './errors.js';
import { parseLogText, type ReportLine } from './log-lines.js';

export interface LogEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
}

/** Request ids per FilterLogEvents call: a pattern stays well inside the 1,024-character limit. */
export const IDS_PER_CALL = 10;

/**
 * The filter pattern that matches the events of any of `requestIds` (REPORT among them) in the log format.
 * Text: any of the quoted ids (START, END and REPORT lines carry it); JSON: `record.requestId`.
 */
export function requestIdPattern(format: 'Text' | 'JSON', requestIds: string[]): string {
  if (format === 'JSON') return `{ ${requestIds.map((id) => `($.record.requestId = "${id}")`).join(' || ')} }`;
  return requestIds.map((id) => `?"${id}"`).join(' ');
}

export interface FilterParams {
  logGroupName: string;
  startTime: number;
  endTime: number;
  filterPattern?: string;
  /** Only these log streams (one environment's init output). */
  logStreamNames?: string[];
  /** Events per page (AWS default and maximum: 10,000). */
  limit?: number;
}

export interface Backoff {
  /** When retrying a throttled call must stop (epoch ms). */
  deadline: number;
  baseMs?: number;
  capMs?: number;
  signal?: AbortSignal;
  onThrottle?: (waitMs: number) => void;
}

/** Every event FilterLogEvents returns, following nextToken to the end; throttled calls back off with jitter. */
export async function filterAll(
  client: CloudWatchLogsClient,
  params: FilterParams,
  backoff: Backoff,
  ctx: Omit<ErrorContext, 'operation'>,
): Promise<{ events: LogEvent[]; calls: number }> {
  const events: LogEvent[] = [];
  let nextToken: string | undefined;
  let calls = 0;
  let attempt = 0;
  // a throttled call is retried for the same page (a do…while would end the loop on the first page's throttle)
  for (;;) {
    let r;
    try {
      calls++;
      r = await client.send(new FilterLogEventsCommand({ ...params, nextToken }), { abortSignal: backoff.signal });
    } catch (e) {
      const base = backoff.baseMs ?? 500;
      const wait = Math.random() * Math.min(backoff.capMs ?? 8000, base * 2 ** attempt);
      if (isThrottle(e) && !backoff.signal?.aborted && Date.now() + wait < backoff.deadline) {
        attempt++;
        backoff.onThrottle?.(wait);
        await sleep(wait, undefined, { signal: backoff.signal }).catch(() => undefined);
        continue;
      }
      throw toUserError(e, { ...ctx, operation: 'FilterLogEvents' });
    }
    attempt = 0;
    for (const ev of r.events ?? ([] as FilteredLogEvent[])) {
      if (ev.message === undefined || ev.logStreamName === undefined) continue;
      events.push({ logStreamName: ev.logStreamName, timestamp: ev.timestamp ?? 0, message: ev.message });
    }
    nextToken = r.nextToken || undefined;
    if (!nextToken || backoff.signal?.aborted) break;
  }
  return { events, calls };
}

export interface FoundReport {
  logStream: string;
  report: ReportLine;
}

/** One invocation to look up: its request id and when this tool saw it run (epoch ms). */
export interface Wanted {
  requestId: string;
  startedAt: number;
  endedAt: number;
}

export interface PollOptions {
  /** Give up waiting for late events, and retrying throttled calls, after this long (ms). */
  timeoutMs: number;
  /** First wait between polls (ms); doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Slack around the invocations' window for clock differences (ms). */
  slackMs?: number;
  signal?: AbortSignal;
  onWait?: (missing: number, waitMs: number) => void;
  onThrottle?: (waitMs: number) => void;
}

export interface FindResult {
  found: Map<string, FoundReport>;
  calls: number;
  /** Why CloudWatch could not answer (throttled past the bound, denied, unreachable); null when it answered. */
  unavailable: UserError | null;
}

/**
 * Find the REPORT of each wanted request id: batches of IDS_PER_CALL ids, each within its invocations' time
 * window, polling for the ingestion lag. Ids never seen within the bound are simply absent; a CloudWatch
 * failure ends the search with what was found.
 */
export async function findReports(
  client: CloudWatchLogsClient,
  args: { logGroupName: string; format: 'Text' | 'JSON'; wanted: Wanted[] },
  poll: PollOptions,
  ctx: Omit<ErrorContext, 'operation'>,
): Promise<FindResult> {
  const found = new Map<string, FoundReport>();
  const deadline = Date.now() + poll.timeoutMs;
  const slack = poll.slackMs ?? 5000;
  let delay = poll.initialDelayMs ?? 500;
  let calls = 0;
  let missing = [...args.wanted].sort((a, b) => a.startedAt - b.startedAt);
  while (missing.length > 0 && !poll.signal?.aborted) {
    for (let i = 0; i < missing.length && !poll.signal?.aborted; i += IDS_PER_CALL) {
      const batch = missing.slice(i, i + IDS_PER_CALL);
      const ids = new Set(batch.map((w) => w.requestId));
      let events: LogEvent[];
      try {
        const r = await filterAll(
          client,
          {
            logGroupName: args.logGroupName,
            startTime: Math.min(...batch.map((w) => w.startedAt)) - slack,
            endTime: Math.max(...batch.map((w) => w.endedAt)) + slack,
            filterPattern: requestIdPattern(args.format, [...ids]),
          },
          { deadline, signal: poll.signal, onThrottle: poll.onThrottle },
          ctx,
        );
        calls += r.calls;
        events = r.events;
      } catch (e) {
        if (poll.signal?.aborted) break;
        return { found, calls, unavailable: e as UserError };
      }
      for (const ev of events) {
        for (const line of parseLogText(ev.message)) {
          if (line.kind === 'report' && ids.has(line.requestId) && !found.has(line.requestId)) {
            found.set(line.requestId, { logStream: ev.logStreamName, report: line });
          }
        }
      }
    }
    missing = missing.filter((w) => !found.has(w.requestId));
    if (missing.length === 0) break;
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const wait = Math.min(delay, remaining, poll.maxDelayMs ?? 5000);
    poll.onWait?.(missing.length, wait);
    await sleep(wait, undefined, { signal: poll.signal }).catch(() => undefined);
    delay *= 2;
  }
  return { found, calls, unavailable: null };
}
