// The Logs Insights engine against a fake client that answers with the response shapes the real service
// returns (StartQuery → queryId; GetQueryResults → Scheduled/Running with no rows, then Complete with every
// field as a string, including the `@log` "<account>:<group>" value and `stats … by` grouping fields).
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/aws/insights.js';
import type { Target } from '../../src/logs/filter-engine.js';
import { insightsHistory, insightsQuery, queryBatches } from '../../src/logs/insights-engine.js';

interface Call {
  name: string;
  input: Record<string, unknown>;
}

type Answer = (input: Record<string, unknown>) => unknown;

function fakeClient(answers: Record<string, Answer[]>): { client: CloudWatchLogsClient; calls: Call[] } {
  const calls: Call[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.push({ name, input: command.input });
      const queue = answers[name];
      const next = queue && (queue.length > 1 ? queue.shift() : queue[0]);
      if (!next) throw new Error(`unexpected ${name}`);
      return next(command.input);
    },
  } as unknown as CloudWatchLogsClient;
  return { client, calls };
}

const metadata = { $metadata: { httpStatusCode: 200, requestId: 'b1c2', attempts: 1, totalRetryDelay: 0 } };
const running = (): unknown => ({ ...metadata, status: 'Running', results: [], statistics: { recordsMatched: 0, recordsScanned: 5120, bytesScanned: 917504 } });
const field = (f: string, v: string): { field: string; value: string } => ({ field: f, value: v });

const COLD_ROW = [
  field('@log', '123456789012:/aws/lambda/orders'),
  field('cold', '1'),
  field('invocations', '40'),
  field('errors', '1'),
  field('timeouts', '0'),
  field('environments', '40'),
  field('initP50', '412.3'),
  field('initP90', '598.71'),
  field('initP99', '802.5'),
  field('initMax', '811.02'),
  field('initSum', '17380.4'),
  field('durationP50', '31.5'),
  field('durationP90', '80.1'),
  field('durationP99', '120.9'),
  field('durationMax', '130'),
  field('billedSum', '18700'),
];
const WARM_ROW = [
  field('@log', '123456789012:/aws/lambda/orders'),
  field('cold', '0'),
  field('invocations', '960'),
  field('errors', '3'),
  field('timeouts', '2'),
  field('environments', '38'),
  field('initP50', ''),
  field('durationP50', '4.1'),
  field('durationP90', '7.9'),
  field('durationP99', '15.2'),
  field('durationMax', '40.3'),
  field('billedSum', '5100'),
];

const target = (name: string, format: 'Text' | 'JSON' = 'Text'): Target => ({
  name,
  logGroup: `/aws/lambda/${name}`,
  logFormat: format,
  memorySizeMB: 1024,
  pricePerGbSecond: 0.0000166667,
});

describe('Logs Insights query text', () => {
  it('is exactly this for Text logs', () => {
    expect(insightsQuery('Text')).toBe(
      'filter @type = "REPORT"\n' +
        '| fields ispresent(@initDuration) as cold, strcontains(@message, "Status: error") as failed, strcontains(@message, "Status: timeout") as timedOut\n' +
        '| stats count(*) as invocations, sum(failed) as errors, sum(timedOut) as timeouts, count_distinct(@logStream) as environments, ' +
        'pct(@initDuration, 50) as initP50, pct(@initDuration, 90) as initP90, pct(@initDuration, 99) as initP99, max(@initDuration) as initMax, sum(@initDuration) as initSum, ' +
        'pct(@duration, 50) as durationP50, pct(@duration, 90) as durationP90, pct(@duration, 99) as durationP99, max(@duration) as durationMax, sum(@billedDuration) as billedSum by @log, cold',
    );
  });
  it('is exactly this for JSON logs', () => {
    expect(insightsQuery('JSON')).toBe(
      'filter type = "platform.report"\n' +
        '| fields ispresent(record.metrics.initDurationMs) as cold, strcontains(record.status, "error") + strcontains(record.status, "failure") as failed, strcontains(record.status, "timeout") as timedOut\n' +
        '| stats count(*) as invocations, sum(failed) as errors, sum(timedOut) as timeouts, count_distinct(@logStream) as environments, ' +
        'pct(record.metrics.initDurationMs, 50) as initP50, pct(record.metrics.initDurationMs, 90) as initP90, pct(record.metrics.initDurationMs, 99) as initP99, max(record.metrics.initDurationMs) as initMax, sum(record.metrics.initDurationMs) as initSum, ' +
        'pct(record.metrics.durationMs, 50) as durationP50, pct(record.metrics.durationMs, 90) as durationP90, pct(record.metrics.durationMs, 99) as durationP99, max(record.metrics.durationMs) as durationMax, sum(record.metrics.billedDurationMs) as billedSum by @log, cold',
    );
  });
});

describe('Logs Insights engine', () => {
  it('starts the query in epoch seconds, polls while Running, and reads the string rows', async () => {
    const { client, calls } = fakeClient({
      StartQuery: [() => ({ ...metadata, queryId: '12ab3456-12ab-123a-789e-1234567890ab' })],
      GetQueryResults: [
        () => ({ ...metadata, status: 'Scheduled', results: [] }),
        running,
        () => ({ ...metadata, status: 'Complete', results: [COLD_ROW, WARM_ROW], statistics: { recordsMatched: 1000, recordsScanned: 5120, bytesScanned: 917504 } }),
      ],
    });
    const window = { start: 1_769_860_800_500, end: 1_769_864_400_200 };
    const out = await insightsHistory(client, [target('orders')], window, { initialDelayMs: 1, maxDelayMs: 2 }, {});
    const start = calls.find((c) => c.name === 'StartQuery')!.input;
    expect(start).toMatchObject({ logGroupNames: ['/aws/lambda/orders'], startTime: 1_769_860_800, endTime: 1_769_864_401, queryString: insightsQuery('Text') });
    expect(calls.filter((c) => c.name === 'GetQueryResults')).toHaveLength(3);
    const h = out.get('orders')!;
    expect(h).toMatchObject({ invocations: 1000, coldStarts: 40, errors: 4, timeouts: 2, environments: 40, totalColdStartMs: 17380.4, coldBilledMs: 18700 });
    expect(h.coldStartRate).toBeCloseTo(0.04);
    expect(h.initDurationMs).toEqual({ n: 40, p50: 412.3, p90: 598.71, p99: 802.5, max: 811.02 });
    expect(h.warmDurationMs).toEqual({ n: 960, p50: 4.1, p90: 7.9, p99: 15.2, max: 40.3 });
    expect(h.coldCostUsd).toBeCloseTo(18.7 * 1 * 0.0000166667, 12);
  });

  it('gives a function without rows an empty history of the same shape', async () => {
    const { client } = fakeClient({
      StartQuery: [() => ({ ...metadata, queryId: 'q' })],
      GetQueryResults: [() => ({ ...metadata, status: 'Complete', results: [] })],
    });
    const h = (await insightsHistory(client, [target('quiet')], { start: 0, end: 1000 }, { initialDelayMs: 1 }, {})).get('quiet')!;
    expect(h).toMatchObject({ invocations: 0, coldStarts: 0, initDurationMs: null, warmDurationMs: null, coldCostUsd: 0 });
  });

  it('puts at most 50 log groups in a query, one query per log format', () => {
    const targets = [...Array.from({ length: 120 }, (_, i) => target(`fn${i}`)), target('j1', 'JSON'), target('j2', 'JSON')];
    const batches = queryBatches(targets);
    expect(batches.map((b) => [b.format, b.groups.length])).toEqual([
      ['Text', 50],
      ['Text', 50],
      ['Text', 20],
      ['JSON', 2],
    ]);
  });

  for (const status of ['Failed', 'Cancelled', 'Timeout'] as const) {
    it(`reports a ${status} query in one sentence`, async () => {
      const { client } = fakeClient({
        StartQuery: [() => ({ ...metadata, queryId: 'q' })],
        GetQueryResults: [running, () => ({ ...metadata, status, results: [] })],
      });
      await expect(
        runQuery(client, { logGroupNames: ['/aws/lambda/orders'], start: 0, end: 1000, queryString: 'x' }, { initialDelayMs: 1 }, { functionName: 'orders' }),
      ).rejects.toThrow(new RegExp(`^The Logs Insights query for orders ended with status ${status}: .+\\.$`));
    });
  }

  it('waits and starts again when too many queries run at once', async () => {
    const limit = Object.assign(new Error('Account maximum query concurrency limit of [30] reached.'), { name: 'LimitExceededException', $metadata: { httpStatusCode: 400 } });
    const { client, calls } = fakeClient({
      StartQuery: [
        () => {
          throw limit;
        },
        () => ({ ...metadata, queryId: 'q' }),
      ],
      GetQueryResults: [() => ({ ...metadata, status: 'Complete', results: [] })],
    });
    await runQuery(client, { logGroupNames: ['/g'], start: 0, end: 1000, queryString: 'x' }, { initialDelayMs: 1 }, { functionName: 'g' });
    expect(calls.filter((c) => c.name === 'StartQuery')).toHaveLength(2);
  });
});
