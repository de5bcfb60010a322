// Statement attribution in the model's terms: the attribution run's raw times per top-level statement of
// each of the user's modules (src/python/statements.py), scaled to the module's measured median self time
// (the run is traced, so only its proportions are kept: docs/how-it-measures.md). Pure: no processes.
import type { Owner } from '../python/distributions.js';
import type { HarnessStatements } from '../python/protocol.js';

/** The library a statement called into: its distribution, or the standard library (distribution null). */
export interface LibraryCall {
  /** module.qualname of the callee, e.g. "boto3.client". */
  name: string;
  distribution: string | null;
  version: string | null;
}

export interface StatementStat {
  /** The statement's first line (a decorated def: its first decorator). */
  line: number;
  /** Its source text, shortened to one line. */
  text: string;
  /** Its share of the module's measured self time, in µs. */
  selfUs: number;
  /** Its share of the module's own time in the attribution run (0–1). */
  share: number;
  /** Set when most of the statement's time went into one call of a library (third-party or the standard library). */
  calls: LibraryCall | null;
}

export interface ModuleStatements {
  module: string;
  file: string;
  /** The module's measured median self time, which the statements share. */
  selfUs: number;
  /**
   * The statements' own time in the attribution run (traced, so at least their real time): well below
   * selfUs, the module's self time is mostly not its statements (loading its bytecode, noise of the run).
   */
  tracedUs: number;
  /** Every top-level statement that ran, in line order. */
  statements: StatementStat[];
}

export interface StatementAttribution {
  /** How the attribution run traced: sys.monitoring (Python 3.12+) or sys.settrace. */
  tracer: string;
  modules: ModuleStatements[];
  /** The attribution run's wall time against a measured run's (medians), the price of the figures above. */
  overhead: { wallMs: number; measuredWallMs: number; ratio: number; /** Set when the raw times are an earlier run's (its ISO time): every loaded file unchanged since. */ cachedAt?: string };
}

/** Longest statement text shown. */
export const STATEMENT_TEXT_MAX = 60;

/** A statement's first line as shown: shortened with … when longer, or when the statement goes on below. */
export function shortText(text: string, multiline: boolean, max = STATEMENT_TEXT_MAX): string {
  const one = text.replace(/\s+/g, ' ').trim();
  if (one.length > max) return `${one.slice(0, max - 1).trimEnd()}…`;
  return multiline ? `${one} …` : one;
}

/** A callee's share of its statement above which the statement is said to call it. */
const CALL_SHARE = 0.5;

/**
 * Scale each module's statements to its measured self time: shares of the raw own times (which the tracer
 * inflates), times the median self time of the measured runs, so that they sum to it. `selfUsOf`: a
 * module's measured median self time (null: not in the measured import, left out). `ownerOf`: whose code a
 * module is, to name a library the statement called.
 */
export function scaleStatements(
  raw: HarnessStatements,
  selfUsOf: (module: string) => number | null,
  ownerOf: (module: string) => Owner,
  overhead: StatementAttribution['overhead'],
): StatementAttribution {
  const modules: ModuleStatements[] = [];
  for (const m of raw.modules) {
    if (!m.module) continue;
    const selfUs = selfUsOf(m.module);
    if (selfUs === null) continue;
    const total = m.statements.reduce((t, s) => t + Math.max(0, s.us), 0);
    const statements = [...m.statements]
      .sort((a, b) => a.line - b.line)
      .map((s): StatementStat => {
        const share = total > 0 ? Math.max(0, s.us) / total : 0;
        return { line: s.line, text: shortText(s.text, s.multiline), selfUs: share * selfUs, share, calls: libraryCall(s, ownerOf) };
      });
    modules.push({ module: m.module, file: m.file, selfUs, tracedUs: total, statements });
  }
  return { tracer: raw.tracer ?? 'none', modules, overhead };
}

function libraryCall(s: HarnessStatements['modules'][number]['statements'][number], ownerOf: (module: string) => Owner): LibraryCall | null {
  const call = s.call;
  if (!call?.module || s.us <= 0 || call.us < s.us * CALL_SHARE) return null;
  const owner = ownerOf(call.module);
  if (owner.kind === 'stdlib') return { name: call.name, distribution: null, version: null };
  if (owner.kind === 'third-party') return { name: call.name, distribution: owner.distribution, version: owner.version };
  return null;
}

/** Whether the statements account for the module's self time: the traced run spent at least half of it in them. */
export function explainsSelfTime(m: ModuleStatements): boolean {
  return m.tracedUs >= m.selfUs * 0.5;
}

/** A module's statements, the costliest first. */
export function rankedStatements(m: ModuleStatements): StatementStat[] {
  return [...m.statements].sort((a, b) => b.selfUs - a.selfUs || a.line - b.line);
}

/** What a library call is called in a report: "boto3.client (boto3 1.34.0)", "re.compile (standard library)". */
export function callLabel(c: LibraryCall): string {
  return `${c.name} (${c.distribution ? `${c.distribution}${c.version ? ` ${c.version}` : ''}` : 'standard library'})`;
}

/** The statements a report lists under a module: its costliest `max` that took time, down to 1 % of its own time. */
export function shownStatements(m: ModuleStatements, max: number): StatementStat[] {
  return rankedStatements(m)
    .filter((s) => s.selfUs > 0)
    .slice(0, max)
    .filter((s) => s.share >= 0.01);
}

/** Each attributed module's statements, by module name (empty without an attribution run). */
export function statementsByModule(a: StatementAttribution | null | undefined): Map<string, ModuleStatements> {
  return new Map((a?.modules ?? []).map((m) => [m.module, m]));
}

/** The statements that hold these lines, each once, in the order of the lines (one statement may hold several). */
export function statementsAt(m: ModuleStatements, lines: readonly number[]): StatementStat[] {
  return [...new Set(lines.map((l) => statementAt(m, l)).filter((s): s is StatementStat => s !== null))];
}

/** The top-level statement that holds `line` (a statement runs from its first line to the next one's). */
export function statementAt(m: ModuleStatements, line: number): StatementStat | null {
  let found: StatementStat | null = null;
  for (const s of m.statements) if (s.line <= line && (!found || s.line > found.line)) found = s;
  return found;
}

/** One statement as advice names it: `app/config.py:12  SETTINGS = load_settings()  38 ms (95 % of app.config)`. */
export function statementPhrase(file: string, m: ModuleStatements, s: StatementStat): string {
  const pctOf = m.selfUs > 0 ? Math.round((100 * s.selfUs) / m.selfUs) : 0;
  const ms = Math.round(s.selfUs / 100) / 10;
  return `${file}:${s.line}  ${s.text}  ${ms} ms (${pctOf} % of ${m.module})${s.calls ? `, in ${callLabel(s.calls)}` : ''}`;
}
