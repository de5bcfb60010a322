// `profile --remote <function>` through the real CLI (bin/lambda-cold.js → dist/) against the local Lambda
// emulator, which runs the handler in real Python: the profile measured inside Lambda alone, beside a local
// profile of the same handler, and Ctrl-C in the middle of a measurement (the environment is put back).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type CliOptions } from '../support/cli.js';
import { cliEnv, ensureBuilt, FIXTURES, ROOT, tempDir } from '../support/harness.js';
import { findPython, LambdaEmulator } from '../support/lambda-emulator.js';

let em: LambdaEmulator;
let home: string;
let python: string;
const ORIGINAL = { STAGE: 'prod' };
const isolated = (): CliOptions => ({ env: { ...cliEnv(home), LAMBDA_COLD_PYTHON: python }, replaceEnv: true, cwd: ROOT, timeoutMs: 120_000 });

beforeAll(async () => {
  ensureBuilt();
  home = tempDir('lc-remote-');
  python = await findPython();
  em = new LambdaEmulator({ python, ingestionLagMs: 200, updateDelayMs: 100 });
  await em.start();
  em.addFunction({ name: 'imports', codeDir: FIXTURES, handler: 'imports_handler.handler', environment: ORIGINAL, initLogChunkChars: 53 });
});

afterAll(async () => {
  await em?.stop();
  rmSync(home, { recursive: true, force: true });
});

interface Doc {
  kind: string;
  source: string;
  function: string;
  logStreams: string[];
  summary: { runs: number };
  comparison: { local: { display: string; importUs: number }; packages: { name: string; localUs: number | null; lambdaUs: number | null; ratio: number | null }[] } | null;
}

describe('profile --remote', () => {
  it("prints the profile measured inside Lambda as profile's JSON document", async () => {
    const r = await runCli(['profile', '--remote', 'imports', '--remote-count', '2', '--endpoint-url', em.url, '--json'], isolated());
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc).toMatchObject({ kind: 'profile', source: 'remote', function: 'imports', comparison: null });
    expect(doc.summary.runs).toBe(2);
    expect(doc.logStreams).toHaveLength(2);
    expect(em.configuration('imports').Environment).toEqual({ Variables: ORIGINAL });
  });

  it('shows a local target beside it: local ms, Lambda ms and their ratio per top-level package', async () => {
    const r = await runCli(
      ['profile', join(FIXTURES, 'imports_handler.py'), '--runs', '2', '--remote', 'imports', '--remote-count', '1', '--endpoint-url', em.url, '--json'],
      isolated(),
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.source).toBe('remote');
    const lcpkg = doc.comparison?.packages.find((p) => p.name === 'lcpkg');
    expect(lcpkg?.localUs).toBeGreaterThan(0);
    expect(lcpkg?.lambdaUs).toBeGreaterThan(0);
    expect(lcpkg?.ratio).toBeCloseTo((lcpkg?.lambdaUs ?? 0) / (lcpkg?.localUs ?? 1), 6);
    // json is the runtime bootstrap's import in Lambda, not charged to the handler locally
    const json = doc.comparison?.packages.find((p) => p.name === 'json');
    expect(json?.lambdaUs).toBeGreaterThan(0);
    expect(json?.ratio ?? null).toBeNull();

    const text = await runCli(
      ['profile', join(FIXTURES, 'imports_handler.py'), '--runs', '1', '--remote', 'imports', '--remote-count', '1', '--endpoint-url', em.url],
      isolated(),
    );
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Local \(.*imports_handler\.py\) and Lambda, per top-level package/);
    expect(text.stdout).toMatch(/lcpkg\s+[\d.]+\s+[\d.]+\s+×[\d.]+/);
  });

  it('refuses the CI gate with --remote in one sentence', async () => {
    const r = await runCli(['profile', '--remote', 'imports', '--budget', '100', '--endpoint-url', em.url], isolated());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lambda-cold: The CI gate and its comparisons check local runs/);
  });

  it('puts the environment back on Ctrl-C during invoke --importtime', async () => {
    const run = startCli(['invoke', 'imports', '--importtime', '--count', '30', '--endpoint-url', em.url], isolated());
    await run.waitForStderr(/update 2:/, 60_000);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(em.configuration('imports').Environment).toEqual({ Variables: ORIGINAL });
    const dir = join(home, 'lambda-cold', 'recovery');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});
