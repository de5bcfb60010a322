// Number formatting shared by the text renderers.

/** µs shown as ms: "12.3" (one decimal; two below 1 ms so small modules do not all read 0.0). */
export function usAsMs(us: number): string {
  const v = us / 1000;
  return Math.abs(v) < 1 ? v.toFixed(2) : v.toFixed(1);
}

export function pct(part: number, whole: number): string {
  if (whole <= 0) return '—';
  return `${((100 * part) / whole).toFixed(1)}%`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Bytes → "812 B", "12.3 KiB", "4.0 MiB" (binary units: Lambda's "250 MB" is 250 MiB). */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GiB`;
}

/**
 * What an advice gains, as its headline says it in every format: a saving, or why the import stays
 * (a module-level client kept on purpose, a deferral the memory size makes costlier), or what init still costs.
 */
export function adviceGain(a: {
  kind: string;
  savingMs: number;
  costMs?: number;
  recommended?: boolean;
  firstRequestMs?: number;
}): { text: string; tone: 'keep' | 'still' | 'saves' } {
  if (a.kind === 'module-client') return { text: `keep (costs ${a.costMs ?? 0} ms)`, tone: 'keep' };
  if (a.recommended === false) return { text: `keep at init (deferred: ${a.firstRequestMs ?? '?'} ms in the first request)`, tone: 'keep' };
  if (a.kind === 'consider-provisioned-or-snapstart') return { text: `${a.savingMs} ms still at init`, tone: 'still' };
  return { text: `saves ${a.savingMs} ms`, tone: 'saves' };
}
