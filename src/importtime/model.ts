// The import-time model: what one `python -X importtime` stream says, as records (file order) and a tree.
// Produced by parse.ts (acquire → model); consumed by aggregate.ts, packages.ts and the renderers.

/** One `import time:` line, exactly as printed (raw values, never corrected). */
export interface ImportRecord {
  /** Dotted module name as printed. */
  name: string;
  /** Nesting level: leading spaces after the second `|`, divided by 2. */
  depth: number;
  /** Self time in µs (may be negative when threads imported concurrently). 0 for `cached` lines. */
  selfUs: number;
  /** Cumulative time in µs. 0 for `cached` lines. */
  cumulativeUs: number;
  /** Python 3.14 `-X importtime=2` line for a module that was already imported. */
  cached: boolean;
  /** 1-based line number in the input stream. */
  line: number;
  /** Index of the section (a new header starts a new section: subinterpreters, spawned children). */
  section: number;
}

/** A record placed in the tree. Children are in the order they were printed (= the order they finished). */
export interface ImportNode extends ImportRecord {
  children: ImportNode[];
  /** Stable identity within one tree: the names from the root joined by '/', with `#k` for the k-th
   *  (k ≥ 2) sibling of the same name, so repeated names stay distinct. Empty when the parser was told
   *  not to build ids (`{ ids: false }`, for a single capture that is never matched across runs). */
  id: string;
}

export type ParseWarningKind =
  | 'negative-time' // a negative self/cumulative value (concurrent imports in threads)
  | 'bad-nesting' // a line deeper than anything pending allows, or children left without a parent
  | 'malformed' // `import time:` seen but the rest of the line could not be read
  | 'repeated-header' // a second header: another interpreter wrote into the same stream
  | 'cached-placement'; // a 3.14 `cached` line whose position in the tree had to be guessed

export interface ParseWarning {
  kind: ParseWarningKind;
  line: number;
  message: string;
}

export interface ParseResult {
  /** Every import line, in input order (duplicates kept). */
  records: ImportRecord[];
  /** Roots of the tree, in input order, across all sections. */
  roots: ImportNode[];
  /** Text that was not an import-time record: the program's own output, and any prefix glued onto a record. */
  output: string[];
  warnings: ParseWarning[];
  /** How many headers were seen. */
  headers: number;
}
