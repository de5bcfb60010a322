// The server-side engine of `logs`: the same aggregation as a CloudWatch Logs Insights query, one query per
// log format and per 50 log groups. Lambda's discovered fields (@type, @initDuration, @duration,
// @billedDuration) serve Text logs; JSON logs carry the same figures in record.metrics (docs/logs.md).
// One row per log group and start kind (cold: an Init Duration is present), so the result has the same
// shape as the filter engine's; what only the per-event engine can see (re-inits, SnapStart restores,
// init ahead of traffic) is zero here, and the report says so.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { gbSeconds } from '../analysis/cost.js';
import { MAX_GROUPS_PER_QUERY, runQuery, type PollOptions, type Row } from '../aws/insights.js';
import type { FunctionHistory, StreamingPercentiles } from '../render/logs-input.js';
import type { Target } from './filter-engine.js';

const STATS = (init: string, duration: string, billed: string): string =>
  [
    'count(*) as invocations',
    'sum(failed) as errors',
    'sum(timedOut) as timeouts',
    'count_distinct(@logStream) as environments',
    `pct(${init}, 50) as initP50`,
    `pct(${init}, 90) as initP90`,
    `pct(${init}, 99) as initP99`,
    `max(${init}) as initMax`,
    `sum(${init}) as initSum`,
    `pct(${duration}, 50) as durationP50`,
    `pct(${duration}, 90) as durationP90`,
    `pct(${duration}, 99) as durationP99`,
    `max(${duration}) as durationMax`,
    `sum(${billed}) as billedSum`,
  ].join(', ');

/** The query text for a log format. Asserted verbatim by the tests: a change to it is deliberate. */
export function insightsQuery(format: 'Text' | 'JSON'): string {
  if (format === 'JSON') {
    return [
      'filter type = "platform.report"',
      '| fields ispresent(record.metrics.initDurationMs) as cold, strcontains(record.status, "error") + strcontains(record.status, "failure") as failed, strcontains(record.status, "timeout") as timedOut',
      `| stats ${STATS('record.metrics.initDurationMs', 'record.metrics.durationMs', 'record.metrics.billedDurationMs')} by @log, cold`,
    ].join('\n');
  }
  return [
    'filter @type = "REPORT"',
    '| fields ispresent(@initDuration) as cold, strcontains(@message, "Status: error") as failed, strcontains(@message, "Status: timeout") as timedOut',
    `| stats ${STATS('@initDuration', '@duration', '@billedDuration')} by @log, cold`,
  ].join('\n');
}

/** `@log` is `<account id>:<log group name>`. */
export function groupOfLog(log: string): string {
  const m = /^\d+:(.*)$/.exec(log);
  return m ? (m[1] as string) : log;
}

const num = (row: Row, field: string): number => {
  const v = Number(row[field]);
  return Number.isFinite(v) ? v : 0;
};
const r2 = (x: number): number => Math.round(x * 100) / 100;
const truthy = (v: string | undefined): boolean => v === '1' || v === 'true';

function percentilesOf(row: Row | undefined, prefix: 'init' | 'duration', n: number): StreamingPercentiles | null {
  if (!row || n === 0 || row[`${prefix}P50`] === undefined) return null;
  return { n, p50: r2(num(row, `${prefix}P50`)), p90: r2(num(row, `${prefix}P90`)), p99: r2(num(row, `${prefix}P99`)), max: r2(num(row, `${prefix}Max`)) };
}

/** One function's history from its cold and warm rows. */
export function historyFromRows(cold: Row | undefined, warm: Row | undefined, target: Target): FunctionHistory {
  const coldN = cold ? num(cold, 'invocations') : 0;
  const warmN = warm ? num(warm, 'invocations') : 0;
  const invocations = coldN + warmN;
  const coldBilled = cold ? num(cold, 'billedSum') : 0;
  return {
    invocations,
    coldStarts: coldN,
    coldStartRate: invocations ? coldN / invocations : 0,
    restores: 0,
    errors: (cold ? num(cold, 'errors') : 0) + (warm ? num(warm, 'errors') : 0),
    timeouts: (cold ? num(cold, 'timeouts') : 0) + (warm ? num(warm, 'timeouts') : 0),
    reinits: 0,
    unknown: 0,
    initDurationMs: percentilesOf(cold, 'init', coldN),
    restoreDurationMs: null,
    coldDurationMs: percentilesOf(cold, 'duration', coldN),
    warmDurationMs: percentilesOf(warm, 'duration', warmN),
    reinitInitDurationMs: null,
    totalColdStartMs: cold ? r2(num(cold, 'initSum')) : 0,
    // every environment that served a request had its cold start in this window or before it
    environments: Math.max(cold ? num(cold, 'environments') : 0, warm ? num(warm, 'environments') : 0),
    initAhead: { provisioned: 0, aheadOfTraffic: 0 },
    coldCostUsd: gbSeconds(coldBilled, target.memorySizeMB) * target.pricePerGbSecond,
    coldBilledMs: coldBilled,
  };
}

/** Groups of at most MAX_GROUPS_PER_QUERY log groups, per log format. */
export function queryBatches(targets: Target[]): { format: 'Text' | 'JSON'; groups: string[] }[] {
  const out: { format: 'Text' | 'JSON'; groups: string[] }[] = [];
  for (const format of ['Text', 'JSON'] as const) {
    const groups = [...new Set(targets.filter((t) => t.logFormat === format).map((t) => t.logGroup))];
    for (let i = 0; i < groups.length; i += MAX_GROUPS_PER_QUERY) out.push({ format, groups: groups.slice(i, i + MAX_GROUPS_PER_QUERY) });
  }
  return out;
}

/** Every target's history from Logs Insights. Targets sharing a log group share its rows. */
export async function insightsHistory(
  client: CloudWatchLogsClient,
  targets: Target[],
  window: { start: number; end: number },
  poll: PollOptions,
  ctx: { region?: string; endpoint?: string; onQuery?: (done: number, total: number) => void },
): Promise<Map<string, FunctionHistory>> {
  const rows = new Map<string, { cold?: Row; warm?: Row }>();
  const batches = queryBatches(targets);
  let done = 0;
  for (const batch of batches) {
    ctx.onQuery?.(done, batches.length);
    const label = batch.groups.length === 1 ? (targets.find((t) => t.logGroup === batch.groups[0])?.name ?? batch.groups[0]!) : `${batch.groups.length} log groups`;
    const result = await runQuery(client, { logGroupNames: batch.groups, start: window.start, end: window.end, queryString: insightsQuery(batch.format) }, poll, {
      functionName: label,
      region: ctx.region,
      endpoint: ctx.endpoint,
    });
    for (const row of result) {
      const group = groupOfLog(row['@log'] ?? '');
      const entry = rows.get(group) ?? {};
      if (truthy(row.cold)) entry.cold = row;
      else entry.warm = row;
      rows.set(group, entry);
    }
    done++;
  }
  const out = new Map<string, FunctionHistory>();
  for (const t of targets) {
    const r = rows.get(t.logGroup);
    out.set(t.name, historyFromRows(r?.cold, r?.warm, t));
  }
  return out;
}
