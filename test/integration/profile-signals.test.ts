// Ctrl-C during a profile: the running interpreter is stopped, temporary files are removed, exit 130.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { zipFolder } from '../support/zip.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, fixtures, testCacheDir } from '../support/cli.js';

async function interruptWhenStarted(args: string[], tmp: string, cache: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { ...process.env, TMPDIR: tmp, LAMBDA_COLD_CACHE_DIR: cache, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  // wait until the harness runs (its private folder exists), then interrupt
  const ps = (): string => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  for (let i = 0; i < 150 && !ps().includes(`harness.py ${tmp}`); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  child.kill('SIGINT');
  return { code: await exited, stderr };
}

describe('package --handler interrupted', () => {
  it('SIGINT removes the private extraction folder too', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lc-sigint-pkg-'));
    const cache = testCacheDir();
    const src = mkdtempSync(join(tmpdir(), 'lc-sigint-src-'));
    writeFileSync(join(src, 'hang.py'), 'import time\nwhile True:\n    time.sleep(0.05)\n');
    const zip = join(cache, 'function.zip');
    await zipFolder(src, zip);
    const { code, stderr } = await interruptWhenStarted(['package', zip, '--handler', 'hang.lambda_handler'], tmp, cache);
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted (SIGINT)');
    expect(readdirSync(tmp)).toEqual([]);
    for (const d of [tmp, cache, src]) rmSync(d, { recursive: true, force: true });
  });
});

describe('profile interrupted', () => {
  it('SIGINT stops the Python run, cleans up and exits 130', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lc-sigint-'));
    const cache = testCacheDir();
    const child = spawn(process.execPath, [cliPath, 'profile', join(fixtures, 'errors', 'hang.py'), '--timeout', '60', '--runs', '1'], {
      env: { ...process.env, TMPDIR: tmp, LAMBDA_COLD_CACHE_DIR: cache, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // wait until the harness has started (its private folder exists), then interrupt
    for (let i = 0; i < 100 && readdirSync(tmp).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(tmp).some((f) => f.startsWith('lambda-cold-'))).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toContain('lambda-cold: interrupted (SIGINT); no profile was written.');
    expect(readdirSync(tmp)).toEqual([]);
    // no interpreter left running the hanging handler
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps.split('\n').filter((l) => l.includes('harness.py') && l.includes(tmp))).toEqual([]);
    rmSync(tmp, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });
});
