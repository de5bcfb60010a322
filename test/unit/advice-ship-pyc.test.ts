// ship-pyc (--bytecode both): what compiling from source costs at every cold start, on two synthetic
// profiles of the same tree (with and without .pyc) compared by the code a real profile uses.
import { describe, expect, it } from 'vitest';
import { adviseProfile } from '../../src/analysis/advice.js';
import { compareBytecode } from '../../src/importtime/session.js';
import { dep, own, profileOf, scaled, std, type Mod } from '../support/advice.js';

const opts = { max: 10, initTargetMs: 10_000 };
const tree = (): Mod => own('handler', 2, [std('json', 3), dep('boto3', 40, [dep('botocore', 50)]), own('app', 5)]);

function withBytecode(cached: Mod, compiled: Mod, runtime: string | null = 'python3.12') {
  const s = profileOf(cached, { runtime });
  return { ...s, bytecodeComparison: compareBytecode(s, profileOf(compiled, { runtime })) };
}

describe('ship-pyc', () => {
  it('says what compiling costs, and which package costs the most, for the runtime\'s Python', () => {
    const advice = adviseProfile(withBytecode(tree(), scaled(tree(), 3), 'python3.11'), opts).filter((a) => a.kind === 'ship-pyc');
    expect(advice).toHaveLength(1);
    const [a] = advice;
    // 100 ms with .pyc, 300 ms without
    expect(a).toMatchObject({ file: '/venv/site-packages/botocore/__init__.py', line: 1, module: 'botocore', savingMs: 200 });
    expect(a?.message).toMatch(/^Compiling from source costs 200 ms per cold start \(300 ms without \.pyc, 100 ms with\), most in botocore \(100 ms\)/);
    expect(a?.message).toContain('(python3.11)');
  });

  it("names the local Python's version when the runtime is not known", () => {
    const a = adviseProfile(withBytecode(tree(), scaled(tree(), 3), null), opts).find((x) => x.kind === 'ship-pyc');
    expect(a?.message).toContain('(python3.12)'); // the synthetic profile's local Python is 3.12.4
  });

  it('gives no advice when compiling costs under 5 % of the import', () => {
    expect(adviseProfile(withBytecode(tree(), scaled(tree(), 1.04)), opts).some((a) => a.kind === 'ship-pyc')).toBe(false);
  });

  it('gives no advice without --bytecode both', () => {
    expect(adviseProfile(profileOf(tree()), opts).some((a) => a.kind === 'ship-pyc')).toBe(false);
  });
});
