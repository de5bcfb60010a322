// Ctrl-C during a profile: the running interpreter is stopped, temporary files are removed, exit 130.
// The handler under test writes a file once Python is importing it: the signal is sent then, never after a
// fixed sleep.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, testCacheDir } from '../support/cli.js';
import { zipFolder } from '../support/zip.js';

/** A handler that says it started (it creates $LC_TEST_READY), then hangs at import. */
const HANG = 'import os, time\nopen(os.environ["LC_TEST_READY"], "w").close()\nwhile True:\n    time.sleep(0.05)\n';

/** Resolves once `file` exists (the child created it). */
function created(file: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const dir = join(file, '..');
    const done = (err?: Error): void => {
      clearTimeout(timer);
      watcher.close();
      if (err) reject(err);
      else resolve();
    };
    const watcher = watch(dir, () => existsSync(file) && done());
    const timer = setTimeout(() => done(new Error(`${file} was not created within ${timeoutMs} ms`)), timeoutMs);
    if (existsSync(file)) done();
  });
}

/** Run the CLI with TMPDIR = `tmp`, interrupt it once the handler has started, return its exit and stderr. */
async function interruptWhenStarted(args: string[], tmp: string, cache: string): Promise<{ code: number | null; stderr: string }> {
  const signals = mkdtempSync(join(tmpdir(), 'lc-ready-'));
  const ready = join(signals, 'ready');
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { ...process.env, TMPDIR: tmp, LAMBDA_COLD_CACHE_DIR: cache, NO_COLOR: '1', LC_TEST_READY: ready },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  try {
    await Promise.race([created(ready), exited.then(() => Promise.reject(new Error(`the CLI exited before the handler started:\n${stderr}`)))]);
  } finally {
    rmSync(signals, { recursive: true, force: true });
  }
  child.kill('SIGINT');
  return { code: await exited, stderr };
}

/** Interpreters still running the harness from a folder under `tmp`. */
function harnessesUnder(tmp: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes('harness.py') && l.includes(tmp));
}

describe('package --handler interrupted', () => {
  it('SIGINT removes the private extraction folder too', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lc-sigint-pkg-'));
    const cache = testCacheDir();
    const src = mkdtempSync(join(tmpdir(), 'lc-sigint-src-'));
    writeFileSync(join(src, 'hang.py'), HANG);
    const zip = join(cache, 'function.zip');
    await zipFolder(src, zip);
    const { code, stderr } = await interruptWhenStarted(['package', zip, '--handler', 'hang.lambda_handler'], tmp, cache);
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted (SIGINT)');
    expect(readdirSync(tmp)).toEqual([]);
    expect(harnessesUnder(tmp)).toEqual([]);
    for (const d of [tmp, cache, src]) rmSync(d, { recursive: true, force: true });
  });
});

describe('profile interrupted', () => {
  it('SIGINT stops the Python run, cleans up and exits 130', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lc-sigint-'));
    const cache = testCacheDir();
    const src = mkdtempSync(join(tmpdir(), 'lc-sigint-src-'));
    writeFileSync(join(src, 'hang.py'), HANG);
    const { code, stderr } = await interruptWhenStarted(['profile', join(src, 'hang.py'), '--timeout', '60', '--runs', '1'], tmp, cache);
    expect(code).toBe(130);
    expect(stderr).toContain('lambda-cold: interrupted (SIGINT); no profile was written.');
    expect(readdirSync(tmp)).toEqual([]);
    // no interpreter left running the hanging handler
    expect(harnessesUnder(tmp)).toEqual([]);
    for (const d of [tmp, cache, src]) rmSync(d, { recursive: true, force: true });
  });

  it('SIGTERM does the same and exits 143', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lc-sigterm-'));
    const cache = testCacheDir();
    const src = mkdtempSync(join(tmpdir(), 'lc-sigterm-src-'));
    writeFileSync(join(src, 'hang.py'), HANG);
    const signals = mkdtempSync(join(tmpdir(), 'lc-ready-'));
    const ready = join(signals, 'ready');
    const child = spawn(process.execPath, [cliPath, 'profile', join(src, 'hang.py'), '--timeout', '60', '--runs', '1'], {
      env: { ...process.env, TMPDIR: tmp, LAMBDA_COLD_CACHE_DIR: cache, NO_COLOR: '1', LC_TEST_READY: ready },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    await created(ready);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(readdirSync(tmp)).toEqual([]);
    expect(harnessesUnder(tmp)).toEqual([]);
    for (const d of [tmp, cache, src, signals]) rmSync(d, { recursive: true, force: true });
  });
});
