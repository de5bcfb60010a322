// dependency-cost: a third-party distribution's own module-level cost, said once, at the user's import.
import { describe, expect, it } from 'vitest';
import { adviseProfile } from '../../src/analysis/advice.js';
import { dep, facts, imp, installed, own, profileOf, std } from '../support/advice.js';

const opts = { max: 10, initTargetMs: 10_000 };
const costs = (s: Parameters<typeof adviseProfile>[0]) => adviseProfile(s, opts).filter((a) => a.kind === 'dependency-cost');

describe('dependency-cost', () => {
  it('says each distribution once, summed over its modules, at the statement that pulled its first module in', () => {
    // numpy arrives through the user's `import pandas` (two distributions) and again under `import scipy`
    const t = own('handler', 1, [
      dep('pandas', 30, [dep('numpy', 20, [dep('numpy.core', 25)]), dep('pandas.core', 10)]),
      dep('scipy', 15, [dep('scipy.special', 12)]),
    ]);
    const s = profileOf(t, { facts: [facts('handler', [imp(1, 'pandas', 'module-level', 5), imp(2, 'scipy', 'module-level', 6)])] });
    expect(costs(s).map((a) => [a.module, a.line, a.costMs])).toEqual([
      ['pandas', 1, 45],
      ['pandas', 1, 40],
      ['scipy', 2, 27],
    ]);
    expect(costs(s).map((a) => a.message.split(' ')[0])).toEqual(['numpy', 'pandas', 'scipy']);
  });

  it('names the distribution from its installation record, not the package folder', () => {
    const t = own('handler', 1, [installed('dateutil', 8, 'python-dateutil', [installed('dateutil.tz', 30, 'python-dateutil')])]);
    const s = profileOf(t, { facts: [facts('handler', [imp(3, 'dateutil', 'module-level', 7)])] });
    expect(costs(s)[0]?.message).toMatch(/^python-dateutil 1\.0 .* 38 ms .* across 2 modules \(most in dateutil\.tz, 30 ms\), pulled in by dateutil at handler\.py:3\./);
  });

  it('says nothing when a defer suggestion already takes that statement out of init, under the threshold, or for the standard library', () => {
    const deferred = profileOf(own('handler', 1, [dep('pandas', 60)]), { facts: [facts('handler', [imp(1, 'pandas', 'functions', 9)])] });
    expect(adviseProfile(deferred, opts).map((a) => a.kind)).toEqual(['defer-import']);
    const small = profileOf(own('handler', 1, [dep('tiny', 9)]), { facts: [facts('handler', [imp(1, 'tiny', 'module-level', 3)])] });
    expect(costs(small)).toEqual([]);
    const stdlib = profileOf(own('handler', 1, [std('decimal', 40)]), { facts: [facts('handler', [imp(1, 'decimal', 'module-level', 3)])] });
    expect(costs(stdlib)).toEqual([]);
  });
});
