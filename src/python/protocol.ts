// The harness protocol: what harness.py is given (the invoke config), what it writes to its result file,
// and how its stderr is cut into phases by the markers it writes on fd 2 (see the head of harness.py).
// Pure data and text: no processes, no files. The model layer parses each phase's -X importtime lines.

export interface HarnessModuleInfo {
  file: string | null;
  origin: 'task-root' | 'layer' | 'site-packages' | 'stdlib' | 'builtin' | 'other';
}

export interface HarnessError {
  type: string;
  message: string;
  traceback: string;
  missingModule: string | null;
  location: { file: string; line: number } | null;
}

/** What harness.py writes to its result file. */
export interface HarnessResult {
  status: 'ok' | 'error';
  initWallUs: number;
  python: {
    version: string;
    implementation: string;
    executable: string;
    platform: string;
    cacheTag: string | null;
    pycachePrefix: string | null;
    dontWriteBytecode: boolean;
  };
  sysPath: string[];
  layerPaths: string[];
  missing: string[];
  error: HarnessError | null;
  modules: Record<string, HarnessModuleInfo>;
  /** With an invoke config: the first call and the warm calls. */
  invoke: HarnessInvoke | null;
  /** From the collecting run: ast facts of the user's own files (facts.py), or an error. */
  facts: FileFacts[] | { error: string } | null;
  /**
   * Every import request of the handler's import as [importer, imported] (modules already loaded included):
   * recorded by a warm-up run, read back by the collecting run while the loaded files are unchanged; null
   * when unknown.
   */
  imports?: Array<[string | null, string]> | null;
  /** The attribution run only (statements.py): each user module's top-level statements, raw. */
  statements?: HarnessStatements | null;
}

/** What statements.py measured: per user module, each top-level statement that ran (own µs, imports excluded). */
export interface HarnessStatements {
  tracer: 'sys.monitoring' | 'sys.settrace' | null;
  /** Why nothing was attributed (the tracer could not start), else null. */
  error: string | null;
  modules: Array<{
    module: string | null;
    file: string;
    statements: Array<{
      line: number;
      /** The statement's first source line, stripped. */
      text: string;
      multiline: boolean;
      us: number;
      /** The costliest call made directly from the module's code in this statement. */
      call: { name: string; module: string | null; us: number } | null;
    }>;
  }>;
}

export interface HarnessInvoke {
  status: 'ok' | 'error';
  /** The function that was called (the first of the candidates that exists). */
  function: string | null;
  firstUs: number | null;
  warmUs: number[];
  error: HarnessError | null;
}

/** What facts.py says of one of the user's files. */
export interface FileFacts {
  module: string;
  file: string;
  error: string | null;
  imports: Array<{
    line: number;
    module: string;
    names: string[];
    kind: 'import' | 'from';
    star?: boolean;
    uses: 'module-level' | 'functions' | 'none';
    firstUseLine: number | null;
  }>;
  clients: Array<{ line: number; call: string; service: string | null }>;
}

/** How the harness calls the handler after the import. */
export interface InvokeConfig {
  /** The handler function, or candidates tried in order (lambda_handler, then handler). */
  function: string | string[];
  event: unknown;
  warm: number;
  functionName?: string;
  memoryMb?: number;
}

export type RunStatus = 'ok' | 'error' | 'timeout' | 'crash';

/** The phases of one run's stderr: the raw lines (-X importtime records and any other output) of each. */
export interface RunPhases {
  /** The interpreter's own start-up imports (encodings, site, .pth files). */
  startup: string[];
  /** What the Lambda runtime's bootstrap imports before the handler (json, logging, …). */
  bootstrap: string[];
  /** The handler's import: the init the function pays for. */
  init: string[];
  /** Imports made during the first call (deferred imports): the first request pays for them. */
  invoke: string[];
  /** Imports made during the warm calls. */
  warm: string[];
}

export type PhaseName = keyof RunPhases;

/** One run as the runner saw it; `phases` holds the raw lines, which the model parses. */
export interface RunOutcome {
  /** 0-based over all runs, warm-up included. */
  index: number;
  warmup: boolean;
  status: RunStatus;
  /** Wall time of the whole interpreter process, ms. */
  wallMs: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Whether the init-end marker was seen (false on a hang or a crash: `init` is then partial). */
  initComplete: boolean;
  result: HarnessResult | null;
  /** The handler's stdout (capped). */
  stdout: string;
  phases: RunPhases;
  /** stderr lines outside the phases that are not import-time records (tracebacks, prints after the import). */
  otherLines: string[];
}

/** The prefix of every marker harness.py writes on fd 2. */
const MARKER = '@@lambda-cold:';

type Cut = PhaseName | 'between' | 'after';

/**
 * Cut one run's stderr into its phases by the markers. A marker glued behind output that had no newline
 * still counts; the text before it stays in the phase it was written in.
 */
export function splitRunOutput(stderr: string): { phases: RunPhases; otherLines: string[]; initComplete: boolean } {
  const phases: RunPhases = { startup: [], bootstrap: [], init: [], invoke: [], warm: [] };
  const otherLines: string[] = [];
  const inPhase = (c: Cut): c is PhaseName => c !== 'after' && c !== 'between';
  let cut: Cut = 'startup';
  let initComplete = false;
  const lines = stderr.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const at = line.indexOf(MARKER);
    if (at >= 0) {
      if (at > 0 && inPhase(cut)) phases[cut].push(line.slice(0, at));
      else if (at > 0) otherLines.push(line.slice(0, at));
      const what = line.slice(at + MARKER.length).split(' ')[0];
      if (what === 'startup-end') cut = 'bootstrap';
      else if (what === 'init-begin') cut = 'init';
      else if (what === 'init-end') {
        cut = 'between';
        initComplete = true;
      } else if (what === 'invoke-begin') cut = 'invoke';
      else if (what === 'invoke-end') cut = 'warm';
      else if (what === 'warm-end') cut = 'after';
      continue;
    }
    if (inPhase(cut)) phases[cut].push(line);
    // imports made by the harness after the handler (sysconfig…) are not the handler's
    else if (!line.includes('import time:')) otherLines.push(line);
  }
  return { phases, otherLines, initComplete };
}

/** faulthandler's line when the harness's timeout fired (it then dumps the stacks and exits). */
const TIMEOUT_LINE = /^Timeout \(\d+:\d\d:\d\d(\.\d+)?\)!/m;

/** A run's status from its result file (if any), whether the import finished, and how it ended. */
export function runStatus(result: HarnessResult | null, initComplete: boolean, killed: boolean, stderr: string): RunStatus {
  if (result && initComplete) return result.status;
  if (killed || TIMEOUT_LINE.test(stderr)) return 'timeout';
  return 'crash';
}

/** A run that must stop the series: the import failed, or (with --invoke) the handler's call did. */
export function runFailed(o: Pick<RunOutcome, 'status' | 'result'>): boolean {
  return o.status !== 'ok' || o.result?.invoke?.status === 'error';
}
