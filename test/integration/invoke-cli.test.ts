// The real CLI (bin/lambda-cold.js → dist/) against the emulator: signals, endpoints from the environment,
// credentials and region errors, a clean --json stdout, and no AWS SDK for commands that do not need it.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_STACK, runCli as run, startCli as start, type CliOptions } from '../support/cli.js';
import { cliEnv, ensureBuilt, FIXTURES, ROOT, tempDir } from '../support/harness.js';

/** The CLI with exactly this environment (fake credentials, a private home). */
const isolated = (env: NodeJS.ProcessEnv): CliOptions => ({ env, replaceEnv: true, cwd: ROOT });
const startCli = (args: string[], env: NodeJS.ProcessEnv) => start(args, isolated(env));
const runCli = (args: string[], env: NodeJS.ProcessEnv) => run(args, isolated(env));
import { findPython, LambdaEmulator } from '../support/lambda-emulator.js';

let em: LambdaEmulator;
let home: string;
const ORIGINAL = { API_URL: 'https://api.example.com', DB_PASSWORD: 'do-not-print-me' };

beforeAll(async () => {
  ensureBuilt();
  home = tempDir('lc-cli-');
  em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 200, updateDelayMs: 150 });
  await em.start();
  em.addFunction({ name: 'api', codeDir: FIXTURES, handler: 'hello.handler', environment: ORIGINAL });
});

afterAll(async () => {
  await em?.stop();
  rmSync(home, { recursive: true, force: true });
});

const recoveryDir = (): string => join(home, 'lambda-cold', 'recovery');
const recoveryFiles = (): string[] => (existsSync(recoveryDir()) ? readdirSync(recoveryDir()) : []);

async function waitFor(pred: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('invoke --cold and signals', () => {
  it('restores the environment exactly on SIGINT mid-run and removes the recovery file', async () => {
    const before = em.configuration('api');
    const run = startCli(
      ['invoke', 'api', '--cold', '--count', '10', '--payload', '{"sleepMs": 300}', '--endpoint-url', em.url],
      cliEnv(home),
    );
    await waitFor(() => /update 2:/.test(run.stderrSoFar()), 'the second configuration update');
    expect(recoveryFiles()).toEqual(['us-east-1--api.json']);
    // The recovery file holds the original (0600, never printed).
    const saved = JSON.parse(readFileSync(join(recoveryDir(), 'us-east-1--api.json'), 'utf8')) as { originalVariables: unknown };
    expect(saved.originalVariables).toEqual(ORIGINAL);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/SIGINT: stopping; restoring api's environment/);
    expect(r.stderr).toMatch(/restored api's original environment/);
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.stderr + r.stdout).not.toContain('do-not-print-me');
    expect(em.configuration('api').Environment).toEqual(before.Environment);
    expect(recoveryFiles()).toEqual([]);
  });

  it('a second SIGINT leaves at once; the recovery file then lets `restore` put everything back', async () => {
    const before = em.configuration('api');
    const invokes = em.stats.invokes;
    const run = startCli(['invoke', 'api', '--cold', '--count', '10', '--payload', '{"sleepMs": 300}', '--endpoint-url', em.url], cliEnv(home));
    await waitFor(() => em.stats.invokes > invokes, 'the first invocation');
    run.child.kill('SIGINT');
    await waitFor(() => /restoring/.test(run.stderrSoFar()), 'the restore to start');
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/run `lambda-cold restore api`/);
    expect(recoveryFiles()).toEqual(['us-east-1--api.json']);
    // Whether the interrupted restore's update landed before the exit is a race; either way `restore` finishes it.
    const restore = await runCli(['restore', 'api', '--endpoint-url', em.url], cliEnv(home));
    expect(restore.code).toBe(0);
    expect(restore.stderr).toMatch(/restored api's environment|api's environment is already the original/);
    expect(em.configuration('api').Environment).toEqual(before.Environment);
    expect(recoveryFiles()).toEqual([]);
  });
});

describe('the CLI as a user runs it', () => {
  it('stops a plain run on SIGINT with exit 130 and the invocations that completed', async () => {
    const invokes = em.stats.invokes;
    const run = startCli(['invoke', 'api', '--count', '50', '--payload', '{"sleepMs": 100}', '--json', '--endpoint-url', em.url], cliEnv(home));
    await waitFor(() => em.stats.invokes >= invokes + 2, 'two invocations');
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/SIGINT: stopping\./);
    const doc = JSON.parse(r.stdout) as { interrupted: boolean; invocations: unknown[]; completed: { invocations: number; requested: number } };
    expect(doc.interrupted).toBe(true);
    expect(doc.invocations.length).toBeGreaterThan(0);
    expect(doc.invocations.length).toBeLessThan(50);
    expect(doc.completed).toEqual({ invocations: doc.invocations.length, requested: 50 });
    // The table says it in words.
    const invokes2 = em.stats.invokes;
    const table = startCli(['invoke', 'api', '--count', '50', '--payload', '{"sleepMs": 100}', '--endpoint-url', em.url], cliEnv(home));
    await waitFor(() => em.stats.invokes >= invokes2 + 2, 'two invocations');
    table.child.kill('SIGINT');
    const t = await table.done;
    expect(t.code).toBe(130);
    expect(t.stdout).toMatch(/interrupted after \d+ of 50 invocations/);
  });

  it('prints one clean JSON document with no SDK warning, endpoints taken from AWS_ENDPOINT_URL_* variables', async () => {
    const r = await runCli(
      ['invoke', 'api', '--count', '2', '--json', '--environments'],
      cliEnv(home, { AWS_ENDPOINT_URL_LAMBDA: em.url, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: em.url, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }),
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { kind: string; invocations: { logStream: string | null }[] };
    expect(doc.kind).toBe('invoke');
    expect(doc.invocations.every((i) => i.logStream !== null)).toBe(true);
    expect(r.stderr).not.toMatch(/Warning|NodeVersionSupport/);
  });

  it('honours AWS_ENDPOINT_URL for both services and prints the table', async () => {
    const r = await runCli(['invoke', 'api', '--count', '2'], cliEnv(home, { AWS_ENDPOINT_URL: em.url }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cold starts\s+\d of 2 \(\d+ %\)/);
    expect(r.stderr).not.toMatch(/Warning/);
  });

  it('says so when there are no credentials, or no region, without a stack trace or a value', async () => {
    const noCreds = await runCli(
      ['invoke', 'api', '--endpoint-url', em.url],
      cliEnv(home, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }),
    );
    expect(noCreds.code).toBe(2);
    expect(noCreds.stderr).toMatch(/^lambda-cold: No AWS credentials were found/);
    expect(noCreds.stderr).not.toMatch(NODE_STACK);
    const noProfile = await runCli(
      ['invoke', 'api', '--profile', 'nope', '--endpoint-url', em.url],
      cliEnv(home, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }),
    );
    expect(noProfile.code).toBe(2);
    expect(noProfile.stderr).toMatch(/^lambda-cold: No usable credentials for the profile nope/);
    const noRegion = await runCli(['invoke', 'api', '--endpoint-url', em.url], cliEnv(home, { AWS_REGION: undefined }));
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toBe('lambda-cold: No AWS region is set: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or set a region in the profile.\n');
    expect(noRegion.stderr).not.toContain('lambda-cold-test-secret-value');
  });

  it('exits 2 with one sentence for an unknown function and for --cold on an alias', async () => {
    const unknown = await runCli(['invoke', 'nope', '--endpoint-url', em.url, '--region', 'eu-west-1'], cliEnv(home));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('lambda-cold: Function nope was not found in eu-west-1: check the name, the qualifier and the region.\n');
    const alias = await runCli(['invoke', 'api:live', '--cold', '--endpoint-url', em.url], cliEnv(home));
    expect(alias.code).toBe(2);
    expect(alias.stderr).toMatch(/only affects \$LATEST/);
  });

  it('never loads the AWS SDK for --help or profile --help, and does for invoke', async () => {
    const trace = join(home, 'module-trace.log');
    const env = (): NodeJS.ProcessEnv => ({
      ...cliEnv(home),
      TRACE_MODULES_FILE: trace,
      NODE_OPTIONS: `--import=${join(ROOT, 'test', 'support', 'trace-aws-sdk.mjs')}`,
    });
    // Bundled or not, the SDK's Lambda client code defines this command class.
    const loadsSdk = (): boolean =>
      [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))].some((u) =>
        readFileSync(fileURLToPath(u), 'utf8').includes('GetFunctionConfigurationCommand'),
      );
    for (const args of [['--help'], ['invoke', '--help'], ['profile', '--help']]) {
      rmSync(trace, { force: true });
      const r = await runCli(args, env());
      expect(r.code).toBe(0);
      expect(loadsSdk()).toBe(false);
    }
    rmSync(trace, { force: true });
    const r = await runCli(['invoke', 'api', '--count', '1', '--no-logs', '--endpoint-url', em.url], env());
    expect(r.code).toBe(0);
    expect(loadsSdk()).toBe(true);
  });
});
