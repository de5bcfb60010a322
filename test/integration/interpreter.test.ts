// Resolving the interpreter: these start Python (and shell scripts posing as one).
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveInterpreter, which } from '../../src/python/interpreter.js';
import { fixtures } from '../support/cli.js';

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
