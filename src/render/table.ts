// A plain text table for the terminal reports: a bold header, a rule, aligned columns.
// Hand-written rather than cli-table3 on purpose: cli-table3 costs ~55 ms per report on this class of
// machine (string-width's emoji regex and per-cell option merging), more than the whole start-up budget
// of `profile --from-file` (≤ 2 × `node -e 0`). Widths ignore ANSI colour codes.

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

export function visibleWidth(s: string): number {
  let n = 0;
  // code points, not UTF-16 units; colour codes take no room
  for (const _ of s.replace(ANSI, '')) n++;
  return n;
}

export type Align = 'left' | 'right';

export interface TableOptions {
  head: string[];
  align: Align[];
  /** Style for the header cells (bold on a colour terminal). */
  headStyle?: (s: string) => string;
  /** Character of the rule under the header. */
  rule?: string;
}

export function renderTable(rows: readonly string[][], opts: TableOptions): string {
  const cols = opts.head.length;
  const widths = opts.head.map((h) => visibleWidth(h));
  for (const r of rows) {
    for (let c = 0; c < cols; c++) widths[c] = Math.max(widths[c] as number, visibleWidth(r[c] ?? ''));
  }
  const pad = (s: string, c: number): string => {
    const fill = ' '.repeat((widths[c] as number) - visibleWidth(s));
    return opts.align[c] === 'right' ? fill + s : s + fill;
  };
  const line = (cells: readonly string[], style: (s: string) => string = (s) => s): string =>
    ` ${cells.map((cell, c) => style(pad(cell, c))).join('   ')}`.replace(/\s+$/, '');
  const total = widths.reduce((t, w) => t + w, 0) + 3 * (cols - 1) + 1;
  const out = [line(opts.head, opts.headStyle), (opts.rule ?? '─').repeat(total)];
  for (const r of rows) out.push(line(Array.from({ length: cols }, (_, c) => r[c] ?? '')));
  return out.join('\n');
}
