import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOutcome } from '../../src/importtime/run.js';
import { prefixSubtree } from '../../src/python/cache.js';
import { runStatus, splitRunOutput, type HarnessResult, type RunOutcome } from '../../src/python/protocol.js';
import { runEnv, type RunSpec } from '../../src/python/runner.js';
import { resolveTarget } from '../../src/python/target.js';
import { fixtures } from '../support/cli.js';
import { HEADER } from '../support/importtime.js';
import { outcomeOf } from '../support/sessions.js';


const raw = (stderr: string): RunOutcome => outcomeOf(stderr);

describe('splitRunOutput and parseOutcome', () => {
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
      'Traceback (most recent call last):',
      '',
    ].join('\n');
    const split = splitRunOutput(stderr);
    // the runner only cuts: the lines of each phase as they were, markers dropped
    expect(split.phases.bootstrap).toEqual(['import time:        50 |         50 | json']);
    expect(split.phases.init[0]).toBe('warming up...import time:      3368 |       3368 |   colorsys');
    expect(split.otherLines).toEqual(['Traceback (most recent call last):']);
    const s = parseOutcome(raw(stderr));
    expect(s.startup.records.map((r) => r.name)).toEqual(['encodings.aliases', 'encodings', 'site']);
    expect(s.bootstrap.records.map((r) => r.name)).toEqual(['json']);
    expect(s.init.records.map((r) => r.name)).toEqual(['colorsys', 'handler']);
    expect(s.init.roots.map((r) => r.name)).toEqual(['handler']);
    expect(s.initComplete).toBe(true);
    expect(s.stderrText).toBe('warming up...\nTraceback (most recent call last):');
    expect(s.stderrText).not.toContain('sysconfig');
  });

  it('keeps the partial tree when the run never reached the end marker', () => {
    const stderr = [HEADER, 'import time: 1 | 1 | site', '@@lambda-cold:startup-end', '@@lambda-cold:init-begin', 'import time: 5 | 5 |   colorsys', 'Timeout (0:00:01)!'].join('\n');
    const s = parseOutcome(raw(stderr));
    expect(s.initComplete).toBe(false);
    expect(s.init.roots.map((r) => r.name)).toEqual(['colorsys']);
    expect(s.stderrText).toContain('Timeout (0:00:01)!');
    expect(runStatus(null, false, false, stderr)).toBe('timeout');
  });

  it('finds a marker glued behind program output', () => {
    const s = parseOutcome(raw([HEADER, 'import time: 1 | 1 | site', 'no newline@@lambda-cold:startup-end', '@@lambda-cold:init-begin', '@@lambda-cold:init-end ok'].join('\n')));
    expect(s.initComplete).toBe(true);
    expect(s.stderrText).toContain('no newline');
  });

  it('cuts the first call and the warm calls apart from the init', () => {
    const split = splitRunOutput(
      ['@@lambda-cold:startup-end', '@@lambda-cold:init-begin', '@@lambda-cold:init-end ok', '@@lambda-cold:invoke-begin', 'import time: 7 | 7 | uuid', '@@lambda-cold:invoke-end ok', 'import time: 3 | 3 | decimal', '@@lambda-cold:warm-end', 'import time: 9 | 9 | sysconfig'].join('\n'),
    );
    expect(split.phases.invoke).toEqual(['import time: 7 | 7 | uuid']);
    expect(split.phases.warm).toEqual(['import time: 3 | 3 | decimal']);
    expect(split.otherLines).toEqual([]);
  });
});

describe('runStatus', () => {
  const result = { status: 'error' } as HarnessResult;
  it("takes the harness's status once the import finished; otherwise a timeout or a crash", () => {
    expect(runStatus(result, true, false, '')).toBe('error');
    expect(runStatus(result, false, false, 'Fatal Python error: Segmentation fault')).toBe('crash');
    expect(runStatus(null, false, true, '')).toBe('timeout');
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
