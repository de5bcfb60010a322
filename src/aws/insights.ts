// CloudWatch Logs Insights for `lambda-cold logs --engine insights`: StartQuery over at most 50 log groups,
// then GetQueryResults polled with backoff until the query is Complete (or Failed, Cancelled, Timeout).
// Start and end are epoch seconds; result fields are strings (docs/lambda-platform.md;
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html).
import {
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../util/errors.js';
import { errorName, isThrottle, toUserError, type ErrorContext } from './errors.js';

/** StartQuery accepts at most this many log groups. */
export const MAX_GROUPS_PER_QUERY = 50;

export interface QueryArgs {
  logGroupNames: string[];
  /** Epoch ms; sent as epoch seconds (start rounded down, end up). */
  start: number;
  end: number;
  queryString: string;
}

export interface PollOptions {
  signal?: AbortSignal;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up (and say so) after this long (ms). */
  timeoutMs?: number;
  onPoll?: (status: string, waitMs: number) => void;
}

export type Row = Record<string, string>;

/** Run one query to completion and return its rows (each a field → string value map). */
export async function runQuery(client: CloudWatchLogsClient, args: QueryArgs, poll: PollOptions, ctx: Omit<ErrorContext, 'operation'>): Promise<Row[]> {
  if (args.logGroupNames.length > MAX_GROUPS_PER_QUERY) throw new Error(`at most ${MAX_GROUPS_PER_QUERY} log groups per query`);
  const deadline = Date.now() + (poll.timeoutMs ?? 15 * 60_000);
  let delay = poll.initialDelayMs ?? 500;
  const maxDelay = poll.maxDelayMs ?? 5000;
  let queryId: string | undefined;
  for (;;) {
    try {
      const r = await client.send(
        new StartQueryCommand({
          logGroupNames: args.logGroupNames,
          startTime: Math.floor(args.start / 1000),
          endTime: Math.ceil(args.end / 1000),
          queryString: args.queryString,
        }),
        { abortSignal: poll.signal },
      );
      queryId = r.queryId;
      break;
    } catch (e) {
      // Too many concurrent queries (LimitExceededException) or throttling: wait and start it again.
      const retry = (isThrottle(e) || errorName(e) === 'LimitExceededException') && Date.now() + delay < deadline && !poll.signal?.aborted;
      if (!retry) throw toUserError(e, { ...ctx, operation: 'StartQuery' });
      poll.onPoll?.('throttled', delay);
      await sleep(delay, undefined, { signal: poll.signal }).catch(() => undefined);
      delay = Math.min(maxDelay, delay * 2);
    }
  }
  if (!queryId) throw new UserError(`StartQuery on ${ctx.functionName} returned no query id.`);
  delay = poll.initialDelayMs ?? 500;
  for (;;) {
    let r;
    try {
      r = await client.send(new GetQueryResultsCommand({ queryId }), { abortSignal: poll.signal });
    } catch (e) {
      if (!isThrottle(e) || Date.now() + delay >= deadline || poll.signal?.aborted) throw toUserError(e, { ...ctx, operation: 'GetQueryResults' });
      r = { status: 'Running' as const, results: undefined };
    }
    const status = r.status ?? 'Unknown';
    if (status === 'Complete') {
      return (r.results ?? []).map((fields) => {
        const row: Row = {};
        for (const f of fields) if (f.field !== undefined && f.value !== undefined) row[f.field] = f.value;
        return row;
      });
    }
    if (status === 'Failed' || status === 'Cancelled' || status === 'Timeout' || status === 'Unknown') {
      const why =
        status === 'Timeout'
          ? 'it ran past the service\'s 60-minute limit: narrow --since/--until or name fewer functions'
          : status === 'Cancelled'
            ? 'it was cancelled (StopQuery, from another client or the console)'
            : 'the service could not run it: check the log groups and the window';
      throw new UserError(`The Logs Insights query for ${ctx.functionName} ended with status ${status}: ${why}.`);
    }
    if (poll.signal?.aborted) throw new UserError('Interrupted while the Logs Insights query ran.');
    if (Date.now() + delay >= deadline) {
      throw new UserError(`The Logs Insights query for ${ctx.functionName} was still ${status} after ${Math.round((poll.timeoutMs ?? 900_000) / 1000)} s; lambda-cold stopped waiting.`);
    }
    poll.onPoll?.(status, delay);
    await sleep(delay, undefined, { signal: poll.signal }).catch(() => undefined);
    delay = Math.min(maxDelay, delay * 2);
  }
}

/** Which of `names` exist: one paginated DescribeLogGroups per distinct prefix (/aws/lambda/ for the defaults). */
export async function existingLogGroups(client: CloudWatchLogsClient, names: string[], ctx: Omit<ErrorContext, 'operation'>): Promise<Set<string>> {
  const found = new Set<string>();
  const prefixes = new Set(names.map((n) => (n.startsWith('/aws/lambda/') ? '/aws/lambda/' : n)));
  for (const prefix of prefixes) {
    let nextToken: string | undefined;
    do {
      try {
        const r = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, nextToken }));
        for (const g of r.logGroups ?? []) if (g.logGroupName) found.add(g.logGroupName);
        nextToken = r.nextToken || undefined;
      } catch (e) {
        throw toUserError(e, { ...ctx, operation: 'DescribeLogGroups' });
      }
    } while (nextToken);
  }
  return found;
}
