// The handler is imported at the Python stack depth of the Lambda runtime's call chain (awslambdaric: its
// entry point → main → run → _get_handler → importlib.import_module → _gcd_import), five frames deeper than
// `python -c "import handler"`, because import-time cost can depend on the depth (docs/lambda-platform.md).
// The fixture sleeps 50 ms per frame below it, so its own time tells the depth it was imported at.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtures, runCli, testCacheDir } from '../support/cli.js';
import { allPythons } from '../support/python.js';

const cache = testCacheDir();
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const dir = join(fixtures, 'depth');
const PER_FRAME_MS = 50;

/** The handler line's self time in a raw `-X importtime` run, in frames. */
function rawFrames(python: string): number {
  const r = spawnSync(python, ['-X', 'importtime', '-c', 'import handler'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1' } });
  const m = /^import time:\s+(\d+) \|\s+\d+ \| handler$/m.exec(r.stderr);
  if (!m) throw new Error(`no handler line in the raw run:\n${r.stderr}`);
  return Math.floor(Number(m[1]) / 1000 / PER_FRAME_MS);
}

describe('import depth', () => {
  const pythons = allPythons().filter((p) => p.minor >= 8);
  it('finds a Python to check it on', () => expect(pythons.length).toBeGreaterThan(0));
  for (const p of pythons.filter((x) => [8, 11, 13].includes(x.minor) || x === pythons[pythons.length - 1])) {
    it(`imports the handler five frames deeper than a plain import statement (Python ${p.version})`, async () => {
      const r = await runCli(['profile', join(dir, 'handler.py'), '--python', p.executable, '--runs', '1', '--json'], { env: { LAMBDA_COLD_CACHE_DIR: cache } });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { modules: Array<{ name: string; phase: string; selfUs: number }> };
      const self = doc.modules.find((m) => m.name === 'handler' && m.phase === 'init')?.selfUs ?? 0;
      expect(Math.floor(self / 1000 / PER_FRAME_MS) - rawFrames(p.executable)).toBe(5);
    });
  }
});
