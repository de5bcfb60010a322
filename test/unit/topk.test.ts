import { describe, expect, it } from 'vitest';
import { topK } from '../../src/analysis/topk.js';

describe('topK', () => {
  it('returns the k largest in descending order, ties in input order', () => {
    const items = [5, 1, 9, 3, 9, 7, 2].map((v, i) => ({ v, i }));
    expect(topK(items, 3, (x) => x.v).map((x) => [x.v, x.i])).toEqual([
      [9, 2],
      [9, 4],
      [7, 5],
    ]);
  });
  it('agrees with a full sort on random data', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const xs = Array.from({ length: 5000 }, () => Math.floor(rnd() * 1000));
    for (const k of [0, 1, 15, 100, 6000]) {
      expect(topK(xs, k, (x) => x)).toEqual([...xs].sort((a, b) => b - a).slice(0, k));
    }
  });
});
