// `--tree`: the import tree, children in import order, with cumulative and self ms.
import type { StatNode } from '../importtime/aggregate.js';
import type { ImportNode } from '../importtime/model.js';
import { callLabel, rankedStatements, shownStatements, type ModuleStatements } from '../importtime/statements.js';
import { usAsMs } from './format.js';

export interface TreeItem {
  name: string;
  selfUs: number;
  cumulativeUs: number;
  cached: boolean;
  children: TreeItem[];
  /** --lines: the module's top-level statements (the attribution run's), shown under it. */
  statements?: ModuleStatements;
}

export interface TreeOptions {
  /** Deepest level shown (0 = the roots only). */
  maxDepth?: number;
  /** Hide subtrees whose cumulative time is below this (µs). */
  minUs?: number;
  /** Paint names by cost (a function so the caller decides about colour). */
  paint?: (text: string, share: number) => string;
  dim?: (text: string) => string;
  /** --lines: at most this many statements under a module (the costliest; default 5). */
  statements?: number;
}

/** The median tree; with `statements` (--lines), each attributed module carries its statements. */
export function fromStatNodes(nodes: readonly StatNode[], statements?: ReadonlyMap<string, ModuleStatements>): TreeItem[] {
  return nodes.map((n) => ({
    name: n.stat.name,
    selfUs: n.stat.selfUs.median,
    cumulativeUs: n.stat.cumulativeUs.median,
    cached: n.stat.cached,
    children: fromStatNodes(n.children, statements),
    ...(statements && !n.stat.cached && statements.has(n.stat.name) ? { statements: statements.get(n.stat.name) } : {}),
  }));
}

/** A module's statements as tree lines: the costliest first (at most `max`), the rest summed. */
function statementLines(m: ModuleStatements, prefix: string, max: number, dim: (t: string) => string): string[] {
  const shown = shownStatements(m, max);
  // the rest that took time, summed (shown is the head of that ranking)
  const rest = rankedStatements(m)
    .filter((s) => s.selfUs > 0)
    .slice(shown.length);
  const lines = shown.map((s) => {
    const call = s.calls ? dim(`  → ${callLabel(s.calls)}`) : '';
    return `${''.padStart(9)} ${usAsMs(s.selfUs).padStart(9)}  ${prefix}${dim(`:${s.line}`)}  ${s.text}${call}`;
  });
  if (rest.length > 0) {
    const sum = rest.reduce((t, s) => t + s.selfUs, 0);
    lines.push(dim(`${''.padStart(19)}  ${prefix}… ${rest.length} more statement${rest.length === 1 ? '' : 's'} (${usAsMs(sum)} ms)`));
  }
  return lines;
}

export function fromImportNodes(nodes: readonly ImportNode[]): TreeItem[] {
  return nodes.map((n) => ({
    name: n.name,
    selfUs: n.selfUs,
    cumulativeUs: n.cumulativeUs,
    cached: n.cached,
    children: fromImportNodes(n.children),
  }));
}

export function renderTree(roots: readonly TreeItem[], opts: TreeOptions = {}): string {
  const minUs = opts.minUs ?? 0;
  const maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
  const paint = opts.paint ?? ((t: string) => t);
  const dim = opts.dim ?? ((t: string) => t);
  const total = roots.reduce((t, r) => t + (r.cached ? 0 : r.cumulativeUs), 0);
  const lines: string[] = [`${'cum ms'.padStart(9)} ${'self ms'.padStart(9)}  module`];
  const emit = (items: readonly TreeItem[], prefix: string, depth: number): void => {
    const shown = items.filter((i) => i.cumulativeUs >= minUs && !(i.cached && minUs > 0));
    const hidden = items.length - shown.length;
    shown.forEach((item, k) => {
      const lastShown = k === shown.length - 1 && hidden === 0;
      const branch = depth === 0 ? '' : lastShown ? '└─ ' : '├─ ';
      const name = item.cached ? dim(`${item.name} (cached)`) : paint(item.name, total > 0 ? item.cumulativeUs / total : 0);
      lines.push(`${usAsMs(item.cumulativeUs).padStart(9)} ${usAsMs(item.selfUs).padStart(9)}  ${prefix}${branch}${name}`);
      const childPrefix = depth === 0 ? '' : prefix + (lastShown ? '   ' : '│  ');
      if (item.statements) lines.push(...statementLines(item.statements, `${childPrefix}${item.children.length > 0 ? '│' : ' '}  `, opts.statements ?? 5, dim));
      if (item.children.length > 0) {
        if (depth + 1 <= maxDepth) emit(item.children, childPrefix, depth + 1);
        else {
          const sum = item.children.reduce((t, c) => t + (c.cached ? 0 : c.cumulativeUs), 0);
          lines.push(dim(`${''.padStart(19)}  ${childPrefix}└─ … ${item.children.length} more below --max-depth (${usAsMs(sum)} ms)`));
        }
      }
    });
    if (hidden > 0) {
      const sum = items.filter((i) => !shown.includes(i)).reduce((t, c) => t + (c.cached ? 0 : c.cumulativeUs), 0);
      const branch = depth === 0 ? '' : '└─ ';
      lines.push(dim(`${''.padStart(19)}  ${prefix}${branch}… ${hidden} more under --min-ms (${usAsMs(sum)} ms)`));
    }
  };
  emit(roots, '', 0);
  return `${lines.join('\n')}\n`;
}
