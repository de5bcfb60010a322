// The gate's statistics on known samples: Mann–Whitney U against textbook values and scipy, the tie
// correction, and the control-variate adjustment.
import { describe, expect, it } from 'vitest';
import { controlAdjust, pinCommonParts } from '../../src/analysis/control.js';
import { mannWhitneyU, tieTerm, upperTail } from '../../src/analysis/mannwhitney.js';

describe('mannWhitneyU', () => {
  it('gives U = 0 for fully separated samples, and the textbook U for an interleaved pair of samples', () => {
    // every x below every y: U(x) = 0, U(y) = n1·n2
    expect(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).u).toBe(0);
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).u).toBe(25);
    // Wikipedia's "tortoise and hare" example: ranks of the tortoises sum to 1+7+8+9+10+11 = 46 →
    // U = 46 − 6·7/2 = 25 (with n1 = 6 tortoises, n2 = 6 hares)
    const tortoise = [1, 7, 8, 9, 10, 11];
    const hare = [2, 3, 4, 5, 6, 12];
    expect(mannWhitneyU(tortoise, hare).u).toBe(25);
    expect(mannWhitneyU(hare, tortoise).u).toBe(11);
  });

  // Reference p-values: scipy.stats.mannwhitneyu(x, y, alternative=…, method='asymptotic',
  // use_continuity=True) — scipy 1.x on Python 3.11, the same normal approximation with tie correction.
  const cases: Array<{ x: number[]; y: number[]; u: number; p: Record<'two-sided' | 'greater' | 'less', number> }> = [
    {
      x: [19, 22, 16, 29, 24],
      y: [20, 11, 17, 12],
      u: 17,
      p: { 'two-sided': 0.11134688653314041, greater: 0.055673443266570206, less: 0.9669037101389033 },
    },
    {
      x: [1, 2, 3, 4, 5],
      y: [6, 7, 8, 9, 10],
      u: 0,
      p: { 'two-sided': 0.012185780355344813, greater: 0.9966923245172357, less: 0.006092890177672406 },
    },
    {
      // many ties: the tie correction matters
      x: [7, 3, 6, 2, 4, 3, 5, 5],
      y: [3, 5, 6, 4, 6, 5, 7, 5],
      u: 23,
      p: { 'two-sided': 0.36121810476051897, greater: 0.8462457006447972, less: 0.18060905238025948 },
    },
    {
      x: [110, 112, 109, 115, 111, 113, 108, 114, 110, 112],
      y: [100, 102, 101, 99, 103, 100, 104, 98, 101, 102],
      u: 100,
      p: { 'two-sided': 0.00017761066068896375, greater: 0.00008880533034448187, less: 0.9999345175779782 },
    },
  ];
  for (const [i, c] of cases.entries()) {
    it(`matches scipy's asymptotic p-values with tie and continuity corrections (case ${i + 1})`, () => {
      for (const alt of ['two-sided', 'greater', 'less'] as const) {
        const r = mannWhitneyU(c.x, c.y, alt);
        expect(r.u).toBe(c.u);
        // simple-statistics' error function is accurate to ~1.2e-7
        expect(r.p).toBeCloseTo(c.p[alt], 6);
      }
    });
  }

  it('says nothing when every value is tied, and refuses empty samples', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5]).p).toBe(1);
    expect(() => mannWhitneyU([], [1])).toThrow(/non-empty/);
  });

  it('is significant at 0.01 for a clear shift of 10 runs a side, and not for the same distribution', () => {
    const base = [100, 103, 98, 101, 99, 104, 97, 102, 100, 101];
    expect(mannWhitneyU(base.map((v) => v + 25), base, 'greater').p).toBeLessThan(0.01);
    expect(mannWhitneyU([...base].reverse(), base, 'greater').p).toBeGreaterThan(0.4);
  });
});

describe('tieTerm and upperTail', () => {
  it('sums t³ − t over tied groups', () => {
    expect(tieTerm([1, 2, 3])).toBe(0);
    expect(tieTerm([1, 1, 2, 3, 3, 3])).toBe(6 + 24);
  });
  it('is the standard normal upper tail', () => {
    expect(upperTail(0)).toBeCloseTo(0.5, 7);
    expect(upperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(upperTail(2.326348)).toBeCloseTo(0.01, 6);
    expect(upperTail(-1.644854)).toBeCloseTo(0.95, 6);
  });
});

describe('controlAdjust', () => {
  it('recovers the slope from within-group variation and removes what the control explains', () => {
    // y = 60 + 0.8·x exactly, two groups that differ by a shift of 25 in y only
    const x1 = [40, 55, 42, 90, 47, 60];
    const x2 = [44, 41, 80, 52, 46, 70];
    const g1 = { x: x1, y: x1.map((x) => 60 + 0.8 * x) };
    const g2 = { x: x2, y: x2.map((x) => 85 + 0.8 * x) };
    const a = controlAdjust([g1, g2]);
    expect(a.slope).toBeCloseTo(0.8, 10);
    // every adjusted value sits at the same machine speed: one value per group
    const ref = a.reference;
    for (const v of a.groups[0] as number[]) expect(v).toBeCloseTo(60 + 0.8 * ref, 9);
    for (const v of a.groups[1] as number[]) expect(v).toBeCloseTo(85 + 0.8 * ref, 9);
  });

  it('does not let a shift between the groups leak into the slope', () => {
    // within each group y does not depend on x; group 2 has both larger x and larger y
    const a = controlAdjust([
      { x: [10, 12, 11, 13], y: [100, 100, 100, 100] },
      { x: [30, 32, 31, 33], y: [150, 150, 150, 150] },
    ]);
    expect(a.slope).toBe(0);
    expect(a.groups[1]).toEqual([150, 150, 150, 150]);
  });

  it('never uses a negative slope (a faster machine never makes the import look slower)', () => {
    const a = controlAdjust([{ x: [1, 2, 3, 4], y: [40, 30, 20, 10] }]);
    expect(a.slope).toBe(0);
  });
});

describe('pinCommonParts', () => {
  it('replaces each run\'s share of the common components by their pooled median, keeping the totals\' meaning', () => {
    const a = { y: [100, 130, 104], parts: new Map([['json', [10, 40, 12]], ['only-a', [5, 5, 5]]]) };
    const b = { y: [125, 127, 160], parts: new Map([['json', [11, 13, 44]]]) };
    const p = pinCommonParts([a, b]);
    expect(p.names).toEqual(['json']);
    // pooled median of 10, 40, 12, 11, 13, 44 = 12.5
    expect(p.pinnedUs).toBe(12.5);
    expect(p.sides).toEqual([
      [102.5, 102.5, 104.5],
      [126.5, 126.5, 128.5],
    ]);
  });
  it('leaves out a component that a side had in fewer than half of its runs', () => {
    const p = pinCommonParts([
      { y: [10, 10, 10, 10], parts: new Map([['x', [1, 0, 0, 0]]]) },
      { y: [10, 10], parts: new Map([['x', [1, 1]]]) },
    ]);
    expect(p.names).toEqual([]);
    expect(p.sides).toEqual([
      [10, 10, 10, 10],
      [10, 10],
    ]);
  });
});
