// `invoke --html`: one self-contained page whose data gives back every invocation as the run recorded it
// (request id, start kind, status, figures, environment) and the summary's percentiles and cost; crafted
// request ids, names, error types and notes stay data; 10,000 invocations stay well under 1 MB.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { summariseInvocations } from '../../src/analysis/invoke-stats.js';
import type { FunctionInfo, InvocationRecord } from '../../src/model/invocation.js';
import type { InvokeReport } from '../../src/render/inputs.js';
import { render } from '../../src/render/registry.js';
import { StringSink } from '../../src/render/sink.js';
import { EVIL, expectNoBreakout, expectSelfContained, invokePageIds, pageData } from '../support/html.js';
import { functionDescription, invocation } from '../support/invocations.js';

const fn: FunctionInfo = functionDescription({ functionName: 'orders-api' });

const stream = (k: number): string => `2026/11/30/[$LATEST]${k.toString(16).padStart(32, 'a')}`;

function rec(i: number, over: Partial<InvocationRecord>): InvocationRecord {
  return invocation(i, { requestId: randomUUID(), durationMs: 10 + (i % 7) / 4, billedDurationMs: 11, logStream: stream(1), ...over });
}

function reportOf(records: InvocationRecord[], over: Partial<InvokeReport> = {}, f: FunctionInfo = fn): InvokeReport {
  return {
    function: f,
    region: 'eu-west-1',
    invocations: records,
    summary: summariseInvocations(records, f, { requested: records.length }),
    forced: { cold: false, updates: 0, restore: 'not-needed', recoveryFile: null },
    notes: ['a note'],
    interrupted: false,
    ...over,
  };
}

async function page(report: InvokeReport): Promise<string> {
  const sink = new StringSink();
  await render('invoke', 'html', report, sink);
  return sink.toString();
}

interface Data {
  title: string;
  n: number;
  idx: number[];
  idPack: 'uuid' | 'raw';
  ids: string | string[];
  kind: string;
  status: string;
  errorTypes: Record<string, string>;
  streams: string[];
  env: number[];
  init: number[];
  dur: number[];
  billed: number[];
  mem: number[];
  summary: string[];
  percentiles: Array<[string, number, number, number, number, number, string]>;
  cost: string[][];
  notes: string[];
}

const ids = invokePageIds;

const mixed = (): InvocationRecord[] => [
  rec(1, { kind: 'cold', cold: true, initDurationMs: 412.37, durationMs: 40.52, billedDurationMs: 453, logStream: stream(1) }),
  rec(2, { kind: 'cold', cold: true, initDurationMs: 398.1, durationMs: 41.5, billedDurationMs: 440, logStream: stream(2) }),
  rec(3, {}),
  rec(4, { status: 'error', errorType: 'Runtime.ExitError', durationMs: 1.57, billedDurationMs: 2, logStream: stream(2) }),
  rec(5, { status: 'timeout', durationMs: 3000, billedDurationMs: 3000 }),
  rec(6, { kind: 're-init', initDurationMs: 324.87, durationMs: 365.08, billedDurationMs: 366, logStream: stream(2) }),
  rec(7, { kind: 'unknown', durationMs: null, billedDurationMs: null, maxMemoryUsedMB: null, logStream: null, source: 'none' }),
  rec(8, { kind: 'cold', cold: true, restoreDurationMs: 130.2, billedRestoreDurationMs: 140, durationMs: 9, billedDurationMs: 10, logStream: stream(3) }),
  rec(9, {}),
  rec(10, {}),
];

describe('invoke --html', () => {
  it('is one page with nothing from elsewhere, the element ids a browser test finds, and a script that parses', async () => {
    expectSelfContained(await page(reportOf(mixed())), ['chart', 'tip', 'legend', 'summary', 'percentiles', 'cost', 'notes']);
  });

  it('gives back every invocation as recorded: id, start kind, status, figures, environment', async () => {
    const records = mixed();
    const d = pageData<Data>(await page(reportOf(records)));
    expect(d.title).toBe('orders-api');
    expect(d.n).toBe(records.length);
    expect(d.idPack).toBe('uuid');
    expect(ids(d)).toEqual(records.map((r) => r.requestId));
    expect(d.idx).toEqual(records.map((r) => r.index));
    expect(d.kind).toBe('ccwwwrusww');
    expect(d.status).toBe('oooetooooo');
    expect(d.errorTypes).toEqual({ 3: 'Runtime.ExitError' });
    const v = (x: number): number | null => (x < 0 ? null : x / 100);
    expect(d.init.map(v)).toEqual(records.map((r) => r.initDurationMs ?? r.restoreDurationMs));
    expect(d.dur.map(v)).toEqual(records.map((r) => (r.durationMs === null ? null : Math.round(r.durationMs * 100) / 100)));
    expect(d.billed).toEqual([453, 440, 11, 2, 3000, 366, -1, 150, 11, 11]);
    expect(d.mem[6]).toBe(-1);
    // environments: the short id of each log stream, as the terminal table prints it
    expect(d.env.map((e) => (e < 0 ? null : d.streams[e]))).toEqual(records.map((r) => (r.logStream ? r.logStream.slice(-32, -24) : null)));
    // the repeated-PID warning of the terminal report (fixed PID 8 in three environments), then the run's notes
    expect(d.notes).toEqual(['PID 8 appeared in 3 different environments: a repeated PID is not evidence of a warm start.', 'a note']);
  });

  it("carries the summary's percentiles and cost lines", async () => {
    const report = reportOf(mixed());
    const d = pageData<Data>(await page(report));
    const s = report.summary;
    const row = (label: string) => d.percentiles.find((r) => r[0].startsWith(label));
    expect(row('init (cold starts)')).toEqual(['init (cold starts)', s.cold.initDurationMs!.n, s.cold.initDurationMs!.p50, s.cold.initDurationMs!.p90, s.cold.initDurationMs!.p99, s.cold.initDurationMs!.max, '398.10, 412.37']);
    expect(row('warm duration')?.slice(1, 6)).toEqual([s.warm.durationMs!.n, s.warm.durationMs!.p50, s.warm.durationMs!.p90, s.warm.durationMs!.p99, s.warm.durationMs!.max]);
    expect(row('restore (SnapStart)')?.[1]).toBe(1);
    expect(row('re-init init')?.[5]).toBe(324.87);
    expect(d.cost.map((r) => r[0])).toEqual(['cold', 'warm', 're-init', 'all']);
    expect(d.cost.find((r) => r[0] === 'all')?.[3]).toBe(String(s.cost.total.billedMs));
    expect(d.summary[0]).toMatch(/^cold starts: 3 of 10 \(30 %\), 1 of them SnapStart restores; 5 warm, 1 re-init .*1 unknown/);
  });

  it('request ids, names, streams, error types and notes stay data: they cannot end the <script> or open markup', async () => {
    const records = [rec(1, { requestId: EVIL, kind: 'cold', cold: true, initDurationMs: 100, status: 'error', errorType: EVIL, logStream: EVIL }), rec(2, { requestId: `${EVIL}2` })];
    const html = await page(reportOf(records, { notes: [EVIL], region: EVIL }, { ...fn, functionName: EVIL, logGroup: EVIL, runtime: EVIL }));
    expectNoBreakout(html);
    const d = pageData<Data>(html);
    expect(d.idPack).toBe('raw');
    expect(ids(d)).toEqual([EVIL, `${EVIL}2`]);
    expect(d.title).toBe(EVIL);
    expect(d.errorTypes[0]).toBe(EVIL);
    expect(d.notes).toContain(EVIL);
  });

  it('10,000 invocations (a cold start each tenth, in its own environment) stay well under 1 MB', async () => {
    const records = Array.from({ length: 10_000 }, (_, k) =>
      k % 10 === 0
        ? rec(k + 1, { kind: 'cold', cold: true, initDurationMs: 300 + (k % 97) * 1.37, durationMs: 45.55, billedDurationMs: 400, logStream: stream(k) })
        : rec(k + 1, { durationMs: 3 + (k % 89) * 0.37, logStream: stream(k - (k % 10)) }),
    );
    const html = await page(reportOf(records));
    const d = pageData<Data>(html);
    expect(d.n).toBe(10_000);
    expect(ids(d)).toEqual(records.map((r) => r.requestId));
    expect(Buffer.byteLength(html)).toBeLessThan(700 * 1024);
  });
});
