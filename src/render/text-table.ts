// The tables of the terminal reports, drawn by cli-table3: no borders, a bold header, a rule under it,
// columns three spaces apart; columns too wide for the terminal are narrowed and their cells wrapped.
// cli-table3 is loaded on first use (loadTables), like chalk in ./style.ts: `--version`, `--help` and the
// JSON documents never pay for it. Its start-up cost is measured by `npm run bench`.
import type CliTable3 from 'cli-table3';
import { visibleWidth } from '../util/wrap.js';

let Table: typeof CliTable3 | null = null;

/** Load cli-table3; the text renderers await this before drawing a table. */
export async function loadTables(): Promise<void> {
  Table ??= (await import('cli-table3')).default;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

export { visibleWidth };

/** The width tables fit in: the terminal's, 80 columns when stdout is not a terminal. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns ? stream.columns : 80;
}

export type Align = 'left' | 'right';

export interface TableOptions {
  head: string[];
  align: Align[];
  /** Style for the header cells (bold on a colour terminal). */
  headStyle?: (s: string) => string;
  /** Fit within this many columns (default: terminalWidth()). */
  width?: number;
}

const NO_BORDER = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: ' ',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '   ',
};
/** What the borders above take: one space on the left, three between columns. */
const frame = (cols: number): number => 1 + 3 * (cols - 1);

/**
 * Column widths that fit `width`: null (cli-table3 sizes it) for a column left as it is, a number for a
 * column narrowed. The widest columns give way first, none below its header or 8 characters.
 */
export function fitColumns(natural: readonly number[], minimum: readonly number[], width: number): Array<number | null> {
  const w = [...natural];
  let excess = w.reduce((t, x) => t + x, 0) + frame(w.length) - width;
  while (excess > 0) {
    let widest = -1;
    for (let c = 0; c < w.length; c++) {
      if ((w[c] as number) > (minimum[c] as number) && (widest < 0 || (w[c] as number) > (w[widest] as number))) widest = c;
    }
    if (widest < 0) break; // every column at its minimum: the table stays wider than the terminal
    w[widest] = (w[widest] as number) - 1;
    excess--;
  }
  return w.map((x, c) => (x === natural[c] ? null : x));
}

export function renderTable(rows: readonly string[][], opts: TableOptions): string {
  if (!Table) throw new Error('renderTable before loadTables()');
  const cols = opts.head.length;
  const natural = opts.head.map((h) => visibleWidth(h));
  for (const r of rows) {
    for (let c = 0; c < cols; c++) natural[c] = Math.max(natural[c] as number, visibleWidth(r[c] ?? ''));
  }
  const minimum = opts.head.map((h) => Math.max(visibleWidth(h), 8));
  const colWidths = fitColumns(natural, minimum, opts.width ?? terminalWidth());
  const headStyle = opts.headStyle ?? ((s: string) => s);
  const table = new Table({
    head: opts.head.map((h) => headStyle(h)),
    colAligns: opts.align,
    colWidths,
    // wrap only in a narrowed column (the others take their cells' full width)
    wordWrap: colWidths.some((w) => w !== null),
    chars: NO_BORDER,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const r of rows) {
    table.push(
      Array.from({ length: cols }, (_, c) => {
        const text = r[c] ?? '';
        const fixed = colWidths[c];
        // a name or a path has no space to break at: wrap it anywhere rather than cut it short
        return fixed != null && visibleWidth(text) > fixed && !/\s/.test(text.replace(ANSI, '')) ? { content: text, wrapOnWordBoundary: false } : text;
      }),
    );
  }
  const lines = table.toString().split('\n');
  const rule = '─'.repeat(visibleWidth(lines[0] ?? ''));
  const out = lines.map((l) => l.replace(/\s+$/, ''));
  out.splice(1, 0, rule);
  return out.join('\n');
}
