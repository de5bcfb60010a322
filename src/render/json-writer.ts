// The JSON layout of the documents: pretty-printed, except that each entry of the long lists takes one
// line — readable, diff-friendly — written entry by entry to the sink, so that a list of 200,000 entries
// is never one string in memory.
import type { Sink } from './sink.js';

/** A list whose entries are serialised only as they are written (a capture's 200,000 records). */
export class LazyRows<T> {
  constructor(
    readonly items: readonly T[],
    readonly row: (item: T) => string,
  ) {}
  /** As plain values, for JSON.stringify (the SAM document, tests). */
  toJSON(): unknown[] {
    return this.items.map((item) => JSON.parse(this.row(item)) as unknown);
  }
}

/** Write `doc` with the lists under `listKeys` (and every LazyRows) one entry a line. */
export function writeCompactLists(doc: Record<string, unknown>, listKeys: readonly string[], sink: Sink): void {
  const lists = new Set(listKeys);
  let first = true;
  sink.write('{\n');
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined) continue;
    sink.write(`${first ? '' : ',\n'}  ${JSON.stringify(key)}: `);
    first = false;
    if (value instanceof LazyRows) {
      writeRows(value.items, value.row, sink);
    } else if (lists.has(key) && Array.isArray(value)) {
      writeRows(value, (v) => JSON.stringify(v), sink);
    } else {
      sink.write(JSON.stringify(value, null, 2).replace(/\n/g, '\n  '));
    }
  }
  sink.write('\n}\n');
}

function writeRows<T>(items: readonly T[], row: (item: T) => string, sink: Sink): void {
  if (items.length === 0) {
    sink.write('[]');
    return;
  }
  sink.write('[\n    ');
  items.forEach((item, i) => sink.write(i === 0 ? row(item) : `,\n    ${row(item)}`));
  sink.write('\n  ]');
}
