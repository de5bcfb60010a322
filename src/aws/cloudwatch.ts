// CloudWatch Logs side of `invoke`: finding each invocation's REPORT (and so its log stream = its execution
// environment) and, when the 4 KB tail was cut, the rest of its lines. Events arrive seconds after they
// happen: poll with backoff, bounded, never a fixed sleep. A page can be empty while a nextToken remains.
import { FilterLogEventsCommand, type CloudWatchLogsClient, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { setTimeout as sleep } from 'node:timers/promises';
import { toUserError, type ErrorContext } from './errors.js';
import { parseLogText, type PlatformLine, type ReportLine } from './log-lines.js';

export interface LogEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
}

/** The filter pattern that matches REPORT events in the function's log format. */
export function reportPattern(format: 'Text' | 'JSON'): string {
  return format === 'JSON' ? '{ $.type = "platform.report" }' : '"REPORT RequestId"';
}

export interface FilterParams {
  logGroupName: string;
  startTime: number;
  endTime: number;
  filterPattern?: string;
  logStreamNames?: string[];
  /** Events per page (AWS default and maximum: 10,000). */
  limit?: number;
}

/** Every event FilterLogEvents returns for the parameters, following nextToken to the end (empty pages included). */
export async function filterAll(
  client: CloudWatchLogsClient,
  params: FilterParams,
  ctx: Omit<ErrorContext, 'operation'>,
  signal?: AbortSignal,
): Promise<{ events: LogEvent[]; pages: number }> {
  const events: LogEvent[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    let r;
    try {
      r = await client.send(
        new FilterLogEventsCommand({
          logGroupName: params.logGroupName,
          startTime: params.startTime,
          endTime: params.endTime,
          filterPattern: params.filterPattern,
          logStreamNames: params.logStreamNames,
          limit: params.limit,
          nextToken,
        }),
        { abortSignal: signal },
      );
    } catch (e) {
      throw toUserError(e, { ...ctx, operation: 'FilterLogEvents' });
    }
    pages++;
    for (const ev of r.events ?? ([] as FilteredLogEvent[])) {
      if (ev.message === undefined || ev.logStreamName === undefined) continue;
      events.push({ logStreamName: ev.logStreamName, timestamp: ev.timestamp ?? 0, message: ev.message });
    }
    nextToken = r.nextToken || undefined;
  } while (nextToken && !signal?.aborted);
  return { events, pages };
}

export interface FoundReport {
  logStream: string;
  report: ReportLine;
}

export interface PollOptions {
  /** Give up waiting for late events after this long (ms). */
  timeoutMs: number;
  /** First wait between polls (ms); doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  onWait?: (missing: number, waitMs: number) => void;
}

/**
 * Find the REPORT of each request id in the log group between startTime and endTime, polling for the
 * ingestion lag. Returns what was found; ids never seen within the bound are simply absent.
 */
export async function findReports(
  client: CloudWatchLogsClient,
  args: { logGroupName: string; format: 'Text' | 'JSON'; startTime: number; endTime: number; requestIds: string[] },
  poll: PollOptions,
  ctx: Omit<ErrorContext, 'operation'>,
): Promise<{ found: Map<string, FoundReport>; polls: number }> {
  const wanted = new Set(args.requestIds);
  const found = new Map<string, FoundReport>();
  const deadline = Date.now() + poll.timeoutMs;
  let delay = poll.initialDelayMs ?? 500;
  let polls = 0;
  while (wanted.size > found.size && !poll.signal?.aborted) {
    polls++;
    const { events } = await filterAll(
      client,
      { logGroupName: args.logGroupName, startTime: args.startTime, endTime: args.endTime, filterPattern: reportPattern(args.format) },
      ctx,
      poll.signal,
    );
    for (const ev of events) {
      for (const line of parseLogText(ev.message)) {
        if (line.kind === 'report' && wanted.has(line.requestId) && !found.has(line.requestId)) {
          found.set(line.requestId, { logStream: ev.logStreamName, report: line });
        }
      }
    }
    const missing = wanted.size - found.size;
    if (missing === 0) break;
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const wait = Math.min(delay, remaining, poll.maxDelayMs ?? 5000);
    poll.onWait?.(missing, wait);
    await sleep(wait, undefined, { signal: poll.signal }).catch(() => undefined);
    delay *= 2;
  }
  return { found, polls };
}

/** All lines of one log stream in a time window, parsed, in log order. */
export async function streamLines(
  client: CloudWatchLogsClient,
  args: { logGroupName: string; logStream: string; startTime: number; endTime: number },
  ctx: Omit<ErrorContext, 'operation'>,
  signal?: AbortSignal,
): Promise<PlatformLine[]> {
  const { events } = await filterAll(
    client,
    { logGroupName: args.logGroupName, logStreamNames: [args.logStream], startTime: args.startTime, endTime: args.endTime },
    ctx,
    signal,
  );
  events.sort((a, b) => a.timestamp - b.timestamp);
  return events.flatMap((e) => parseLogText(e.message));
}
