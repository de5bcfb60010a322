// `logs --html`: the histograms `logs` keeps (fixed log-scale bins, counted as the events stream: memory
// does not grow with the window), and the page built from a report: self-contained, the histograms and
// percentiles as aggregated, a Logs Insights function drawn from its percentiles, crafted names stay data.
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../../src/aws/log-lines.js';
import { histogramBin, HistoryAggregator, LogHistogram } from '../../src/logs/aggregate.js';
import { HISTOGRAM_BINS, type FunctionHistory, type LogsReport } from '../../src/render/logs-input.js';
import { render } from '../../src/render/registry.js';
import { StringSink } from '../../src/render/sink.js';
import { EVIL, expectNoBreakout, expectSelfContained, pageData } from '../support/html.js';

const PRICE = 0.0000166667;
const A = '2026/01/01/[$LATEST]aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = '2026/01/01/[$LATEST]bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const report = (id: string, d: number, extra = ''): string =>
  `REPORT RequestId: ${id}\tDuration: ${d.toFixed(2)} ms\tBilled Duration: ${Math.ceil(d)} ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\t${extra}`;

function feed(agg: HistoryAggregator, events: [string, number, string][]): void {
  for (const [stream, ts, message] of events) for (const l of parseLogText(message)) agg.add(l, stream, ts);
}

/** The lower edge of a bin, in ms. */
const edge = (bin: number): number => HISTOGRAM_BINS.minMs * 10 ** (bin / HISTOGRAM_BINS.perDecade);
const total = (h: { counts: number[] }): number => h.counts.reduce((a, b) => a + b, 0);

describe('the logs histograms', () => {
  it('put each value in the log-scale bin whose edges hold it; out-of-range values in the end bins', () => {
    for (const ms of [0.13, 1, 1.5, 9.99, 10, 123.4, 4000, 899_999]) {
      const b = histogramBin(ms);
      expect(edge(b)).toBeLessThanOrEqual(ms * (1 + 1e-9));
      expect(edge(b + 1)).toBeGreaterThan(ms);
    }
    expect(histogramBin(0)).toBe(0);
    expect(histogramBin(0.01)).toBe(0);
    expect(histogramBin(5e7)).toBe(HISTOGRAM_BINS.count - 1);
  });

  it('keep a fixed number of counters however many values, and give back the non-empty span', () => {
    const h = new LogHistogram();
    expect(h.summary()).toEqual({ from: 0, counts: [] });
    for (let i = 0; i < 200_000; i++) h.push(1 + (i % 1000) / 100); // 1 ms .. 10.99 ms
    const s = h.summary();
    expect(s.from).toBe(histogramBin(1));
    expect(s.from + s.counts.length - 1).toBe(histogramBin(10.99));
    expect(s.counts.length).toBeLessThanOrEqual(HISTOGRAM_BINS.count);
    expect(total(s)).toBe(200_000);
  });

  it('count what the percentiles count: cold inits and durations, successful warm durations; re-inits and failures apart', () => {
    const agg = new HistoryAggregator(512, PRICE);
    const t = 1_700_000_000_000;
    feed(agg, [
      [A, t, 'INIT_START Runtime Version: python:3.12.v40'],
      [A, t + 400, report('r1', 10, 'Init Duration: 400.00 ms\t')],
      [A, t + 500, report('r2', 5)],
      [A, t + 600, report('r3', 8, 'Status: error\tError Type: Runtime.Unknown\t')],
      [A, t + 700, report('r4', 6)],
      [B, t + 700, 'INIT_START Runtime Version: python:3.12.v40'],
      [B, t + 1000, report('r5', 20, 'Init Duration: 300.00 ms\t')],
      [B, t + 4000, 'INIT_REPORT Init Duration: 90.00 ms\tPhase: invoke\tStatus: timeout'],
      [B, t + 4100, report('r6', 3000, 'Status: timeout\t')],
    ]);
    const h = agg.summary();
    const hist = h.histograms!;
    expect(total(hist.initMs)).toBe(h.initDurationMs!.n);
    expect(total(hist.coldDurationMs)).toBe(h.coldDurationMs!.n);
    expect(total(hist.warmDurationMs)).toBe(h.warmDurationMs!.n);
    expect(total(hist.warmDurationMs)).toBe(2); // r2 and r4; the failed r3 and the re-init r6 apart
    // the bins hold the values: 300 and 400 ms, 10 and 20 ms, 5 and 6 ms
    const at = (hh: { from: number; counts: number[] }, ms: number): number => hh.counts[histogramBin(ms) - hh.from] ?? 0;
    expect(at(hist.initMs, 300) + at(hist.initMs, 400)).toBe(2);
    expect(at(hist.coldDurationMs, 10) + at(hist.coldDurationMs, 20)).toBe(2);
    expect(at(hist.warmDurationMs, 5) + at(hist.warmDurationMs, 6)).toBe(2);
    expect(h).toMatchObject({ reinits: 1, errors: 1, timeouts: 1 });
  });
});

interface Data {
  functions: Array<{
    name: string;
    apart: { reinits: number; errors: number; timeouts: number };
    pct: Record<string, [number, number, number, number, number] | null>;
    hist: Record<'init' | 'cold' | 'warm', [number, number[]]> | null;
    cost: [string, number, string, string];
  }>;
  skipped: string[];
  notes: string[];
}

function history(): FunctionHistory {
  const agg = new HistoryAggregator(512, PRICE);
  const t = 1_700_000_000_000;
  const events: [string, number, string][] = [];
  for (let i = 0; i < 300; i++) {
    const s = i % 3 === 0 ? A : B;
    if (i < 2) events.push([s, t + i * 1000, 'INIT_START Runtime Version: python:3.12.v40']);
    events.push([s, t + i * 1000 + 500, report(`r${i}`, 2 + (i % 50), i < 2 ? `Init Duration: ${350 + i}.00 ms\t` : i % 40 === 7 ? 'Status: error\t' : '')]);
  }
  feed(agg, events);
  return agg.summary();
}

function logsReport(over: Partial<LogsReport> = {}): LogsReport {
  const h = history();
  const fn = (name: string, hist: FunctionHistory) => ({ name, runtime: 'python3.12', logGroup: `/aws/lambda/${name}`, logFormat: 'Text' as const, memorySizeMB: 512, architecture: 'x86_64' as const, history: hist });
  return {
    region: 'eu-west-1',
    engine: 'filter',
    engineReason: '--engine filter',
    window: { start: 1_700_000_000_000, end: 1_700_003_600_000 },
    pricePerGbSecond: { x86_64: PRICE, arm64: 0.0000133334 },
    // the second as Logs Insights gives it: percentiles, no histograms
    functions: [fn('orders-api', h), fn('from-insights', { ...h, histograms: undefined })],
    skipped: [{ name: 'node-fn', reason: 'not Python (nodejs20.x)' }],
    notes: ['a note'],
    stats: { pages: 1, events: 302, elapsedMs: 5 },
    ...over,
  };
}

async function page(r: LogsReport): Promise<string> {
  const sink = new StringSink();
  await render('logs', 'html', r, sink);
  return sink.toString();
}

describe('logs --html', () => {
  it('is one page with nothing from elsewhere, the element ids a browser test finds, and a script that parses', async () => {
    expectSelfContained(await page(logsReport()), ['functions', 'tip', 'percentiles', 'cost', 'notes']);
  });

  it('carries each function as aggregated: histograms, percentiles, failures apart, the cold-start cost', async () => {
    const r = logsReport();
    const d = pageData<Data>(await page(r));
    expect(d.functions.map((f) => f.name)).toEqual(['orders-api', 'from-insights']);
    const [f, ins] = d.functions;
    const h = r.functions[0]!.history;
    expect(f!.hist!.init).toEqual([h.histograms!.initMs.from, h.histograms!.initMs.counts]);
    expect(f!.hist!.warm).toEqual([h.histograms!.warmDurationMs.from, h.histograms!.warmDurationMs.counts]);
    expect(f!.pct.init).toEqual([h.initDurationMs!.n, h.initDurationMs!.p50, h.initDurationMs!.p90, h.initDurationMs!.p99, h.initDurationMs!.max]);
    expect(f!.apart).toMatchObject({ errors: h.errors, reinits: h.reinits, timeouts: h.timeouts });
    expect(f!.cost[1]).toBe(h.coldBilledMs);
    expect(ins!.hist).toBeNull();
    expect(ins!.pct.warm?.[0]).toBe(h.warmDurationMs!.n);
    expect(d.skipped).toEqual(['skipped node-fn: not Python (nodejs20.x)']);
    expect(d.notes[0]).toBe('a note');
  });

  it('function names, log groups, skip reasons and notes stay data: they cannot end the <script> or open markup', async () => {
    const r = logsReport({ notes: [EVIL], skipped: [{ name: EVIL, reason: EVIL }], engineReason: EVIL });
    r.functions[0] = { ...r.functions[0]!, name: EVIL, logGroup: EVIL };
    const html = await page(r);
    expectNoBreakout(html);
    const d = pageData<Data>(html);
    expect(d.functions[0]!.name).toBe(EVIL);
    expect(d.notes).toContain(EVIL);
    expect(d.skipped).toEqual([`skipped ${EVIL}: ${EVIL}`]);
  });
});
