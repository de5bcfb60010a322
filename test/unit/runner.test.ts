import { mkdtempSync, rmSync, writeFileSync, chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveInterpreter, which } from '../../src/python/interpreter.js';
import { prefixSubtree, runEnv, splitRunOutput, type RunSpec } from '../../src/python/runner.js';
import { resolveTarget } from '../../src/python/target.js';
import { fixtures } from '../support/cli.js';
import { HEADER } from '../support/importtime.js';


describe('splitRunOutput', () => {
  it('separates start-up, runtime bootstrap and the handler import by the harness markers', () => {
    const stderr = [
      HEADER,
      'import time:       100 |        100 |   encodings.aliases',
      'import time:       200 |        300 | encodings',
      'import time:       400 |        400 | site',
      '@@lambda-cold:startup-end',
      'import time:        50 |         50 | json',
      '@@lambda-cold:init-begin',
      'warming up...import time:      3368 |       3368 |   colorsys',
      'import time:        10 |       3378 | handler',
      '@@lambda-cold:init-end ok',
      'import time:        99 |         99 | sysconfig',
      '',
    ].join('\n');
    const s = splitRunOutput(stderr);
    expect(s.startup.records.map((r) => r.name)).toEqual(['encodings.aliases', 'encodings', 'site']);
    expect(s.bootstrap.records.map((r) => r.name)).toEqual(['json']);
    expect(s.init.records.map((r) => r.name)).toEqual(['colorsys', 'handler']);
    expect(s.init.roots.map((r) => r.name)).toEqual(['handler']);
    expect(s.initComplete).toBe(true);
    expect(s.text).toContain('warming up...');
    expect(s.text).not.toContain('sysconfig');
  });

  it('keeps the partial tree when the run never reached the end marker', () => {
    const s = splitRunOutput(
      [HEADER, 'import time: 1 | 1 | site', '@@lambda-cold:startup-end', '@@lambda-cold:init-begin', 'import time: 5 | 5 |   colorsys', 'Timeout (0:00:01)!'].join('\n'),
    );
    expect(s.initComplete).toBe(false);
    expect(s.init.roots.map((r) => r.name)).toEqual(['colorsys']);
    expect(s.text).toContain('Timeout (0:00:01)!');
  });

  it('finds a marker glued behind program output', () => {
    const s = splitRunOutput([HEADER, 'import time: 1 | 1 | site', 'no newline@@lambda-cold:startup-end', '@@lambda-cold:init-begin', '@@lambda-cold:init-end ok'].join('\n'));
    expect(s.initComplete).toBe(true);
    expect(s.text).toContain('no newline');
  });
});

describe('runEnv', () => {
  const spec = { root: '/var/task' } as RunSpec;
  it('controls bytecode explicitly and drops what would change imports', () => {
    const env = runEnv(spec, '/cache/prefix', true, {
      PATH: '/bin',
      PYTHONPATH: '/elsewhere',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONPROFILEIMPORTTIME: '1',
      AWS_REGION: 'eu-west-1',
    });
    expect(env.PYTHONPATH).toBeUndefined();
    expect(env.PYTHONDONTWRITEBYTECODE).toBeUndefined();
    expect(env.PYTHONPROFILEIMPORTTIME).toBeUndefined();
    expect(env.PYTHONPYCACHEPREFIX).toBe('/cache/prefix');
    expect(env.LAMBDA_TASK_ROOT).toBe('/var/task');
    expect(env.PYTHONNOUSERSITE).toBe('1');
    expect(env.AWS_REGION).toBe('eu-west-1');
    expect(runEnv(spec, '/p', false, {}).PYTHONDONTWRITEBYTECODE).toBe('1');
  });

  it('maps a source folder to its subtree of the bytecode prefix', () => {
    expect(prefixSubtree('/cache/pfx', '/work/proj/src')).toBe('/cache/pfx/work/proj/src');
  });
});

describe('resolveTarget', () => {
  const ranked = join(fixtures, 'ranked');
  it('a .py file: its folder is the root', () => {
    expect(resolveTarget(join(ranked, 'handler.py'), undefined)).toMatchObject({ module: 'handler', root: ranked });
  });
  it('a file below --root becomes a dotted module', () => {
    expect(resolveTarget(join(ranked, 'heavypkg', 'core.py'), ranked)).toMatchObject({ module: 'heavypkg.core', root: ranked });
  });
  it('a package folder', () => {
    expect(resolveTarget(join(ranked, 'heavypkg'), undefined)).toMatchObject({ module: 'heavypkg', root: ranked });
  });
  it('a dotted name with --root', () => {
    expect(resolveTarget('heavypkg.core', ranked)).toMatchObject({ module: 'heavypkg.core', root: ranked, path: null });
  });
  it('refuses files outside the root and names that Python cannot import', () => {
    expect(() => resolveTarget(join(ranked, 'handler.py'), join(ranked, 'heavypkg'))).toThrow(/is not inside the task root/);
    const dir = mkdtempSync(join(tmpdir(), 'lc-target-'));
    writeFileSync(join(dir, 'my-handler.py'), '');
    expect(() => resolveTarget(join(dir, 'my-handler.py'), undefined)).toThrow(/"my-handler" is not a valid Python name/);
    rmSync(dir, { recursive: true });
    expect(() => resolveTarget('missing/thing.py', undefined)).toThrow(/does not exist/);
  });
});

describe('resolveInterpreter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-interp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves a shim script to the real executable once and caches the answer', () => {
    const real = resolveInterpreter('python3', fixtures, { ...process.env, LAMBDA_COLD_CACHE_DIR: join(dir, 'cache') });
    // a shim of our own: a script that execs the real interpreter
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const shim = join(bin, 'python3');
    writeFileSync(shim, `#!/bin/sh\nexec ${real.executable} "$@"\n`);
    chmodSync(shim, 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, LAMBDA_COLD_CACHE_DIR: join(dir, 'cache2') };
    const viaShim = resolveInterpreter(undefined, fixtures, env);
    expect(viaShim.viaShim).toBe(true);
    expect(viaShim.executable).toBe(real.executable);
    expect(viaShim.requested).toBe('python3');
    // the second resolution reads the cache instead of running the shim: plant a recognisable answer
    const [cacheFile] = readdirSync(join(dir, 'cache2', 'interpreters'));
    const path = join(dir, 'cache2', 'interpreters', cacheFile as string);
    const cached = JSON.parse(readFileSync(path, 'utf8')) as { executable: string; version: string };
    expect(cached.executable).toBe(real.executable);
    writeFileSync(path, JSON.stringify({ ...cached, version: '3.99.0', minor: 99 }));
    expect(resolveInterpreter(undefined, fixtures, env).version).toBe('3.99.0');
    // a changed .python-version (pyenv's choice) is a different key: probed again
    writeFileSync(join(dir, 'bin', '.python-version'), '3.11\n');
    expect(resolveInterpreter(undefined, join(dir, 'bin'), env).version).toBe(real.version);
  });

  it('says when there is no Python at all', () => {
    expect(() => resolveInterpreter(undefined, fixtures, { PATH: join(dir, 'empty') })).toThrow(
      /No Python interpreter found: python3 and python are not on PATH/,
    );
  });

  it('says when --python is not an interpreter', () => {
    const fake = join(dir, 'notpython');
    writeFileSync(fake, '#!/bin/sh\necho hello\n');
    chmodSync(fake, 0o755);
    expect(() => resolveInterpreter(fake, fixtures, { ...process.env, LAMBDA_COLD_CACHE_DIR: join(dir, 'c3') })).toThrow(/did not run as a Python interpreter/);
  });

  it('which() looks commands up on PATH', () => {
    expect(which('sh', { PATH: '/nonexistent:/bin:/usr/bin' })).toMatch(/\/sh$/);
    expect(which('definitely-not-a-command-xyz', { PATH: '/bin' })).toBeUndefined();
  });
});
