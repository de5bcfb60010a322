// `invoke --cold --memory … --html`: one self-contained page whose data gives back the figures of the JSON
// document of the same sweep (per size: init p50/p90, first call, cold total, warm, billed ms, costs; the
// fastest and recommended sizes; the init-boost sentence and the reason); a crafted function name, region or
// note stays data. The page's drawing is checked in a real browser (test/integration/invoke-memory-html.test.ts).
import { describe, expect, it } from 'vitest';
import { summariseSweep, type SizeRun } from '../../src/analysis/memory-sweep.js';
import type { FunctionInfo, InvocationRecord } from '../../src/model/invocation.js';
import type { InvokeMemoryReport } from '../../src/render/inputs.js';
import { render } from '../../src/render/registry.js';
import { StringSink } from '../../src/render/sink.js';
import { EVIL, expectNoBreakout, expectSelfContained, pageData } from '../support/html.js';
import { functionDescription, invocation } from '../support/invocations.js';
import { pageRowsOf, type SweepDoc, type SweepPage } from '../support/invoke-memory-page.js';

const fn: FunctionInfo = functionDescription({ functionName: 'orders', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders', memorySizeMB: 256 });

let n = 0;
const call = (mb: number, init: number | null, d: number, over: Partial<InvocationRecord> = {}): InvocationRecord =>
  invocation(++n, {
    kind: init === null ? 'warm' : 'cold',
    initDurationMs: init,
    durationMs: d,
    billedDurationMs: Math.ceil((init ?? 0) + d),
    memorySizeMB: mb,
    maxMemoryUsedMB: 60,
    logStream: `s${n}`,
    round: 1,
    clientMs: (init ?? 0) + d + 5,
    ...over,
  });

const runs: SizeRun[] = [
  { memorySizeMB: 128, records: [call(128, 300, 690), call(128, 310, 700), call(128, 320, 720), call(128, null, 40.2), call(128, null, 41)], updates: 1, throttled: 0 },
  { memorySizeMB: 512, records: [call(512, 295, 180), call(512, 301, 176.5), call(512, 330, 190), call(512, null, 10.1), call(512, null, 11)], updates: 1, throttled: 0 },
  {
    memorySizeMB: 1769,
    records: [call(1769, 290, 50), call(1769, 305, 52), call(1769, 300, 51), call(1769, 350, 3, { status: 'error', errorType: 'Runtime.ExitError' }), call(1769, null, 3.2)],
    updates: 1,
    throttled: 2,
  },
];

const reportOf = (over: Partial<InvokeMemoryReport> = {}, f: FunctionInfo = fn, r: SizeRun[] = runs): InvokeMemoryReport => ({
  function: f,
  region: 'us-east-1',
  sweep: summariseSweep(r, { architecture: 'arm64', pricePerGbSecond: 0.0000133334, coldRate: 0.05, coldRateFrom: 'default', tolerance: 0.1 }),
  requested: { sizesMB: r.map((x) => x.memorySizeMB), count: 3, concurrency: 3, warm: 1 },
  forced: { updates: 3, restore: 'restored', recoveryFile: null },
  interrupted: false,
  stoppedBy: null,
  notes: ['a note'],
  ...over,
});

async function rendered(format: 'html' | 'json', report: InvokeMemoryReport): Promise<string> {
  const sink = new StringSink();
  await render('invoke-memory', format, report, sink);
  return sink.toString();
}

describe('invoke --memory --html', () => {
  it('is one page with nothing from elsewhere, the element ids a browser test finds, and a script that parses', async () => {
    expectSelfContained(await rendered('html', reportOf()), ['chart', 'tip', 'legend', 'boost', 'recommendation', 'rows', 'notes']);
  });

  it("gives back the JSON document's figures of every size, the fastest and recommended sizes, the boost and the reason", async () => {
    const report = reportOf();
    const d = pageData<SweepPage>(await rendered('html', report));
    const doc = JSON.parse(await rendered('json', report)) as SweepDoc;
    expect(d.sizes).toEqual(pageRowsOf(doc));
    expect(d.sizes.map((s) => s.mb)).toEqual([128, 512, 1769]);
    // the figures of the fixture: 1769 MB's cold total p50 is 290+50, 300+51, 305+52 → 351
    expect(d.sizes[2]).toMatchObject({ samples: 3, total: 351, warm: 3.2 });
    expect(d.fastest).toBe(doc.recommendation!.fastestMemorySizeMB);
    expect(d.fastest).toBe(1769);
    expect(d.recommended).toBe(doc.recommendation!.memorySizeMB);
    expect(d.boost).toBe(doc.initBoost.sentence);
    expect(d.boost).toMatch(/^The init boost held/);
    expect(d.recommendation[0]).toContain(`Recommended: ${doc.recommendation!.memorySizeMB} MB`);
    expect(d.recommendation[1]).toBe(doc.recommendation!.reason);
    // the failed cold start and the 429s of 1769 MB, then the run's notes
    expect(d.notes).toEqual(['1769 MB: 1 failed cold start(s), 2 throttled (429) and made up in a later round (kept out of the percentiles)', 'a note']);
    expect(d.run[0]).toMatch(/^--cold --memory: 3 sizes × 3 cold samples \(3 per update\) \+ 1 warm; 3 configuration updates; memory size and environment restored$/);
  });

  it('a sweep without a successful cold start has no recommendation and says so', async () => {
    const failed: SizeRun[] = [{ memorySizeMB: 128, records: [call(128, 300, 3, { status: 'error', errorType: 'Runtime.ExitError' })], updates: 1, throttled: 0 }];
    const d = pageData<SweepPage>(await rendered('html', reportOf({ interrupted: true }, fn, failed)));
    expect(d.sizes[0]).toMatchObject({ mb: 128, samples: 0, init: null, first: null, total: null });
    expect(d.recommended).toBeNull();
    expect(d.recommendation).toEqual(['Recommended: none (no size had a successful cold start)']);
    expect(d.run[1]).toMatch(/^interrupted after 1 of 1 sizes/);
  });

  it('a crafted function name, runtime, region, note and stop reason stay data: they cannot end the <script> or open markup', async () => {
    const html = await rendered('html', reportOf({ notes: [EVIL], region: EVIL, stoppedBy: EVIL }, { ...fn, functionName: EVIL, runtime: EVIL }));
    expectNoBreakout(html);
    const d = pageData<SweepPage>(html);
    expect(d.title).toBe(EVIL);
    expect(d.notes).toContain(EVIL);
    expect(d.run[1]).toBe(`stopped early: ${EVIL}`);
  });
});
