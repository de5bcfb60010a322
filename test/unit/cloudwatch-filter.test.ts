// FilterLogEvents paging: follow nextToken through empty pages, and retry a throttled call for the same page
// (the first page included) with backoff, never ending the read early.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { filterAll } from '../../src/aws/cloudwatch.js';

type Page = { events?: Array<{ logStreamName: string; timestamp: number; message: string }>; nextToken?: string } | 'throttle';

function fakeClient(pages: Page[]): { client: CloudWatchLogsClient; tokens: Array<string | undefined> } {
  const tokens: Array<string | undefined> = [];
  let i = 0;
  const client = {
    send: async (cmd: { input: { nextToken?: string } }) => {
      tokens.push(cmd.input.nextToken);
      const p = pages[i++];
      if (p === 'throttle') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
      return p ?? {};
    },
  } as unknown as CloudWatchLogsClient;
  return { client, tokens };
}

const ev = (n: number) => ({ logStreamName: 's', timestamp: n, message: `REPORT ${n}` });
const ctx = { functionName: 'fn', region: 'us-east-1' };

describe('filterAll', () => {
  it('retries a throttled first call, then follows nextToken through an empty page to the end', async () => {
    const { client, tokens } = fakeClient(['throttle', { events: [ev(1)], nextToken: 'a' }, { events: [], nextToken: 'b' }, 'throttle', { events: [ev(2)] }]);
    const throttles: number[] = [];
    const r = await filterAll(client, { logGroupName: '/aws/lambda/fn', startTime: 0, endTime: 1 }, { deadline: Date.now() + 10_000, baseMs: 1, capMs: 2, onThrottle: (w) => throttles.push(w) }, ctx);
    expect(r.events.map((e) => e.timestamp)).toEqual([1, 2]);
    expect(r.calls).toBe(5);
    expect(tokens).toEqual([undefined, undefined, 'a', 'b', 'b']);
    expect(throttles).toHaveLength(2);
  });

  it('gives up with one sentence when throttling outlasts the deadline', async () => {
    const { client } = fakeClient(['throttle', 'throttle', 'throttle']);
    await expect(filterAll(client, { logGroupName: '/aws/lambda/fn', startTime: 0, endTime: 1 }, { deadline: Date.now() - 1 }, ctx)).rejects.toThrow(/FilterLogEvents|throttl/i);
  });
});
