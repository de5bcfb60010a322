import { describe, expect, it } from 'vitest';
import { billedUnderInitBilling, cost, gbSeconds, PRICE_PER_GB_SECOND } from '../../src/analysis/cost.js';
import { summariseInvocations } from '../../src/analysis/invoke-stats.js';
import type { FunctionInfo, InvocationRecord } from '../../src/model/invocation.js';

const fn: FunctionInfo = {
  functionName: 'f',
  functionArn: null,
  qualifier: null,
  runtime: 'python3.12',
  memorySizeMB: 512,
  architecture: 'arm64',
  logFormat: 'Text',
  logGroup: '/aws/lambda/f',
  packageType: 'Zip',
  timeoutSeconds: 3,
  snapStart: null,
  provisionedConcurrency: null,
};

function rec(i: number, over: Partial<InvocationRecord>): InvocationRecord {
  return {
    index: i,
    requestId: `r${i}`,
    kind: 'warm',
    cold: false,
    status: 'success',
    functionError: null,
    errorType: null,
    initDurationMs: null,
    restoreDurationMs: null,
    durationMs: 10,
    billedDurationMs: 10,
    memorySizeMB: 512,
    maxMemoryUsedMB: 80,
    logStream: 's1',
    pid: 8,
    executedVersion: '$LATEST',
    source: 'tail',
    round: null,
    clientMs: 20,
    ...over,
  };
}

describe('cost', () => {
  it('bills INIT: ceil(Duration + Init Duration), as in the example of docs/lambda-platform.md', () => {
    expect(billedUnderInitBilling(3.1, 4, 542.01)).toBe(546);
    expect(billedUnderInitBilling(3.1, 546, 542.01)).toBe(546);
    expect(billedUnderInitBilling(3.1, 4, null)).toBe(4);
  });
  it('converts billed ms × memory into GB-s and USD', () => {
    expect(gbSeconds(1000, 1024)).toBe(1);
    expect(cost(2000, 512, PRICE_PER_GB_SECOND.x86_64)).toBeCloseTo(0.0000166667, 12);
    expect(PRICE_PER_GB_SECOND.arm64).toBeLessThan(PRICE_PER_GB_SECOND.x86_64);
  });
});

describe('summariseInvocations', () => {
  const records = [
    rec(1, { kind: 'cold', cold: true, initDurationMs: 500, durationMs: 20, billedDurationMs: 520, logStream: 'a' }),
    rec(2, { kind: 'cold', cold: true, initDurationMs: 700, durationMs: 30, billedDurationMs: 730, logStream: 'b' }),
    rec(3, { durationMs: 10, billedDurationMs: 10, logStream: 'a' }),
    rec(4, { durationMs: 12, billedDurationMs: 12, logStream: 'b', status: 'error', functionError: 'Unhandled' }),
  ];
  const s = summariseInvocations(records, fn);

  it('counts cold starts, percentiles and the cold penalty', () => {
    expect(s.cold.count).toBe(2);
    expect(s.cold.rate).toBe(0.5);
    expect(s.cold.initDurationMs?.p50).toBe(600);
    expect(s.cold.initDurationMs?.max).toBe(700);
    expect(s.warm.count).toBe(2);
    expect(s.warm.durationMs?.p50).toBe(11);
    expect(s.coldPenaltyMs?.p50).toBe(625 - 11);
    expect(s.errors).toBe(1);
    expect(s.environments).toBe(2);
  });

  it('reports a PID seen in several environments', () => {
    expect(s.repeatedPids).toEqual([{ pid: 8, environments: 2 }]);
  });

  it('prices the cold starts for the architecture, or the override', () => {
    expect(s.cost.coldBilledMs).toBe(1250);
    expect(s.cost.coldUsd).toBeCloseTo(1.25 * 0.5 * PRICE_PER_GB_SECOND.arm64, 12);
    expect(s.cost.initUsd).toBeCloseTo(1.2 * 0.5 * PRICE_PER_GB_SECOND.arm64, 12);
    expect(summariseInvocations(records, fn, 0.001).cost.coldUsd).toBeCloseTo(1.25 * 0.5 * 0.001, 12);
  });
});
