import { describe, expect, it } from 'vitest';
import { billedMs, cost, costLine, gbSeconds, PRICE_PER_GB_SECOND, usd } from '../../src/analysis/cost.js';
import { percentiles, summariseInvocations } from '../../src/analysis/invoke-stats.js';
import type { FunctionInfo, InvocationRecord } from '../../src/model/invocation.js';
import { functionDescription, invocation } from '../support/invocations.js';

const fn: FunctionInfo = functionDescription({ functionName: 'f' });

function rec(i: number, over: Partial<InvocationRecord>): InvocationRecord {
  return invocation(i, over);
}

describe('cost', () => {
  it('converts billed ms × memory into GB-s and USD', () => {
    expect(gbSeconds(1000, 1024)).toBe(1);
    expect(cost(2000, 512, PRICE_PER_GB_SECOND.x86_64)).toBeCloseTo(0.0000166667, 12);
    expect(PRICE_PER_GB_SECOND.arm64).toBeLessThan(PRICE_PER_GB_SECOND.x86_64);
  });
  it('bills Billed Duration as written, plus Billed Restore Duration for a SnapStart restore', () => {
    expect(billedMs({ billedDurationMs: 546, billedRestoreDurationMs: null })).toBe(546);
    expect(billedMs({ billedDurationMs: 21, billedRestoreDurationMs: 145 })).toBe(166);
    expect(billedMs({ billedDurationMs: null, billedRestoreDurationMs: null })).toBeNull();
    const l = costLine([{ billedDurationMs: 1000, billedRestoreDurationMs: null, memorySizeMB: 1024 }], 1024, 0.00001);
    expect(l.usd).toBeCloseTo(0.00001, 12);
    expect(l.perMillionUsd).toBeCloseTo(10, 9);
  });
  it('prints dollars in one fixed notation, never an exponent', () => {
    expect(usd(2.0833e-7, 10)).toBe('$0.0000002083');
    expect(usd(0.2083, 2)).toBe('$0.21');
    expect(usd(null, 2)).toBe('-');
  });
});

describe('percentile sets', () => {
  it('carry their n, and keep the values below 5', () => {
    expect(percentiles([30, 10, 20])).toMatchObject({ n: 3, p50: 20, values: [10, 20, 30] });
    const five = percentiles([1, 2, 3, 4, 5]);
    expect(five).toMatchObject({ n: 5, p50: 3, max: 5, values: null });
    expect(percentiles([])).toBeNull();
  });
});

describe('summariseInvocations', () => {
  const records = [
    rec(1, { kind: 'cold', cold: true, initDurationMs: 500, durationMs: 20, billedDurationMs: 520, logStream: 'a' }),
    rec(2, { kind: 'cold', cold: true, initDurationMs: 700, durationMs: 30, billedDurationMs: 730, logStream: 'b' }),
    rec(3, { durationMs: 10, billedDurationMs: 10, logStream: 'a' }),
    rec(4, { durationMs: 12, billedDurationMs: 12, logStream: 'b', status: 'error', functionError: 'Unhandled' }),
    rec(5, { durationMs: 14, billedDurationMs: 14, logStream: 'b' }),
  ];
  const s = summariseInvocations(records, fn, { requested: 8 });

  it('counts cold starts, init percentiles and the cold penalty against the warm median', () => {
    expect(s.cold).toMatchObject({ count: 2, rate: 0.4 });
    expect(s.cold.initDurationMs).toMatchObject({ n: 2, p50: 600, max: 700, values: [500, 700] });
    // Warm latency over successful warm invocations only: 10 and 14 (the error's 12 is apart).
    expect(s.warm).toMatchObject({ count: 2, failed: 1 });
    expect(s.warm.durationMs).toMatchObject({ n: 2, p50: 12 });
    // Each cold start's total (520, 730) against the warm median (12).
    expect(s.coldPenaltyMs).toMatchObject({ n: 2, values: [508, 718] });
    expect(s.errors).toBe(1);
    expect(s).toMatchObject({ environments: 2, environmentsFrom: 'log-streams', count: 5, requested: 8 });
  });

  it('reports a PID seen in several environments', () => {
    expect(s.repeatedPids).toEqual([{ pid: 8, environments: 2 }]);
  });

  it('prices each kind from its Billed Duration, at the architecture price or the override', () => {
    expect(s.cost.cold).toMatchObject({ count: 2, billedMs: 1250 });
    expect(s.cost.cold.usd).toBeCloseTo(1.25 * 0.5 * PRICE_PER_GB_SECOND.arm64, 12);
    expect(s.cost.cold.perInvocationUsd).toBeCloseTo((1.25 * 0.5 * PRICE_PER_GB_SECOND.arm64) / 2, 12);
    expect(s.cost.warm).toMatchObject({ count: 3, billedMs: 36 });
    expect(s.cost.total.billedMs).toBe(1286);
    expect(summariseInvocations(records, fn, { pricePerGbSecond: 0.001 }).cost.cold.usd).toBeCloseTo(1.25 * 0.5 * 0.001, 12);
  });

  it('keeps re-inits out of the cold starts, and adds nothing to their Billed Duration', () => {
    // One new environment, then a crash every third call: each next call re-runs init inside its Duration.
    const crashy = [
      rec(1, { kind: 'cold', cold: true, initDurationMs: 300, durationMs: 10, billedDurationMs: 310 }),
      rec(2, { durationMs: 10, billedDurationMs: 10 }),
      rec(3, { durationMs: 5, billedDurationMs: 5, status: 'error', functionError: 'Unhandled', errorType: 'Runtime.ExitError' }),
      rec(4, { kind: 're-init', initDurationMs: 290, durationMs: 300, billedDurationMs: 300 }),
      rec(5, { durationMs: 10, billedDurationMs: 10 }),
      rec(6, { durationMs: 5, billedDurationMs: 5, status: 'error', functionError: 'Unhandled', errorType: 'Runtime.ExitError' }),
      rec(7, { kind: 're-init', initDurationMs: 310, durationMs: 320, billedDurationMs: 320 }),
    ];
    const c = summariseInvocations(crashy, fn);
    expect(c.cold).toMatchObject({ count: 1, rate: 1 / 7 });
    expect(c.cold.initDurationMs?.values).toEqual([300]);
    expect(c.reinit).toMatchObject({ count: 2, errors: 0, timeouts: 0 });
    expect(c.reinit.initDurationMs?.values).toEqual([290, 310]);
    expect(c.errors).toBe(2);
    expect(c.warm).toMatchObject({ count: 2, failed: 2 });
    expect(c.cost.reinit.billedMs).toBe(620);
    expect(c.cost.total.billedMs).toBe(310 + 10 + 5 + 300 + 10 + 5 + 320);
    // Without log streams, one environment per cold start.
    expect(c).toMatchObject({ environmentsFrom: 'log-streams' });
    const noStreams = summariseInvocations(crashy.map((r) => ({ ...r, logStream: null })), fn);
    expect(noStreams).toMatchObject({ environments: 1, environmentsFrom: 'cold-starts' });
  });

  it('summarises SnapStart restores as their own start, consistent with the rows', () => {
    const snap = [
      rec(1, { kind: 'cold', cold: true, restoreDurationMs: 310, billedRestoreDurationMs: 311, durationMs: 20, billedDurationMs: 20 }),
      rec(2, { kind: 'cold', cold: true, restoreDurationMs: 290, billedRestoreDurationMs: 290, durationMs: 22, billedDurationMs: 22 }),
      rec(3, { durationMs: 10, billedDurationMs: 10 }),
    ];
    const r = summariseInvocations(snap, fn);
    expect(r.cold.count).toBe(2);
    expect(r.cold.initDurationMs).toBeNull();
    expect(r.cold.restore).toMatchObject({ count: 2, restoreDurationMs: { n: 2, values: [290, 310] } });
    expect(r.cold.totalMs?.values).toEqual([312, 330]);
    expect(r.cost.cold.billedMs).toBe(20 + 311 + 22 + 290);
  });
});
