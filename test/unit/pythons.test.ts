// `profile --python A --python B …` without Python: the interleaving of several interpreters, and their
// comparison with the gate's statistics, on synthetic -X importtime runs through the same parsing, session
// and rendering code as a real profile (a scripted executor stands for the interpreters).
import { describe, expect, it } from 'vitest';
import { comparePythons, type PythonsComparison } from '../../src/analysis/pythons.js';
import { sessionFromRuns } from '../../src/importtime/session.js';
import { lambdaRuntimeOf } from '../../src/python/lambda-runtimes.js';
import { ignoredFromConfig, measurePythons, refusedWithPythons, samplesOf } from '../../src/profile/pythons.js';
import type { ProfileOptions } from '../../src/profile/options.js';
import type { PythonsInput } from '../../src/render/pythons-input.js';
import { render } from '../../src/render/registry.js';
import { StringSink } from '../../src/render/sink.js';
import { MockExecutor, type MockRun } from '../support/mock-executor.js';
import { harnessRun, JITTER, RUN_CONTEXT, type RunShape } from '../support/sessions.js';

const thresholds = { alpha: 0.01, minDeltaMs: 5, maxRegressionPct: 10 };

const tag = (r: MockRun): string => `${'ABC'[r.variant]}${r.warmup ? 'w' : ''}${r.last ? '*' : ''}`;

/** Measure the interpreters the script stands for, then compare them as `profile` does. */
async function compare(variants: number, shape: (r: MockRun) => RunShape, runs = 12, t = thresholds): Promise<PythonsComparison> {
  const results = await measurePythons(new MockExecutor(variants, (r) => harnessRun(r, shape(r)), Array(variants).fill(true)), { runs, warmup: 'auto' });
  const samples = results.map((outcomes) => {
    const measured = outcomes.filter((x) => !x.warmup);
    return samplesOf(measured, sessionFromRuns(measured, RUN_CONTEXT));
  });
  return comparePythons(samples, t);
}

const noisy = (r: MockRun, us: number): number => us + (JITTER[(r.n + r.variant * 3) % JITTER.length] as number);

describe('several interpreters: the order of the runs', () => {
  it('two interleave A B B A …, warming up only the one whose cache is cold; each one gets its own runs', async () => {
    const ex = new MockExecutor(2, (r) => harnessRun(r, { configUs: 20_000 }), [true, false]);
    const [a = [], b = []] = await measurePythons(ex, { runs: 4, warmup: 'auto' });
    expect(ex.log.map(tag)).toEqual(['Bw', 'A', 'B', 'B', 'A', 'A', 'B', 'B*', 'A*']);
    expect(a.length).toBe(4);
    expect(b.filter((x) => !x.warmup).length).toBe(4);
    // after a clean batch both caches are warm
    expect(ex.marked.map((m) => m.variant).sort()).toEqual([0, 1]);
  });

  it('three rotate A B C, C B A, … so that none always runs first or last', async () => {
    const ex = new MockExecutor(3, (r) => harnessRun(r, { configUs: 20_000 }));
    await measurePythons(ex, { runs: 4, warmup: 1 });
    expect(ex.log.map(tag)).toEqual(['Aw', 'Bw', 'Cw', 'A', 'B', 'C', 'C', 'B', 'A', 'A', 'B', 'C', 'C*', 'B*', 'A*']);
  });
});

describe('several interpreters: the comparison', () => {
  it('an interpreter 30 ms slower in one package is slower, in the init and in that package only', async () => {
    const c = await compare(2, (r) => ({ configUs: noisy(r, r.variant === 1 ? 50_000 : 20_000) }));
    expect(c.init[0]?.vsBaseline).toBeNull();
    expect(c.init[1]?.vsBaseline?.verdict).toBe('slower');
    expect(c.init[1]?.vsBaseline?.p).toBeLessThan(0.01);
    const app = c.packages.find((p) => p.name === 'app');
    expect(app?.vsBaseline[1]?.verdict).toBe('slower');
    expect(c.packages.find((p) => p.name === 'csv')?.vsBaseline[1]?.verdict).toBe('within-noise');
    // the other way round: faster
    const faster = await compare(2, (r) => ({ configUs: noisy(r, r.variant === 1 ? 20_000 : 50_000) }));
    expect(faster.init[1]?.vsBaseline?.verdict).toBe('faster');
  });

  it('the same code on both is no difference (within noise)', async () => {
    const c = await compare(3, (r) => ({ configUs: noisy(r, 20_000) }));
    for (const k of [1, 2]) expect(c.init[k]?.vsBaseline?.verdict).toBe('within-noise');
    for (const p of c.packages) expect(p.vsBaseline.slice(1).every((d) => d?.verdict === 'within-noise')).toBe(true);
  });

  it('a steady difference below the thresholds is within noise, however significant; lower thresholds make it count', async () => {
    const shape = (r: MockRun): RunShape => ({ configUs: noisy(r, r.variant === 1 ? 23_000 : 20_000) });
    const c = await compare(2, shape);
    const d = c.init[1]?.vsBaseline;
    expect(d?.significant).toBe(true);
    expect(d?.largeEnough).toBe(false);
    expect(d?.verdict).toBe('within-noise');
    const strict = await compare(2, shape, 12, { alpha: 0.01, minDeltaMs: 1, maxRegressionPct: 1 });
    expect(strict.init[1]?.vsBaseline?.verdict).toBe('slower');
  });

  it('a package only one interpreter imports is named, never given a difference; its modules differ', async () => {
    const c = await compare(2, (r) => ({ configUs: noisy(r, 20_000), pandas: r.variant === 1 }));
    const pandas = c.packages.find((p) => p.name === 'pandas');
    expect(pandas?.medianUs[0]).toBeNull();
    expect(pandas?.medianUs[1]).toBeGreaterThan(0);
    expect(pandas?.vsBaseline).toEqual([null, null]);
    expect(c.packagesOnly).toEqual([{ interpreter: 1, names: ['pandas'] }]);
    expect(c.modules).toEqual([{ interpreter: 1, only: ['pandas', 'pandas.core'], missing: [] }]);
  });
});

describe('several interpreters: the document', () => {
  async function input(): Promise<PythonsInput> {
    const comparison = await compare(2, (r) => ({ configUs: noisy(r, r.variant === 1 ? 50_000 : 20_000), pandas: r.variant === 1 }));
    const interpreter = (version: string, minor: number) => ({
      version,
      implementation: 'cpython',
      executable: `/py/${version}/bin/python`,
      requested: `python3.${minor}`,
      viaShim: false,
      runtime: lambdaRuntimeOf(3, minor),
      bytecodeCache: `/cache/pycache/${minor}-cached`,
      warmup: 0,
    });
    return {
      target: { display: 'handler.py', module: 'handler', root: '/task', layers: [] },
      bytecode: 'cached',
      runs: 12,
      interpreters: [interpreter('3.8.18', 8), interpreter('3.12.1', 12)],
      comparison,
      origins: { app: 'task-root', pandas: 'site-packages', csv: 'stdlib', handler: 'task-root' },
      warnings: [],
      top: 15,
      toolVersion: '0.0.0-test',
    };
  }

  it('JSON: the kind, each interpreter with its runtime, cache and init, the packages with their differences', async () => {
    const sink = new StringSink();
    await render('profile-pythons', 'json', await input(), sink);
    const doc = JSON.parse(sink.toString()) as Record<string, any>;
    expect(doc.schemaVersion).toBe(1);
    expect(doc.kind).toBe('profile-pythons');
    expect(doc.interpreters.map((i: any) => [i.runtime.id, i.runtime.status, i.baseline])).toEqual([
      ['python3.8', 'deprecated', true],
      ['python3.12', 'supported', false],
    ]);
    expect(doc.interpreters[1].vsBaseline.verdict).toBe('slower');
    expect(Object.keys(doc.interpreters[0].init)).toEqual(['n', 'medianUs', 'p90Us', 'minUs', 'maxUs', 'madUs']);
    const app = doc.packages.find((p: any) => p.name === 'app');
    expect(app.perInterpreter.map((x: any) => x.vsBaseline?.verdict ?? null)).toEqual([null, 'slower']);
    expect(doc.packagesOnly).toEqual([{ interpreter: 1, version: '3.12.1', names: ['pandas'] }]);
    expect(doc.note).toMatch(/stand in for the Lambda runtimes of the same minor version: Python 3\.8\.18 → python3\.8 \(deprecated/);
  });

  it('text: the verdicts in words, what differs, and which runtime each stands in for', async () => {
    const sink = new StringSink();
    await render('profile-pythons', 'text', await input(), sink);
    const text = sink.toString();
    expect(text).toMatch(/Python 3\.12\.1: \+\d+\.\d ms \(\+\d+\.\d %\) slower than Python 3\.8\.18 \(p < 0\.001\)/);
    expect(text).toContain('within noise');
    expect(text).toContain('Only Python 3.12.1 imports 1 package: pandas.');
    expect(text).toContain('Python 3.12.1 → python3.12');
  });
});

describe('several interpreters: the options', () => {
  it('refuses a flag that measures or checks one interpreter, in one sentence; lets the others through', () => {
    expect(refusedWithPythons(new Set(['against']), { against: 'main' })).toBe('--against compares two revisions on one interpreter: run it with one --python, not several.');
    expect(refusedWithPythons(new Set(['bytecode']), { bytecode: 'both' })).toMatch(/^--bytecode both .*several --python\.$/);
    expect(refusedWithPythons(new Set(['runs', 'layer', 'bytecode']), { runs: '5', layer: [], bytecode: 'compile' })).toBeNull();
    // a flag's default value (commander gives [] for a repeatable flag) is no use of it
    expect(refusedWithPythons(new Set(['forbid']), { forbid: [] })).toBeNull();
  });

  it("leaves out the configuration file's gate settings, naming them", () => {
    const o = { forbid: ['pandas'], budget: 300, budgetPackage: [], baseline: undefined } as unknown as ProfileOptions;
    expect(ignoredFromConfig(o, new Set())).toEqual(['forbid', 'budget']);
    expect(ignoredFromConfig(o, new Set(['forbid']))).toEqual(['budget']);
  });

  it('maps a version to its Lambda runtime, deprecated or missing', () => {
    expect(lambdaRuntimeOf(3, 13)).toEqual({ id: 'python3.13', status: 'supported', deprecatedOn: null });
    expect(lambdaRuntimeOf(3, 7).status).toBe('deprecated');
    expect(lambdaRuntimeOf(3, 15).status).toBe('none');
  });
});

describe('several interpreters: too few runs', () => {
  it('says when the numbers of runs cannot show any difference, however large', async () => {
    const few = await compare(2, (r) => ({ configUs: noisy(r, r.variant === 1 ? 80_000 : 20_000) }), 3);
    expect(few.canDetect).toBe(false);
    expect(few.init[1]?.vsBaseline?.verdict).toBe('within-noise');
    expect((await compare(2, (r) => ({ configUs: noisy(r, 20_000) }), 12)).canDetect).toBe(true);
  });
});
