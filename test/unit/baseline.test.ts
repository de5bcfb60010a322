// Baselines: round trip, corrupt and foreign files, environment identity.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBaseline, environmentMismatches, environmentOf, loadBaseline, saveBaseline } from '../../src/gate/baseline.js';
import { isUserError } from '../../src/util/errors.js';
import { runsOf, session } from '../support/sessions.js';

const dir = mkdtempSync(join(tmpdir(), 'lambda-cold-baseline-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const python = { version: '3.11.7', implementation: 'cpython', executable: '/py', requested: 'python3', viaShim: false, platform: 'linux' };
const measured = () => ({ ...session(runsOf(5, 20_000), [50_000, 51_000, 52_000, 53_000, 54_000]), python, bytecode: 'cached' as const });

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(isUserError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('baseline files', () => {
  it('round-trips: environment, raw per-run samples, module medians', () => {
    const s = measured();
    const file = join(dir, 'nested', 'baseline.json');
    const b = buildBaseline(s, '9.9.9', { gitCommit: 'abc', dirty: false });
    saveBaseline(file, b);
    const back = loadBaseline(file);
    expect(back).toEqual(b);
    expect(back.kind).toBe('lambda-cold-baseline');
    expect(back.schemaVersion).toBe(1);
    expect(back.environment).toEqual({
      pythonVersion: '3.11.7',
      implementation: 'cpython',
      platform: 'linux',
      architecture: expect.any(String),
      lambdaColdVersion: '9.9.9',
    });
    // spelled as Python's platform.machine() spells it, not as Node's process.arch does
    expect(['x64', 'arm64', 'ia32']).not.toContain(back.environment.architecture);
    expect(back.samples.importUs).toEqual(s.aggregate.totalsUs);
    expect(back.samples.controlUs).toEqual([50_000, 51_000, 52_000, 53_000, 54_000]);
    expect(back.measurement).toEqual({ module: 'handler', bytecode: 'cached', runs: 5, warmup: 0 });
    const config = back.modules.find((m) => m.name === 'app.config');
    expect(config).toEqual({ name: 'app.config', package: 'app', depth: 1, runs: 5, selfUs: 20_000, cumulativeUs: 20_000 });
  });

  it('refuses a missing, corrupt, foreign, future or invalid file with one sentence', () => {
    expect(errorOf(() => loadBaseline(join(dir, 'nope.json')))).toMatch(/^The baseline file .*nope\.json does not exist: create it with --save-baseline/);
    const good = JSON.parse(JSON.stringify(buildBaseline(measured(), '1.0.0'))) as Record<string, unknown>;
    const write = (name: string, text: string): string => {
      const f = join(dir, name);
      writeFileSync(f, text);
      return f;
    };
    const truncated = write('truncated.json', JSON.stringify(good).slice(0, 80));
    expect(errorOf(() => loadBaseline(truncated))).toMatch(/is not valid JSON \(corrupt or truncated\)/);
    const foreign = write('package.json', JSON.stringify({ name: 'x', version: '1.0.0' }));
    expect(errorOf(() => loadBaseline(foreign))).toMatch(/is not a lambda-cold baseline/);
    const future = write('future.json', JSON.stringify({ ...good, schemaVersion: 2 }));
    expect(errorOf(() => loadBaseline(future))).toMatch(/has schema version 2, which this lambda-cold does not read/);
    const badSamples = write('bad-samples.json', JSON.stringify({ ...good, samples: { importUs: ['fast'] } }));
    expect(errorOf(() => loadBaseline(badSamples))).toMatch(/^The baseline .* is corrupt: samples\.importUs\.0: .*save it again with --save-baseline\.$/);
    const noSamples = write('no-samples.json', JSON.stringify({ ...good, samples: { importUs: [] } }));
    expect(errorOf(() => loadBaseline(noSamples))).toMatch(/is corrupt: samples\.importUs/);
    const { environment: _e, ...noEnv } = good;
    expect(errorOf(() => loadBaseline(write('no-env.json', JSON.stringify(noEnv))))).toMatch(/is corrupt: environment/);
  });

  it('tells which parts of the environment differ; only the lambda-cold version is a warning', () => {
    const b = buildBaseline(measured(), '1.0.0');
    const same = environmentOf(measured(), '1.0.0');
    expect(environmentMismatches(b, same, 'cached')).toEqual({ blocking: [], warnings: [] });
    const other = { ...same, pythonVersion: '3.12.1', lambdaColdVersion: '1.1.0' };
    expect(environmentMismatches(b, other, 'compile')).toEqual({
      blocking: [
        { field: 'Python version', baseline: '3.11.7', current: '3.12.1' },
        { field: 'bytecode mode', baseline: 'cached', current: 'compile' },
      ],
      warnings: [{ field: 'lambda-cold version', baseline: '1.0.0', current: '1.1.0' }],
    });
  });

  it('needs a profile that ran Python', () => {
    const fromFile = session(runsOf(2, 20_000));
    expect(errorOf(() => buildBaseline(fromFile, '1.0.0'))).toMatch(/needs a profile that ran Python/);
    expect(readFileSync(join(dir, 'nested', 'baseline.json'), 'utf8').endsWith('\n')).toBe(true);
  });
});
