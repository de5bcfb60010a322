// The import tree laid out on a time line, for the viewers that want one (speedscope's evented format,
// the Chrome trace): each module opens where its importer's previous child closed (the first child at
// its importer's start) and lasts its median cumulative time. -X importtime rounds each value up on its
// own, so children can add up to a few µs more than their parent (docs/lambda-platform.md); a child is
// cut at its parent's end, so that it never outlasts its parent and siblings never overlap. The values
// as measured stay in `stat`.
import type { ModuleStat, StatNode } from '../importtime/aggregate.js';
import type { ProfileSession } from '../importtime/session.js';

export interface Span {
  stat: ModuleStat;
  /** Nesting level on the time line (0: a root). */
  depth: number;
  startUs: number;
  endUs: number;
  /** µs cut off to fit the parent (0 when the module fitted). */
  clampedUs: number;
}

export interface TimelineEvent {
  type: 'open' | 'close';
  span: Span;
}

/** A module's length on the time line before any cut: its median cumulative µs, whole, never negative. */
export function lengthUs(stat: ModuleStat): number {
  return Math.max(0, Math.round(stat.cumulativeUs.median));
}

/** Where the time line ends: the roots one after another (cached lines of 3.14 take no time and are left out). */
export function timelineEndUs(roots: readonly StatNode[]): number {
  let end = 0;
  for (const r of roots) if (!r.stat.cached) end += lengthUs(r.stat);
  return end;
}

/**
 * Every module's open and close, in time order (pre-order opens, a parent closing after its children),
 * walked without recursion: a capture can nest deeper than the call stack allows.
 */
export function* timeline(roots: readonly StatNode[]): Generator<TimelineEvent> {
  interface Level {
    children: readonly StatNode[];
    next: number;
    cursor: number;
    limit: number;
    span: Span | null;
  }
  const stack: Level[] = [{ children: roots, next: 0, cursor: 0, limit: Number.POSITIVE_INFINITY, span: null }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Level;
    if (top.next >= top.children.length) {
      stack.pop();
      if (top.span) yield { type: 'close', span: top.span };
      continue;
    }
    const node = top.children[top.next++] as StatNode;
    if (node.stat.cached) continue;
    const wanted = lengthUs(node.stat);
    const startUs = top.cursor;
    const endUs = Math.min(startUs + wanted, top.limit);
    const span: Span = { stat: node.stat, depth: stack.length - 1, startUs, endUs, clampedUs: startUs + wanted - endUs };
    yield { type: 'open', span };
    top.cursor = endUs;
    stack.push({ children: node.children, next: 0, cursor: startUs, limit: endUs, span });
  }
}

/** What the exports call the profile: what was measured, and how many runs the medians are of. */
export function timelineTitle(session: ProfileSession): string {
  const what =
    session.source === 'remote'
      ? `${session.remote?.functionName ?? 'function'} (in Lambda)`
      : session.source === 'run'
      ? (session.target?.display ?? 'handler')
      : session.files.join(' ');
  const runs = session.aggregate.runs;
  return `${what}: imports, ${runs === 1 ? '1 run' : `median of ${runs} runs`}`;
}
