// The client-side engine of `logs`: FilterLogEvents over each function's log group, page by page, every
// platform event parsed (both log formats, aws/log-lines.ts) and fed to the bounded-memory aggregator.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { forEachPage, historyPattern } from '../aws/history.js';
import { parseLogText } from '../aws/log-lines.js';
import type { FunctionHistory } from '../render/logs-input.js';
import { HistoryAggregator } from './aggregate.js';

export interface Target {
  name: string;
  logGroup: string;
  logFormat: 'Text' | 'JSON';
  memorySizeMB: number;
  pricePerGbSecond: number;
}

export interface Progress {
  pages: number;
  events: number;
}

export async function filterHistory(
  client: CloudWatchLogsClient,
  target: Target,
  window: { start: number; end: number },
  progress: Progress,
  opts: { signal?: AbortSignal; onPage?: () => void; onThrottle?: (waitMs: number) => void; region?: string; endpoint?: string },
): Promise<FunctionHistory> {
  const agg = new HistoryAggregator(target.memorySizeMB, target.pricePerGbSecond);
  await forEachPage(
    client,
    { logGroupName: target.logGroup, startTime: window.start, endTime: window.end, filterPattern: historyPattern(target.logFormat) },
    (events) => {
      progress.pages++;
      progress.events += events.length;
      for (const ev of events) {
        for (const line of parseLogText(ev.message)) agg.add(line, ev.logStreamName, ev.timestamp);
      }
      opts.onPage?.();
    },
    { signal: opts.signal, onThrottle: opts.onThrottle },
    { functionName: target.name, region: opts.region, endpoint: opts.endpoint },
  );
  return agg.summary();
}
