import { describe, expect, it } from 'vitest';
import { parseLogText } from '../../src/aws/log-lines.js';
import { HistoryAggregator, Quantiles } from '../../src/logs/aggregate.js';
import { chooseEngine } from '../../src/logs/run.js';
import { parseWindow } from '../../src/logs/window.js';

const PRICE = 0.0000166667;
const A = '2026/01/01/[$LATEST]aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = '2026/01/01/[$LATEST]bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

function feed(agg: HistoryAggregator, events: [string, number, string][]): void {
  for (const [stream, ts, message] of events) for (const l of parseLogText(message)) agg.add(l, stream, ts);
}

const report = (id: string, d: number, billed: number, extra = ''): string =>
  `REPORT RequestId: ${id}\tDuration: ${d.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\t${extra}`;

describe('HistoryAggregator (Text logs)', () => {
  it('classifies as invoke does: cold, warm, re-init never cold, timeouts and errors apart', () => {
    const agg = new HistoryAggregator(512, PRICE);
    const t = 1_700_000_000_000;
    feed(agg, [
      [A, t, 'INIT_START Runtime Version: python:3.12.v40\tRuntime Version ARN: arn:x'],
      [A, t + 400, report('r1', 10, 411, 'Init Duration: 400.00 ms\t')],
      [A, t + 500, report('r2', 5, 5)],
      [A, t + 600, report('r3', 8, 8, 'Status: error\tError Type: Runtime.Unknown\t')],
      [B, t + 700, 'INIT_START Runtime Version: python:3.12.v40\tRuntime Version ARN: arn:x'],
      [B, t + 1000, report('r4', 20, 321, 'Init Duration: 300.00 ms\t')],
      [B, t + 4000, 'INIT_REPORT Init Duration: 90.00 ms\tPhase: invoke\tStatus: timeout'],
      [B, t + 4100, report('r5', 3000, 3000, 'Status: timeout\t')],
    ]);
    const h = agg.summary();
    expect(h).toMatchObject({ invocations: 5, coldStarts: 2, reinits: 1, errors: 1, timeouts: 1, environments: 2, restores: 0, unknown: 0 });
    expect(h.coldStartRate).toBeCloseTo(0.4);
    expect(h.initDurationMs).toMatchObject({ n: 2, max: 400 });
    expect(h.totalColdStartMs).toBe(700);
    // the failed warm call is not in the warm durations
    expect(h.warmDurationMs).toMatchObject({ n: 1, p50: 5, max: 5 });
    expect(h.reinitInitDurationMs).toMatchObject({ n: 1, max: 90 });
    expect(h.coldBilledMs).toBe(411 + 321);
    expect(h.coldCostUsd).toBeCloseTo(((411 + 321) / 1000) * 0.5 * PRICE, 12);
    expect(h.initAhead).toEqual({ provisioned: 0, aheadOfTraffic: 0 });
  });

  it('sees an init that ended long before its first request (proactive initialisation)', () => {
    const agg = new HistoryAggregator(128, PRICE);
    const t = 1_700_000_000_000;
    feed(agg, [
      [A, t, 'INIT_START Runtime Version: python:3.12.v40'],
      // init took 200 ms; the request began 60 s later and took 10 ms
      [A, t + 60_210, report('r1', 10, 210, 'Init Duration: 200.00 ms\t')],
    ]);
    expect(agg.summary().initAhead.aheadOfTraffic).toBe(1);
  });

  it('is empty for an empty window', () => {
    const h = new HistoryAggregator(128, PRICE).summary();
    expect(h).toMatchObject({ invocations: 0, coldStarts: 0, coldStartRate: 0, initDurationMs: null, warmDurationMs: null, environments: 0, coldCostUsd: 0 });
  });
});

describe('HistoryAggregator (JSON logs)', () => {
  const ev = (type: string, record: unknown): string => JSON.stringify({ time: '2026-01-01T00:00:00.000Z', type, record });
  it('reads platform records, SnapStart restores and provisioned-concurrency inits', () => {
    const agg = new HistoryAggregator(1024, PRICE);
    const t = 1_700_000_000_000;
    feed(agg, [
      [A, t, ev('platform.initStart', { initializationType: 'provisioned-concurrency', phase: 'init', runtimeVersion: 'python:3.12' })],
      [A, t + 90_000, ev('platform.report', { requestId: 'j1', status: 'success', metrics: { durationMs: 4, billedDurationMs: 255, memorySizeMB: 1024, maxMemoryUsedMB: 80, initDurationMs: 250 } })],
      [A, t + 90_100, ev('platform.report', { requestId: 'j2', status: 'timeout', metrics: { durationMs: 3000, billedDurationMs: 3000, memorySizeMB: 1024, maxMemoryUsedMB: 80 } })],
      [B, t + 1000, ev('platform.restoreReport', { status: 'success', metrics: { durationMs: 120 } })],
      [B, t + 1200, ev('platform.report', { requestId: 'j3', status: 'success', metrics: { durationMs: 9, billedDurationMs: 10, billedRestoreDurationMs: 140, restoreDurationMs: 130, memorySizeMB: 1024, maxMemoryUsedMB: 80 } })],
    ]);
    const h = agg.summary();
    expect(h).toMatchObject({ invocations: 3, coldStarts: 2, restores: 1, timeouts: 1, errors: 0 });
    expect(h.restoreDurationMs).toMatchObject({ n: 1, max: 130 });
    expect(h.initDurationMs).toMatchObject({ n: 1, max: 250 });
    // provisioned init: a sign of init ahead of traffic, not counted twice as proactive
    expect(h.initAhead).toEqual({ provisioned: 1, aheadOfTraffic: 0 });
    expect(h.coldBilledMs).toBe(255 + 10 + 140);
  });
});

describe('Quantiles (t-digest)', () => {
  it('stays within 1% of the exact percentiles on a skewed sample, and keeps the exact max', () => {
    const q = new Quantiles();
    const xs: number[] = [];
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 48271) % 2147483647;
      const x = 100 + 400 * (seed / 2147483647) ** 3;
      xs.push(x);
      q.push(x);
    }
    xs.sort((a, b) => a - b);
    const s = q.summary()!;
    for (const [k, p] of [['p50', 0.5], ['p90', 0.9], ['p99', 0.99]] as const) {
      const exact = xs[Math.floor(p * (xs.length - 1))]!;
      expect(Math.abs(s[k] - exact) / exact).toBeLessThan(0.01);
    }
    expect(s.max).toBeCloseTo(xs[xs.length - 1]!, 2);
    expect(s.n).toBe(20_000);
  });
});

describe('window and engine', () => {
  const now = Date.parse('2026-01-31T12:00:00Z');
  it('reads durations and ISO times, and refuses an empty window in one sentence', () => {
    expect(parseWindow(undefined, undefined, now)).toEqual({ start: now - 3_600_000, end: now });
    expect(parseWindow('2d', '30m', now)).toEqual({ start: now - 2 * 86_400_000, end: now - 1_800_000 });
    expect(parseWindow('2026-01-30T00:00:00Z', undefined, now).start).toBe(Date.parse('2026-01-30T00:00:00Z'));
    expect(() => parseWindow('yesterday', undefined, now)).toThrow('--since yesterday is neither a duration');
    expect(() => parseWindow('1h', '2h', now)).toThrow('The window is empty');
  });
  it('auto picks Logs Insights for long windows or many functions, and says why', () => {
    expect(chooseEngine('auto', 3_600_000, 2)).toEqual({ engine: 'filter', reason: 'auto: a short window and few functions' });
    expect(chooseEngine('auto', 7 * 86_400_000, 1).engine).toBe('insights');
    expect(chooseEngine('auto', 3_600_000, 40).engine).toBe('insights');
    expect(chooseEngine('filter', 7 * 86_400_000, 40).engine).toBe('filter');
  });
});
