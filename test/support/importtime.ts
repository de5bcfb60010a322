// -X importtime lines written exactly as CPython prints them (`"import time: %9ld | %10ld | %*s%s"`),
// for tests that need a small stream with known values.

export const HEADER = 'import time: self [us] | cumulative | imported package';

export function line(self: number | string, cum: number | string, depth: number, name: string): string {
  return `import time: ${String(self).padStart(9)} | ${String(cum).padStart(10)} | ${' '.repeat(depth * 2)}${name}`;
}
