// Parse `python -X importtime` stderr (also PYTHONPROFILEIMPORTTIME) into records and a tree.
// See docs/lambda-platform.md, "python -X importtime", for the format and its traps. The parser is streaming (one line at a time,
// O(1) amortised per line) and never throws on any input: whatever it cannot read becomes `output`
// plus a warning.

import { StringDecoder } from 'node:string_decoder';
import type { ImportNode, ImportRecord, ParseResult, ParseWarning, ParseWarningKind } from './model.js';

const MARK = 'import time:';
/** Leaves share one empty, frozen children list (most lines are leaves): `close` assigns a new one. */
const NO_CHILDREN = Object.freeze([]) as unknown as ImportNode[];
const HEADER_RE = /^\s*self \[us\]\s*\|\s*cumulative\s*\|\s*imported package\s*$/;
// `%9ld | %10ld | %*s%s`: two values (or `cached` on 3.14), then the indentation and the name.
// The name is taken as the rest of the line minus trailing blanks (trimmed outside the regex, so no
// input can make it backtrack quadratically).
const RECORD_AT = /\s*(-?\d+|cached)\s*\|\s*(-?\d+|cached)\s*\|( *)(.*)$/ys;

/** A 3.14 `cached` line whose nesting level could not be read off the line; placed when the next
 *  non-cached record (or an exactly placed cached line, or the end of the section) arrives. */
interface DeferredCached {
  node: ImportNode;
  /** Highest level the line allows: the name is right-justified in a field of 2×level columns, so a
   *  line without padding says only `2 × level <= name.length`. */
  cap: number;
}

export interface ParseOptions {
  /** Give every node its path id (default true). A single captured file, whose nodes are never matched
   *  across runs, can skip it: a 200,000-line capture saves the time and memory of 200,000 long strings. */
  ids?: boolean;
}

export class ImportTimeParser {
  private readonly ids: boolean;
  constructor(options: ParseOptions = {}) {
    this.ids = options.ids ?? true;
  }

  private lineNo = 0;
  private readonly records: ImportRecord[] = [];
  private readonly roots: ImportNode[] = [];
  private readonly output: string[] = [];
  private readonly warnings: ParseWarning[] = [];
  private headers = 0;
  private section = 0;
  private sectionHasRecords = false;
  /** Nodes printed but not yet adopted, in input order; depths never decrease from bottom to top. */
  private pending: ImportNode[] = [];
  private deferred: DeferredCached[] = [];
  private cachedWarned = false;
  private result: ParseResult | null = null;

  /** Feed one line (without its trailing newline; a trailing '\r' is tolerated). */
  push(line: string): void {
    this.lineNo++;
    if (this.result !== null) return; // end() already called: the result is final
    try {
      this.handle(typeof line === 'string' ? line : String(line));
    } catch (err) {
      // Defensive: no input may make the parser throw. Keep the line as output.
      this.output.push(String(line));
      this.warn('malformed', this.lineNo, `unreadable line (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  /** Finish the stream: everything still pending becomes a root. Idempotent. */
  end(): ParseResult {
    if (this.result !== null) return this.result;
    try {
      this.flushSection(this.lineNo, 'at the end of the stream');
      if (this.ids) assignIds(this.roots);
    } catch {
      // unreachable in practice; keep whatever was built
    }
    this.result = {
      records: this.records,
      roots: this.roots,
      output: this.output,
      warnings: this.warnings,
      headers: this.headers,
    };
    return this.result;
  }

  private handle(raw: string): void {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    // The last occurrence: records always end with a newline, so anything before the marker is the
    // program's own output glued onto the record (even if that output itself says "import time:").
    let at = line.indexOf(MARK);
    if (at >= 0) for (let next = line.indexOf(MARK, at + 1); next >= 0; next = line.indexOf(MARK, next + 1)) at = next;
    if (at < 0) {
      this.output.push(line);
      return;
    }
    // Records are most lines: try them first, in place (sticky regex, no slice of the line).
    RECORD_AT.lastIndex = at + MARK.length;
    const m = RECORD_AT.exec(line);
    if (m === null && HEADER_RE.test(line.slice(at + MARK.length))) {
      if (at > 0) this.output.push(line.slice(0, at));
      this.header();
      return;
    }
    const a = m?.[1];
    const b = m?.[2];
    const spaces = m?.[3];
    const name = m?.[4]?.trimEnd();
    if (m === null || a === undefined || b === undefined || spaces === undefined || name === undefined || name === '') {
      this.malformed(line, 'an "import time:" line that is neither a header nor a record');
      return;
    }
    const cached = a === 'cached';
    if (cached !== (b === 'cached')) {
      this.malformed(line, 'one value is "cached" and the other is a number');
      return;
    }
    let selfUs = 0;
    let cumulativeUs = 0;
    if (!cached) {
      selfUs = Number(a);
      cumulativeUs = Number(b);
      if (!Number.isFinite(selfUs) || !Number.isFinite(cumulativeUs)) {
        this.malformed(line, 'a value is too large to be a time in µs');
        return;
      }
    }
    if (at > 0) this.output.push(line.slice(0, at));

    // One space separates the '|' from the field; the rest is the indentation.
    const pad = Math.max(0, spaces.length - 1);
    // One object per line: the record is the tree node (the records list and the tree share it).
    const node: ImportNode = {
      name,
      depth: 0,
      selfUs,
      cumulativeUs,
      cached,
      line: this.lineNo,
      section: this.section,
      children: NO_CHILDREN,
      id: '',
    };
    this.records.push(node);
    this.sectionHasRecords = true;

    if (cached) {
      this.cachedLine(node, pad);
      return;
    }
    if (selfUs < 0 || cumulativeUs < 0) {
      this.warn(
        'negative-time',
        this.lineNo,
        `${name}: negative time (self ${selfUs} µs, cumulative ${cumulativeUs} µs): threads imported concurrently; values kept as printed`,
      );
    }
    node.depth = Math.floor(pad / 2);
    this.resolveDeferred(node.depth + 1);
    this.close(node);
  }

  /** A finished (non-cached) import at node.depth: it adopts every pending node deeper than itself. */
  private close(node: ImportNode): void {
    const d = node.depth;
    const pending = this.pending;
    let start = pending.length;
    while (start > 0 && (pending[start - 1] as ImportNode).depth > d) start--;
    if (start < pending.length) {
      const kids = pending.splice(start);
      let orphans = 0;
      for (const k of kids) if (k.depth !== d + 1) orphans++;
      node.children = kids;
      if (orphans > 0) {
        this.warn(
          'bad-nesting',
          node.line,
          `${node.name} (depth ${d}) adopts ${orphans} line(s) nested deeper than depth ${d + 1}: their parent line is missing (interleaved processes or threads?)`,
        );
      }
    }
    pending.push(node);
  }

  /** 3.14 `-X importtime=2`: `"import time: cached    | cached     | %*s"` with width 2×level and the
   *  name as the argument, i.e. the name is right-justified. With padding the level is exact; without it
   *  only `level <= name.length / 2` is known, and the line is placed when the next record arrives. */
  private cachedLine(node: ImportNode, pad: number): void {
    const width = pad + node.name.length;
    if (pad > 0 && width % 2 === 0) {
      const level = width / 2;
      this.resolveDeferred(level);
      const lo = this.pendingTopDepth();
      let depth = level;
      if (depth < lo) {
        // Contradicts what is pending (only in an inconsistent stream): keep the stack ordered.
        depth = lo;
        this.warnCachedOnce(node.line, `${node.name}: cached line at level ${level} below pending depth ${lo}; placed at ${lo}`);
      }
      this.placeCached(node, depth);
      return;
    }
    this.deferred.push({ node, cap: Math.floor(width / 2) });
  }

  /** Place the deferred cached lines now that the next event bounds their level from above by `upper`
   *  (a record closing at depth d: d + 1; an exactly placed cached line: its level; end of section: 0).
   *  Between two printed lines the import level only grows, so each deferred line lies between the depth
   *  of what is already pending and min(upper, its own cap); we take the highest, which for a record is
   *  "a child of the next record that closes". */
  private resolveDeferred(upper: number): void {
    if (this.deferred.length === 0) return;
    const list = this.deferred;
    this.deferred = [];
    for (const { node, cap } of list) {
      const lo = this.pendingTopDepth();
      const hi = Math.min(cap, upper);
      const depth = Math.max(lo, hi);
      if (lo !== hi) {
        this.warnCachedOnce(
          node.line,
          `cached line(s) such as ${node.name} (line ${node.line}) carry no usable indentation; placed as a child of the next record that closes`,
        );
      }
      this.placeCached(node, depth);
    }
  }

  private placeCached(node: ImportNode, depth: number): void {
    node.depth = depth;
    this.pending.push(node);
  }

  private pendingTopDepth(): number {
    const top = this.pending[this.pending.length - 1];
    return top === undefined ? 0 : top.depth;
  }

  private header(): void {
    this.headers++;
    if (this.headers > 1 || this.sectionHasRecords) {
      this.flushSection(this.lineNo, 'before a new header');
      this.section++;
      this.sectionHasRecords = false;
    }
    if (this.headers > 1) {
      this.warn(
        'repeated-header',
        this.lineNo,
        `header #${this.headers}: another interpreter (subinterpreter, spawned or forked process) writes into the same stream; section ${this.section} starts here`,
      );
    }
  }

  /** Everything pending becomes a root, in input order. */
  private flushSection(line: number, where: string): void {
    this.resolveDeferred(0);
    const pending = this.pending;
    this.pending = [];
    let orphans = 0;
    let first: ImportNode | undefined;
    for (const n of pending) {
      if (n.depth > 0) {
        orphans++;
        first ??= n;
      }
      this.roots.push(n);
    }
    if (orphans > 0 && first !== undefined) {
      this.warn(
        'bad-nesting',
        line,
        `${orphans} import line(s) left without a parent ${where} (first: ${first.name} at line ${first.line}, depth ${first.depth}); kept as roots`,
      );
    }
  }

  private malformed(line: string, why: string): void {
    this.output.push(line);
    this.warn('malformed', this.lineNo, why);
  }

  private warnCachedOnce(line: number, message: string): void {
    if (this.cachedWarned) return;
    this.cachedWarned = true;
    this.warn('cached-placement', line, message);
  }

  private warn(kind: ParseWarningKind, line: number, message: string): void {
    this.warnings.push({ kind, line, message });
  }
}

/** Ids: names from the root joined by '/', `#k` for the k-th sibling (k ≥ 2) of the same name. Iterative. */
function assignIds(roots: ImportNode[]): void {
  const stack: ImportNode[] = [];
  const seen = new Map<string, number>();
  const label = (siblings: ImportNode[], prefix: string): void => {
    seen.clear();
    for (const n of siblings) {
      const k = (seen.get(n.name) ?? 0) + 1;
      seen.set(n.name, k);
      n.id = prefix + (k === 1 ? n.name : `${n.name}#${k}`);
      if (n.children.length > 0) stack.push(n);
    }
  };
  label(roots, '');
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) label(n.children, `${n.id}/`);
}

/** Parse a whole capture held in memory. */
export function parseImportTime(text: string): ParseResult {
  const parser = new ImportTimeParser();
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    if (nl < 0) break;
    parser.push(text.slice(from, nl));
    from = nl + 1;
  }
  if (from < text.length) parser.push(text.slice(from));
  return parser.end();
}

/** Parse a stream (a file, a child's stderr) line by line without holding it in memory. */
export async function parseImportTimeStream(
  input: NodeJS.ReadableStream | AsyncIterable<string | Buffer>,
  options: ParseOptions = {},
): Promise<ParseResult> {
  const parser = new ImportTimeParser(options);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  const feed = (text: string): void => {
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      parser.push(carry + text.slice(from, nl));
      carry = '';
      from = nl + 1;
    }
    if (from < text.length) carry += text.slice(from);
  };
  for await (const chunk of input as AsyncIterable<unknown>) {
    if (typeof chunk === 'string') feed(chunk);
    else if (chunk instanceof Uint8Array) feed(decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    else if (chunk !== null && chunk !== undefined) feed(String(chunk));
  }
  feed(decoder.end());
  if (carry.length > 0) parser.push(carry);
  return parser.end();
}
