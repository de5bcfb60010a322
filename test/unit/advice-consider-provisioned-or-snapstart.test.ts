// consider-provisioned-or-snapstart: when init stays above --init-target after the code changes the
// other advice suggests, what remains is said with its costs.
import { describe, expect, it } from 'vitest';
import { adviseProfile } from '../../src/analysis/advice.js';
import { facts, imp, own, profileOf } from '../support/advice.js';

// 300 ms of init, 200 of them handler.py's own code, which builds a client (kept); deferring reports saves 100
const tree = () => own('handler', 200, [own('reports', 100)]);
const f = () => [facts('handler', [imp(1, 'boto3', 'module-level', 5), imp(2, 'reports', 'functions', 9)], [{ line: 5, call: 'boto3.client', service: 's3' }])];
const pc = (initTargetMs: number, shape: { runtime?: string; source?: 'run' | 'file' } = {}) =>
  adviseProfile(profileOf(tree(), { facts: f(), ...shape }), { max: 10, initTargetMs }).find((a) => a.kind === 'consider-provisioned-or-snapstart');

describe('consider-provisioned-or-snapstart', () => {
  it('states the init that remains after the suggested code changes (clients cost nothing to keep)', () => {
    const a = pc(150, { runtime: 'python3.12' });
    expect(a).toMatchObject({ file: 'handler.py', line: 1, module: 'handler', savingMs: 200 });
    expect(a?.message).toMatch(/^Init stays at about 200 ms after the changes above, above the --init-target of 150 ms\./);
    expect(a?.message).toContain('costs money even when idle');
    expect(a?.message).toContain('SnapStart (Python 3.12+) moves init to publish time');
  });

  it('says SnapStart needs Python 3.12 on an older runtime', () => {
    expect(pc(150, { runtime: 'python3.11' })?.message).toContain('SnapStart needs Python 3.12 or newer.');
  });

  it('gives no advice when init after the changes is within the target', () => {
    expect(pc(200)).toBeUndefined();
    expect(pc(199.9)).toBeDefined();
  });

  it('gives no advice for captured files, which say nothing of the function', () => {
    expect(pc(10, { source: 'file' })).toBeUndefined();
  });
});
