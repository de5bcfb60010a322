// `profile` with the function's memory size, through the real CLI: python-fixtures/memory/, whose handler
// imports a module that costs ≈100 ms (a sleep) and reads it only inside the handler. At 128 MB the
// defer-import advice keeps it at init (the first request would pay ≈14 times as much, by the CPU-share
// estimate); at 1,769 MB it recommends deferring. The size comes from --memory, a SAM template's
// MemorySize, or GetFunctionConfiguration for --function-name (the local Lambda emulator,
// test/support/lambda-emulator.ts, stands in for Lambda's control plane); bad values are exit 2.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, NODE_STACK, runCli, type CliOptions } from '../support/cli.js';
import { cliEnv, ensureBuilt, ROOT, tempDir } from '../support/harness.js';
import { findPython, LambdaEmulator } from '../support/lambda-emulator.js';

const DIR = join(fixtures, 'memory');
const HANDLER = join(DIR, 'handler.py');
let em: LambdaEmulator;
let home: string;
let python: string;
const env = (): CliOptions => ({ env: { ...cliEnv(home), LAMBDA_COLD_PYTHON: python }, replaceEnv: true, cwd: ROOT, timeoutMs: 120_000 });

interface Advice {
  kind: string;
  module: string;
  savingMs: number;
  message: string;
  initMs?: number;
  firstRequestMs?: number;
  recommended?: boolean;
  scaling?: { memorySizeMB: number; factor: number; source: string; method: string };
}

beforeAll(async () => {
  ensureBuilt();
  home = tempDir('lc-memory-');
  python = await findPython();
  em = new LambdaEmulator({ python });
  await em.start();
  em.addFunction({ name: 'thumbs', codeDir: DIR, handler: 'handler.lambda_handler', memorySize: 512 });
});

afterAll(async () => {
  await em?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function deferAdvice(args: string[]): Promise<{ advice: Advice; stderr: string }> {
  const r = await runCli(['profile', HANDLER, '--runs', '1', '--json', ...args], env());
  expect(r.code, r.stderr).toBe(0);
  const advice = (JSON.parse(r.stdout) as { advice: Advice[] }).advice.find((a) => a.kind === 'defer-import' && a.module === 'thumbnails');
  expect(advice, r.stdout).toBeDefined();
  return { advice: advice as Advice, stderr: r.stderr };
}

describe('profile --memory', () => {
  it('keeps a 100 ms import at init at 128 MB, and recommends deferring it at 1,769 MB', async () => {
    const small = (await deferAdvice(['--memory', '128'])).advice;
    expect(small).toMatchObject({ savingMs: 0, recommended: false, scaling: { memorySizeMB: 128, source: 'estimate' } });
    // the first request pays the init cost times 1,769 / 128
    expect((small.firstRequestMs as number) / (small.initMs as number)).toBeCloseTo(1769 / 128, 1);
    expect(small.initMs).toBeGreaterThan(50);
    expect(small.message).toContain('keep it at init');

    const large = (await deferAdvice(['--memory', '1769'])).advice;
    expect(large).toMatchObject({ recommended: true, scaling: { memorySizeMB: 1769, factor: 1, source: 'estimate' } });
    expect(large.savingMs).toBe(large.initMs);
    expect(large.firstRequestMs).toBe(large.initMs);
  });

  it('says the same in the terminal report', async () => {
    const r = await runCli(['profile', HANDLER, '--runs', '1', '--memory', '128'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/handler\.py:5 {2}keep at init \(deferred: [\d.]+ ms in the first request\) {2}\[defer-import\]/);
    expect(r.stdout).toMatch(/Defer it only if most requests never use it, or raise the memory to 1,769 MB\./);
  });

  it("--sam takes each function's MemorySize (its own, Globals', a parameter's default)", async () => {
    const r = await runCli(['profile', '--sam', join(DIR, 'template.yaml'), '--runs', '1', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { functions: Array<{ logicalId: string; profile: { advice: Advice[] } }> };
    const of = (id: string) => doc.functions.find((f) => f.logicalId === id)?.profile.advice.find((a) => a.kind === 'defer-import');
    expect(of('SmallFunction')).toMatchObject({ recommended: false, scaling: { memorySizeMB: 128 } });
    expect(of('LargeFunction')).toMatchObject({ recommended: true, scaling: { memorySizeMB: 1769 } });
    expect(of('ApiFunction')).toMatchObject({ recommended: false, scaling: { memorySizeMB: 1024 } });
  });

  it("--function-name reads the function's MemorySize; --memory wins; --memory-profile replaces the estimate", async () => {
    const configured = (await deferAdvice(['--function-name', 'thumbs', '--endpoint-url', em.url])).advice;
    expect(configured).toMatchObject({ recommended: false, scaling: { memorySizeMB: 512, source: 'estimate' } });

    // a sweep of another function whose first call barely slows down below 1,769 MB: measured, and a warning
    const sweep = join(home, 'sweep.json');
    const size = (mb: number, first: number) => ({ memorySizeMB: mb, coldSamples: 10, initDurationMs: { p50: 100, p90: 110 }, firstCallMs: { p50: first }, coldTotalMs: { p50: 100 + first }, warmDurationMs: null, billedMsPerColdStart: 100 + first, costPerColdStartUsd: 0 });
    writeFileSync(sweep, JSON.stringify({ schemaVersion: 1, kind: 'invoke-memory', function: 'thumbs-v2', sizes: [size(512, 20), size(1769, 20)], initBoost: { initRatio: 1, firstCallRatio: 1 }, recommendation: { memorySizeMB: 512, fastestMemorySizeMB: 512, reason: '' } }));
    const { advice, stderr } = await deferAdvice(['--function-name', 'thumbs', '--endpoint-url', em.url, '--memory', '1024', '--memory-profile', sweep]);
    expect(advice).toMatchObject({ recommended: true, scaling: { memorySizeMB: 1024, source: 'measured', method: 'interpolated', factor: 1 } });
    expect(advice.message).toContain('measured by invoke --memory');
    expect(stderr).toContain(`${sweep} measured thumbs-v2, not thumbs`);
  });

  it('refuses bad values in one sentence, exit 2, before measuring anything', async () => {
    const notSweep = join(home, 'not-a-sweep.json');
    writeFileSync(notSweep, JSON.stringify({ schemaVersion: 1, kind: 'profile', modules: [] }));
    const cases: Array<[string[], RegExp]> = [
      [['--memory', '64'], /^lambda-cold: Invalid value for --memory: must be at least 128 \(got "64"\)\.$/],
      [['--memory', '10241'], /^lambda-cold: Invalid value for --memory: must be at most 10240 \(got "10241"\)\.$/],
      [['--memory', '1.5'], /^lambda-cold: Invalid value for --memory: expected a whole number from 128 to 10240 \(got "1\.5"\)\.$/],
      [['--memory', '512', '--memory-profile', notSweep], /is not an invoke --memory document/],
      [['--memory-profile', notSweep], /^lambda-cold: --memory-profile needs the memory size the advice is for/],
      [['--function-name', 'nope', '--endpoint-url', ''], /--endpoint-url/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['profile', HANDLER, ...args], env());
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(NODE_STACK);
      expect(r.stdout).toBe('');
    }
    const missing = await runCli(['profile', HANDLER, '--function-name', 'nope', '--endpoint-url', em.url], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope/);
    expect(missing.stderr).not.toMatch(NODE_STACK);
  });
});
