// -X importtime lines written exactly as CPython prints them (`"import time: %9ld | %10ld | %*s%s"`),
import type { ImportNode } from '../../src/importtime/model.js';
// for tests that need a small stream with known values.

export const HEADER = 'import time: self [us] | cumulative | imported package';

export function line(self: number | string, cum: number | string, depth: number, name: string): string {
  return `import time: ${String(self).padStart(9)} | ${String(cum).padStart(10)} | ${' '.repeat(depth * 2)}${name}`;
}

/** Every node of a parsed tree, pre-order, with its parent (null for roots); iterative, for deep trees. */
export function walk(roots: readonly ImportNode[], fn: (node: ImportNode, parent: ImportNode | null) => void): void {
  const stack: Array<[ImportNode, ImportNode | null]> = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push([roots[i] as ImportNode, null]);
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, parent] = top;
    fn(node, parent);
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i] as ImportNode, node]);
  }
}
