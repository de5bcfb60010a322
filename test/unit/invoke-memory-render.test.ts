// The invoke-memory document through the renderer contract: the JSON holds the shape (what
// `profile --memory-profile` and the HTML report read), the terminal report fits 80 columns.
import { describe, expect, it } from 'vitest';
import { summariseSweep, type SizeRun } from '../../src/analysis/memory-sweep.js';
import type { FunctionInfo, InvocationRecord } from '../../src/model/invocation.js';
import type { InvokeMemoryReport } from '../../src/render/inputs.js';
import { render } from '../../src/render/registry.js';
import { StringSink } from '../../src/render/sink.js';
import { visibleWidth } from '../../src/render/text-table.js';
import { functionDescription, invocation } from '../support/invocations.js';

const fn: FunctionInfo = functionDescription({ functionName: 'orders', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders', memorySizeMB: 256 });

let n = 0;
const cold = (mb: number, init: number, d: number): InvocationRecord =>
  invocation(++n, {
    kind: 'cold',
    initDurationMs: init,
    durationMs: d,
    billedDurationMs: Math.ceil(init + d),
    memorySizeMB: mb,
    maxMemoryUsedMB: 60,
    logStream: `s${n}`,
    round: 1,
    clientMs: init + d + 5,
  });

const runs: SizeRun[] = [
  { memorySizeMB: 128, records: [cold(128, 300, 690), cold(128, 310, 700)], updates: 1, throttled: 0 },
  { memorySizeMB: 1769, records: [cold(1769, 290, 50), cold(1769, 305, 52)], updates: 1, throttled: 0 },
];
const report: InvokeMemoryReport = {
  function: fn,
  region: 'us-east-1',
  sweep: summariseSweep(runs, { architecture: 'arm64', pricePerGbSecond: 0.0000133334, coldRate: 0.05, coldRateFrom: 'default', tolerance: 0.1 }),
  requested: { sizesMB: [128, 1769], count: 2, concurrency: 2, warm: 0 },
  forced: { updates: 2, restore: 'restored', recoveryFile: null },
  interrupted: false,
  stoppedBy: null,
  notes: [],
};

async function rendered(format: 'text' | 'json'): Promise<string> {
  const sink = new StringSink();
  await render('invoke-memory', format, report, sink);
  return sink.toString();
}

describe('invoke-memory', () => {
  it('JSON: schemaVersion 1, kind invoke-memory, a row per size, the init boost and the recommendation', async () => {
    const doc = JSON.parse(await rendered('json')) as Record<string, unknown> & { sizes: Record<string, unknown>[] };
    expect(doc).toMatchObject({
      schemaVersion: 1,
      kind: 'invoke-memory',
      function: 'orders',
      initBoost: { initRatio: 1.03, firstCallRatio: 13.63 },
      recommendation: { memorySizeMB: expect.any(Number), fastestMemorySizeMB: 1769, reason: expect.any(String) },
    });
    expect(doc.sizes.map((s) => s.memorySizeMB)).toEqual([128, 1769]);
    for (const s of doc.sizes) {
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining(['memorySizeMB', 'coldSamples', 'initDurationMs', 'firstCallMs', 'coldTotalMs', 'warmDurationMs', 'billedMsPerColdStart', 'costPerColdStartUsd']),
      );
      expect(s.initDurationMs).toMatchObject({ p50: expect.any(Number), p90: expect.any(Number) });
      expect(s.firstCallMs).toMatchObject({ p50: expect.any(Number) });
      expect(s.coldTotalMs).toMatchObject({ p50: expect.any(Number) });
      expect(s.warmDurationMs).toBeNull();
    }
    expect(doc.sizes[0]).toMatchObject({ coldSamples: 2, billedMsPerColdStart: 1000, firstCallMs: { p50: 695 } });
  });

  it('text: both tables within 80 columns, the boost sentence and the recommendation', async () => {
    const text = await rendered('text');
    const tables = text.slice(0, text.indexOf('init boost')).split('\n').filter((l) => /^\s+(MB|128|1769)/.test(l));
    expect(tables.length).toBe(6);
    for (const l of tables) expect(visibleWidth(l)).toBeLessThanOrEqual(80);
    expect(text).toContain('init boost      The init boost held');
    expect(text).toMatch(/recommended {5}\d+ MB/);
    expect(text).toContain('(the default; --cold-rate sets it)');
  });
});
