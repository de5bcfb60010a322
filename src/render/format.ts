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
