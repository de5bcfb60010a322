// Ctrl-C during a profile: the running interpreter is stopped, temporary files are removed, exit 130.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, fixtures, testCacheDir } from '../support/cli.js';

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
