// Spawn the real CLI (bin/lambda-cold.js → dist/) the way a user runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = join(repoRoot, 'python-fixtures');
export const importtimeFixtures = join(repoRoot, 'test', 'fixtures', 'importtime');
export const cliPath = join(repoRoot, 'bin', 'lambda-cold.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** One private cache folder per test file: the bytecode and interpreter caches stay out of the user's. */
export function testCacheDir(): string {
  return mkdtempSync(join(tmpdir(), 'lambda-cold-test-cache-'));
}

export interface CliOptions {
  cwd?: string;
  /** Added to this process's environment (NO_COLOR=1 included); with `replaceEnv`, the whole environment. */
  env?: NodeJS.ProcessEnv;
  replaceEnv?: boolean;
  /** Killed (SIGKILL) after this long; the test then sees the signal. */
  timeoutMs?: number;
}

export interface RunningCli {
  child: ChildProcess;
  done: Promise<CliResult>;
  stdoutSoFar(): string;
  stderrSoFar(): string;
  /** Resolves when stderr matches: the child has said it reached that point (no fixed sleeps). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Start the CLI and keep a handle on it (for signals); `runCli` when only the result matters. */
export function startCli(args: string[], opts: CliOptions = {}): RunningCli {
  const env = opts.replaceEnv ? { ...opts.env } : { ...process.env, NO_COLOR: '1', ...opts.env };
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: opts.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
    for (const l of listeners) l();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const l of listeners) l();
      resolve({ code, signal, stdout, stderr });
    });
  });
  const waitForStderr = (pattern: RegExp, timeoutMs = 60_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (pattern.test(stderr)) {
          finish();
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          finish();
          reject(new Error(`the CLI exited before stderr matched ${pattern}; stderr:\n${stderr}`));
        }
      };
      const t = setTimeout(() => {
        finish();
        reject(new Error(`stderr did not match ${pattern} within ${timeoutMs} ms; stderr:\n${stderr}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(t);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return { child, done, stdoutSoFar: () => stdout, stderrSoFar: () => stderr, waitForStderr };
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** A Node stack trace line, which a user error must never show. */
export const NODE_STACK = /^\s+at .+\(?(node:|file:|\/).+:\d+:\d+\)?$/m;
