// The k largest items by a key, in descending order, in O(n log k) — reports rank 200,000-line captures
// without sorting them whole. Ties keep input order.

export function topK<T>(items: Iterable<T>, k: number, key: (item: T) => number): T[] {
  if (k <= 0) return [];
  const best: T[] = [];
  const keys: number[] = [];
  for (const item of items) {
    const v = key(item);
    if (best.length === k && v <= (keys[k - 1] as number)) continue;
    // first position whose key is smaller than v (stable: equal keys stay in input order)
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((keys[mid] as number) >= v) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, item);
    keys.splice(lo, 0, v);
    if (best.length > k) {
      best.pop();
      keys.pop();
    }
  }
  return best;
}
