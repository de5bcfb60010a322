// What the harness keeps between profiles in the cache: its own bytecode, and the ast facts of the user's
// files, reused only while the same modules load from unchanged files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, testCacheDir } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'lc-harness-cache-'));
const cache = testCacheDir();
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

interface Doc {
  advice: Array<{ kind: string; module?: string; line?: number }>;
}

async function profile(): Promise<Doc> {
  const r = await runCli(['profile', join(root, 'handler.py'), '--runs', '1', '--json'], { env: { LAMBDA_COLD_CACHE_DIR: cache } });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Doc;
}

const deferred = (d: Doc): string[] => d.advice.filter((a) => a.kind === 'defer-import').map((a) => `${a.module}:${a.line}`);

describe('the harness cache', () => {
  it('runs from its bytecode after the first profile and gives the same facts; an edited file is read again', async () => {
    writeFileSync(join(root, 'slowmod.py'), 'import time\ntime.sleep(0.05)\nVALUE = 1\n');
    writeFileSync(join(root, 'handler.py'), 'import slowmod\n\n\ndef lambda_handler(event, context):\n    return slowmod.VALUE\n');
    const first = await profile();
    expect(deferred(first)).toEqual(['slowmod:1']);
    expect(readdirSync(join(cache, 'harness')).filter((f) => f.endsWith('.pyc'))).toHaveLength(1);
    expect(readdirSync(join(cache, 'facts'))).toHaveLength(1);
    // the second profile starts the harness from bytecode and reuses the facts: the same advice
    expect(deferred(await profile())).toEqual(['slowmod:1']);
    // slowmod now used at module level: nothing to defer, although the cache held the old facts
    writeFileSync(join(root, 'handler.py'), 'import slowmod\n\nDEFAULT = slowmod.VALUE\n\n\ndef lambda_handler(event, context):\n    return DEFAULT\n');
    expect(deferred(await profile())).toEqual([]);
  });

  it("--against leaves nothing of the temporary base checkout in the cache", async () => {
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, stdio: 'ignore' });
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const before = readdirSync(join(cache, 'facts')).sort();
    const r = await runCli(['profile', join(root, 'handler.py'), '--runs', '2', '--against', 'HEAD'], { cwd: root, env: { LAMBDA_COLD_CACHE_DIR: cache } });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(cache, 'facts')).sort()).toEqual(before);
  });
});
