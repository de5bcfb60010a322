// Base against head: interleaved runs (A B B A …) with the real executor (the harness in Python) on real fixtures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveInterpreter } from '../../src/python/interpreter.js';
import type { RunSpec } from '../../src/python/runner.js';
import { measureInterleaved } from '../../src/profile/runs.js';
import { fixtures } from '../support/cli.js';

const cache = mkdtempSync(join(tmpdir(), 'lambda-cold-measure-test-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe('measureInterleaved', () => {
  it('alternates which side goes first, warms each side once, and collects module files on the last runs', async () => {
    const env = { ...process.env, LAMBDA_COLD_CACHE_DIR: cache };
    const interpreter = resolveInterpreter('python3', fixtures, env);
    const spec = (root: string): RunSpec => ({ interpreter, module: 'handler', root, layers: [], bytecode: 'cached', timeoutSec: 30 });
    const order: string[] = [];
    const sides = await measureInterleaved(spec(join(fixtures, 'ranked')), spec(join(fixtures, 'gate', 'base')), {
      runs: 3,
      warmup: 1,
      env,
      onRun: (side, outcome) => order.push(`${side}${outcome.warmup ? '-warmup' : ''}`),
    });
    expect(order).toEqual(['base-warmup', 'head-warmup', 'base', 'head', 'head', 'base', 'base', 'head']);
    expect(sides.base.map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    // each side imported its own tree
    expect(sides.base[1]?.init.roots[0]?.children.map((c) => c.name)).toContain('heavypkg');
    expect(sides.head[1]?.init.roots[0]?.children.map((c) => c.name)).toContain('app.db');
    // only the last measured run of a side reports where every module came from
    expect(Object.keys(sides.head[3]?.result?.modules ?? {})).toContain('app.config');
    expect(sides.head[2]?.result?.modules).toEqual({});
  });
});
