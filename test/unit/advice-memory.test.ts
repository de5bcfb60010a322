// defer-import at a memory size: what the deferred import costs in the first request there (the CPU-share
// estimate, or an `invoke --memory` sweep's measured ratios), and no recommendation to defer when that
// first request would pay more than init saves. Synthetic profiles (test/support/advice.ts) whose deferred
// import costs 100 ms at init; sweep documents written here in the shape `invoke --memory --json` prints.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adviseProfile } from '../../src/analysis/advice.js';
import { estimateScaling, type MemoryScaling } from '../../src/analysis/memory-scaling.js';
import { readMemoryProfile, scalingAt } from '../../src/profile/memory.js';
import { readSamTemplate } from '../../src/sam/template.js';
import { fixtures } from '../support/cli.js';
import { facts, imp, own, profileOf, std } from '../support/advice.js';

// handler (5 ms own) → json, thumbnails (100 ms, read only inside the handler)
const session = () =>
  profileOf(own('handler', 5, [std('json', 2), own('thumbnails', 100)]), {
    facts: [facts('handler', [imp(2, 'json', 'module-level', 9), imp(4, 'thumbnails', 'functions', 9)])],
  });
const advise = (scaling?: MemoryScaling, initTargetMs = 10_000) => adviseProfile(session(), { max: 10, initTargetMs, scaling });
const defer = (scaling?: MemoryScaling) => advise(scaling).find((a) => a.kind === 'defer-import');

const dir = mkdtempSync(join(tmpdir(), 'lc-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An `invoke --memory --json` document with these sizes' init and first-call medians (ms). */
function sweepFile(sizes: Array<[mb: number, initMs: number, firstCallMs: number]>, fn = 'thumbs'): string {
  const doc = {
    schemaVersion: 1,
    kind: 'invoke-memory',
    function: fn,
    sizes: sizes.map(([mb, init, first]) => ({
      memorySizeMB: mb,
      coldSamples: 10,
      initDurationMs: { p50: init, p90: init * 1.1 },
      firstCallMs: { p50: first },
      coldTotalMs: { p50: init + first },
      warmDurationMs: null,
      billedMsPerColdStart: init + first,
      costPerColdStartUsd: 0.000001,
    })),
    initBoost: { initRatio: 1, firstCallRatio: 10 },
    recommendation: { memorySizeMB: 512, fastestMemorySizeMB: 1769, reason: '' },
  };
  const file = join(dir, `sweep-${sizes.length}-${sizes[0]?.[0]}-${sizes[0]?.[2]}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('defer-import at a memory size (the CPU-share estimate)', () => {
  it('recommends deferring at 1,769 MB, where the first request pays what init saves', () => {
    const a = defer(estimateScaling(1769));
    expect(a).toMatchObject({ savingMs: 100, initMs: 100, firstRequestMs: 100, recommended: true });
    expect(a?.scaling).toEqual({ memorySizeMB: 1769, factor: 1, source: 'estimate', method: 'cpu-share', fromSizesMB: [] });
    expect(a?.message).toContain('saves 100 ms of init');
    expect(a?.message).toContain('At 1,769 MB the first request pays about 100 ms for it (×1, an estimate');
  });

  it('does not recommend it at 128 MB: the first request would pay about 14 times what init saves', () => {
    const a = defer(estimateScaling(128));
    expect(a).toMatchObject({ kind: 'defer-import', line: 4, module: 'thumbnails', savingMs: 0, initMs: 100, recommended: false });
    // 1,769 / 128 = 13.82
    expect(a?.firstRequestMs).toBeCloseTo(1382, 0);
    expect(a?.message).toMatch(/keep it at init: at 128 MB the first request would pay about 1382 ms for it instead of its 100 ms at init/);
    expect(a?.message).toContain('an estimate');
    expect(a?.message).toContain('Defer it only if most requests never use it, or raise the memory to 1,769 MB.');
    expect(a?.message).not.toContain('saves');
  });

  it('scales by 1 from 1,769 MB up, and by more below it', () => {
    expect(defer(estimateScaling(10_240))).toMatchObject({ firstRequestMs: 100, recommended: true });
    expect(defer(estimateScaling(1024))).toMatchObject({ recommended: false });
    expect(defer(estimateScaling(1024))?.firstRequestMs).toBeCloseTo(172.8, 0);
  });

  it('without a memory size the advice is as before: no figures for the first request', () => {
    const a = defer();
    expect(a).toMatchObject({ savingMs: 100 });
    expect(a).not.toHaveProperty('firstRequestMs');
    expect(a).not.toHaveProperty('scaling');
  });

  it('a deferral it does not recommend saves nothing: init stays with it for provisioned concurrency', () => {
    const remaining = (s?: MemoryScaling) => adviseProfile(session(), { max: 10, initTargetMs: 1, scaling: s }).find((a) => a.kind === 'consider-provisioned-or-snapstart');
    expect(remaining(estimateScaling(1769))?.message).toMatch(/^Init stays at about 7 ms/);
    expect(remaining(estimateScaling(128))?.message).toMatch(/^Init stays at about 107 ms/);
  });

  it('leaves the other kinds of advice alone', () => {
    const others = (s?: MemoryScaling) => advise(s).filter((a) => a.kind !== 'defer-import');
    expect(others(estimateScaling(128))).toEqual(others());
  });
});

describe("which memory size the advice is for", () => {
  it("--memory (or --function-name's size) wins over the function's own (SAM's MemorySize, --remote's configuration)", () => {
    expect(scalingAt({ memorySizeMB: 1769, sweep: null }, 128)).toMatchObject({ memorySizeMB: 1769, source: 'estimate' });
    expect(scalingAt({ memorySizeMB: null, sweep: null }, 512)).toMatchObject({ memorySizeMB: 512, factor: 3.46 });
    expect(scalingAt(null, 256)).toMatchObject({ memorySizeMB: 256 });
    expect(scalingAt({ memorySizeMB: null, sweep: null })).toBeUndefined();
  });
});

describe('defer-import with a measured sweep (--memory-profile)', () => {
  // init flat (100 ms); the first call 12×, 4×, 1× its 1,769 MB ratio at 128, 512, 1,769 MB
  const measured = () => readMemoryProfile(sweepFile([[128, 100, 600], [512, 100, 200], [1769, 100, 50]]));

  it('replaces the estimate at a measured size, and says "measured"', () => {
    const a = defer(scalingAt({ memorySizeMB: 128, sweep: measured() }));
    expect(a?.scaling).toMatchObject({ memorySizeMB: 128, factor: 12, source: 'measured', method: 'exact', fromSizesMB: [128] });
    expect(a).toMatchObject({ firstRequestMs: 1200, recommended: false });
    expect(a?.message).toContain('measured by invoke --memory at 128 MB');
    expect(a?.message).not.toContain('estimate');
  });

  it('interpolates between two measured sizes (in 1/MB, as the CPU share goes), or takes the nearest, and says which', () => {
    const at256 = scalingAt({ memorySizeMB: 256, sweep: measured() });
    // 1/256 lies two thirds of the way from 1/128 to 1/512: 12 + (4 − 12) × 2/3
    expect(at256).toMatchObject({ factor: 6.67, method: 'interpolated', fromSizesMB: [128, 512] });
    expect(defer(at256)?.message).toContain('interpolated between 128 MB and 512 MB');
    const at3008 = scalingAt({ memorySizeMB: 3008, sweep: measured() });
    expect(at3008).toMatchObject({ factor: 1, method: 'nearest', fromSizesMB: [1769] });
    expect(defer(at3008)?.message).toContain('at the nearest size, 1,769 MB');
  });

  it('can recommend what the estimate would not: a first call that does not slow down with memory', () => {
    // the deferred work waits on I/O: the first call is as long at 512 MB as at 1,769 MB
    const io = readMemoryProfile(sweepFile([[512, 100, 50], [1769, 100, 50]]));
    expect(defer(estimateScaling(512))).toMatchObject({ recommended: false });
    expect(defer(scalingAt({ memorySizeMB: 512, sweep: io }))).toMatchObject({ recommended: true, firstRequestMs: 100, savingMs: 100 });
  });

  it('names the smallest measured size where the first request pays no more than init', () => {
    const s = readMemoryProfile(sweepFile([[128, 100, 600], [1024, 100, 52], [2048, 100, 50]]));
    expect(defer(scalingAt({ memorySizeMB: 128, sweep: s }))?.message).toMatch(/or raise the memory to 2,048 MB\.$/);
  });

  it('refuses a file that is not an invoke --memory document, or one with nothing to scale from', () => {
    const bad = join(dir, 'profile.json');
    writeFileSync(bad, JSON.stringify({ schemaVersion: 1, kind: 'profile', modules: [] }));
    expect(() => readMemoryProfile(bad)).toThrow(/is not an invoke --memory document/);
    writeFileSync(bad, 'not json');
    expect(() => readMemoryProfile(bad)).toThrow(/is not JSON/);
    expect(() => readMemoryProfile(join(dir, 'missing.json'))).toThrow(/does not exist/);
    expect(() => readMemoryProfile(sweepFile([[512, 100, 50]]))).toThrow(/fewer than two memory sizes/);
  });
});

describe('MemorySize in a SAM template', () => {
  it("reads the function's, else Globals', and a parameter's default", () => {
    const { functions } = readSamTemplate(join(fixtures, 'memory', 'template.yaml'));
    expect(functions.map((f) => [f.logicalId, f.memorySizeMB])).toEqual([
      ['SmallFunction', 128],
      ['LargeFunction', 1769],
      ['ApiFunction', 1024],
    ]);
  });

  it('is 128 MB, SAM\'s default, when neither says', () => {
    expect(readSamTemplate(join(fixtures, 'sam', 'template.yaml')).functions.map((f) => f.memorySizeMB)).toEqual([512, 512]);
    const file = join(dir, 'bare.yaml');
    writeFileSync(file, `Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: handler.h\n      CodeUri: ${join(fixtures, 'memory')}\n`);
    expect(readSamTemplate(file).functions[0]?.memorySizeMB).toBe(128);
  });
});
