// The memory sweep's statistics on synthetic invocation records: the rows (failures kept out of the
// percentiles), the costs, the init-boost sentence and the recommendation; the --memory / percent parsing.
import { describe, expect, it } from 'vitest';
import { cost } from '../../src/analysis/cost.js';
import {
  initBoost,
  parseMemorySizes,
  parsePercent,
  recommend,
  sizeRow,
  summariseSweep,
  type MemorySizeRow,
  type SizeRun,
  type SweepSettings,
} from '../../src/analysis/memory-sweep.js';
import type { InvocationRecord } from '../../src/model/invocation.js';
import { invocation } from '../support/invocations.js';

const SETTINGS: SweepSettings = { architecture: 'x86_64', pricePerGbSecond: 0.00001, coldRate: 0.05, coldRateFrom: 'the default', tolerance: 0.1 };

let seq = 0;
function rec(over: Partial<InvocationRecord>): InvocationRecord {
  seq++;
  return invocation(seq, { kind: 'cold', memorySizeMB: 128, maxMemoryUsedMB: 50, logStream: `s${seq}`, round: 1, ...over });
}

/** Cold starts with these (init, first call) pairs at a size; billed as Lambda bills them: ceil(init + duration). */
function coldAt(mb: number, pairs: [number, number][]): InvocationRecord[] {
  return pairs.map(([init, d]) => rec({ memorySizeMB: mb, initDurationMs: init, durationMs: d, billedDurationMs: Math.ceil(init + d) }));
}

const run = (mb: number, records: InvocationRecord[], updates = 1): SizeRun => ({ memorySizeMB: mb, records, updates, throttled: 0 });

describe('a size row', () => {
  it('has the p50s of init, first call and their sum over successful cold starts, failures counted apart', () => {
    const records = [
      ...coldAt(128, [
        [200, 500],
        [220, 540],
        [210, 520],
      ]),
      rec({ memorySizeMB: 128, initDurationMs: 900, durationMs: 3, billedDurationMs: 903, status: 'error', errorType: 'Boom' }),
      rec({ memorySizeMB: 128, kind: 're-init', initDurationMs: 800, durationMs: 1200, billedDurationMs: 1200 }),
      rec({ memorySizeMB: 128, kind: 'warm', durationMs: 4, billedDurationMs: 4 }),
      rec({ memorySizeMB: 128, kind: 'warm', durationMs: 6, billedDurationMs: 6 }),
      rec({ memorySizeMB: 128, kind: 'warm', durationMs: 3000, billedDurationMs: 3000, status: 'timeout' }),
      rec({ memorySizeMB: 128, kind: 'unknown', durationMs: null, billedDurationMs: null }),
    ];
    const r = sizeRow(run(128, records), SETTINGS);
    expect(r.coldSamples).toBe(3);
    expect(r.initDurationMs).toMatchObject({ n: 3, p50: 210 });
    expect(r.firstCallMs).toMatchObject({ n: 3, p50: 520 });
    expect(r.coldTotalMs).toMatchObject({ n: 3, p50: 730 });
    expect(r.warmDurationMs).toMatchObject({ n: 2, p50: 5 });
    expect(r).toMatchObject({ failedColdStarts: 1, reinits: 1, failedWarm: 1, unknown: 1, errors: 1, timeouts: 1, warmInvocations: 2 });
    // Billed ms per cold start: the mean of the successful cold starts' Billed Duration (init included).
    expect(r.billedMsPerColdStart).toBe(730);
    expect(r.costPerColdStartUsd).toBeCloseTo(cost(730, 128, SETTINGS.pricePerGbSecond), 15);
    // Per million at 5 % cold: 5 % cold starts at their cost, 95 % warm calls at the measured warm cost.
    const expected = 1e6 * (0.05 * cost(730, 128, 0.00001) + 0.95 * cost(5, 128, 0.00001));
    expect(r.costPerMillionUsd).toBeCloseTo(expected, 12);
    expect(r.warmCostFrom).toBe('warm');
  });

  it("without --warm, prices the warm calls at the first call's Duration, and says so", () => {
    const r = sizeRow(run(512, coldAt(512, [[100, 20.2]])), SETTINGS);
    expect(r.warmDurationMs).toBeNull();
    expect(r.warmCostFrom).toBe('first-call');
    expect(r.costPerMillionUsd).toBeCloseTo(1e6 * (0.05 * cost(121, 512, 0.00001) + 0.95 * cost(21, 512, 0.00001)), 12);
  });

  it('has no figures, and no cost, when every cold start failed', () => {
    const r = sizeRow(run(128, [rec({ initDurationMs: 100, durationMs: 2, billedDurationMs: 102, status: 'error' })]), SETTINGS);
    expect(r).toMatchObject({ coldSamples: 0, initDurationMs: null, firstCallMs: null, coldTotalMs: null, costPerColdStartUsd: null, costPerMillionUsd: null, failedColdStarts: 1 });
  });
});

const row = (mb: number, init: number[], first: number[]): MemorySizeRow =>
  sizeRow(
    run(
      mb,
      coldAt(
        mb,
        init.map((x, i) => [x, first[i] as number]),
      ),
    ),
    SETTINGS,
  );

describe('the init boost', () => {
  it('held: init flat across sizes while the first call scales; ratios are the smallest size over the largest', () => {
    const b = initBoost([row(1769, [200, 210, 205], [40, 41, 40]), row(128, [205, 215, 210], [550, 560, 552])]);
    expect(b).toMatchObject({ held: true, smallestMB: 128, largestMB: 1769, initRatio: 1.02, firstCallRatio: 13.8, cpuShareRatio: 13.82 });
    expect(b.sentence).toBe(
      'The init boost held: init p50 stayed flat between 128 MB and 1769 MB (210 ms vs 205 ms, 1.02×) while the first call scaled with the CPU share (552 ms vs 40.0 ms, 13.8×; the share alone predicts 13.82×).',
    );
  });

  it('did not hold when the init grew with less memory too', () => {
    const b = initBoost([row(128, [2800, 2900, 2850], [550, 560, 552]), row(1769, [200, 210, 205], [40, 41, 40])]);
    expect(b.held).toBe(false);
    expect(b.initRatio).toBe(13.9);
    expect(b.sentence).toMatch(/^The init boost did not hold: init p50 grew with less memory \(between 128 MB and 1769 MB: 2850 ms vs 205 ms, 13\.9×/);
  });

  it('cannot be told when neither moved (a first call that waits rather than computes), or when both sizes get a full vCPU', () => {
    const flat = initBoost([row(128, [200, 210, 205], [40, 41, 40]), row(1769, [200, 210, 205], [40, 42, 41])]);
    expect(flat.held).toBeNull();
    expect(flat.sentence).toMatch(/^Neither the init .* nor the first call .* changed beyond noise/);
    const big = initBoost([row(1769, [200], [40]), row(3008, [200], [40])]);
    expect(big.held).toBeNull();
    expect(big.sentence).toMatch(/^Both 1769 MB and 3008 MB get \(about\) a full vCPU/);
  });

  it('counts a wide init spread as noise, and needs two sizes', () => {
    // init p90/p50 − 1 = 0.6 at 128 MB: a 1.4× init ratio is within that noise
    const noisy = initBoost([row(128, [280, 280, 280, 280, 280, 280, 280, 280, 450, 450], Array(10).fill(550)), row(1769, Array(10).fill(200), Array(10).fill(40))]);
    expect(noisy.initRatio).toBe(1.4);
    expect(noisy.held).toBe(true);
    expect(initBoost([row(512, [200], [100])]).sentence).toBe('Only 512 MB had successful cold starts: the boost needs two sizes to compare.');
    expect(initBoost([]).initRatio).toBeNull();
  });
});

describe('the recommendation', () => {
  it('the cheapest size within the tolerance of the fastest, both named, the trade-off in one sentence', () => {
    // Totals: 128 → 1300 ms, 1024 → 330 ms, 1769 → 310 ms (fastest); 1024 MB is within 10 % and cheaper per million.
    const rows = [row(128, [200], [1100]), row(1024, [200], [130]), row(1769, [200], [110])];
    const r = recommend(rows, SETTINGS);
    expect(r).toMatchObject({ memorySizeMB: 1024, fastestMemorySizeMB: 1769 });
    expect((rows[1] as MemorySizeRow).costPerMillionUsd).toBeLessThan((rows[2] as MemorySizeRow).costPerMillionUsd as number);
    expect(r?.reason).toMatch(/^1024 MB costs \$\d+\.\d{4} per million invocations at 5 % cold starts against \$\d+\.\d{4} for the fastest, 1769 MB, for a cold start 6\.45 % slower \(init \+ first call p50 330 ms vs 310 ms\), within the 10 % tolerance\.$/);
    // A tighter tolerance leaves only the fastest.
    const tight = recommend(rows, { ...SETTINGS, tolerance: 0.05 });
    expect(tight).toMatchObject({ memorySizeMB: 1769, fastestMemorySizeMB: 1769 });
    expect(tight?.reason).toMatch(/^1769 MB has the fastest cold start \(init \+ first call p50 310 ms\) and is also the cheapest size within 5 % of it/);
  });

  it('is null when no size has a successful cold start', () => {
    const failed = sizeRow(run(128, [rec({ status: 'error', initDurationMs: 100, billedDurationMs: 101, durationMs: 1 })]), SETTINGS);
    expect(recommend([failed], SETTINGS)).toBeNull();
    const sweep = summariseSweep([run(128, [])], SETTINGS);
    expect(sweep.recommendation).toBeNull();
    expect(sweep.initBoost.sentence).toMatch(/No size had a successful cold start/);
  });
});

describe('--memory and the percentages', () => {
  it('takes whole MB from 128 to 10240, in the order given', () => {
    expect(parseMemorySizes('1769, 128,10240')).toEqual([1769, 128, 10240]);
    expect(parseMemorySizes('128')).toEqual([128]);
  });
  it('refuses anything else with one sentence', () => {
    expect(parseMemorySizes('64')).toBe('--memory takes whole MB from 128 to 10240, as Lambda does: 64 is outside.');
    expect(parseMemorySizes('10241')).toMatch(/10241 is outside/);
    expect(parseMemorySizes('512.5')).toMatch(/"512\.5" is not a whole number/);
    expect(parseMemorySizes('1GB')).toMatch(/not a whole number/);
    expect(parseMemorySizes('128,,256')).toMatch(/separated by commas/);
    expect(parseMemorySizes('')).toMatch(/separated by commas/);
    expect(parseMemorySizes('128,256,128')).toBe('--memory lists 128 MB twice: give each size once.');
  });
  it('reads 5%, 5 and 0.5% as percentages', () => {
    expect(parsePercent('--cold-rate', '5%')).toBe(0.05);
    expect(parsePercent('--cold-rate', '5')).toBe(0.05);
    expect(parsePercent('--cold-rate', '0.5 %')).toBe(0.005);
    expect(parsePercent('--cold-rate', '101')).toBe('--cold-rate takes a percentage from 0 to 100, such as 5% (got "101").');
    expect(parsePercent('--tolerance', '-3')).toMatch(/^--tolerance takes a percentage/);
  });
});
